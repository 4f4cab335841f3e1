/**
 * Mounting the router into a host app, and the misconfigurations it catches: at start-up when
 * they can be seen then, on the first request otherwise (a JSON body parser before the webhooks).
 */
import { createTillkitClient } from '@tillkit/protocol';
import { SANDBOX_SECRET_KEY, startSandbox } from '@tillkit/sandbox';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTillkitRouter } from './create-tillkit-router.js';
import { createStripeClient } from './stripe/stripe-client.js';
import {
  captureLogs,
  errorBody,
  listen,
  type TestDatabase,
  testDatabase,
  WEBHOOK_SECRET,
} from './test-support/harness.js';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let db: TestDatabase;

beforeAll(async () => {
  [sandbox, db] = await Promise.all([startSandbox({ log: () => {} }), testDatabase('pglite')]);
});
afterAll(async () => {
  await sandbox?.close();
  await db?.dispose();
});

const base = () => ({
  stripe: createStripeClient(SANDBOX_SECRET_KEY, sandbox.url),
  database: db.database,
  allowedOrigins: ['https://shop.example'],
  logger: captureLogs().logger,
});

describe('createTillkitRouter', () => {
  it('refuses real keys without a webhook secret, saying how to get one', () => {
    expect(() => createTillkitRouter({ ...base(), publishableKey: 'pk_live_x' })).toThrow(
      /`webhookSecret` is required with real Stripe keys\. Create an endpoint .* whsec_/,
    );
  });

  it('refuses a publishable key that is not one, a webhook secret that is not one, missing origins', () => {
    expect(() =>
      createTillkitRouter({
        ...base(),
        publishableKey: 'sk_test_x',
        webhookSecret: WEBHOOK_SECRET,
      }),
    ).toThrow(/must be a Stripe publishable key/);
    expect(() =>
      createTillkitRouter({ ...base(), publishableKey: 'pk_test_x', webhookSecret: 'sk_test_x' }),
    ).toThrow(/starts with whsec_/);
    expect(() =>
      createTillkitRouter({
        ...base(),
        publishableKey: 'pk_test_x',
        webhookSecret: WEBHOOK_SECRET,
        allowedOrigins: [],
      }),
    ).toThrow(/`allowedOrigins` is required outside sandbox mode/);
    expect(() =>
      createTillkitRouter({
        ...base(),
        publishableKey: 'pk_test_x',
        webhookSecret: WEBHOOK_SECRET,
        allowedOrigins: ['https://a.example/path'],
      }),
    ).toThrow(/not an origin/);
  });

  it('mounts anywhere in a host app, with the host’s own auth and routes beside it', async () => {
    const app = express();
    app.get('/', (_req, res) => {
      res.send('host home');
    });
    app.use(
      '/shop/payments-api',
      createTillkitRouter({
        ...base(),
        publishableKey: 'pk_test_host',
        webhookSecret: WEBHOOK_SECRET,
        identify: (req) =>
          req.headers['x-user'] ? { userId: String(req.headers['x-user']), role: 'admin' } : null,
      }),
    );
    app.get('/shop/payments-api/not-tillkit', (_req, res) => {
      res.send('host route');
    });
    const server = await listen(app);
    try {
      const client = createTillkitClient({ apiBase: `${server.url}/shop/payments-api` });
      expect(await client.getConfig()).toEqual({
        publishableKey: 'pk_test_host',
        mode: 'test',
        promotionCodes: false,
        oneSubscriptionPerCustomer: false,
      });
      const admin = createTillkitClient({
        apiBase: `${server.url}/shop/payments-api/`,
        fetch: (input, init) =>
          fetch(input, { ...init, headers: { ...init?.headers, 'x-user': 'host-admin' } }),
      });
      expect(await admin.listPayments()).toEqual({ data: [], hasMore: false });
      expect(await (await fetch(`${server.url}/`)).text()).toBe('host home');
      expect(await (await fetch(`${server.url}/shop/payments-api/not-tillkit`)).text()).toBe(
        'host route',
      );
    } finally {
      await server.close();
    }
  });

  it('answers a failing identify() as its own 500, logged, even when the error carries a 4xx status', async () => {
    const logs = captureLogs();
    const app = express();
    app.use(
      '/api',
      createTillkitRouter({
        ...base(),
        logger: logs.logger,
        publishableKey: 'pk_test_host',
        webhookSecret: WEBHOOK_SECRET,
        identify: () => {
          // What an HTTP client throws when the host's auth service answers 404.
          throw Object.assign(new Error('Request failed with status code 404'), { status: 404 });
        },
      }),
    );
    const server = await listen(app);
    try {
      const response = await fetch(`${server.url}/api/payment-methods`);
      expect(response.status).toBe(500);
      expect((await errorBody(response)).code).toBe('internal_error');
      expect(logs.text()).toContain('Request failed with status code 404');
    } finally {
      await server.close();
    }
  });

  it('a JSON body parser mounted before it breaks the webhooks with a message that says how to fix it', async () => {
    const logs = captureLogs();
    const app = express();
    app.use(express.json());
    app.use(
      '/api',
      createTillkitRouter({
        ...base(),
        logger: logs.logger,
        publishableKey: 'pk_test_x',
        webhookSecret: WEBHOOK_SECRET,
      }),
    );
    const server = await listen(app);
    try {
      const payload = JSON.stringify({
        id: 'evt_1',
        object: 'event',
        type: 'customer.created',
        data: { object: {} },
      });
      const response = await fetch(`${server.url}/api/webhooks`, {
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
      expect(response.status).toBe(500);
      const { error } = await response.json();
      expect(error.code).toBe('misconfigured');
      expect(error.message).toMatch(/Mount the Tillkit router before express\.json\(\)/);
      expect(logs.text()).toMatch(/Mount the Tillkit router before express\.json\(\)/);
      // The JSON routes still work with the host's parser, and still refuse card numbers.
      const card = await fetch(`${server.url}/api/payment-intents`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          items: [{ price: 'price_1', quantity: 1 }],
          note: '4242424242424242',
        }),
      });
      expect((await card.json()).error.code).toBe('card_data_not_allowed');
    } finally {
      await server.close();
    }
  });

  it('without a webhook secret in sandbox mode, the webhook route says what to configure', async () => {
    const app = express();
    app.use(
      '/api',
      createTillkitRouter({
        ...base(),
        publishableKey: 'pk_test_x',
        sandbox: { apiBase: sandbox.url },
      }),
    );
    const server = await listen(app);
    try {
      const response = await fetch(`${server.url}/api/webhooks`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(500);
      expect((await response.json()).error.message).toMatch(
        /pass webhookSecret to createTillkitRouter/,
      );
      // No sign-in route without its secret.
      const signIn = await fetch(`${server.url}/api/_sandbox/sign-in`, {
        method: 'POST',
        body: '{}',
      });
      expect(signIn.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
