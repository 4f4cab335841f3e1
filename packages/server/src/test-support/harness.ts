/**
 * Test harness: the Tillkit router in an express app on a free port, talking to an in-process
 * sandbox (the real one, with the demo catalog) that delivers its webhooks to it, over a real
 * database (a copy of the migrated PGlite template, or a fresh database on the test PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createTillkitClient, type TillkitClient } from '@tillkit/protocol';
import {
  type DemoCatalog,
  SANDBOX_SECRET_KEY,
  type SandboxHandle,
  type StartSandboxOptions,
  seedDemoCatalog,
  startSandbox,
} from '@tillkit/sandbox';
import { eq } from 'drizzle-orm';
import express, { type Express } from 'express';
import pino from 'pino';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createJwtIdentify, signHs256Token } from '../auth/jwt.js';
import {
  createTillkitRouter,
  type TillkitRouter,
  type TillkitRouterOptions,
} from '../create-tillkit-router.js';
import { REDACT_PATHS, serializeError } from '../observability/logger.js';
import { openDatabase, type TillkitDatabase } from '../storage/database.js';
import { stripeEvents } from '../storage/schema.js';
import { createStripeClient } from '../stripe/stripe-client.js';

export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export const AUTH_SECRET = 'test-auth-secret-that-is-long-enough-for-hs256';
export const WEBHOOK_SECRET = 'whsec_test_tillkit_server';
export const FRONTEND = 'http://localhost:5173';

export interface TestDatabase {
  database: TillkitDatabase;
  /** Opens the same database again (a restart). */
  reopen(): Promise<TillkitDatabase>;
  /** Closes and removes it. */
  dispose(): Promise<void>;
}

/** A fresh, migrated database of the given engine. */
export async function testDatabase(engine: Engine): Promise<TestDatabase> {
  const open: TillkitDatabase[] = [];
  const track = async (database: Promise<TillkitDatabase>) => {
    const opened = await database;
    open.push(opened);
    return opened;
  };
  if (engine === 'pglite') {
    const root = mkdtempSync(join(tmpdir(), 'tillkit-test-db-'));
    const dataDir = join(root, 'db');
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    return {
      database: await track(openDatabase({ dataDir })),
      reopen: () => track(openDatabase({ dataDir })),
      async dispose() {
        for (const database of open) await database.close().catch(() => {});
        rmSync(root, { recursive: true, force: true });
      },
    };
  }
  const url = await createPostgresDatabase();
  return {
    database: await track(openDatabase({ url })),
    reopen: () => track(openDatabase({ url })),
    async dispose() {
      for (const database of open) await database.close().catch(() => {});
    },
  };
}

/** A new, empty database on the test PostgreSQL server; answers its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const admin = inject('postgresUrl');
  const name = `tillkit_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

/** Log lines captured from pino, to check what is (not) logged. */
export function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const logger = pino(
    {
      level: 'debug',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
    },
    destination,
  );
  return { logger, lines, text: () => lines.join('') };
}

