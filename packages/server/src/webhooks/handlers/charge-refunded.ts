/** charge.refunded: the refunded amount of the charge's payment, re-read from Stripe. */
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import { idOf, type WebhookHandler } from './context.js';
import { expandable, objectData, stripeId } from './event-data.js';
import { syncPaymentIntent } from './payment-intent.js';

/** What the handler reads: the charge's payment intent (none for a charge without one). */
export const chargeRefundedEventData = objectData({
  id: stripeId,
  payment_intent: z.optional(z.nullable(expandable)),
});

export const handleChargeRefunded: WebhookHandler = async (event, context) => {
  const intent = idOf((event.data.object as Stripe.Charge).payment_intent);
  if (intent) await syncPaymentIntent(context, intent);
};
