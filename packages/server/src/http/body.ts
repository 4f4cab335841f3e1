/**
 * Reads a JSON body: at most `limit` bytes (413 above), refused when it contains anything that
 * looks like a card number (before any other check, and never logged), then parsed, and refused
 * when nested deeper than any request needs. A body the host app parsed already (express.json()
 * mounted before the router) is checked the same way.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { TillkitError } from '../errors.js';
import { containsCardNumber, jsonContainsCardNumber } from '../security/card-numbers.js';
import { cardDataError } from './request-context.js';

export interface ParsedBody {
  /** undefined for an empty body. */
  json: unknown;
}

const BODY = Symbol('tillkit.body');

/**
 * The deepest nesting of arrays and objects a body may have. The routes' bodies nest three levels
 * (`{ items: [{ price }] }`); a body of thousands of levels would only exhaust the stack of
 * whatever walks it recursively.
 */
const MAX_DEPTH = 32;

/** True when a parsed JSON value nests arrays and objects more than `limit` levels deep. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * The text with its JSON `\u` escapes decoded ('' when it has none), for the card scan: the parsed
 * walk below misses a card behind escapes in a value that parsing drops (`{"n":"\u0034…","n":1}`,
 * where the last of two equal keys wins), yet it came in all the same.
 */
function withoutEscapes(text: string): string {
  if (!text.includes('\\u')) return '';
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_escape, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

export function parsedBody(req: Request): unknown {
  return (req as Request & { [BODY]?: ParsedBody })[BODY]?.json;
}

/** The raw reader and the checks, as two middlewares. */
export function jsonBody(limit: number | string) {
  const raw = express.raw({ type: () => true, limit });
  const check = (req: Request, _res: Response, next: NextFunction) => {
    const body: unknown = req.body;
    let json: unknown;
    if (body === undefined || body === null || (Buffer.isBuffer(body) && body.length === 0)) {
      json = undefined;
    } else if (Buffer.isBuffer(body) || typeof body === 'string') {
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
      if (containsCardNumber(text) || containsCardNumber(withoutEscapes(text))) {
        return next(cardDataError());
      }
      if (text.trim() === '') {
        json = undefined;
      } else {
        if (!req.is(['application/json', '+json'])) {
          return next(
            new TillkitError(
              'malformed_json',
              'Send the body as JSON, with Content-Type: application/json.',
            ),
          );
        }
        try {
          json = JSON.parse(text);
        } catch {
          return next(new TillkitError('malformed_json', 'The body is not valid JSON.'));
        }
      }
    } else {
      // Parsed by a body parser the host app mounted before the router.
      json = body;
    }
    // Unicode escapes ("\u0034\u0032…") and a card split over an array's strings only show once
    // parsed. Both walks are iterative: JSON.stringify() of a deeply nested body overflows the stack.
    if (json !== undefined && jsonContainsCardNumber(json)) return next(cardDataError());
    if (nestsDeeperThan(json, MAX_DEPTH)) {
      return next(
        new TillkitError(
          'invalid_request',
          `The body nests arrays and objects more than ${MAX_DEPTH} levels deep.`,
        ),
      );
    }
    (req as Request & { [BODY]?: ParsedBody })[BODY] = { json };
    next();
  };
  return [raw, check];
}