/** Serves an express app on a free port of 127.0.0.1. */
export async function listen(app: Express | ((req: never, res: never) => void)) {
  const server: Server = createServer(app as Express);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface TestAppOptions {
  engine?: Engine;
  /** Use this database instead of a fresh one (several instances sharing one). */
  database?: TillkitDatabase;
  /** Use this sandbox instead of a fresh one (its webhooks then need registering). */
  sandbox?: SandboxHandle;
  router?: Partial<TillkitRouterOptions>;
  /** Webhook retry delays of the sandbox. @default [100, 300, 1000] */
  retrySchedule?: number[];
  /** Register the app's webhook endpoint with the sandbox. @default true */
  registerWebhook?: boolean;
  /** Give each customer the server creates its own test clock (`sandbox.testClocks`). */
  testClocks?: boolean;
  /**
   * The sandbox's "now" (Unix seconds), for a test that needs two objects made in different
   * seconds without waiting for one to pass. @default the system clock
   */
  clock?: StartSandboxOptions['clock'];
  /**
   * Runs before each of the server's requests to Stripe is sent (awaited), to change what the
   * sandbox holds between two of the route's calls, or to hold two requests until both are there,
   * as another tab or a request at the same time would.
   */
  beforeStripeRequest?: StripeRequestHook;
}

export interface TestApp {
  url: string;
  apiBase: string;
  sandbox: SandboxHandle;
  /** The app's endpoint in the sandbox (undefined when not registered). */
  webhookEndpointId: string | undefined;
  /** Stops and resumes the sandbox's deliveries to this app (events in between are not sent). */
  pauseWebhooks(): Promise<void>;
  resumeWebhooks(): Promise<void>;
  /** The sandbox's demo catalog, by lookup key. */
  prices: Record<string, Stripe.Price>;
  catalog: DemoCatalog;
  router: TillkitRouter;
  database: TillkitDatabase;
  testDatabase: TestDatabase | undefined;
  logs: ReturnType<typeof captureLogs>;
  /** A bearer token for a user. */
  token(userId: string, role?: 'admin' | 'user', email?: string): Promise<string>;
  /** The protocol's typed client, as a guest or with a token. */
  client(token?: string): TillkitClient;
  /** Raw fetch against the API (for hostile input). */
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Pays an intent in the sandbox as the browser would (Stripe.js confirming with a card). */
  pay(intentId: string, paymentMethod?: string): Promise<Stripe.PaymentIntent>;
  /**
   * Stripe.js's side: confirms a PaymentIntent's client secret with the publishable key, as
   * `stripe.confirmPayment()` does in the browser.
   */
  confirmPayment(clientSecret: string, paymentMethod?: string): Promise<Stripe.PaymentIntent>;
  /** The same for a SetupIntent's client secret (`stripe.confirmSetup()`). */
  confirmSetup(clientSecret: string, paymentMethod?: string): Promise<Stripe.SetupIntent>;
  /** Finishes 3D Secure for a PaymentIntent, as the customer would on the challenge page. */
  authenticate(clientSecret: string, outcome?: 'complete' | 'fail'): Promise<void>;
  /** Signs an event with the app's webhook secret and posts it, as Stripe would. */
  deliver(event: object): Promise<Response>;
  /**
   * A person on the sandbox's hosted Checkout page: types a card (and an email when asked) and
   * pays. Answers where the page redirects to (the success URL, or a 3D Secure challenge).
   */
  payCheckout(url: string, card?: CheckoutCard): Promise<string>;
  /**
   * The hosted Checkout page loaded in a tab, paid later with `submit`, which answers the page's
   * raw response (a redirect, or the page refusing).
   */
  openCheckout(url: string): Promise<{ submit(card?: CheckoutCard): Promise<Response> }>;
  close(): Promise<void>;
}

/** What a person types on the hosted Checkout page (a succeeding card and an email by default). */
export interface CheckoutCard {
  number?: string;
  email?: string;
}

/** The values a browser would send with each form of an HTML page. */
function formsOf(html: string): Array<{ action: string; fields: Record<string, string> }> {
  const decode = (value: string) =>
    value
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
      const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1];
      if (name && value !== undefined) fields[name] = decode(value);
    }
    return { action: decode(/action="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? ''), fields };
  });
}

