/**
 * Every string the kit shows. The host overrides any of them through `<TillkitProvider
 * messages>`; English is the default and German ships as `@tillkit/react/locales/de`.
 * English is split by feature (each hook brings its own strings) so that an app using one
 * component does not ship the others' text. `{name}` placeholders are filled by `formatMessage()`.
 */
import type { AuthenticatePaymentMessages } from '../authenticate-payment/messages.js';
import type { ManageBillingMessages } from '../manage-billing/messages.js';
import type { PaymentFormMessages } from '../payment-form/messages.js';
import type { PaymentHistoryMessages } from '../payment-history/messages.js';
import type { PaymentStatusMessages } from '../payment-status/messages.js';
import type { PricingTableMessages } from '../pricing-table/messages.js';
import type { SaveCardFormMessages } from '../save-card-form/messages.js';
import type { SavedCardsMessages } from '../saved-cards/messages.js';
import type { PromotionCodeMessages, SubscribeFormMessages } from '../subscribe-form/messages.js';
import type { SubscriptionManagerMessages } from '../subscription-manager/messages.js';

/** Strings every feature uses. */
export interface CommonMessages {
  /** While Stripe.js, the prices or an intent load. */
  loading: string;
  /** An error with no better message. */
  genericError: string;
  /** The Tillkit server could not be reached. */
  networkError: string;
  /** The Tillkit server asked the caller to slow down. */
  rateLimited: string;
  /** Stripe.js, the prices or the caller's cards or subscriptions could not be loaded. */
  loadError: string;
  /** A price in the cart is not on sale (any more). */
  priceUnavailable: string;
}

/**
 * Every string of the kit: what `<TillkitProvider messages>` may override. A key shared by
 * features (`cardDetails`, `processing`) means the same thing in each, and one override changes
 * them all.
 */
export interface TillkitMessages
  extends CommonMessages,
    PaymentFormMessages,
    PaymentStatusMessages,
    AuthenticatePaymentMessages,
    SaveCardFormMessages,
    SavedCardsMessages,
    PaymentHistoryMessages,
    SubscribeFormMessages,
    PromotionCodeMessages,
    PricingTableMessages,
    SubscriptionManagerMessages,
    ManageBillingMessages {}

/** English for the shared strings. */
export const commonMessages: CommonMessages = {
  loading: 'Loading…',
  genericError: 'Something went wrong. Please try again.',
  networkError: 'Could not reach the payment server. Check your connection and try again.',
  rateLimited: 'Too many attempts. Please wait a moment and try again.',
  loadError: 'This could not be loaded. Check your connection and try again.',
  priceUnavailable: 'An item in your cart is no longer available.',
};

/**
 * Fills `{name}` placeholders: `formatMessage('Pay {amount}', { amount: '$5.00' })`.
 * Unknown placeholders are left as they are, so a missing value shows up in review.
 */
export function formatMessage(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}
