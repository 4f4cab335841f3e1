/**
 * One budget per caller for every route that creates something at Stripe or that a guest may call,
 * and the user routes marked `rateLimited` (each makes Stripe calls for whoever asks): an
 * identified caller by user id, a guest by IP
 * address (a /56 for IPv6). In memory, per instance: behind a load balancer each instance counts
 * on its own.
 */
import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TillkitError } from '../errors.js';
import { locals } from './request-context.js';

export interface RateLimitOptions {
  /** Requests a caller may make per window to the routes that are limited. @default 60 */
  limit?: number;
  /** @default 60000 (one minute) */
  windowMs?: number;
}

export function stripeCallRateLimit(
  options: RateLimitOptions,
  callerOf: (req: Request, res: Response) => string | undefined,
) {
  const windowMs = options.windowMs ?? 60_000;
  return rateLimit({
    windowMs,
    limit: options.limit ?? 60,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const userId = callerOf(req, res);
      return userId ? `user:${userId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, res, next) => {
      locals(res).answered = true;
      next(
        new TillkitError(
          'rate_limited',
          'Too many requests that call Stripe; wait for the time in the Retry-After header, then retry.',
        ),
      );
    },
  });
}
