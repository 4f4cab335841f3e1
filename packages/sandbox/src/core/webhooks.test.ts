/**
 * Events and webhook deliveries: signed as Stripe signs them (verified by stripe-node's
 * constructEvent), retried with back-off, and shaken by chaos (duplicates, order, delay).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../test-support/test-sandbox.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';

const SECRET = 'whsec_test_webhooks_secret';
let sandbox: TestSandbox;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await startTestSandbox({
    webhooks: [{ url: receiver.url, secret: SECRET }],
    webhookDelivery: { retrySchedule: [20, 40, 80] },
  });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});
beforeEach(() => {
  sandbox.reset();
  receiver.deliveries.length = 0;
  receiver.respondWith(() => 200);
});
afterEach(() => sandbox.waitForWebhooks());

function verified(): Stripe.Event[] {
  return receiver.deliveries.map((delivery) => {
    sandbox.checkWebhookBody(delivery.body);
    return sandbox.stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET);
  });
}

describe('deliveries', () => {
  it('delivers each event signed so that constructEvent accepts it', async () => {
    const customer = await sandbox.stripe.customers.create({ email: 'hook@example.com' });
    await sandbox.stripe.customers.update(customer.id, { name: 'Ada' });
    await sandbox.waitForWebhooks();
    const events = verified();
    expect(events.map((event) => event.type)).toEqual(['customer.created', 'customer.updated']);
    const updated = events[1] as Stripe.CustomerUpdatedEvent;
    expect(updated.data.object.name).toBe('Ada');
    expect(updated.data.previous_attributes).toEqual({ name: null });
    expect(receiver.deliveries[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('signs with the delivery time and the endpoint secret, so tampering is caught', async () => {
    await sandbox.stripe.customers.create({});
    await sandbox.waitForWebhooks();
    const [delivery] = receiver.deliveries;
    if (!delivery) throw new Error('no delivery');
    const timestamp = Number(/t=(\d+)/.exec(delivery.signature)?.[1]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(() =>
      sandbox.stripe.webhooks.constructEvent(
        delivery.body.replace('"customer"', '"Customer"'),
        delivery.signature,
        SECRET,
      ),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() =>
      sandbox.stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_other'),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });

  it('fills request.id and idempotency_key for events a request caused', async () => {
    const response = await fetch(`${sandbox.url}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_1', 'Idempotency-Key': 'hook-key' },
      body: new URLSearchParams({ email: 'r@example.com' }),
    });
    await sandbox.waitForWebhooks();
    const [event] = verified();
    expect(event?.request).toEqual({
      id: response.headers.get('request-id'),
      idempotency_key: 'hook-key',
    });
    expect(event?.api_version).toBe('2026-10-28.endive');
    expect(event?.livemode).toBe(false);
  });

  it('retries a failing endpoint with back-off until it answers 2xx', async () => {
    receiver.respondWith((_delivery, index) => (index < 2 ? 500 : 200));
    const customer = await sandbox.stripe.customers.create({});
    await sandbox.waitForWebhooks();
    expect(receiver.deliveries).toHaveLength(3);
    const attempts = sandbox.deliveries().map((record) => [record.attempt, record.status]);
    expect(attempts).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const times = receiver.deliveries.map((delivery) => delivery.receivedAt);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(
      (times[1] ?? 0) - (times[0] ?? 0) - 5,
    );
    const [event] = (await sandbox.stripe.events.list({ type: 'customer.created' })).data;
    expect(event?.data.object).toMatchObject({ id: customer.id });
    expect(event?.pending_webhooks).toBe(0);
  });

  it('gives up after the schedule and leaves pending_webhooks at 1', async () => {
    receiver.respondWith(() => 503);
    await sandbox.stripe.customers.create({});
    await sandbox.waitForWebhooks();
    expect(receiver.deliveries).toHaveLength(4);
    const [event] = (await sandbox.stripe.events.list()).data;
    expect(event?.pending_webhooks).toBe(1);
    const failed = await sandbox.stripe.events.list({ delivery_success: false });
    expect(failed.data.map((e) => e.id)).toEqual([event?.id]);
  });

  it('counts a redirect as a failed delivery, as Stripe does, and does not follow it', async () => {
    // An endpoint whose host adds a trailing slash: 308 to /hooks/, which would answer 200.
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(request.url ?? '');
      request.resume();
      request.on('end', () => {
        if (request.url === '/hooks') {
          response.writeHead(308, { Location: '/hooks/' }).end();
        } else {
          response.writeHead(200).end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const endpoint = sandbox.addWebhookEndpoint({
      url: `http://127.0.0.1:${port}/hooks`,
      enabledEvents: ['customer.created'],
    });
    try {
      await sandbox.stripe.customers.create({});
      await sandbox.waitForWebhooks();
      const attempts = sandbox
        .deliveries()
        .filter((record) => record.endpointId === endpoint.id)
        .map((record) => [record.attempt, record.status]);
      expect(attempts).toEqual([
        [1, 308],
        [2, 308],
        [3, 308],
        [4, 308],
      ]);
      expect(hits).not.toContain('/hooks/');
      const [event] = (await sandbox.stripe.events.list({ type: 'customer.created' })).data;
      expect(event?.pending_webhooks).toBe(1);
    } finally {
      await sandbox.waitForWebhooks();
      await sandbox.stripe.webhookEndpoints.del(endpoint.id);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('sends only the events an endpoint enabled, and nothing to a disabled endpoint', async () => {
    const other = await startWebhookReceiver();
    try {
      const endpoint = await sandbox.stripe.webhookEndpoints.create({
        url: other.url,
        enabled_events: ['customer.deleted'],
      });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const customer = await sandbox.stripe.customers.create({});
      await sandbox.stripe.customers.del(customer.id);
      await sandbox.waitForWebhooks();
      const types = other.deliveries.map(
        (d) =>
          sandbox.stripe.webhooks.constructEvent(d.body, d.signature, endpoint.secret as string)
            .type,
      );
      expect(types).toEqual(['customer.deleted']);
      await sandbox.stripe.webhookEndpoints.update(endpoint.id, {
        disabled: true,
        enabled_events: ['*'],
      });
      await sandbox.stripe.customers.create({});
      await sandbox.waitForWebhooks();
      expect(other.deliveries).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('chaos on webhooks', () => {
  it('delivers every event twice with duplicates: 1', async () => {
    sandbox.chaos.set({ webhooks: { duplicates: 1 } });
    await sandbox.stripe.customers.create({});
    await sandbox.waitForWebhooks();
    const ids = verified().map((event) => event.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });

  it('shuffles the order of deliveries', async () => {
    sandbox.chaos.set({ webhooks: { shuffle: true, shuffleWindowMs: 300 } });
    const created: string[] = [];
    for (let index = 0; index < 12; index++)
      created.push((await sandbox.stripe.customers.create({})).id);
    await sandbox.waitForWebhooks();
    const delivered = verified().map((event) => (event.data.object as Stripe.Customer).id);
    expect([...delivered].sort()).toEqual([...created].sort());
    // 12 events in creation order after a random shuffle has a chance of 1 in 479 million.
    expect(delivered).not.toEqual(created);
  });

  it('delays deliveries', async () => {
    sandbox.chaos.set({ webhooks: { delayMs: 300 } });
    const started = Date.now();
    await sandbox.stripe.customers.create({});
    await sandbox.waitForWebhooks();
    expect((receiver.deliveries[0]?.receivedAt ?? 0) - started).toBeGreaterThanOrEqual(290);
  });
});

describe('events and webhook endpoints API', () => {
  it('retrieves and lists events, with type filters and wildcards', async () => {
    const customer = await sandbox.stripe.customers.create({});
    await sandbox.stripe.customers.update(customer.id, { name: 'x' });
    await sandbox.stripe.customers.del(customer.id);
    const all = await sandbox.stripe.events.list();
    expect(all.data.map((event) => event.type)).toEqual([
      'customer.deleted',
      'customer.updated',
      'customer.created',
    ]);
    const wildcard = await sandbox.stripe.events.list({ type: 'customer.*' });
    expect(wildcard.data).toHaveLength(3);
    const some = await sandbox.stripe.events.list({
      types: ['customer.created', 'customer.deleted'],
    });
    expect(some.data.map((event) => event.type)).toEqual(['customer.deleted', 'customer.created']);
    const one = await sandbox.stripe.events.retrieve(all.data[0]?.id as string);
    expect(one.type).toBe('customer.deleted');
    await expect(sandbox.stripe.events.retrieve('evt_missing')).rejects.toMatchObject({
      code: 'resource_missing',
    });
  });

  it('creates, retrieves, updates, lists and deletes endpoints; the secret is shown once', async () => {
    const endpoint = await sandbox.stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hooks',
      enabled_events: ['payment_intent.succeeded'],
      description: 'orders',
      metadata: { team: 'payments' },
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const retrieved = await sandbox.stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(retrieved.secret).toBeUndefined();
    expect(retrieved).toMatchObject({
      url: 'http://127.0.0.1:9/hooks',
      status: 'enabled',
      metadata: { team: 'payments' },
    });
    const updated = await sandbox.stripe.webhookEndpoints.update(endpoint.id, {
      enabled_events: ['*'],
      description: '',
    });
    expect(updated).toMatchObject({ enabled_events: ['*'], description: null });
    const list = await sandbox.stripe.webhookEndpoints.list();
    expect(list.data.map((e) => e.id)).toContain(endpoint.id);
    const deleted = await sandbox.stripe.webhookEndpoints.del(endpoint.id);
    expect(deleted).toMatchObject({ id: endpoint.id, deleted: true });
    await expect(sandbox.stripe.webhookEndpoints.retrieve(endpoint.id)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('refuses an endpoint URL that is not http(s)', async () => {
    await expect(
      sandbox.stripe.webhookEndpoints.create({ url: 'ftp://example.com/x', enabled_events: ['*'] }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'url' });
  });

  it('waits for deliveries over HTTP and lists their attempts', async () => {
    receiver.respondWith((_d, index) => (index === 0 ? 500 : 200));
    await sandbox.stripe.customers.create({});
    const headers = { Authorization: 'Bearer sk_test_1' };
    const wait = await fetch(`${sandbox.url}/v1/_sandbox/webhooks/wait`, {
      method: 'POST',
      headers,
    });
    expect(await wait.json()).toMatchObject({ pending: 0 });
    const list = await (
      await fetch(`${sandbox.url}/v1/_sandbox/webhooks/deliveries`, { headers })
    ).json();
    expect(list.data.map((d: { status: number }) => d.status)).toEqual([500, 200]);
  });
});
