/**
 * charge.refunded: the refunded amount of the charge's payment, re-read from Stripe.
 * refund.updated, refund.failed: a refund that fails after `charge.refunded` (a closed card
 * account) or is canceled no longer counts in the charge's `amount_refunded`, and Stripe sends no
 * second `charge.refunded`: the payment is re-read then too, or it would go on showing a refund
 * the customer never got.
 * @see https://docs.stripe.com/api/refunds (its events)
 * @see https://docs.stripe.com/changelog/acacia/2024-10-28/refund-webhook-update
 */
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import { idOf, type WebhookHandler } from './context.js';
import { expandable, objectData, stripeId } from './event-data.js';
import { syncPaymentIntent } from './payment-intent.js';

/**
 * What the handler reads: the charge's or the refund's payment intent (none for a charge made
 * without one).
 */
export const refundEventData = objectData({
  id: stripeId,
  payment_intent: z.optional(z.nullable(expandable)),
});

/** Re-reads the payment of the refunded charge, or of the refund that changed. */
export const handleRefundEvent: WebhookHandler = async (event, context) => {
  const intent = idOf((event.data.object as Stripe.Charge | Stripe.Refund).payment_intent);
  if (intent) await syncPaymentIntent(context, intent);
};
