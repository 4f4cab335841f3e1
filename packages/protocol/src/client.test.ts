/**
 * The typed client against a real HTTP server (node:http) that records what it receives and
 * answers what each test asks for.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as calls from './calls.js';
import {
  createTillkitClient,
  createTransport,
  deletePaymentMethod,
  listPaymentMethods,
  TillkitApiError,
} from './client.js';
import { ERROR_CODES, ERROR_STATUS, isErrorCode } from './error-codes.js';
import { ROUTES, routePath } from './route-table.js';
import {
  cartItems,
  createCheckoutSessionBody,
  createPaymentIntentBody,
  createSubscriptionBody,
  getPaymentQuery,
  listPaymentsQuery,
  sandboxAdvanceBody,
} from './schemas.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let seen: Seen[] = [];
let answer: {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Answer after this many milliseconds. */
  delay?: number;
  /** Send the headers and the first half of the body, then stall. */
  stall?: boolean;
} = {
  status: 200,
  body: '{}',
};
let base = '';
let close: () => void;

beforeAll(async () => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const { status, headers, delay = 0, stall } = answer;
      const text = answer.body;
      setTimeout(() => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        if (stall) res.write(text.slice(0, text.length / 2));
        else res.end(text);
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => {
    server.closeAllConnections();
    server.close();
  };
});
afterAll(() => close?.());

