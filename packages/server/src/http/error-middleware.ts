/**
 * The one place errors become answers: `{ error: { code, message, param?, requestId } }`, with the
 * status of the code. A `TillkitError` is written as it is; a Stripe error goes through
 * `fromStripeError()`; anything else is logged with its stack and answered as a plain 500 that
 * names only the request id.
 */
import type { NextFunction, Request, Response } from 'express';
import { fromStripeError, TillkitError } from '../errors.js';
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

export function toTillkitError(error: unknown): TillkitError {
  if (error instanceof TillkitError) return error;
  const fromBody = bodyParserError(error);
  if (fromBody) return fromBody;
  const converted = fromStripeError(error);
  if (converted instanceof TillkitError) return converted;
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
