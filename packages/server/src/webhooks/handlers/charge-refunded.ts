/** charge.refunded: the refunded amount of the charge's payment, re-read from Stripe. */
import type Stripe from 'stripe';
import { idOf, type WebhookHandler } from './context.js';
import { syncPaymentIntent } from './payment-intent.js';

export const handleChargeRefunded: WebhookHandler = async (event, context) => {
  const intent = idOf((event.data.object as Stripe.Charge).payment_intent);
  if (intent) await syncPaymentIntent(context, intent);
};
