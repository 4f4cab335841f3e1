/** payment_method.attached / .detached: the card as Stripe says it is now (detached: no customer). */
import type Stripe from 'stripe';
import { unlessMissing } from '../../errors.js';
import { lockObject } from '../../storage/event-ledger.js';
import { upsertPaymentMethod } from '../../storage/payment-methods.js';
import type { HandlerContext, WebhookHandler } from './context.js';
import { objectData, stripeId } from './event-data.js';

export async function syncPaymentMethod(context: HandlerContext, id: string): Promise<void> {
  await lockObject(context.db, id);
  const method = await unlessMissing(context.stripe.paymentMethods.retrieve(id));
  if (!method) return;
  await upsertPaymentMethod(context.db, method);
}

/** What the handler reads: the card's id. */
export const paymentMethodEventData = objectData({ id: stripeId });

export const handlePaymentMethodEvent: WebhookHandler = async (event, context) => {
  await syncPaymentMethod(context, (event.data.object as Stripe.PaymentMethod).id);
};
