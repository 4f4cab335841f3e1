/**
 * The sandbox's wire behaviour through the real stripe-node client: auth, errors, parameters,
 * idempotency, expansion, pagination, CORS and chaos.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxStripe } from '../node/start-sandbox.js';
import { startTestSandbox, type TestSandbox } from '../test-support/test-sandbox.js';

let sandbox: TestSandbox;
let stripe: Stripe;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  stripe = sandbox.stripe;
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
const authHeaders = (key = 'sk_test_123') => ({
  Authorization: `Bearer ${key}`,
  'Content-Type': 'application/x-www-form-urlencoded',
});

describe('authentication', () => {
  it('refuses a request without a key with 401', async () => {
    const response = await fetch(`${sandbox.url}/v1/customers`);
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.message).toMatch(/did not provide an API key/);
  });

  it('refuses live keys with a message that says it is a sandbox', async () => {
    // A made-up live key (built here, so that no scanner mistakes it for a real one).
    const live = sandboxStripe(sandbox.url, `sk_live_${'x'.repeat(24)}`);
    const error = await live.customers.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect((error as Error).message).toMatch(/sandbox/);
    expect((error as Error).message).toMatch(/live mode keys are refused/);
  });

  it('refuses a malformed key and a publishable key on a secret-only route', async () => {
    const bad = await fetch(`${sandbox.url}/v1/customers`, { headers: authHeaders('nonsense') });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.message).toMatch(/Invalid API Key provided/);
    const publishable = await fetch(`${sandbox.url}/v1/customers`, {
      headers: authHeaders('pk_test_1'),
    });
    expect(publishable.status).toBe(401);
    expect((await publishable.json()).error.message).toMatch(/publishable API key/);
  });

  it('accepts any test secret key, all seeing one account', async () => {
    const created = await sandboxStripe(sandbox.url, 'sk_test_one').customers.create({
      email: 'one@example.com',
    });
    const seen = await sandboxStripe(sandbox.url, 'sk_test_two').customers.retrieve(created.id);
    expect(seen.id).toBe(created.id);
  });
});

describe('errors and parameters', () => {
  it('answers an unknown URL with a 404 invalid_request_error', async () => {
    const response = await fetch(`${sandbox.url}/v1/nope`, { headers: authHeaders() });
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('names unknown parameters, nested ones as Stripe writes them', async () => {
    const error = await stripe.customers
      .create({ email: 'a@example.com', invoice_settings: { colour: 'red' } } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      code: 'parameter_unknown',
      param: 'invoice_settings[colour]',
      message: 'Received unknown parameter: invoice_settings[colour]',
    });
  });

  it('reports a missing resource as resource_missing 404', async () => {
    const error = await stripe.customers.retrieve('cus_missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such customer: 'cus_missing'",
    });
  });

  it('rejects a value of the wrong type with the parameter named', async () => {
    const error = await stripe.customers
      .create({ balance: 'lots' } as never)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      statusCode: 400,
      param: 'balance',
      message: 'Invalid integer: lots',
    });
  });

  it('takes JSON bodies as well as form bodies', async () => {
    const response = await fetch(`${sandbox.url}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'json@example.com', metadata: { plan: 'pro' } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      email: 'json@example.com',
      metadata: { plan: 'pro' },
    });
  });

  it('refuses a malformed JSON body with a 400', async () => {
    const response = await fetch(`${sandbox.url}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Content-Type': 'application/json' },
      body: '{"email":',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/Invalid JSON/);
  });

  it('puts Request-Id and Stripe-Version on every answer, errors included', async () => {
    for (const path of ['/v1/customers', '/v1/nope']) {
      const response = await fetch(`${sandbox.url}${path}`, { headers: authHeaders() });
      expect(response.headers.get('request-id')).toMatch(/^req_\w+/);
      expect(response.headers.get('stripe-version')).toBe('2026-10-28.endive');
    }
  });
});

describe('API version', () => {
  it('answers a request without Stripe-Version, or with 2026-10-28.endive, in that version', async () => {
    const bare = await fetch(`${sandbox.url}/v1/customers`, { headers: authHeaders() });
    expect(bare.status).toBe(200);
    const pinned = await fetch(`${sandbox.url}/v1/customers`, {
      headers: { ...authHeaders(), 'Stripe-Version': '2026-10-28.endive' },
    });
    expect(pinned.status).toBe(200);
    // stripe-node sends its pinned version on every request.
    expect((await stripe.customers.create({ email: 'v@example.com' })).id).toMatch(/^cus_/);
  });

  it('refuses any other Stripe-Version with a 400 that says the sandbox speaks only endive', async () => {
    for (const version of [
      'not-a-version',
      '2024-06-20',
      '2026-10-28.endive; custom_checkout_beta=v1',
    ]) {
      const response = await fetch(`${sandbox.url}/v1/customers`, {
        method: 'POST',
        headers: { ...authHeaders(), 'Stripe-Version': version },
        body: form({ email: 'old@example.com' }),
      });
      expect(response.status).toBe(400);
      const { error } = await response.json();
      expect(error.type).toBe('invalid_request_error');
      expect(error.message).toContain('speaks only Stripe API version 2026-10-28.endive');
      expect(error.message).toContain(JSON.stringify(version));
    }
    expect((await stripe.customers.list()).data).toEqual([]);
  });

  it('refuses another version through stripe-node as a StripeInvalidRequestError', async () => {
    const older = sandboxStripe(sandbox.url, 'sk_test_123', {
      apiVersion: '2025-03-31.basil' as Stripe.LatestApiVersion,
    });
    const error = await older.customers.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Error).message).toMatch(/"2025-03-31\.basil"/);
  });

  it('refuses a webhook endpoint created with another api_version', async () => {
    const error = await stripe.webhookEndpoints
      .create({
        url: 'https://shop.example/webhooks',
        enabled_events: ['*'],
        api_version: '2024-06-20' as Stripe.WebhookEndpointCreateParams.ApiVersion,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).param).toBe('api_version');
    expect((error as Error).message).toContain('speaks only Stripe API version 2026-10-28.endive');
    expect((await stripe.webhookEndpoints.list()).data).toEqual([]);

    const same = await stripe.webhookEndpoints.create({
      url: 'https://shop.example/webhooks',
      enabled_events: ['*'],
      api_version: '2026-10-28.endive' as Stripe.WebhookEndpointCreateParams.ApiVersion,
    });
    expect(same.api_version).toBe('2026-10-28.endive');
  });
});

describe('request_log_url', () => {
  it("puts the request's log URL on API errors, which stripe-node copies onto the error", async () => {
    const response = await fetch(`${sandbox.url}/v1/customers/cus_missing`, {
      headers: authHeaders(),
    });
    const requestId = response.headers.get('request-id');
    const { error } = await response.json();
    expect(error.request_log_url).toMatch(
      new RegExp(`^https://dashboard\\.stripe\\.com/test/logs/${requestId}\\?t=\\d+$`),
    );

    const viaClient = (await stripe.customers
      .retrieve('cus_missing')
      .catch((caught: unknown) => caught)) as Stripe.errors.StripeError;
    expect(viaClient.requestId).toMatch(/^req_/);
    expect(viaClient.request_log_url).toContain(`/test/logs/${viaClient.requestId}`);
  });

  it('leaves it off authentication errors, which belong to no account', async () => {
    const response = await fetch(`${sandbox.url}/v1/customers`);
    expect(response.status).toBe(401);
    expect((await response.json()).error.request_log_url).toBeUndefined();
  });
});

describe('CORS', () => {
  it('answers preflights and exposes Request-Id', async () => {
    const preflight = await fetch(`${sandbox.url}/v1/payment_methods`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const response = await fetch(`${sandbox.url}/v1/_sandbox/health`);
    expect(response.headers.get('access-control-expose-headers')).toContain('Request-Id');
  });
});

describe('idempotency', () => {
  const post = (key: string, body: Record<string, string>, path = '/v1/customers') =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: { ...authHeaders(), 'Idempotency-Key': key },
      body: form(body),
    });

  it('replays the saved answer for the same key and parameters', async () => {
    const first = await post('key-1', { email: 'idem@example.com' });
    const second = await post('key-1', { email: 'idem@example.com' });
    const [a, b] = [await first.json(), await second.json()];
    expect(b.id).toBe(a.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect((await stripe.customers.list({ email: 'idem@example.com' })).data).toHaveLength(1);
  });

  it('refuses the same key with other parameters (StripeIdempotencyError)', async () => {
    await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'key-2' });
    const error = await stripe.customers
      .create({ email: 'b@example.com' }, { idempotencyKey: 'key-2' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((error as Error).message).toMatch(/same parameters/);
  });

  it('saves nothing for a request that failed validation', async () => {
    const invalid = await post('key-3', { email: 'v@example.com', bogus: '1' });
    expect(invalid.status).toBe(400);
    const valid = await post('key-3', { email: 'v@example.com' });
    expect(valid.status).toBe(200);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
  });

  it('replays a 402 that happened during execution', async () => {
    const customer = await stripe.customers.create({});
    const first = await post(
      'key-4',
      { customer: customer.id },
      '/v1/payment_methods/pm_card_chargeDeclined/attach',
    );
    expect(first.status).toBe(402);
    const second = await post(
      'key-4',
      { customer: customer.id },
      '/v1/payment_methods/pm_card_chargeDeclined/attach',
    );
    expect(second.status).toBe(402);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
  });

  it('answers 409 to a concurrent request holding the same key', async () => {
    sandbox.chaos.set({ api: { latencyMs: 300 } });
    const [a, b] = await Promise.all([
      post('key-5', { email: 'race@example.com' }),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        post('key-5', { email: 'race@example.com' }),
      ),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(409);
    expect((await b.json()).error.type).toBe('idempotency_error');
  });

  it('lets stripe-node retry a concurrent duplicate into a replay: one object, same id', async () => {
    sandbox.chaos.set({ api: { latencyMs: 200 } });
    const [a, b] = await Promise.all([
      stripe.customers.create({ email: 'twice@example.com' }, { idempotencyKey: 'key-6' }),
      stripe.customers.create({ email: 'twice@example.com' }, { idempotencyKey: 'key-6' }),
    ]);
    expect(a.id).toBe(b.id);
    sandbox.chaos.reset();
    expect((await stripe.customers.list({ email: 'twice@example.com' })).data).toHaveLength(1);
  });

  it('forgets keys after 24 hours', async () => {
    const { IdempotencyStore } = await import('./idempotency.js');
    let now = 0;
    const store = new IdempotencyStore(() => now);
    store.begin('k', 'a');
    store.complete('k', { status: 200, body: '{}', requestId: 'req_1' });
    expect(store.begin('k', 'a').kind).toBe('replay');
    now = 24 * 60 * 60 * 1000 + 1;
    expect(store.begin('k', 'b').kind).toBe('new');
  });
});

describe('expand', () => {
  it('expands an id into its object, and refuses fields that cannot be expanded', async () => {
    const customer = await stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
      expand: ['invoice_settings.default_payment_method'],
    });
    const pm = customer.invoice_settings.default_payment_method as Stripe.PaymentMethod;
    expect(pm.object).toBe('payment_method');
    expect(pm.card?.last4).toBe('4242');
    const error = await stripe.customers
      .retrieve(customer.id, { expand: ['email'] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      statusCode: 400,
      message: 'This property cannot be expanded (email).',
    });
  });

  it('expands through lists with data.*', async () => {
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const list = await stripe.paymentMethods.list({
      customer: customer.id,
      expand: ['data.customer'],
    });
    expect((list.data[0]?.customer as Stripe.Customer | undefined)?.id).toBe(customer.id);
  });
});

describe('pagination', () => {
  it('pages newest first with limit, starting_after, ending_before and has_more', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 7; index++) {
      ids.push(
        (await stripe.customers.create({ email: 'page@example.com', name: `n${index}` })).id,
      );
    }
    const newestFirst = [...ids].reverse();
    const first = await stripe.customers.list({ email: 'page@example.com', limit: 3 });
    expect(first.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.has_more).toBe(true);
    const second = await stripe.customers.list({
      email: 'page@example.com',
      limit: 3,
      starting_after: newestFirst[2] as string,
    });
    expect(second.data.map((c) => c.id)).toEqual(newestFirst.slice(3, 6));
    const before = await stripe.customers.list({
      email: 'page@example.com',
      limit: 2,
      ending_before: newestFirst[3] as string,
    });
    expect(before.data.map((c) => c.id)).toEqual(newestFirst.slice(1, 3));
    expect(before.has_more).toBe(true);
    const all = await stripe.customers
      .list({ email: 'page@example.com', limit: 2 })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((c) => c.id)).toEqual(newestFirst);
  });

  it('refuses a limit over 100 and an unknown cursor', async () => {
    await expect(stripe.customers.list({ limit: 101 })).rejects.toMatchObject({
      statusCode: 400,
      param: 'limit',
    });
    await expect(stripe.customers.list({ starting_after: 'cus_unknown' })).rejects.toMatchObject({
      statusCode: 404,
      param: 'starting_after',
    });
  });
});

describe('chaos on the API', () => {
  it('fails the next request with a 500 that stripe-node retries: one customer made', async () => {
    sandbox.chaos.set({ api: { failNext: 1, failWith: 500 } });
    const customer = await stripe.customers.create({ email: 'retry@example.com' });
    expect(customer.id).toMatch(/^cus_/);
    expect((await stripe.customers.list({ email: 'retry@example.com' })).data).toHaveLength(1);
  });

  it('surfaces persistent 500s as StripeAPIError and 429 as StripeRateLimitError', async () => {
    sandbox.chaos.set({ api: { failNext: 3, failWith: 500 } });
    await expect(stripe.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    sandbox.chaos.set({ api: { failNext: 1, failWith: 429 } });
    await expect(stripe.customers.list()).rejects.toBeInstanceOf(
      Stripe.errors.StripeRateLimitError,
    );
  });

  it('drops the connection after executing; the retry with the same key replays, no duplicate', async () => {
    sandbox.chaos.set({ api: { failNext: 1, failWith: 'drop', failWhen: 'after' } });
    const customer = await stripe.customers.create({ email: 'dropped@example.com' });
    const all = await stripe.customers.list({ email: 'dropped@example.com' });
    expect(all.data.map((c) => c.id)).toEqual([customer.id]);
  });

  it('a dropped connection without retries is a StripeConnectionError', async () => {
    sandbox.chaos.set({ api: { failNext: 2, failWith: 'drop' } });
    const noRetry = sandboxStripe(sandbox.url, 'sk_test_x', { maxNetworkRetries: 0 });
    // stripe-node retries a closed connection once even with retries off.
    await expect(noRetry.customers.list()).rejects.toBeInstanceOf(
      Stripe.errors.StripeConnectionError,
    );
  });

  it('is settable over HTTP and never touches the sandbox routes', async () => {
    const set = await fetch(`${sandbox.url}/v1/_sandbox/chaos`, {
      method: 'POST',
      headers: authHeaders(),
      body: form({ 'api[fail_next]': '1', 'api[fail_with]': '429', 'webhooks[duplicates]': '2' }),
    });
    expect(await set.json()).toMatchObject({
      api: { fail_next: 1, fail_with: '429' },
      webhooks: { duplicates: 2 },
    });
    const read = await fetch(`${sandbox.url}/v1/_sandbox/chaos`, { headers: authHeaders() });
    expect((await read.json()).api.fail_next).toBe(1);
    const failed = await fetch(`${sandbox.url}/v1/customers`, { headers: authHeaders() });
    expect(failed.status).toBe(429);
    expect(failed.headers.get('retry-after')).toBe('1');
    const after = await fetch(`${sandbox.url}/v1/customers`, { headers: authHeaders() });
    expect(after.status).toBe(200);
    const reset = await fetch(`${sandbox.url}/v1/_sandbox/chaos`, {
      method: 'DELETE',
      headers: authHeaders(),
    });
    expect((await reset.json()).webhooks.duplicates).toBe(0);
  });

  it('answers slowly with latency set', async () => {
    sandbox.chaos.set({ api: { latencyMs: 250 } });
    const started = performance.now();
    await stripe.customers.list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('rejects bad chaos settings with a 400', async () => {
    const response = await fetch(`${sandbox.url}/v1/_sandbox/chaos`, {
      method: 'POST',
      headers: authHeaders(),
      body: form({ 'api[failure_rate]': '2' }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.param).toBe('api[failure_rate]');
  });
});

describe('reset', () => {
  it('forgets objects over HTTP', async () => {
    const customer = await stripe.customers.create({});
    const response = await fetch(`${sandbox.url}/v1/_sandbox/reset`, {
      method: 'POST',
      headers: authHeaders(),
    });
    expect(response.status).toBe(200);
    await expect(stripe.customers.retrieve(customer.id)).rejects.toMatchObject({
      code: 'resource_missing',
    });
  });
});
