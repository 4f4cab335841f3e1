/**
 * The PostgreSQL server going away under a running server, on a throwaway PostgreSQL 15 cluster of
 * this file's own (shut down and started again with `pg_ctl`): routes answer a quick, retryable
 * 503 `database_unavailable`, webhooks are refused so that Stripe retries and are then handled
 * exactly once, a full pool fails fast, and everything works again once the database is back,
 * without restarting the server.
 */
import { createServer } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTillkitError } from '../http/error-middleware.js';
import {
  errorBody,
  ledgerRow,
  type StripeRequestHook,
  startTestApp,
  type TestApp,
  webhookOutcomes,
} from '../test-support/harness.js';
import { freePort, type PostgresCluster, startPostgres } from '../test-support/postgres.js';
import { isDatabaseUnavailable, openDatabase, type TillkitDatabase } from './database.js';
import { payments } from './schema.js';

/** Generous: a 503 comes in milliseconds (refused) or after the 3 s connection timeout. */
const FAST_MS = 15_000;
const CONNECTION_TIMEOUT_MS = 3000;

let cluster: PostgresCluster;
let url: string;
let database: TillkitDatabase;
let app: TestApp;
/** Runs before each of the server's Stripe requests (set by a test, cleared after it). */
let onStripeRequest: StripeRequestHook | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase('tillkit_outage');
  database = await openDatabase({ url, connectionTimeoutMs: CONNECTION_TIMEOUT_MS });
  app = await startTestApp({
    database,
    // Events are delivered by the tests, when they choose.
    registerWebhook: false,
    beforeStripeRequest: (method, path) => onStripeRequest?.(method, path),
  });
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  await cluster?.stop();
});

/** A request that must not hang: it fails the test after `FAST_MS` instead. */
async function timed(path: string, init: RequestInit & { token?: string } = {}) {
  const started = Date.now();
  const response = await app.fetch(path, { ...init, signal: AbortSignal.timeout(FAST_MS + 5000) });
  return { response, ms: Date.now() - started };
}

/** Signs and posts an event with a deadline. */
async function deliver(event: Stripe.Event) {
  const started = Date.now();
  const response = await Promise.race([
    app.deliver(event),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the webhook hung')), FAST_MS + 5000),
    ),
  ]);
  return { response, ms: Date.now() - started };
}

/** A paid intent's payment_intent.succeeded event, not delivered yet. */
async function succeededEvent(): Promise<Stripe.Event> {
  const intent = await app.client().createPaymentIntent({
    items: [{ price: app.prices.tshirt?.id as string, quantity: 1 }],
  });
  await app.pay(intent.id);
  const events = await app.sandbox.stripe.events.list({ limit: 100 });
  const event = events.data.find(
    (candidate) =>
      candidate.type === 'payment_intent.succeeded' &&
      (candidate.data.object as { id: string }).id === intent.id,
  );
  if (!event) throw new Error(`no payment_intent.succeeded for ${intent.id}`);
  return event as unknown as Stripe.Event;
}

async function paymentStatus(intentId: string) {
  const [row] = await database.db.select().from(payments).where(eq(payments.id, intentId));
  return row?.status;
}