describe('createTillkitClient', () => {
  it('sends JSON with the token and Idempotency-Key to the route of the table', async () => {
    seen = [];
    answer = {
      status: 201,
      body: JSON.stringify({
        id: 'pi_1',
        clientSecret: 's',
        amount: 1,
        currency: 'usd',
        status: 'x',
      }),
    };
    const client = createTillkitClient({
      apiBase: `${base}/api/`,
      getAuthToken: async () => 'tok',
    });
    const intent = await client.createPaymentIntent(
      { items: [{ price: 'price_1', quantity: 2 }] },
      { idempotencyKey: 'k1' },
    );
    expect(intent.id).toBe('pi_1');
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/payment-intents',
      body: '{"items":[{"price":"price_1","quantity":2}]}',
    });
    expect(seen[0]?.headers).toMatchObject({
      authorization: 'Bearer tok',
      'idempotency-key': 'k1',
      'content-type': 'application/json',
    });
  });

  it('fills and encodes path parameters and query strings; guests send no Authorization', async () => {
    seen = [];
    answer = { status: 200, body: '{"data":[],"hasMore":false}' };
    const client = createTillkitClient({ apiBase: `${base}/api` });
    await client.listPayments({ limit: 5, startingAfter: 'pi_9' });
    await client.deletePaymentMethod('pm/../x');
    await client.getPayment('pi_9', { clientSecret: 'pi_9_secret_a+b&c' });
    await client.getPayment('pi_9');
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/payments?limit=5&startingAfter=pi_9',
      'DELETE /api/payment-methods/pm%2F..%2Fx',
      'GET /api/payments/pi_9?clientSecret=pi_9_secret_a%2Bb%26c',
      'GET /api/payments/pi_9',
    ]);
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.body).toBe('');
  });

  it('calls the billing routes at their paths, with a JSON body on every POST', async () => {
    seen = [];
    answer = { status: 200, body: '{}' };
    const client = createTillkitClient({ apiBase: base, getAuthToken: () => 'tok' });
    await client.createSubscription({ price: 'price_1' }, { idempotencyKey: 'k2' });
    await client.previewSubscription({ price: 'price_1', promotionCode: 'WELCOME10' });
    await client.listSubscriptions();
    await client.cancelSubscription('sub/1');
    await client.cancelSubscription('sub_1', { atPeriodEnd: false });
    await client.resumeSubscription('sub_1');
    await client.changeSubscription('sub_1', { price: 'price_2' });
    await client.previewSubscriptionChange('sub_1', { price: 'price_2' });
    await client.changeSubscription('sub_1', { price: 'price_2', prorationDate: 1_800_000_000 });
    await client.getEntitlements();
    await client.createCheckoutSession({
      mode: 'subscription',
      price: 'price_1',
      successUrl: 'https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}',
      cancelUrl: 'https://shop.example/',
    });
    await client.createPortalSession({ returnUrl: 'https://shop.example/account' });
    await client.sandboxAdvance({ days: 31 });
    expect(seen.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual([
      'POST /subscriptions {"price":"price_1"}',
      'POST /subscriptions/preview {"price":"price_1","promotionCode":"WELCOME10"}',
      'GET /subscriptions ',
      'POST /subscriptions/sub%2F1/cancel {}',
      'POST /subscriptions/sub_1/cancel {"atPeriodEnd":false}',
      'POST /subscriptions/sub_1/resume {}',
      'POST /subscriptions/sub_1/change {"price":"price_2"}',
      'POST /subscriptions/sub_1/change-preview {"price":"price_2"}',
      'POST /subscriptions/sub_1/change {"price":"price_2","prorationDate":1800000000}',
      'GET /entitlements ',
      'POST /checkout-sessions {"mode":"subscription","price":"price_1","successUrl":"https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}","cancelUrl":"https://shop.example/"}',
      'POST /portal-sessions {"returnUrl":"https://shop.example/account"}',
      'POST /_sandbox/advance {"days":31}',
    ]);
    expect(seen[0]?.headers['idempotency-key']).toBe('k2');
  });

  it('turns error answers into TillkitApiError with code, status, param, requestId and Retry-After', async () => {
    answer = {
      status: 429,
      headers: { 'Retry-After': '7' },
      body: JSON.stringify({
        error: { code: 'rate_limited', message: 'Slow down', requestId: 'req_1' },
      }),
    };
    const error = await createTillkitClient({ apiBase: base })
      .createSetupIntent()
      .catch((e) => e);
    expect(error).toBeInstanceOf(TillkitApiError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      message: 'Slow down',
      requestId: 'req_1',
      retryAfter: 7,
    });
    answer = {
      status: 502,
      body: '<html>bad gateway</html>',
      headers: { 'Content-Type': 'text/html' },
    };
    expect(
      await createTillkitClient({ apiBase: base })
        .health()
        .catch((e) => e),
    ).toMatchObject({
      code: 'invalid_response',
      status: 502,
    });
  });

  it('offers every route as a call over a transport, as the client does', async () => {
    seen = [];
    answer = { status: 200, body: '{"data":[]}' };
    const transport = createTransport({ apiBase: `${base}/api/`, getAuthToken: () => 'tok' });
    expect(await listPaymentMethods(transport)).toEqual({ data: [] });
    await deletePaymentMethod(transport, 'pm_1', { idempotencyKey: 'k3' });
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/payment-methods',
      'DELETE /api/payment-methods/pm_1',
    ]);
    expect(seen[0]?.headers.authorization).toBe('Bearer tok');
    expect(seen[1]?.headers['idempotency-key']).toBe('k3');
    const client = createTillkitClient({ apiBase: base });
    const exported = new Map(Object.entries(calls));
    for (const name of Object.keys(client).filter((key) => key !== 'request')) {
      expect(exported.get(name), name).toBeTypeOf('function');
    }
  });

  it('reports a server it cannot reach as network_error', async () => {
    const error = await createTillkitClient({ apiBase: 'http://127.0.0.1:9' })
      .health()
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
  });

  it('gives up on a server that does not answer in time, with the code timeout', async () => {
    answer = { status: 200, body: '{"status":"ok"}', delay: 5_000 };
    const started = performance.now();
    const error = await createTillkitClient({ apiBase: base, timeout: 100 })
      .health()
      .catch((e) => e);
    expect(error).toBeInstanceOf(TillkitApiError);
    expect(error).toMatchObject({ code: 'timeout', status: 0 });
    expect(error.message).toContain('did not answer GET /health within 100 ms');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('counts reading the answer in the time limit', async () => {
    answer = { status: 200, body: '{"status":"ok","padding":"xxxxxxxx"}', stall: true };
    const error = await createTillkitClient({ apiBase: base, timeout: 100 })
      .health()
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'timeout', status: 0 });
  });

  it('waits for a slow answer within the limit, and without one when the limit is 0 or Infinity', async () => {
    answer = { status: 200, body: '{"status":"ok"}', delay: 150 };
    await expect(createTillkitClient({ apiBase: base, timeout: 2_000 }).health()).resolves.toEqual({
      status: 'ok',
    });
    for (const none of [0, Number.POSITIVE_INFINITY, 2 ** 31]) {
      await expect(createTillkitClient({ apiBase: base, timeout: none }).health()).resolves.toEqual(
        { status: 'ok' },
      );
    }
    expect(createTransport({ apiBase: base }).timeout).toBe(30_000);
  });

  it("passes the caller's abort through as it is, not as a timeout or network error", async () => {
    answer = { status: 200, body: '{"status":"ok"}', delay: 5_000 };
    const controller = new AbortController();
    const call = calls
      .health(createTransport({ apiBase: base, timeout: 2_000 }), { signal: controller.signal })
      .catch((e) => e);
    setTimeout(() => controller.abort(), 50);
    const error = await call;
    expect(error).not.toBeInstanceOf(TillkitApiError);
    expect(error.name).toBe('AbortError');

    const aborted = new AbortController();
    aborted.abort(new Error('gone'));
    await expect(
      calls.health(createTransport({ apiBase: base }), { signal: aborted.signal }),
    ).rejects.toThrow('gone');
  });
});

