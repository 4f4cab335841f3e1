/**
 * payment_intent.succeeded, .payment_failed, .canceled, .processing: store the payment as Stripe
 * says it is now. The event's own copy is never written: the intent is re-read from Stripe under
 * a lock on its id, so a late or out-of-order event can only ever write a state as new as the
 * newest one (see README, "Webhooks").
 */
import type Stripe from 'stripe';
import { unlessMissing } from '../../errors.js';
import { lockObject } from '../../storage/event-ledger.js';
import { paymentRowFrom, upsertPayment } from '../../storage/payments.js';
import { type HandlerContext, idOf, type WebhookHandler } from './context.js';
import { objectData, stripeId } from './event-data.js';

/** Re-reads a payment intent from Stripe and stores it; undefined when Stripe has no such intent. */
export async function syncPaymentIntent(
  context: HandlerContext,
  id: string,
): Promise<Stripe.PaymentIntent | undefined> {
  await lockObject(context.db, id);
  const intent = await unlessMissing(
    context.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }),
  );
  if (!intent) return undefined;
  const customer = idOf(intent.customer);
  const userId =
    (customer ? await context.customers.userIdFor(customer, context.db) : undefined) ??
    intent.metadata?.tillkit_user_id ??
    null;
  await upsertPayment(context.db, paymentRowFrom(intent, userId));
  return intent;
}

/** What the handler reads: the intent's id. */
export const paymentIntentEventData = objectData({ id: stripeId });

export const handlePaymentIntentEvent: WebhookHandler = async (event, context) => {
  await syncPaymentIntent(context, (event.data.object as Stripe.PaymentIntent).id);
};