describe('when PostgreSQL goes away', () => {
  it.each(['fast', 'immediate'] as const)(
    'a route that reads the database answers a quick 503 database_unavailable with Retry-After (%s shutdown), and works again once it is back',
    async (mode) => {
      const token = await app.token(`user_outage_${mode}`);
      expect((await app.fetch('/entitlements', { token })).status).toBe(200);

      await cluster.shutdown(mode);
      try {
        const { response, ms } = await timed('/entitlements', { token });
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        const error = await errorBody(response);
        expect(error.code).toBe('database_unavailable');
        expect(error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
        expect(ms).toBeLessThan(FAST_MS);
        const ready = await timed('/ready');
        expect(ready.response.status).toBe(503);
        expect((await errorBody(ready.response)).code).toBe('not_ready');
      } finally {
        await cluster.restart();
      }

      // The same server, the same pool: it reconnects by itself.
      const again = await app.fetch('/entitlements', { token });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ active: false });
    },
  );

  it('a webhook is refused while the database is down, then handled exactly once when Stripe delivers it again', async () => {
    const event = await succeededEvent();
    const intentId = (event.data.object as Stripe.PaymentIntent).id;
    const before = await webhookOutcomes(app);

    await cluster.shutdown('fast');
    try {
      const { response, ms } = await deliver(event);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await errorBody(response)).code).toBe('database_unavailable');
      expect(ms).toBeLessThan(FAST_MS);
    } finally {
      await cluster.restart();
    }

    // Not marked handled, and nothing it brings was stored.
    expect((await ledgerRow(app, event.id))?.status).not.toBe('handled');
    expect(await paymentStatus(intentId)).toBe('requires_payment_method');

    const redelivered = await deliver(event);
    expect(redelivered.response.status).toBe(200);
    expect(await redelivered.response.json()).toEqual({ received: true, duplicate: false });
    const duplicate = await deliver(event);
    expect(await duplicate.response.json()).toEqual({ received: true, duplicate: true });
    expect(await ledgerRow(app, event.id)).toMatchObject({ status: 'handled', lastError: null });
    expect(await paymentStatus(intentId)).toBe('succeeded');
    const after = await webhookOutcomes(app);
    expect((after.processed ?? 0) - (before.processed ?? 0)).toBe(1);
    expect((after.duplicate ?? 0) - (before.duplicate ?? 0)).toBe(1);
  });

  it('a restart while a webhook holds a transaction open (on a Stripe call) is a 503, not a crash', async () => {
    const event = await succeededEvent();
    const intentId = (event.data.object as Stripe.PaymentIntent).id;
    // An 'error' event nobody listens to is thrown from the socket's callback: a process crash.
    const crashes: unknown[] = [];
    const crash = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', crash);
    // The handler re-reads the intent from Stripe inside its transaction: PostgreSQL ends the
    // session then (57P01), while the client is checked out and between two queries.
    onStripeRequest = async (method, path) => {
      if (method === 'GET' && path.startsWith(`/v1/payment_intents/${intentId}`)) {
        onStripeRequest = undefined;
        await cluster.shutdown('fast');
      }
    };
    try {
      const { response, ms } = await deliver(event);
      expect(onStripeRequest).toBeUndefined();
      expect(response.status).toBe(503);
      expect((await errorBody(response)).code).toBe('database_unavailable');
      expect(ms).toBeLessThan(FAST_MS);
    } finally {
      onStripeRequest = undefined;
      await cluster.restart();
      process.off('uncaughtException', crash);
    }
    expect(crashes).toEqual([]);
    expect(await paymentStatus(intentId)).toBe('requires_payment_method');
    const redelivered = await deliver(event);
    expect(await redelivered.response.json()).toEqual({ received: true, duplicate: false });
    expect(await paymentStatus(intentId)).toBe('succeeded');
  });

  it('a pool with every connection in use answers 503 database_unavailable after the connection timeout, then serves again', async () => {
    const small = await openDatabase({ url, poolSize: 1, connectionTimeoutMs: 1000 });
    const other = await startTestApp({ database: small, registerWebhook: false });
    let release = () => {};
    try {
      const token = await other.token('user_pool');
      // The pool's one connection, held by a transaction until `release()`.
      const held = new Promise<void>((acquired) => {
        small.db
          .transaction(async (tx) => {
            await tx.execute(sql`select 1`);
            acquired();
            await new Promise<void>((resolve) => {
              release = resolve;
            });
          })
          .catch(() => {});
      });
      await held;
      const started = Date.now();
      const response = await other.fetch('/entitlements', {
        token,
        signal: AbortSignal.timeout(FAST_MS + 5000),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await errorBody(response)).code).toBe('database_unavailable');
      expect(Date.now() - started).toBeLessThan(FAST_MS);
      release();
      expect((await other.fetch('/entitlements', { token })).status).toBe(200);
    } finally {
      release();
      await other.close();
      await small.close();
    }
  });
});

