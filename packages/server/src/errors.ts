/**
 * One error type for everything the server answers with: `TillkitError` carries the protocol's
 * error code, the HTTP status, the parameter at fault and the request id. Stripe's errors are
 * turned into it at the edge by `fromStripeError()`; the error middleware writes it out.
 */
import { ERROR_STATUS, type ErrorCode } from '@tillkit/protocol';
import Stripe from 'stripe';
import { isDatabaseUnavailable } from './storage/database.js';

export interface TillkitErrorOptions {
  param?: string | undefined;
  cause?: unknown;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number | undefined;
  /** Overrides the status that goes with the code. */
  status?: number;
}

/** An error the server answers with. `message` is shown to the caller: never put secrets in it. */
export class TillkitError extends Error {
  override name = 'TillkitError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | undefined;
  readonly retryAfter: number | undefined;
  /** Set by the error middleware. */
  requestId: string | undefined;

  constructor(code: ErrorCode, message: string, options: TillkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.param = options.param;
    this.retryAfter = options.retryAfter;
  }
}

/** The request failed validation. */
export class InvalidRequestError extends TillkitError {
  override name = 'InvalidRequestError';
  constructor(message: string, param?: string) {
    super('invalid_request', message, { param });
  }
}

/** No such object, or not the caller's. */
export class NotFoundError extends TillkitError {
  override name = 'NotFoundError';
  constructor(what: string, id: string, param = 'id') {
    super('not_found', `No such ${what}: '${id}'`, { param });
  }
}

/**
 * For `.catch()` on a Stripe read: Stripe's "no such object" becomes `notFound` (the route's own
 * 404, which says nothing of whose the object is); any other error goes on as it is.
 */
export function rethrowAs(notFound: NotFoundError): (error: unknown) => never {
  return (error) => {
    throw error instanceof TillkitError && error.code === 'not_found' ? notFound : error;
  };
}

/** No caller identified (or a bad token). */
export class UnauthenticatedError extends TillkitError {
  override name = 'UnauthenticatedError';
  constructor(message = 'Sign in first: this route needs an identified caller.') {
    super('unauthenticated', message);
  }
}

/** The caller may not do this. */
export class ForbiddenError extends TillkitError {
  override name = 'ForbiddenError';
  constructor(message = 'Only an admin may do this.') {
    super('forbidden', message);
  }
}

/** The server is set up wrongly; the message says how to fix it. */
export class ConfigurationError extends TillkitError {
  override name = 'ConfigurationError';
  constructor(message: string) {
    super('misconfigured', message);
  }
}

/** Seconds a caller waits before retrying when the database is away (a restart takes a few). */
const DATABASE_RETRY_AFTER = 5;

/**
 * The database cannot be reached, or has no free connection: a retryable 503 with Retry-After.
 * A transaction that lost its connection is rolled back by PostgreSQL.
 */
export class DatabaseUnavailableError extends TillkitError {
  override name = 'DatabaseUnavailableError';
  constructor(
    message = 'The database is not answering right now; retry in a moment.',
    cause?: unknown,
  ) {
    super('database_unavailable', message, { cause, retryAfter: DATABASE_RETRY_AFTER });
  }
}

/**
 * Turns an error of the database that says it is down, unreachable or out of connections
 * (`isDatabaseUnavailable()`) into a `DatabaseUnavailableError`; anything else is returned as is.
 */
export function fromDatabaseError(error: unknown, message?: string): unknown {
  if (error instanceof TillkitError || !isDatabaseUnavailable(error)) return error;
  return new DatabaseUnavailableError(message, error);
}

/** Stripe error codes that mean the caller asked for something impossible, and what we answer. */
const STRIPE_CODES: Partial<Record<string, { code: ErrorCode; status?: number }>> = {
  resource_missing: { code: 'not_found' },
  charge_already_refunded: { code: 'already_refunded' },
  amount_too_large: { code: 'stripe_invalid_request' },
  amount_too_small: { code: 'stripe_invalid_request' },
  payment_intent_unexpected_state: { code: 'invalid_state' },
  setup_intent_unexpected_state: { code: 'invalid_state' },
};

/**
 * Turns an error from stripe-node into a `TillkitError`: the caller's mistakes become clear 4xx
 * answers with Stripe's message; an outage becomes a 503 (unreachable, rate limited) or a 502
 * (an error on Stripe's side, or Stripe refusing the server's own keys, whose details stay in the
 * logs). Anything else is returned as is.
 * @see https://docs.stripe.com/error-handling
 */
export function fromStripeError(error: unknown, context: { param?: string } = {}): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const param = context.param ?? error.param ?? undefined;
  const options = { param, cause: error };
  switch (error.type) {
    case 'StripeCardError':
      return new TillkitError('card_declined', error.message, options);
    case 'StripeInvalidRequestError': {
      const mapped = error.code ? STRIPE_CODES[error.code] : undefined;
      if (mapped) return new TillkitError(mapped.code, error.message, options);
      return new TillkitError('stripe_invalid_request', error.message, options);
    }
    case 'StripeIdempotencyError':
      return new TillkitError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
        { cause: error },
      );
    case 'StripeRateLimitError':
      return new TillkitError(
        'stripe_unavailable',
        'Stripe is rate limiting this server; retry in a moment.',
        { cause: error, retryAfter: 1 },
      );
    case 'StripeConnectionError':
      return new TillkitError(
        'stripe_unavailable',
        'Stripe could not be reached; retry in a moment. Nothing was charged twice: retries reuse the same idempotency key.',
        { cause: error, retryAfter: 2 },
      );
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return new TillkitError(
        'stripe_error',
        "Stripe refused this server's API key; the server's operator must check STRIPE_SECRET_KEY.",
        { cause: error },
      );
    default:
      if (error.statusCode === 409) {
        return new TillkitError(
          'request_in_progress',
          'A request with the same Idempotency-Key is still running; retry in a moment.',
          { cause: error, retryAfter: 1 },
        );
      }
      return new TillkitError(
        'stripe_error',
        'Stripe answered with an error; retry in a moment. Retries with the same Idempotency-Key never charge twice.',
        { cause: error },
      );
  }
}

/** Runs a Stripe call and converts its errors with `fromStripeError()`. */
export async function stripeCall<T>(run: () => Promise<T>, context: { param?: string } = {}) {
  try {
    return await run();
  } catch (error) {
    throw fromStripeError(error, context);
  }
}

/** True when the error is Stripe's "No such …" (the object does not exist). */
export function isStripeMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.code === 'resource_missing';
}

/** A Stripe read, or undefined when Stripe has no such object; any other error goes on. */
export async function unlessMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isStripeMissing(error)) return undefined;
    throw error;
  }
}
