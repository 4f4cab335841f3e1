/**
 * The first middleware of the router: gives each request an id (`X-Request-Id`), drops
 * `X-Powered-By`, refuses card numbers in the URL, and logs and counts the answer. Logs carry the
 * method, the route's path pattern, the status and the time taken: never a body or a query string.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { TillkitError } from '../errors.js';
import { containsCardNumber, jsonContainsCardNumber } from '../security/card-numbers.js';
import type { TillkitServices } from './services.js';

export interface TillkitLocals {
  requestId: string;
  /** The route's path pattern, once one of the router's routes took the request. */
  route?: string;
  /** Set by the error middleware: the router answered, even if no route matched. */
  answered?: boolean;
  /** The error code of the answer, for the log line. */
  errorCode?: string;
}

export function locals(res: Response): TillkitLocals {
  return res.locals as TillkitLocals;
}

export function requestContext(services: Pick<TillkitServices, 'logger' | 'metrics'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const requestId = `req_${randomUUID().replaceAll('-', '')}`;
    locals(res).requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.removeHeader('X-Powered-By');
    res.on('finish', () => {
      const { route, answered, errorCode } = locals(res);
      if (!route && !answered) return; // Not ours: another part of the host app answered.
      const labels = {
        method: req.method,
        route: route ?? 'unmatched',
        status: String(res.statusCode),
      };
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      services.metrics.httpRequests.inc(labels);
      services.metrics.httpDuration.observe(labels, seconds);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      services.logger[level](
        {
          requestId,
          ...labels,
          ms: Math.round(seconds * 1000),
          ...(errorCode ? { code: errorCode } : {}),
        },
        `${req.method} ${route ?? 'unmatched'} ${res.statusCode}`,
      );
    });
    // A card number in the path or query string would land in access logs everywhere.
    if (containsCardNumber(decodeUrlForScan(req.originalUrl)) || queryHoldsCardNumber(req)) {
      next(cardDataError());
      return;
    }
    next();
  };
}

export function cardDataError(): TillkitError {
  return new TillkitError(
    'card_data_not_allowed',
    'This request looks like it contains a card number. Card details must go from the browser straight to Stripe (Stripe.js / Elements) and never through this server.',
  );
}

/**
 * The URL as a log reader would see it: `+` read as a space (what it is in a query string), each
 * `%XX` decoded on its own, so that one malformed escape (`%ZZ`, a lone `%`) does not leave the
 * rest encoded (`4242%204242…`). Bytes above ASCII come out as stray characters, never as digits.
 */
function decodeUrlForScan(url: string): string {
  return url
    .replaceAll('+', ' ')
    .replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `?n=4242&n=4242&n=4242&n=4242`: a card split over a repeated parameter (parsed into an array). */
function queryHoldsCardNumber(req: Request): boolean {
  try {
    return jsonContainsCardNumber(req.query);
  } catch {
    return false; // A query string the app's parser refuses is refused later, as invalid.
  }
}