describe('the contract', () => {
  it('declares each error code once, with its status', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_STATUS.card_data_not_allowed).toBe(400);
    expect(ERROR_STATUS.payload_too_large).toBe(413);
    expect(isErrorCode('rate_limited')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
  });

  it('has one route per method and path', () => {
    const keys = Object.values(ROUTES).map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(routePath('/payments/:id', { id: 'pi 1' })).toBe('/payments/pi%201');
    expect(() => routePath('/payments/:id')).toThrow(/Missing path parameter "id"/);
  });

  it('takes a promotion code as typed, without the spaces around it, and refuses an empty one', () => {
    expect(
      createSubscriptionBody.parse({ price: 'price_1', promotionCode: '  welcome10 ' }),
    ).toEqual({ price: 'price_1', promotionCode: 'welcome10' });
    for (const promotionCode of ['', '   ', 'x'.repeat(501), 10]) {
      expect(createSubscriptionBody.safeParse({ price: 'price_1', promotionCode }).success).toBe(
        false,
      );
    }
  });

  it('schemas refuse unknown fields, client amounts, bad quantities and repeated prices', () => {
    const ok = { items: [{ price: 'price_1', quantity: 1 }] };
    expect(createPaymentIntentBody.safeParse(ok).success).toBe(true);
    expect(createPaymentIntentBody.safeParse({ ...ok, amount: 1 }).success).toBe(false);
    expect(
      createPaymentIntentBody.safeParse({ items: [{ price: 'price_1', quantity: 1, amount: 5 }] })
        .success,
    ).toBe(false);
    for (const quantity of [0, 100, 2.5, '2']) {
      expect(cartItems.safeParse([{ price: 'price_1', quantity }]).success).toBe(false);
    }
    expect(cartItems.safeParse([ok.items[0], ok.items[0]]).success).toBe(false);
    expect(cartItems.safeParse([{ price: 'price_1 OR 1=1', quantity: 1 }]).success).toBe(false);
    expect(listPaymentsQuery.safeParse({ limit: '20' })).toEqual({
      success: true,
      data: { limit: 20 },
    });
    expect(listPaymentsQuery.safeParse({ limit: '1e3' }).success).toBe(false);
    expect(getPaymentQuery.safeParse({ clientSecret: 'pi_1_secret_2' }).success).toBe(true);
    expect(getPaymentQuery.safeParse({ clientSecret: 'x'.repeat(501) }).success).toBe(false);
    expect(getPaymentQuery.safeParse({ clientSecret: ['a', 'b'] }).success).toBe(false);
  });

  it('billing schemas: one recurring price per subscription, a cart or a price by Checkout mode', () => {
    expect(createSubscriptionBody.safeParse({ price: 'price_1' }).success).toBe(true);
    for (const quantity of [0, 100, 1.5]) {
      expect(createSubscriptionBody.safeParse({ price: 'price_1', quantity }).success).toBe(false);
    }
    expect(createSubscriptionBody.safeParse({ items: [] }).success).toBe(false);
    const urls = { successUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/' };
    const cart = [{ price: 'price_1', quantity: 1 }];
    expect(
      createCheckoutSessionBody.safeParse({ mode: 'payment', items: cart, ...urls }).success,
    ).toBe(true);
    expect(
      createCheckoutSessionBody.safeParse({ mode: 'subscription', price: 'price_1', ...urls })
        .success,
    ).toBe(true);
    for (const wrong of [
      { mode: 'payment', price: 'price_1', ...urls },
      { mode: 'subscription', items: cart, ...urls },
      { mode: 'setup', ...urls },
      { mode: 'payment', items: cart, successUrl: urls.successUrl },
      { mode: 'payment', items: cart, ...urls, amount: 1 },
    ]) {
      expect(createCheckoutSessionBody.safeParse(wrong).success).toBe(false);
    }
    expect(sandboxAdvanceBody.safeParse({ days: 30 }).success).toBe(true);
    expect(sandboxAdvanceBody.safeParse({ days: 0 }).success).toBe(false);
  });
});
