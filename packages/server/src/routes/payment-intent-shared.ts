/**
 * What the payment intent routes share: the answer's shape, the cart summary in metadata, the
 * cart's lines kept with the payment and the client secret check.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CartItem, PaymentIntentResponse, PaymentLine } from '@tillkit/protocol';
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { TillkitError } from '../errors.js';
import type { PricedCart } from '../stripe/catalog.js';

/** A card is saved to a customer: a guest asking to save one gets a 401 naming the field. */
export function assertMaySave(save: boolean | undefined, identity: Identity | null): void {
  if (save && !identity) {
    throw new TillkitError('unauthenticated', 'Sign in to save a card for later payments.', {
      param: 'savePaymentMethod',
    });
  }
}

export function toPaymentIntentResponse(intent: Stripe.PaymentIntent): PaymentIntentResponse {
  return {
    id: intent.id,
    clientSecret: intent.client_secret as string,
    amount: intent.amount,
    currency: intent.currency,
    status: intent.status,
  };
}

/**
 * The client secret a caller gave is the intent's: a guest's proof that the intent is theirs.
 * Constant-time, so the answer's timing does not tell how much of a guess was right.
 */
export function sameSecret(given: string | undefined, actual: string | null): boolean {
  if (!given || !actual) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The metadata that marks an intent `POST /payment-intents` made: `tillkit_origin:
 * 'payment_intents'`. `PATCH /payment-intents/:id` re-prices a marked intent without asking Stripe
 * whether a Checkout page owns it. A Checkout page's intent never carries it: Checkout always makes
 * its own intent, and its metadata is what `POST /checkout-sessions` sets in
 * `payment_intent_data.metadata` (`tillkit`, `tillkit_items`, `tillkit_user_id`), never this key;
 * no route lets a caller choose metadata keys, and Stripe.js's publishable key cannot change an
 * intent's metadata. Only a holder of the secret key (the host's own code, the Dashboard) could
 * put it on a Checkout intent. Intents made before the marker existed lack it, and are checked
 * against Checkout Sessions as before.
 */
export const OWN_INTENT_METADATA = { tillkit_origin: 'payment_intents' } as const;

/** True for an intent `POST /payment-intents` made (see `OWN_INTENT_METADATA`). */
export function isOwnPaymentIntent(intent: Stripe.PaymentIntent): boolean {
  return intent.metadata?.tillkit_origin === OWN_INTENT_METADATA.tillkit_origin;
}

/** `price_a:2,price_b:1`, when it fits Stripe's 500-character metadata values. */
export function cartMetadata(items: readonly CartItem[]): Record<string, string> {
  const summary = items.map((item) => `${item.price}:${item.quantity}`).join(',');
  return summary.length <= 500 ? { tillkit_items: summary } : {};
}

/** A priced cart's lines, as kept with its payment: ids, names and amounts all from Stripe. */
export function paymentLines(cart: PricedCart): PaymentLine[] {
  return cart.lines.map(({ price, quantity }) => ({
    price: price.id,
    // The catalog reads every price with its product expanded, and refuses one without an amount.
    productName: (price.product as Stripe.Product).name,
    quantity,
    unitAmount: price.unit_amount as number,
  }));
}

/**
 * True when Stripe's intent is priced for this cart: no later re-pricing (another tab's `PATCH`)
 * has changed it since.
 */
export function isPricedFor(
  intent: Stripe.PaymentIntent,
  cart: PricedCart,
  items: readonly CartItem[],
): boolean {
  return (
    intent.amount === cart.amount &&
    intent.currency === cart.currency &&
    (intent.metadata?.tillkit_items ?? '') === (cartMetadata(items).tillkit_items ?? '')
  );
}

/** Statuses in which an intent's amount may still change. */
export const UNPAID_STATUSES: readonly Stripe.PaymentIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];
