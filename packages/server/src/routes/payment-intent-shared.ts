/** What the payment intent routes share: the answer's shape and the cart summary in metadata. */
import type { CartItem, PaymentIntentResponse } from '@tillkit/protocol';
import type Stripe from 'stripe';

export function toPaymentIntentResponse(intent: Stripe.PaymentIntent): PaymentIntentResponse {
  return {
    id: intent.id,
    clientSecret: intent.client_secret as string,
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
  };
}

/** `price_a:2,price_b:1`, when it fits Stripe's 500-character metadata values. */
export function cartMetadata(items: readonly CartItem[]): Record<string, string> {
  const summary = items.map((item) => `${item.price}:${item.quantity}`).join(',');
  return summary.length <= 500 ? { tillkit_items: summary } : {};
}

/** Statuses in which an intent's amount may still change. */
export const UNPAID_STATUSES: readonly Stripe.PaymentIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];
