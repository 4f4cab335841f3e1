/**
 * `createTillkitRouter(options)`: the whole server as an express Router that a host app mounts
 * where it likes (`app.use('/api', router)`). The standalone server is this router plus
 * configuration from the environment.
 */
import { ROUTES, type RouteName, type RouteSpec } from '@tillkit/protocol';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import type { Identify } from './auth/identify.js';
import { InvalidRequestError } from './errors.js';
import { authenticate } from './http/authenticate.js';
import { jsonBody, parsedBody } from './http/body.js';
import { type RouteDefinition, routeContext, sharedAnswer } from './http/define-route.js';
import { errorMiddleware } from './http/error-middleware.js';
import { type RateLimitOptions, stripeCallRateLimit } from './http/rate-limit.js';
import { locals, requestContext } from './http/request-context.js';
import type { SandboxSettings, TillkitServices } from './http/services.js';
import { validate } from './http/validate.js';
import { createLogger, type Logger, tillkitChildLogger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { API_ROUTES } from './routes/index.js';
import { receiveWebhook } from './routes/receive-webhook.js';
import { isAllowedOrigin, normalizeOrigins } from './security/redirect-urls.js';
import type { TillkitDatabase } from './storage/database.js';
import { Catalog, type CatalogOptions } from './stripe/catalog.js';
import { CustomerDirectory, type CustomerDirectoryOptions } from './stripe/customers.js';
import { testClockPerCustomer } from './stripe/test-clocks.js';
import type { TillkitHooks } from './webhooks/hooks.js';

export interface TillkitRouterOptions {
  /** A stripe-node client (its retries and idempotency keys are what make outages safe). */
  stripe: Stripe;
  /** Handed to the browser by `GET /config`; its prefix (`pk_test_`/`pk_live_`) sets the mode. */
  publishableKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). Required unless `sandbox` is set. */
  webhookSecret?: string | undefined;
  /** From `openDatabase()`, migrated. */
  database: TillkitDatabase;
  /** The host's auth: who is calling. Without it every caller is a guest. */
  identify?: Identify | undefined;
  /** Origins allowed for CORS and for every redirect URL handed to Stripe. */
  allowedOrigins: readonly string[];
  /** Which products and prices are for sale, and how long `GET /prices` is cached. */
  catalog?: CatalogOptions;
  /** Called after the state an event brings is stored; at-least-once (see `TillkitHooks`). */
  hooks?: TillkitHooks;
  /** A pino logger; Tillkit logs through a child of it with its redactions. @default pino to stdout */
  logger?: Logger;
  /** Sandbox mode: the sandbox's origin, and the demo sign-in route's secret. */
  sandbox?: SandboxSettings | undefined;
  /**
   * Requests per caller and window to the routes that create something at Stripe, those a guest
   * may call and `GET /trial-eligibility` (one budget for all of them); `false` turns the limit off.
   * @default { limit: 60, windowMs: 60000 }
   */
  rateLimit?: RateLimitOptions | false;
  /** The largest JSON body accepted (a 413 above it). @default '100kb' */
  bodyLimit?: number | string;
  /** Where the metrics go. @default a registry of the router's own (`router.metrics`) */
  metricsRegistry?: Registry;
  /** Extra parameters for the Stripe customers the server creates. */
  customers?: CustomerDirectoryOptions;
  /**
   * Checkout. `allowPromotionCodes`: the promotion codes you made in Stripe are taken, on Stripe
   * Checkout pages (`POST /checkout-sessions` sets `allow_promotion_codes`) and by subscriptions
   * made in place (`promotionCode` in `POST /subscriptions` and its preview, the kit's
   * `SubscribeForm`). @default false
   */
  checkout?: CheckoutOptions;
  /**
   * Subscriptions. `onePerCustomer`: a customer has one subscription at most, whatever its
   * product, as Stripe Checkout's "Limit customers to one subscription" keeps it: subscribing
   * (`POST /subscriptions`, a subscription Checkout page) while one is live is a 409
   * `already_subscribed`, and another plan is a plan change (`POST /subscriptions/:id/change`,
   * which the kit's `PricingTable` then offers). Off: one subscription per product, so that a
   * customer may hold add-ons beside a plan. @default false
   */
  subscriptions?: SubscriptionOptions;
}

