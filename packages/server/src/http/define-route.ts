/**
 * One route per file: `defineRoute({ name, body?, query?, params?, handle })`. The name points into
 * the protocol's route table (method, path, who may call it); the schemas are the protocol's, and
 * the router validates the request against them before `handle` runs.
 */
import { createHash } from 'node:crypto';
import type { RouteName, RouteTypes } from '@tillkit/protocol';
import type { Request, Response } from 'express';
import type * as z from 'zod/mini';
import type { Identity } from '../auth/identify.js';
import { UnauthenticatedError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { TillkitServices } from './services.js';

type Output<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

export interface RouteContext<TBody, TQuery, TParams> {
  req: Request;
  res: Response;
  body: TBody;
  query: TQuery;
  params: TParams;
  /** The caller, or null for a guest. */
  identity: Identity | null;
  /** The caller on `user` and `admin` routes (throws 401 on others when there is none). */
  readonly user: Identity;
  requestId: string;
  /**
   * The `Idempotency-Key` header, scoped to this route and caller for Stripe; undefined when
   * the request has none (stripe-node then makes one per call, reused by its own retries).
   */
  idempotencyKey: string | undefined;
  services: TillkitServices;
  log: Logger;
}

export interface RouteResult<T> {
  /** @default 200 */
  status?: number;
  body: T;
}

export interface RouteDefinition {
  name: RouteName;
  /** Mounted only when this says so (e.g. the sign-in route needs its secret). */
  enabled?: (services: TillkitServices) => boolean;
  /**
   * Shares the rate limit of the routes that create things: a route that reads Stripe for each
   * identified caller who asks, which the table's `creates` and `guest` do not cover.
   */
  rateLimited?: boolean;
  body?: z.ZodMiniType | undefined;
  query?: z.ZodMiniType | undefined;
  params?: z.ZodMiniType | undefined;
  handle(ctx: RouteContext<unknown, unknown, unknown>): Promise<RouteResult<unknown>>;
}

/**
 * Declares a route.
 * @example
 * export const getPayment = defineRoute({
 *   name: 'getPayment',
 *   params: idParams,
 *   async handle({ params, services }) { … return { body: payment }; },
 * });
 */
export function defineRoute<
  N extends RouteName,
  B extends z.ZodMiniType | undefined = undefined,
  Q extends z.ZodMiniType | undefined = undefined,
  P extends z.ZodMiniType | undefined = undefined,
>(definition: {
  name: N;
  body?: B;
  query?: Q;
  params?: P;
  enabled?: (services: TillkitServices) => boolean;
  rateLimited?: boolean;
  handle(
    ctx: RouteContext<Output<B>, Output<Q>, Output<P>>,
  ): Promise<RouteResult<RouteTypes[N]['response']>>;
}): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

/** Builds the context a handler sees. */
export function routeContext(
  route: RouteDefinition,
  input: {
    req: Request;
    res: Response;
    body: unknown;
    query: unknown;
    params: unknown;
    identity: Identity | null;
    requestId: string;
    idempotencyHeader: string | undefined;
    services: TillkitServices;
  },
): RouteContext<unknown, unknown, unknown> {
  const { identity, idempotencyHeader } = input;
  const idempotencyKey = idempotencyHeader
    ? `tillkit-${route.name}-${createHash('sha256')
        // Guests' keys apart from any user's (`guest` too: no user id holds U+0000); users' keys
        // as they always were, so a retry across a deploy still finds its Stripe key.
        .update(`${identity?.userId ?? '\u0000guest'}\u0000${idempotencyHeader}`)
        .digest('hex')}`
    : undefined;
  return {
    ...input,
    idempotencyKey,
    log: input.services.logger.child({ requestId: input.requestId, route: route.name }),
    get user(): Identity {
      if (!identity) throw new UnauthenticatedError();
      return identity;
    },
  };
}

/**
 * The route with one answer (or error) for every caller for `ttlMs` after it was made: callers
 * that come while it is being made wait for it, and the first caller after it expired makes the
 * next one. For public routes that do not depend on who asks or on what the request holds.
 */
export function sharedAnswer(route: RouteDefinition, ttlMs: number): RouteDefinition {
  let shared: { answer: Promise<RouteResult<unknown>>; madeAt?: number } | undefined;
  return {
    ...route,
    handle(ctx) {
      if (!shared || (shared.madeAt !== undefined && Date.now() - shared.madeAt >= ttlMs)) {
        const entry: { answer: Promise<RouteResult<unknown>>; madeAt?: number } = {
          answer: route.handle(ctx),
        };
        const settled = () => {
          entry.madeAt = Date.now();
        };
        entry.answer.then(settled, settled);
        shared = entry;
      }
      return shared.answer;
    },
  };
}
