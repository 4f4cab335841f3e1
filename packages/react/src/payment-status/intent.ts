/**
 * What the return page (`usePaymentStatus()`) and the "confirm your payment" flow
 * (`useAuthenticatePayment()`) share: an intent read with Stripe.js, and why an intent did not go
 * through, in the customer's words.
 */
import type { PaymentIntent, SetupIntent, Stripe, StripeError } from '@stripe/stripe-js';
import { fromStripeError, fromThrown, type TillkitFailure } from '../internal/errors.js';
import type { CommonMessages } from '../messages/messages.js';

/** What Stripe.js answered: the intent, or why it could not be read. */
export type IntentAnswer =
  | { intent: PaymentIntent | SetupIntent; error?: undefined }
  | { intent?: undefined; error: TillkitFailure };

/**
 * Reads the intent `secret` names (`setup`: a SetupIntent) with Stripe.js. Never throws. Stripe.js
 * answers a network failure or a 5xx as an error (`api_connection_error`, `api_error`) and throws
 * only for a misuse (a malformed secret), which is answered as an `invalid_request_error`, as
 * Stripe answers a secret it does not know: reading again cannot help then.
 */
export async function retrieveIntent(
  stripe: Stripe,
  secret: string,
  setup: boolean,
  messages: CommonMessages,
  /** The message for a request Stripe refused (`fromStripeError()`'s `invalid`). */
  invalid?: string,
): Promise<IntentAnswer> {
  try {
    const result: {
      paymentIntent?: PaymentIntent;
      setupIntent?: SetupIntent;
      error?: StripeError;
    } = setup
      ? await stripe.retrieveSetupIntent(secret)
      : await stripe.retrievePaymentIntent(secret);
    const intent = result.setupIntent ?? result.paymentIntent;
    if (intent) return { intent };
    // Stripe's error, or (against Stripe.js's types) an answer with neither: never a crash.
    return {
      error: result.error
        ? fromStripeError(result.error, messages, invalid)
        : fromThrown(result, messages, 'load_error'),
    };
  } catch (error) {
    return { error: fromThrown(error, messages, 'invalid_request_error') };
  }
}

/** Why an intent did not go through: Stripe's last error on it, or `fallback`. */
export function failureOf(
  intent: PaymentIntent | SetupIntent | null | undefined,
  messages: CommonMessages,
  fallback: string,
): TillkitFailure {
  // A SetupIntent has `last_setup_error`, a PaymentIntent `last_payment_error`.
  const last =
    (intent as SetupIntent | null | undefined)?.last_setup_error ??
    (intent as PaymentIntent | null | undefined)?.last_payment_error;
  return last
    ? fromStripeError(last, messages, fallback)
    : { type: 'invalid_request_error', message: fallback };
}
