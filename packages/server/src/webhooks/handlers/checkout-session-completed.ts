/**
 * checkout.session.completed: what a Checkout page paid for is stored as Stripe says it is now:
 * the subscription of a `subscription` session, the payment of a `payment` session (with the
 * page's line items as its lines and its discount, when this server made the page). The session is re-read from
 * Stripe under a lock on its id, then each object under its own lock (always the session's
 * first, so two deliveries cannot wait on each other).
 */
import type { PaymentLine } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { unlessMissing } from '../../errors.js';
import { lockObject } from '../../storage/event-ledger.js';
import { setPaymentLines } from '../../storage/payments.js';
import { type HandlerContext, idOf, type WebhookHandler } from './context.js';
import { syncSubscription } from './customer-subscription.js';
import { objectData, stripeId } from './event-data.js';
import { syncPaymentIntent } from './payment-intent.js';

/** What the handler reads: the session's id (the rest is read again from Stripe). */
export const checkoutSessionCompletedEventData = objectData({ id: stripeId });

export const handleCheckoutSessionCompleted: WebhookHandler = async (event, context) => {
  const id = (event.data.object as Stripe.Checkout.Session).id;
  await lockObject(context.db, id);
  const session = await unlessMissing(context.stripe.checkout.sessions.retrieve(id));
  if (!session) return;
  const subscription = idOf(session.subscription);
  if (subscription) await syncSubscription(context, subscription);
  const intent = idOf(session.payment_intent);
  if (!intent || !(await syncPaymentIntent(context, intent))) return;
  // The cart `POST /checkout-sessions` priced is not kept; Stripe's line items are the same
  // prices and quantities, and each one's description is its product's name at the time. The
  // intent is for the total after a promotion code; the lines are the prices as listed, so the
  // discount is kept with them to explain the difference.
  if (session.metadata?.tillkit === 'true') {
    await setPaymentLines(
      context.db,
      intent,
      await checkoutLines(context, id),
      session.total_details?.amount_discount ?? 0,
    );
  }
};

/** A Checkout page's line items as a payment's lines (a cart has at most 50, one page). */
async function checkoutLines(context: HandlerContext, sessionId: string): Promise<PaymentLine[]> {
  const items = await context.stripe.checkout.sessions.listLineItems(sessionId, { limit: 100 });
  return items.data.flatMap((item) =>
    item.price?.unit_amount == null
      ? []
      : [
          {
            price: item.price.id,
            productName: item.description ?? '',
            quantity: item.quantity ?? 1,
            unitAmount: item.price.unit_amount,
          },
        ],
  );
}