/** How many subscriptions a customer may hold. */
export interface SubscriptionOptions {
  onePerCustomer?: boolean | undefined;
}

/** How the server makes Stripe Checkout pages. */
export interface CheckoutOptions {
  allowPromotionCodes?: boolean | undefined;
}

export type TillkitRouter = Router & {
  /** The router's Prometheus registry. */
  metrics: Registry;
  /** What the routes run on (for tests and extensions). */
  services: TillkitServices;
};

/** Fails fast on a setup that cannot work, with a message that says how to fix it. */
function checkOptions(options: TillkitRouterOptions): 'sandbox' | 'test' | 'live' {
  if (!options.stripe)
    throw new Error('createTillkitRouter(): pass a stripe-node client as `stripe`.');
  if (!options.database) {
    throw new Error(
      'createTillkitRouter(): pass the database from `await openDatabase()` as `database`.',
    );
  }
  const mode = options.sandbox
    ? 'sandbox'
    : options.publishableKey?.startsWith('pk_live_')
      ? 'live'
      : options.publishableKey?.startsWith('pk_test_')
        ? 'test'
        : undefined;
  if (!mode) {
    throw new Error(
      'createTillkitRouter(): `publishableKey` must be a Stripe publishable key (pk_test_… or pk_live_…) from https://dashboard.stripe.com/apikeys.',
    );
  }
  if (mode !== 'sandbox' && !options.webhookSecret) {
    throw new Error(
      'createTillkitRouter(): `webhookSecret` is required with real Stripe keys. Create an endpoint for <your server>/webhooks in the Stripe Dashboard (or run `stripe listen --forward-to localhost:4242/api/webhooks`) and pass its whsec_… signing secret.',
    );
  }
  if (options.webhookSecret && !options.webhookSecret.startsWith('whsec_')) {
    throw new Error(
      'createTillkitRouter(): `webhookSecret` must be the endpoint signing secret that starts with whsec_ (not an API key).',
    );
  }
  if (mode !== 'sandbox' && options.allowedOrigins.length === 0) {
    throw new Error(
      "createTillkitRouter(): `allowedOrigins` is required outside sandbox mode: list your frontend's origins, e.g. ['https://shop.example'].",
    );
  }
  return mode;
}

/** The empty body of routes that take none (an empty body or `{}`). */
const NO_BODY = z.strictObject({});

/**
 * Creates the Tillkit router.
 * @example
 * const database = await openDatabase({ url: process.env.DATABASE_URL });
 * app.use('/api', createTillkitRouter({
 *   stripe: new Stripe(process.env.STRIPE_SECRET_KEY!),
 *   publishableKey: process.env.STRIPE_PUBLISHABLE_KEY!,
 *   webhookSecret: process.env.STRIPE_WEBHOOK_SECRET,
 *   database,
 *   identify: async (req) => (req.user ? { userId: req.user.id, email: req.user.email } : null),
 *   allowedOrigins: ['https://shop.example'],
 * }));
 */
