/**
 * Errors as Stripe.js reports them: misuse throws an `IntegrationError` at once; everything that
 * happens on the way (declines, validation, authentication) resolves to `{ error: { type, code,
 * decline_code, message, param, payment_intent | setup_intent, … } }`.
 */
import { localizeError, messagesFor } from './locales.js';
import type { ApiError } from './protocol.js';

/** Stripe.js throws these for calls it cannot make sense of. */
export class IntegrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrationError';
  }
}

const SUPPORTED =
  'The sandbox supports elements (payment, card, address), confirmPayment, confirmSetup, confirmCardPayment, confirmCardSetup, handleNextAction, handleCardAction, retrievePaymentIntent, retrieveSetupIntent and createPaymentMethod.';

/** What every Stripe.js call the sandbox does not model answers with. */
export function notSupported(name: string, reason = 'it models card payments only.'): never {
  throw new IntegrationError(
    `stripe.${name}() is not supported by the Tillkit Stripe sandbox: ${reason} ${SUPPORTED}`,
  );
}

/** The fields Stripe.js copies from an API error into `result.error`. */
const ERROR_FIELDS = [
  'type',
  'code',
  'decline_code',
  'message',
  'param',
  'doc_url',
  'charge',
  'payment_intent',
  'setup_intent',
  'payment_method',
  'advice_code',
] as const;

export type StripeJsError = ApiError;

/**
 * The error as Stripe.js resolves it, its `message` in `locale`'s language where Stripe.js words
 * it itself (validation and card errors, failed authentication; see locales.ts).
 */
export function toStripeJsError(error: ApiError, locale: string): StripeJsError {
  const result: StripeJsError = { type: error.type };
  for (const field of ERROR_FIELDS) {
    if (error[field] !== undefined) (result as Record<string, unknown>)[field] = error[field];
  }
  return localizeError(result, messagesFor(locale));
}

/** An error of Stripe.js's own (not from the API), resolved rather than thrown. */
export function clientError(message: string, code?: string): StripeJsError {
  return { type: 'invalid_request_error', message, ...(code ? { code } : {}) };
}
