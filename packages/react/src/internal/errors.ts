/**
 * What the kit's hooks report when something goes wrong: an expected failure (a decline, a server
 * refusal) is a value the UI shows, never an exception.
 */
import type { StripeError } from '@stripe/stripe-js';
import type { CommonMessages, TillkitMessages } from '../messages/messages.js';

/** A failure as the kit's hooks report it. */
export interface TillkitFailure {
  /**
   * Where it comes from: Stripe's error types (`card_error`, `validation_error`,
   * `invalid_request_error`, …) or `api_error` for the Tillkit server, `load_error` when Stripe.js
   * or the prices could not be loaded.
   */
  type: string;
  /** Stripe's or the Tillkit server's code (`card_declined`, `expired_card`, `price_unavailable`). */
  code?: string | undefined;
  /** Stripe's `decline_code` (`insufficient_funds`, `generic_decline`). */
  declineCode?: string | undefined;
  /**
   * What to show the customer: Stripe's message for card and validation errors (localised by
   * Stripe.js), the kit's own words for everything else.
   */
  message: string;
  /** The original error, for logging. */
  cause?: unknown;
}

/**
 * Codes whose message has another name than the code's own (below): a lost connection's, and a
 * one-time price's.
 */
const ALIASES: Record<string, keyof TillkitMessages> = {
  timeout: 'networkError',
  recurring_price_not_allowed: 'priceUnavailable',
};

/**
 * A Stripe.js error as a failure. Stripe words only card and validation errors (and a failed
 * authentication) for customers (https://docs.stripe.com/api/errors); the others ("No such
 * payment_intent: 'pi_…'") are for developers and stay in `cause`. The customer reads the kit's
 * network message for a lost connection, `invalid` for a request Stripe refused (an intent it
 * does not know or that cannot be used any more), and the generic message for the rest.
 */
export function fromStripeError(
  error: StripeError,
  messages: CommonMessages,
  invalid?: string,
): TillkitFailure {
  const { type } = error;
  return {
    type,
    code: error.code,
    declineCode: error.decline_code,
    message:
      (type === 'card_error' ||
      type === 'validation_error' ||
      // A failed 3D Secure is an `invalid_request_error` that Stripe.js words (and localises)
      // for the customer: "We are unable to authenticate your payment method. …"
      error.code?.endsWith('_authentication_failure')
        ? error.message
        : type === 'api_connection_error'
          ? messages.networkError
          : type === 'invalid_request_error' && invalid) || messages.genericError,
    cause: error,
  };
}

/** Anything thrown on the way (the Tillkit client's `TillkitApiError`, a network error). */
export function fromThrown(
  error: unknown,
  messages: CommonMessages,
  type = 'api_error',
): TillkitFailure {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  const known = typeof code === 'string' ? code : undefined;
  // A code the customer can act on has the kit's words under its own name in camelCase
  // (`already_subscribed`: `alreadySubscribed`), where the feature's messages hold it (the
  // subscribe form's, which the pricing table shares); any other, a generic message.
  const key =
    known &&
    (ALIASES[known] ?? known.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase()));
  const text = key ? (messages as unknown as Record<string, unknown>)[key] : undefined;
  const message =
    (typeof text === 'string' && text) ||
    messages[type === 'load_error' ? 'loadError' : 'genericError'];
  return { type, code: known, message, cause: error };
}
