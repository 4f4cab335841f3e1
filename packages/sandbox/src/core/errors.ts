/**
 * Errors in the shape the Stripe API returns them: `{ error: { type, code, message, param, … } }`,
 * with the HTTP status that makes stripe-node raise the matching class (StripeCardError on 402,
 * StripeInvalidRequestError on 400/404, StripeAuthenticationError on 401, …).
 * @see https://docs.stripe.com/api/errors
 */

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'rate_limit_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  setup_intent?: unknown;
  payment_method?: unknown;
  advice_code?: string;
}

/** An error the sandbox answers with, as Stripe would. */
export class StripeApiError extends Error {
  readonly status: number;
  readonly body: StripeErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: StripeErrorBody, headers: Record<string, string> = {}) {
    super(body.message);
    this.name = 'StripeApiError';
    this.status = status;
    this.body = body.code && !body.doc_url ? { ...body, doc_url: docUrl(body.code) } : body;
    this.headers = headers;
  }
}

export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });
}

/** `No such payment_intent: 'pi_123'`, 404 `resource_missing`. */
export function resourceMissing(resource: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${resource}: '${id}'`,
    param,
  });
}

export function unknownParameter(name: string, hint?: string): StripeApiError {
  return invalidRequest(
    `Received unknown parameter: ${name}${hint ? `. ${hint}` : ''}`,
    name,
    'parameter_unknown',
  );
}

export function missingParameter(name: string): StripeApiError {
  return invalidRequest(`Missing required param: ${name}.`, name, 'parameter_missing');
}

export function unexpectedState(message: string, extra: Partial<StripeErrorBody> = {}) {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message,
    ...extra,
  });
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'authentication_error', message });
}

export function apiError(message = 'An unknown error occurred (sandbox chaos).'): StripeApiError {
  return new StripeApiError(500, { type: 'api_error', message });
}

export function rateLimitError(): StripeApiError {
  return new StripeApiError(
    429,
    {
      type: 'rate_limit_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    },
    { 'Retry-After': '1' },
  );
}