/** `pi_123_secret_abc` → `pi_123`: how Stripe.js finds an intent from its client secret. */
export const intentIdOf = (clientSecret: string) => clientSecret.replace(/_secret_.*$/, '');

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = options.database ? undefined : await testDatabase(options.engine ?? 'pglite');
  const database = options.database ?? (testDb as TestDatabase).database;
  const app = express();
  const http = await listen(app);
  const webhookUrl = `${http.url}/api/webhooks`;
  const ownSandbox = !options.sandbox;
  const sandbox =
    options.sandbox ??
    (await startSandbox({
      log: () => {},
      ...(options.clock ? { clock: options.clock } : {}),
      webhookDelivery: {
        retrySchedule: options.retrySchedule ?? [100, 300, 1000],
        timeoutMs: 10_000,
      },
    }));
  const endpoint =
    options.registerWebhook === false
      ? undefined
      : sandbox.addWebhookEndpoint({ url: webhookUrl, secret: WEBHOOK_SECRET });
  const catalog = seedDemoCatalog(sandbox.core);
  const prices = Object.fromEntries(
    catalog.prices.map((price) => [price.lookup_key as string, price as unknown as Stripe.Price]),
  );
  const logs = captureLogs();
  const router = createTillkitRouter({
    stripe: options.beforeStripeRequest
      ? hookedStripeClient(sandbox.url, options.beforeStripeRequest)
      : createStripeClient(SANDBOX_SECRET_KEY, sandbox.url),
    publishableKey: sandbox.publishableKey,
    webhookSecret: WEBHOOK_SECRET,
    database,
    identify: createJwtIdentify({ secret: AUTH_SECRET }),
    allowedOrigins: [FRONTEND],
    sandbox: {
      apiBase: sandbox.url,
      signInSecret: AUTH_SECRET,
      ...(options.testClocks ? { testClocks: true } : {}),
    },
    logger: logs.logger,
    ...options.router,
  });
  app.use('/api', router);
  const apiBase = `${http.url}/api`;
  // The browser's Stripe.js: the publishable key, and a client secret to prove access.
  const browser = createStripeClient(sandbox.publishableKey, sandbox.url);
  async function openCheckout(url: string) {
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`Checkout page answered ${page.status}: ${html}`);
    const form = formsOf(html).find((candidate) => candidate.action.endsWith('/pay'));
    if (!form) throw new Error(`No payment form on the Checkout page:\n${html}`);
    return {
      submit: (card: CheckoutCard = {}) =>
        fetch(new URL(form.action, url), {
          method: 'POST',
          redirect: 'manual',
          body: new URLSearchParams({
            ...form.fields,
            email: card.email ?? 'buyer@example.com',
            card_number: card.number ?? '4242 4242 4242 4242',
            card_expiry: '12 / 34',
            card_cvc: '123',
          }),
        }),
    };
  }

  return {
    url: http.url,
    apiBase,
    sandbox,
    webhookEndpointId: endpoint?.id,
    async pauseWebhooks() {
      await sandbox.waitForWebhooks();
      if (endpoint) await sandbox.stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    },
    async resumeWebhooks() {
      if (endpoint) await sandbox.stripe.webhookEndpoints.update(endpoint.id, { disabled: false });
    },
    prices,
    catalog,
    router,
    database,
    testDatabase: testDb,
    logs,
    token: (userId, role = 'user', email) =>
      signHs256Token(AUTH_SECRET, { userId, role, ...(email ? { email } : {}) }),
    client: (token) =>
      createTillkitClient({ apiBase, ...(token ? { getAuthToken: () => token } : {}) }),
    fetch(path, init = {}) {
      const { token, headers, ...rest } = init;
      return fetch(`${apiBase}${path}`, {
        ...rest,
        headers: {
          ...(rest.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(headers as Record<string, string> | undefined),
        },
      });
    },
    pay: (intentId, paymentMethod = 'pm_card_visa') =>
      sandbox.stripe.paymentIntents.confirm(intentId, {
        payment_method: paymentMethod,
        return_url: `${FRONTEND}/done`,
      }) as unknown as Promise<Stripe.PaymentIntent>,
    confirmPayment: (clientSecret, paymentMethod = 'pm_card_visa') =>
      browser.paymentIntents.confirm(intentIdOf(clientSecret), {
        client_secret: clientSecret,
        payment_method: paymentMethod,
        return_url: `${FRONTEND}/done`,
      } as Stripe.PaymentIntentConfirmParams),
    confirmSetup: (clientSecret, paymentMethod = 'pm_card_visa') =>
      browser.setupIntents.confirm(intentIdOf(clientSecret), {
        client_secret: clientSecret,
        payment_method: paymentMethod,
        return_url: `${FRONTEND}/done`,
      } as Stripe.SetupIntentConfirmParams),
    async authenticate(clientSecret, outcome = 'complete') {
      const kind = clientSecret.startsWith('seti_') ? 'setup_intents' : 'payment_intents';
      const response = await fetch(
        `${sandbox.url}/v1/_sandbox/${kind}/${intentIdOf(clientSecret)}/authenticate`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_secret: clientSecret, outcome }),
        },
      );
      if (!response.ok) throw new Error(`3D Secure failed: ${await response.text()}`);
    },
    deliver(event) {
      const payload = JSON.stringify(event);
      return fetch(`${apiBase}/webhooks`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Stripe-Signature': sandbox.stripe.webhooks.generateTestHeaderString({
            payload,
            secret: WEBHOOK_SECRET,
          }),
        },
        body: payload,
      });
    },
    openCheckout,
    async payCheckout(url, card = {}) {
      const paid = await (await openCheckout(url)).submit(card);
      const location = paid.headers.get('location');
      if (paid.status !== 303 || !location) {
        throw new Error(
          `Paying on the Checkout page answered ${paid.status}: ${await paid.text()}`,
        );
      }
      return new URL(location, url).toString();
    },
    async close() {
      await http.close();
      if (ownSandbox) await sandbox.close();
      await testDb?.dispose();
    },
  };
}

