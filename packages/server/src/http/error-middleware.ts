/**
 * The one place errors become answers: `{ error: { code, message, param?, requestId } }`, with the
 * status of the code. A `TillkitError` is written as it is; a Stripe error goes through
 * `fromStripeError()`; a database that is down or out of connections is a 503
 * `database_unavailable` with Retry-After (`fromDatabaseError()`); an error that carries a 4xx
 * status (a malformed URL, from express's router) is a 4xx with the code of its status; anything
 * else is logged with its stack and answered as a plain 500 that names only the request id.
 */
import type { ErrorCode } from '@tillkit/protocol';
import type { NextFunction, Request, Response } from 'express';
import { fromDatabaseError, fromStripeError, TillkitError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { locals } from './request-context.js';

/** body-parser's errors carry a `type` and a status. */
function bodyParserError(error: unknown): TillkitError | undefined {
  const type = (error as { type?: unknown })?.type;
  if (typeof type !== 'string') return undefined;
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return new TillkitError(
      'payload_too_large',
      `The body is larger than this server accepts${limit ? ` (${Math.round(limit / 1024)} kB)` : ''}.`,
      { cause: error },
    );
  }
  const status = (error as { status?: number }).status;
  if (status && status >= 400 && status < 500) {
    return new TillkitError('malformed_json', 'The body could not be read.', { cause: error });
  }
  return undefined;
}

/** The protocol's answer to an error that carries one of these statuses. */
const CLIENT_ERRORS: Partial<Record<number, [ErrorCode, string]>> = {
  401: ['unauthenticated', 'This request needs a valid bearer token.'],
  403: ['forbidden', 'The caller may not do this.'],
  404: ['not_found', 'There is nothing here.'],
  413: ['payload_too_large', 'The request is larger than this server accepts.'],
  429: ['rate_limited', 'Too many requests; wait a moment, then retry.'],
};

/**
 * An error that carries a 4xx `status` or `statusCode` and says it may be shown (`expose: true`,
 * as http-errors sets for what express and its middlewares refuse with) is the caller's mistake,
 * not the server's: answered with the code of its status, or `invalid_request`. A 4xx without
 * `expose` (an upstream service's answer inside the host's `identify()`, say) is the server's
 * problem: a logged 500. A malformed percent-encoding in a path parameter (`/payments/%ZZ`) is a
 * URIError from express's router.
 */
function clientError(error: unknown): TillkitError | undefined {
  if (error instanceof URIError) {
    return new TillkitError(
      'invalid_request',
      'The URL is not valid: a % in it is not followed by two hexadecimal digits of UTF-8.',
      { cause: error },
    );
  }
  const { status, statusCode, expose } = (error ?? {}) as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const given = typeof status === 'number' ? status : statusCode;
  if (expose !== true || typeof given !== 'number' || given < 400 || given >= 500) return undefined;
  const [code, message] = CLIENT_ERRORS[given] ?? ['invalid_request', 'The request is not valid.'];
  return new TillkitError(code, message, { cause: error });
}

export function toTillkitError(error: unknown): TillkitError {
  if (error instanceof TillkitError) return error;
  const fromBody = bodyParserError(error);
  if (fromBody) return fromBody;
  const converted = fromStripeError(error);
  if (converted instanceof TillkitError) return converted;
  const fromDatabase = fromDatabaseError(error);
  if (fromDatabase instanceof TillkitError) return fromDatabase;
  // After Stripe's errors, which carry the status Stripe answered with.
  const fromClient = clientError(error);
  if (fromClient) return fromClient;
  return new TillkitError(
    'internal_error',
    'Something went wrong on the server. Its logs have the details under this requestId.',
    { cause: error },
  );
}

export function errorMiddleware(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const tillkit = toTillkitError(error);
    const requestId = locals(res).requestId ?? 'req_unknown';
    tillkit.requestId = requestId;
    locals(res).answered = true;
    if (tillkit.status >= 500) {
      logger.error(
        { err: error, requestId, code: tillkit.code, method: req.method, route: locals(res).route },
        tillkit.code === 'misconfigured' ? tillkit.message : `answered ${tillkit.code}`,
      );
    }
    locals(res).errorCode = tillkit.code;
    if (res.headersSent) {
      next(error);
      return;
    }
    if (tillkit.retryAfter && !res.getHeader('Retry-After')) {
      res.setHeader('Retry-After', String(tillkit.retryAfter));
    }
    res.status(tillkit.status).json({
      error: {
        code: tillkit.code,
        message: tillkit.message,
        ...(tillkit.param ? { param: tillkit.param } : {}),
        requestId,
      },
    });
  };
}