export function createTillkitRouter(options: TillkitRouterOptions): TillkitRouter {
  const mode = checkOptions(options);
  const allowedOrigins = normalizeOrigins(options.allowedOrigins);
  const logger = options.logger ? tillkitChildLogger(options.logger) : createLogger();
  const metrics = createMetrics(options.metricsRegistry);
  const customerOptions: CustomerDirectoryOptions | undefined = options.sandbox?.testClocks
    ? {
        ...options.customers,
        createParams: testClockPerCustomer(options.stripe, options.customers?.createParams),
      }
    : options.customers;
  const services: TillkitServices = {
    stripe: options.stripe,
    database: options.database,
    db: options.database.db,
    catalog: new Catalog(options.stripe, options.catalog, logger),
    customers: new CustomerDirectory(options.stripe, options.database.db, customerOptions),
    logger,
    metrics,
    mode,
    publishableKey: options.publishableKey,
    sandbox: options.sandbox,
    allowedOrigins,
    checkout: { allowPromotionCodes: options.checkout?.allowPromotionCodes === true },
    subscriptions: { onePerCustomer: options.subscriptions?.onePerCustomer === true },
    webhookSecret: options.webhookSecret,
    hooks: options.hooks ?? {},
  };

  const router = express.Router() as TillkitRouter;
  router.use(requestContext(services));
  router.use(helmet());
  router.use(
    cors({
      origin: (origin, callback) =>
        callback(null, origin ? isAllowedOrigin(origin, allowedOrigins) : false),
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    }),
  );

  // The webhook route reads its own raw body: Stripe signs the exact bytes.
  router.post(ROUTES.receiveWebhook.path, ...receiveWebhook(services));

  const limiter =
    options.rateLimit === false
      ? undefined
      : stripeCallRateLimit(options.rateLimit ?? {}, (_req, res) => res.locals.identity?.userId);
  const bodyReader = jsonBody(options.bodyLimit ?? '100kb');

  for (const route of API_ROUTES) {
    const spec: RouteSpec = ROUTES[route.name];
    if (spec.sandboxOnly && !services.sandbox) continue;
    if (route.enabled && !route.enabled(services)) continue;
    const handlers: Array<(req: Request, res: Response, next: NextFunction) => unknown> = [
      (_req, res, next) => {
        locals(res).route = spec.path;
        next();
      },
    ];
    if (spec.method !== 'GET') handlers.push(...bodyReader);
    handlers.push(async (req, res, next) => {
      res.locals.identity = await authenticate(req, spec.auth, options.identify);
      next();
    });
    // Every route a guest may call makes Stripe calls for whoever asks (`PATCH /payment-intents/:id`
    // reads the intent and each price); the public ones answer from a cache instead. A user route
    // that reads Stripe on each call says so (`rateLimited`).
    if ((spec.creates || spec.auth === 'guest' || route.rateLimited) && limiter) {
      handlers.push(limiter);
    }
    const ttlMs = SHARED_ANSWER_MS[route.name];
    handlers.push(runRoute(ttlMs ? sharedAnswer(route, ttlMs) : route, spec, services));
    const method = spec.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    router[method](spec.path, ...handlers);
  }

  router.use(errorMiddleware(logger));
  router.metrics = metrics.registry;
  router.services = services;
  return router;
}

/**
 * Public routes whose answer is the same for everyone, shared by every caller for this long (ms):
 * anyone may call `GET /ready`, and each answer made asks Stripe, so a flood of probes makes at
 * most one Stripe call per this time. A probe's answer a second or two old is still true enough.
 */
const SHARED_ANSWER_MS: Partial<Record<RouteName, number>> = { ready: 2000 };

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function runRoute(route: RouteDefinition, spec: RouteSpec, services: TillkitServices) {
  return async (req: Request, res: Response) => {
    // Only routes that create something take a key; others ignore the header.
    const header = spec.creates ? req.get('idempotency-key') : undefined;
    if (header !== undefined && !IDEMPOTENCY_KEY.test(header)) {
      throw new InvalidRequestError(
        'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.',
        'Idempotency-Key',
      );
    }
    const params = route.params ? validate(route.params, req.params, 'path') : undefined;
    const query = validate(route.query ?? NO_BODY, { ...req.query }, 'query');
    // An empty body is `{}`; a JSON `null` is a body, and not an object.
    const json = parsedBody(req);
    const body =
      spec.method === 'GET'
        ? undefined
        : validate(route.body ?? NO_BODY, json === undefined ? {} : json, 'body');
    const context = routeContext(route, {
      req,
      res,
      body,
      query,
      params,
      identity: res.locals.identity ?? null,
      requestId: locals(res).requestId,
      idempotencyHeader: header,
      services,
    });
    const result = await route.handle(context);
    res.status(result.status ?? 200).json(result.body);
  };
}