/** The server's Stripe client, on fetch, calling `before` ahead of every request it sends. */
function hookedStripeClient(apiBase: string, before: StripeRequestHook): Stripe {
  const url = new URL(apiBase);
  return new Stripe(SANDBOX_SECRET_KEY, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    httpClient: Stripe.createFetchHttpClient(async (input, init) => {
      await before(init?.method ?? 'GET', new URL(String(input)).pathname);
      return fetch(input, init);
    }),
  });
}

/** What the server's Stripe requests meet first, in a `hookedTestApp`. */
export type StripeRequestHook = (method: string, path: string) => Promise<void> | void;

/**
 * The server's Stripe requests as `METHOD /path` (`GET /v1/prices/price_…`), for a test that
 * counts them: `startTestApp({ beforeStripeRequest: log.record })`; `clear()` forgets the ones so far.
 */
export function stripeRequestLog(): {
  readonly calls: string[];
  record: StripeRequestHook;
  clear(): void;
} {
  const calls: string[] = [];
  return {
    calls,
    record: (method, path) => {
      calls.push(`${method} ${path}`);
    },
    clear: () => {
      calls.length = 0;
    },
  };
}

/**
 * For a `describe` block: a test app, started before its tests and closed after them, whose
 * Stripe requests each meet `hook` first: what a test sets there (a `barrier`, a change made by
 * "another tab"), cleared before each test.
 */
export function hookedTestApp(options: TestAppOptions = {}): {
  readonly app: TestApp;
  hook: StripeRequestHook | undefined;
} {
  let app: TestApp | undefined;
  const state = {
    get app() {
      if (!app) throw new Error('hookedTestApp(): the app starts in beforeAll');
      return app;
    },
    hook: undefined as StripeRequestHook | undefined,
  };
  beforeAll(async () => {
    app = await startTestApp({
      ...options,
      beforeStripeRequest: (method, path) => state.hook?.(method, path),
    });
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    state.hook = undefined;
  });
  return state;
}

/**
 * A `beforeStripeRequest` part that holds the requests `matches` picks until `count` of them are
 * there (or `timeoutMs` passed), then lets them all go: requests at the same time, made to meet
 * at the same step. Each round of `count` is held anew.
 */
export function barrier(
  count: number,
  matches: (method: string, path: string) => boolean,
  timeoutMs = 5_000,
) {
  let waiting: Array<() => void> = [];
  return async (method: string, path: string): Promise<void> => {
    if (!matches(method, path)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waiting = waiting.filter((release) => release !== go);
        resolve();
      }, timeoutMs);
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      waiting.push(go);
      if (waiting.length < count) return;
      for (const release of waiting) release();
      waiting = [];
    });
  };
}

/** Waits until `check` passes (for state that webhooks bring). */
/** The webhook route's outcomes so far (`tillkit_webhook_events_total` by `outcome`). */
export async function webhookOutcomes(app: TestApp): Promise<Record<string, number>> {
  const metric = await app.router.metrics.getSingleMetric('tillkit_webhook_events_total')?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((value) => [value.labels.outcome, value.value]),
  ) as Record<string, number>;
}

/** The event ledger's row for event `id`, if there is one. */
export async function ledgerRow(app: TestApp, id: string) {
  const [row] = await app.database.db.select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return row;
}

export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The `error` of a raw error answer (`app.fetch`, hostile input). */
export async function errorBody(response: Response) {
  return (
    (await response.json()) as {
      error: { code: string; param?: string; message: string; requestId: string };
    }
  ).error;
}

/** Asserts that a promise from the typed client fails with this status and code. */
export async function expectApiError(
  promise: Promise<unknown>,
  status: number,
  code: string,
): Promise<import('@tillkit/protocol').TillkitApiError> {
  const { TillkitApiError } = await import('@tillkit/protocol');
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TillkitApiError)) throw error;
    if (error.status !== status || error.code !== code) {
      throw new Error(
        `Expected ${status} ${code}, got ${error.status} ${error.code}: ${error.message}`,
      );
    }
    return error;
  }
  throw new Error(`Expected ${status} ${code}, but the request succeeded`);
}
