/**
 * The standalone server as `tillkit-server` runs it: configured from environment variables, with
 * the embedded sandbox (state in the data folder) or a sandbox elsewhere, metrics at /metrics,
 * and a restart that keeps every record, on both database engines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTillkitClient, type TillkitApiError } from '@tillkit/protocol';
import { startSandbox } from '@tillkit/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { signHs256Token } from '../auth/jwt.js';
import {
  captureLogs,
  createPostgresDatabase,
  ENGINES,
  eventually,
} from '../test-support/harness.js';
import { loadConfig } from './config.js';
import { startTillkitServer, type TillkitServerHandle } from './start-tillkit-server.js';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function dataDir() {
  const folder = mkdtempSync(join(tmpdir(), 'tillkit-server-'));
  folders.push(folder);
  return folder;
}

async function start(env: Record<string, string>, logs = captureLogs()) {
  const server = await startTillkitServer(loadConfig({ HOST: '127.0.0.1', PORT: '0', ...env }), {
    logger: logs.logger,
    sandbox: { webhookDelivery: { retrySchedule: [100, 300, 1000] } },
  });
  return { server, logs };
}

describe.each(ENGINES)('embedded sandbox, %s database', (engine) => {
  it('serves the API, signs demo users in, and keeps every record across a restart', async () => {
    const env: Record<string, string> = {
      TILLKIT_DATA_DIR: dataDir(),
      TILLKIT_SANDBOX_PORT: '0',
      ...(engine === 'postgres' ? { DATABASE_URL: await createPostgresDatabase() } : {}),
    };
    let { server, logs } = await start(env);
    let restarted: TillkitServerHandle | undefined;
    try {
      const sandbox = server.sandbox;
      if (!sandbox) throw new Error('no embedded sandbox');
      expect(logs.text()).toContain('SANDBOX MODE');
      const guest = createTillkitClient({ apiBase: server.apiUrl });
      expect(await guest.getConfig()).toEqual({
        publishableKey: 'pk_test_tillkit_sandbox',
        mode: 'sandbox',
        sandbox: { apiBase: sandbox.url },
        promotionCodes: false,
        oneSubscriptionPerCustomer: false,
      });
      // The demo catalog is there on first start.
      const { products } = await guest.listPrices();
      expect(products.map((product) => product.id)).toEqual([
        'prod_tillkit_starter',
        'prod_tillkit_pro',
        'prod_tillkit_tshirt',
        'prod_tillkit_mug',
      ]);
      const tshirt = products[2]?.prices[0]?.id as string;

      const { token } = await guest.sandboxSignIn({
        userId: 'demo-user',
        email: 'demo@example.com',
      });
      const user = createTillkitClient({ apiBase: server.apiUrl, getAuthToken: () => token });
      const intent = await user.createPaymentIntent({
        items: [{ price: tshirt, quantity: 1 }],
        savePaymentMethod: true,
      });
      await sandbox.stripe.paymentIntents.confirm(intent.id, {
        payment_method: 'pm_card_visa',
        return_url: 'http://localhost:5173/done',
      });
      await eventually(async () =>
        expect((await user.getPayment(intent.id)).status).toBe('succeeded'),
      );
      expect((await user.listPaymentMethods()).data).toHaveLength(1);

      // Billing on the customer's own test clock: subscribe, pay, then a month passes.
      const starter = products[0]?.prices[0]?.id as string;
      const subscribed = await user.createSubscription({ price: starter });
      await sandbox.stripe.paymentIntents.confirm(
        (subscribed.clientSecret as string).replace(/_secret_.*$/, ''),
        { payment_method: 'pm_card_visa', return_url: 'http://localhost:5173/done' },
      );
      const active = await eventually(async () => {
        const [subscription] = (await user.listSubscriptions()).data;
        expect(subscription?.status).toBe('active');
        return subscription;
      });
      const customer = await server.router.services.customers.find('demo-user');
      const clock = (await sandbox.stripe.customers.retrieve(customer as string)) as {
        test_clock: string | null;
      };
      expect(clock.test_clock).toMatch(/^clock_/);
      const advanced = await user.sandboxAdvance({ days: 32 });
      expect(advanced.testClock).toBe(clock.test_clock);
      const [renewed] = (await user.listSubscriptions()).data;
      expect(renewed).toMatchObject({ id: subscribed.id, status: 'active' });
      expect(Date.parse(renewed?.currentPeriodEnd as string)).toBeGreaterThan(
        Date.parse(active?.currentPeriodEnd as string),
      );

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/tillkit_webhook_events_total\{outcome="processed"\} [1-9]/);
      expect(metrics).toMatch(
        /tillkit_http_requests_total\{method="POST",route="\/payment-intents",status="201"\} 1/,
      );
      expect(metrics).toContain('process_cpu_user_seconds_total');
      const unknown = await fetch(`${server.url}/api/nothing-here`);
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe('not_found');
      expect(unknown.headers.get('x-powered-by')).toBeNull();

      // Restart on the same ports and data folder.
      const ports = { PORT: String(server.port), TILLKIT_SANDBOX_PORT: String(sandbox.port) };
      await server.close();
      ({ server: restarted, logs } = await start({ ...env, ...ports }));
      server = restarted;
      const again = createTillkitClient({ apiBase: restarted.apiUrl, getAuthToken: () => token });
      // The sign-in secret survived (the old token still works), and so did every record.
      expect(await again.getPayment(intent.id)).toMatchObject({
        status: 'succeeded',
        amount: 2500,
      });
      // The saved card, and the one the subscription was paid with (saved to the customer too).
      expect((await again.listPaymentMethods()).data).toHaveLength(2);
      expect((await again.listSubscriptions()).data).toEqual([renewed]);
      expect(await again.getEntitlements()).toMatchObject({ active: true });
      expect((await again.listPrices()).products).toHaveLength(4);
      expect((await restarted.sandbox?.stripe.prices.list({ limit: 100 }))?.data).toHaveLength(8);
      // One endpoint for this server, and deliveries still arrive.
      const endpoints = await restarted.sandbox?.stripe.webhookEndpoints.list();
      expect(
        endpoints?.data.filter((endpoint) => endpoint.description === 'Tillkit server'),
      ).toHaveLength(1);
      const second = await again.createPaymentIntent({ items: [{ price: tshirt, quantity: 2 }] });
      await restarted.sandbox?.stripe.paymentIntents.confirm(second.id, {
        payment_method: 'pm_card_visa',
        return_url: 'http://localhost:5173/done',
      });
      await eventually(async () =>
        expect((await again.getPayment(second.id)).status).toBe('succeeded'),
      );
    } finally {
      await server.close();
    }
  });
});

describe('auth and sandboxes elsewhere', () => {
  it('with TILLKIT_AUTH_SECRET there is no sign-in route, and its tokens identify callers', async () => {
    const secret = 'a-secret-for-hs256-that-is-32-chars-long!';
    const { server } = await start({
      TILLKIT_DATA_DIR: dataDir(),
      TILLKIT_SANDBOX_PORT: '0',
      TILLKIT_AUTH_SECRET: secret,
      TILLKIT_AUTH_ISSUER: 'https://auth.example/',
      // PostgreSQL starts faster than a fresh embedded database.
      DATABASE_URL: await createPostgresDatabase(),
    });
    try {
      const guest = createTillkitClient({ apiBase: server.apiUrl });
      const missing = await guest
        .sandboxSignIn({ userId: 'x' })
        .catch((error: TillkitApiError) => error);
      expect((missing as TillkitApiError).status).toBe(404);
      const good = await signHs256Token(
        secret,
        { userId: 'u1', role: 'admin' },
        { issuer: 'https://auth.example/' },
      );
      const wrongIssuer = await signHs256Token(
        secret,
        { userId: 'u1', role: 'admin' },
        { issuer: 'https://other/' },
      );
      expect(
        await createTillkitClient({
          apiBase: server.apiUrl,
          getAuthToken: () => good,
        }).listPayments(),
      ).toEqual({ data: [], hasMore: false });
      const refused = await createTillkitClient({
        apiBase: server.apiUrl,
        getAuthToken: () => wrongIssuer,
      })
        .listPayments()
        .catch((error: TillkitApiError) => error);
      expect((refused as TillkitApiError).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('STRIPE_API_BASE: uses a sandbox running elsewhere and registers its webhook endpoint there', async () => {
    const shared = await startSandbox({
      log: () => {},
      webhookDelivery: { retrySchedule: [100, 300] },
    });
    const { server } = await start({
      TILLKIT_DATA_DIR: dataDir(),
      STRIPE_API_BASE: shared.url,
      DATABASE_URL: await createPostgresDatabase(),
    });
    try {
      expect(server.sandbox).toBeUndefined();
      const config = await createTillkitClient({ apiBase: server.apiUrl }).getConfig();
      expect(config).toMatchObject({ mode: 'sandbox', sandbox: { apiBase: shared.url } });
      const endpoints = await shared.stripe.webhookEndpoints.list();
      expect(endpoints.data.map((endpoint) => endpoint.url)).toEqual([
        `${server.url}/api/webhooks`,
      ]);
      const guest = createTillkitClient({ apiBase: server.apiUrl });
      const price = await shared.stripe.prices.create({
        currency: 'eur',
        unit_amount: 1234,
        product_data: { name: 'Poster' },
      });
      const intent = await guest.createPaymentIntent({ items: [{ price: price.id, quantity: 1 }] });
      await shared.stripe.paymentIntents.confirm(intent.id, {
        payment_method: 'pm_card_visa',
        return_url: 'http://localhost:5173/',
      });
      const { token } = await guest.sandboxSignIn({ userId: 'ops', role: 'admin' });
      const admin = createTillkitClient({ apiBase: server.apiUrl, getAuthToken: () => token });
      await eventually(async () =>
        expect((await admin.getPayment(intent.id)).status).toBe('succeeded'),
      );
    } finally {
      await server.close();
      await shared.close();
    }
  });
});

describe('shutting down', () => {
  it('lets a request already running finish (a payment being made), then takes no new one', async () => {
    const { server } = await start({ TILLKIT_DATA_DIR: dataDir(), TILLKIT_SANDBOX_PORT: '0' });
    const sandbox = server.sandbox;
    if (!sandbox) throw new Error('no embedded sandbox');
    const [price] = (await sandbox.stripe.prices.list({ type: 'one_time', limit: 1 })).data;
    // Stripe answers slowly: the request is still running when the server is told to stop.
    sandbox.chaos.set({ api: { latencyMs: 400 } });
    const creating = fetch(`${server.apiUrl}/payment-intents`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ items: [{ price: price?.id, quantity: 1 }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const closing = server.close();
    const answer = await creating;
    expect(answer.status).toBe(201);
    expect((await answer.json()).id).toMatch(/^pi_/);
    await closing;
    // Once the request is answered, not after the whole grace period.
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(fetch(`${server.apiUrl}/health`)).rejects.toThrow();
  });
});
