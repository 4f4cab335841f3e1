/**
 * Every error code the Tillkit server answers with, and the HTTP status that goes with it.
 * Declared once, here; the server throws them and the React kit switches on them.
 *
 * An error body is always `{ "error": { "code", "message", "param"?, "requestId" } }`.
 */
export const ERROR_STATUS = {
  /** The body, query or path failed validation (wrong types, missing or unknown fields). */
  invalid_request: 400,
  /** The body is not valid JSON, or not JSON at all. */
  malformed_json: 400,
  /**
   * The request contains something that looks like a card number. Card data must go straight
   * from the browser to Stripe (Stripe.js / Elements), never through your server.
   */
  card_data_not_allowed: 400,
  /** A price is unknown, inactive or not for sale. */
  price_unavailable: 400,
  /** A recurring price was put in a one-time payment (use a subscription). */
  recurring_price_not_allowed: 400,
  /** A one-time price was used for a subscription (subscribe to a recurring price). */
  one_time_price_not_allowed: 400,
  /** The items are priced in more than one currency. */
  currency_mismatch: 400,
  /** Stripe refused the request for a reason the caller can fix (Stripe's message says which). */
  stripe_invalid_request: 400,
  /** The payment has been refunded in full already. */
  already_refunded: 400,
  /** Stripe refused the refund (more than the unrefunded amount, nothing captured yet, …). */
  refund_refused: 400,
  /**
   * A promotion code that cannot be used here: unknown, expired, used up, not for this customer
   * or this purchase, or the store takes no codes (the message says which).
   */
  promotion_code_invalid: 400,
  /** A plan change's `prorationDate` is older than a preview stays valid: preview it again. */
  preview_expired: 400,
  /** A redirect URL is not on one of the allowed origins. */
  redirect_not_allowed: 400,
  /** A webhook whose signature is missing, invalid or too old, or whose body was tampered with. */
  webhook_signature_invalid: 400,
  /** A signed webhook event that is not shaped as Stripe sends them; recorded, never handled. */
  webhook_event_invalid: 400,
  /** No caller was identified, or the bearer token is invalid or expired. */
  unauthenticated: 401,
  /** A card was declined. */
  card_declined: 402,
  /** The caller is identified but may not do this (admin only). */
  forbidden: 403,
  /** No such object, or it belongs to someone else. */
  not_found: 404,
  /** The object is in a state that does not allow this (a paid intent cannot be re-priced). */
  invalid_state: 409,
  /**
   * The caller already has a live subscription to this product (to any, when the server keeps one
   * per customer: `GET /config`'s `oneSubscriptionPerCustomer`): change its plan instead.
   */
  already_subscribed: 409,
  /** The same Idempotency-Key was used with a different request. */
  idempotency_key_reused: 409,
  /** A request with the same Idempotency-Key is still running; retry shortly. */
  request_in_progress: 409,
  /**
   * What the request made is already over: a retry (same Idempotency-Key) of a request whose
   * subscription or Checkout page a newer one has replaced since, or a request overtaken by a
   * newer one at the same time. Send it again with a new Idempotency-Key.
   */
  stale_request: 409,
  /** The body is larger than the server accepts (100 kB by default). */
  payload_too_large: 413,
  /** Too many requests from this caller; see the Retry-After header. */
  rate_limited: 429,
  /** Something failed on the server; the details are in its logs under the requestId. */
  internal_error: 500,
  /** The server is set up wrongly; the message says how to fix it. */
  misconfigured: 500,
  /** Handling a webhook event failed; Stripe will deliver it again. */
  webhook_handler_failed: 500,
  /** Stripe answered with an error that is not the caller's fault. */
  stripe_error: 502,
  /** Stripe could not be reached, or is rate limiting the server; retry shortly. */
  stripe_unavailable: 503,
  /**
   * The server's database does not answer (restarting, failing over, unreachable) or has no free
   * connection; retry after the time in the Retry-After header.
   */
  database_unavailable: 503,
  /** The database or Stripe does not answer (`GET /ready`). */
  not_ready: 503,
} as const;

/** A code the server may answer with. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every error code, for exhaustive switches and tests. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The body of every error answer. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    param?: string;
    requestId: string;
  };
}

/** True when `value` is one of the server's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