describe('isDatabaseUnavailable() on the errors a real PostgreSQL gives', () => {
  /** The error of a statement that is running when the server shuts down. */
  async function errorOfShutdown(mode: 'fast' | 'immediate') {
    const running = database.db.execute(sql`select pg_sleep(30)`).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Let the statement reach the server.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await cluster.shutdown(mode);
    try {
      return await running;
    } finally {
      await cluster.restart();
    }
  }

  it('a session ended by a fast shutdown (57P01) and a connection dropped (immediate)', async () => {
    const terminated = await errorOfShutdown('fast');
    expect((terminated as Error & { cause?: { code?: string } }).cause?.code).toBe('57P01');
    expect(isDatabaseUnavailable(terminated)).toBe(true);
    const dropped = await errorOfShutdown('immediate');
    expect((dropped as Error & { cause?: Error }).cause?.message).toBe(
      'Connection terminated unexpectedly',
    );
    expect(isDatabaseUnavailable(dropped)).toBe(true);
    expect(toTillkitError(dropped)).toMatchObject({ code: 'database_unavailable', status: 503 });
  });

  it('a new connection refused while the server shuts down (57P03) is a 503 too', async () => {
    // A smart shutdown waits for the sessions open (this one) and refuses new ones meanwhile.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    // The pool's idle sessions would still serve: end them, so that it has to connect anew.
    await holder.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cluster.shutdown('smart');
    try {
      const refused = await database.db.execute(sql`select 1`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((refused as { cause?: { code?: string } } | undefined)?.cause?.code).toBe('57P03');
      expect(isDatabaseUnavailable(refused)).toBe(true);
      const token = await app.token('user_outage_smart');
      const { response } = await timed('/entitlements', { token });
      expect(response.status).toBe(503);
      expect((await errorBody(response)).code).toBe('database_unavailable');
    } finally {
      await holder.end();
      // A smart shutdown ends once its last session has; wait for it, then start again.
      await cluster.shutdown('fast').catch(() => {});
      await cluster.restart();
    }
  });

  it('the same socket error from anything but the database is not the database being away', async () => {
    const closed = await freePort();
    const elsewhere = await fetch(`http://127.0.0.1:${closed}/`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((elsewhere as { cause?: { code?: string } } | undefined)?.cause?.code).toBe(
      'ECONNREFUSED',
    );
    expect(isDatabaseUnavailable(elsewhere)).toBe(false);
    expect(toTillkitError(elsewhere).code).toBe('internal_error');
  });

  it('a failing statement, or one PostgreSQL cancels at the statement timeout, stays what it was', async () => {
    const strict = await openDatabase({ url, statementTimeoutMs: 200 });
    try {
      const cancelled = await strict.db.execute(sql`select pg_sleep(2)`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((cancelled as { cause?: { code?: string } } | undefined)?.cause?.code).toBe('57014');
      expect(isDatabaseUnavailable(cancelled)).toBe(false);
      expect(toTillkitError(cancelled).code).toBe('internal_error');
      const wrong = await strict.db.execute(sql`select * from no_such_table`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(wrong)).toBe(false);
      expect(toTillkitError(wrong).code).toBe('internal_error');
    } finally {
      await strict.close();
    }
  });
});

describe('the statement timeout', () => {
  it('is off unless asked for: pg would send it as a startup parameter, which PgBouncer refuses', async () => {
    const plain = await openDatabase({ url });
    try {
      const shown = await plain.db.execute(sql`show statement_timeout`);
      expect((shown as unknown as { rows: Array<{ statement_timeout: string }> }).rows).toEqual([
        { statement_timeout: '0' },
      ]);
    } finally {
      await plain.close();
    }
  });

  it('does not bound migrations: an instance waits for another one migrating longer than it', async () => {
    // Another instance migrating holds the lock (the key is database.ts's MIGRATION_LOCK).
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query('select pg_advisory_lock(7418552011)');
    const unlock = setTimeout(() => {
      void other.query('select pg_advisory_unlock(7418552011)');
    }, 1000);
    try {
      const second = await openDatabase({ url, statementTimeoutMs: 200 });
      // Its own queries are bound again once migrated.
      const cancelled = await second.db.execute(sql`select pg_sleep(1)`).then(
        () => undefined,
        (error: unknown) => error,
      );
      await second.close();
      expect((cancelled as { cause?: { code?: string } } | undefined)?.cause?.code).toBe('57014');
    } finally {
      clearTimeout(unlock);
      await other.end();
    }
  });
});

describe('a server that accepts connections and never answers (a cut network)', () => {
  it('fails to open within the connection timeout instead of waiting forever', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    try {
      const failure = await Promise.race([
        openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/db`, connectionTimeoutMs: 1000 })
          .then(async (opened) => {
            await opened.close();
            return 'opened';
          })
          .catch((error: Error) => error.message),
        new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), FAST_MS)),
      ]);
      expect(failure).toMatch(/^Could not connect to the PostgreSQL server in DATABASE_URL/);
      expect(failure).toMatch(/timeout/);
      expect(Date.now() - started).toBeLessThan(FAST_MS);
    } finally {
      silent.close();
    }
  });
});
