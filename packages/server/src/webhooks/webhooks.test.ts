/**
 * Webhooks through HTTP against the in-process sandbox, on both engines (PGlite and a real
 * PostgreSQL 15): signatures, exactly-once under concurrent duplicates (also across two
 * instances sharing one PostgreSQL), failures and Stripe's retry, out-of-order events.
 */
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paymentMethods, payments, stripeEvents } from '../storage/schema.js';
import {
  ENGINES,
  eventually,
  ledgerRow,
  startTestApp,
  type TestApp,
  WEBHOOK_SECRET,
  webhookOutcomes,
} from '../test-support/harness.js';
import type { TillkitHooks } from './hooks.js';

/** What the hooks saw, and how the next calls should fail. */
const calls: Array<{ hook: string; eventId: string }> = [];
const behaviour: { failOnce: Set<string>; delayMs: number } = { failOnce: new Set(), delayMs: 0 };

async function record(hook: string, event: Stripe.Event) {
  calls.push({ hook, eventId: event.id });
  if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
  if (behaviour.failOnce.delete(event.type)) throw new Error(`hook failed on ${event.id}`);
}

const hooks: TillkitHooks = {
  onPaymentIntentSucceeded: (event) => record('onPaymentIntentSucceeded', event),
  onPaymentIntentCanceled: (event) => record('onPaymentIntentCanceled', event),
  onChargeRefunded: (event) => record('onChargeRefunded', event),
  onEvent: (event) => record('onEvent', event),
};

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ engine, router: { hooks } });
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    calls.length = 0;
    behaviour.failOnce.clear();
    behaviour.delayMs = 0;
  });

  const stripe = () => app.sandbox.stripe;

  /** Signs and posts an event body, as Stripe would (or as an attacker would, with options). */
  function deliver(
    event: object,
    options: { secret?: string; timestamp?: number; tamper?: (payload: string) => string } = {},
  ) {
    const payload = JSON.stringify(event, null, 2);
    const signature = stripe().webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? WEBHOOK_SECRET,
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    });
    return fetch(`${app.apiBase}/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
      body: options.tamper ? options.tamper(payload) : payload,
    });
  }

  /** The sandbox's events about one payment intent, oldest first. */
  async function eventsAbout(intentId: string): Promise<Stripe.Event[]> {
    const events = await stripe().events.list({ limit: 100 });
    // The sandbox's stripe-node is typed apart from the server's; the objects are the same.
    return (events.data as unknown as Stripe.Event[])
      .filter((event) => {
        const object = event.data.object as { id?: string; payment_intent?: string };
        return object.id === intentId || object.payment_intent === intentId;
      })
      .reverse();
  }

  const outcomes = () => webhookOutcomes(app);
  const ledger = (id: string) => ledgerRow(app, id);

  async function paymentRow(id: string) {
    const [row] = await app.database.db.select().from(payments).where(eq(payments.id, id));
    return row;
  }

  async function paidIntent() {
    const intent = await app.client().createPaymentIntent({
      items: [{ price: app.prices.tshirt?.id as string, quantity: 2 }],
    });
    await app.pay(intent.id);
    return intent.id;
  }

  it('refuses forged, stale, tampered and unsigned deliveries with a 400', async () => {
    await app.pauseWebhooks();
    calls.length = 0;
    const intentId = await paidIntent();
    const [event] = (await eventsAbout(intentId)).filter(
      (e) => e.type === 'payment_intent.succeeded',
    );
    const before = await outcomes();
    const forged = await deliver(event as object, { secret: 'whsec_someone_else' });
    const stale = await deliver(event as object, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    const tampered = await deliver(event as object, {
      tamper: (payload) => payload.replace('"amount": 5000', '"amount": 1'),
    });
    const unsigned = await fetch(`${app.apiBase}/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
    });
    for (const response of [forged, stale, tampered, unsigned]) {
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('webhook_signature_invalid');
    }
    expect((await outcomes()).rejected).toBe((before.rejected ?? 0) + 4);
    // Nothing was recorded or stored from them.
    expect(await ledger((event as Stripe.Event).id)).toBeUndefined();
    expect((await paymentRow(intentId))?.status).toBe('requires_payment_method');
    expect(calls).toEqual([]);
    // The genuine delivery is accepted.
    expect((await deliver(event as object)).status).toBe(200);
    expect((await paymentRow(intentId))?.status).toBe('succeeded');
    await app.resumeWebhooks();
  });

  it('a storm of concurrent duplicates is handled once; the others wait and answer 2xx', async () => {
    await app.pauseWebhooks();
    const intentId = await paidIntent();
    const event = (await eventsAbout(intentId)).find(
      (e) => e.type === 'payment_intent.succeeded',
    ) as Stripe.Event;
    const before = await outcomes();
    // The first delivery is slow (its hook takes a while): the rest arrive while it is handled.
    behaviour.delayMs = 300;
    const first = deliver(event);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rest = await Promise.all(Array.from({ length: 24 }, () => deliver(event)));
    const responses = [await first, ...rest];
    expect(responses.map((response) => response.status)).toEqual(Array(25).fill(200));
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(bodies.filter((body) => body.duplicate === false)).toHaveLength(1);
    expect(calls.filter((call) => call.hook === 'onPaymentIntentSucceeded')).toEqual([
      { hook: 'onPaymentIntentSucceeded', eventId: event.id },
    ]);
    const after = await outcomes();
    expect((after.processed ?? 0) - (before.processed ?? 0)).toBe(1);
    expect((after.duplicate ?? 0) - (before.duplicate ?? 0)).toBe(24);
    expect(await ledger(event.id)).toMatchObject({
      status: 'handled',
      attempts: 1,
      type: 'payment_intent.succeeded',
    });
    expect((await paymentRow(intentId))?.status).toBe('succeeded');
    await app.resumeWebhooks();
  });

  it('a hook that throws answers 5xx and leaves the event unhandled; Stripe’s retry handles it', async () => {
    const intent = await app.client().createPaymentIntent({
      items: [{ price: app.prices.tshirt?.id as string, quantity: 1 }],
    });
    await app.sandbox.waitForWebhooks();
    behaviour.failOnce.add('payment_intent.canceled');
    await stripe().paymentIntents.cancel(intent.id);
    await app.sandbox.waitForWebhooks();
    const event = (await eventsAbout(intent.id)).find(
      (e) => e.type === 'payment_intent.canceled',
    ) as Stripe.Event;
    const attempts = app.sandbox
      .deliveries()
      .filter(
        (delivery) =>
          delivery.eventId === event.id && delivery.endpointId === app.webhookEndpointId,
      );
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    // At-least-once hooks: called on the failed attempt and again on the retry.
    expect(calls.filter((call) => call.hook === 'onPaymentIntentCanceled')).toHaveLength(2);
    expect(await ledger(event.id)).toMatchObject({
      status: 'handled',
      attempts: 2,
      lastError: null,
    });
    expect((await paymentRow(intent.id))?.status).toBe('canceled');
    expect((await outcomes()).failed).toBeGreaterThanOrEqual(1);
  });

  it('a failure rolls back the state it stored, and the ledger says why', async () => {
    await app.pauseWebhooks();
    const intentId = await paidIntent();
    const event = (await eventsAbout(intentId)).find(
      (e) => e.type === 'payment_intent.succeeded',
    ) as Stripe.Event;
    behaviour.failOnce.add('payment_intent.succeeded');
    const failed = await deliver(event);
    expect(failed.status).toBe(500);
    expect((await failed.json()).error.code).toBe('webhook_handler_failed');
    expect(await ledger(event.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: `hook failed on ${event.id}`,
    });
    // The payment row the handler wrote before the hook threw was rolled back with it.
    expect((await paymentRow(intentId))?.status).toBe('requires_payment_method');
    const retried = await deliver(event);
    expect(retried.status).toBe(200);
    expect(await ledger(event.id)).toMatchObject({ status: 'handled', attempts: 2 });
    expect((await paymentRow(intentId))?.status).toBe('succeeded');
    await app.resumeWebhooks();
  });

  it('late and out-of-order events never take the state back', async () => {
    await app.pauseWebhooks();
    const intent = await app.client().createPaymentIntent({
      items: [{ price: app.prices.tshirt?.id as string, quantity: 2 }],
    });
    await app.pay(intent.id, 'pm_card_chargeDeclined').catch(() => {});
    await app.pay(intent.id);
    await stripe().refunds.create({ payment_intent: intent.id, amount: 1200 });
    const events = await eventsAbout(intent.id);
    const wanted = ['payment_intent.payment_failed', 'payment_intent.succeeded', 'charge.refunded'];
    const ordered = wanted.map(
      (type) => events.find((event) => event.type === type) as Stripe.Event,
    );
    expect(ordered.every(Boolean)).toBe(true);
    // Newest first, then a late duplicate of the oldest.
    for (const event of [...ordered].reverse()) expect((await deliver(event)).status).toBe(200);
    expect((await deliver(ordered[0] as Stripe.Event)).status).toBe(200);
    expect(await paymentRow(intent.id)).toMatchObject({
      status: 'succeeded',
      amount: 5000,
      amountRefunded: 1200,
    });

    // A card: detached before the attach event arrives.
    const setup = await app.client(await app.token('grace')).createSetupIntent();
    const confirmed = await stripe().setupIntents.confirm(setup.id, {
      payment_method: 'pm_card_visa',
      return_url: 'http://localhost:5173/done',
    });
    const cardId = confirmed.payment_method as string;
    await stripe().paymentMethods.detach(cardId);
    const cardEvents = (await stripe().events.list({ limit: 100 })).data.filter(
      (event) =>
        (event.data.object as { id?: string }).id === cardId ||
        (event.data.object as { id?: string }).id === setup.id,
    );
    const byType = (type: string) =>
      cardEvents.find((event) => event.type === type) as Stripe.Event;
    for (const type of [
      'payment_method.detached',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]) {
      expect((await deliver(byType(type))).status).toBe(200);
    }
    const [card] = await app.database.db
      .select()
      .from(paymentMethods)
      .where(eq(paymentMethods.id, cardId));
    expect(card).toMatchObject({ stripeCustomerId: null, last4: '4242' });
    await app.resumeWebhooks();
  });

  it('shuffled and duplicated deliveries end where Stripe is', async () => {
    app.sandbox.chaos.set({ webhooks: { duplicates: 2, shuffle: true, shuffleWindowMs: 150 } });
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const intent = await app.client().createPaymentIntent({
        items: [{ price: app.prices.tshirt?.id as string, quantity: index + 1 }],
      });
      await app.pay(intent.id, 'pm_card_chargeDeclined').catch(() => {});
      await app.pay(intent.id);
      if (index > 0)
        await stripe().refunds.create({ payment_intent: intent.id, amount: 100 * index });
      ids.push(intent.id);
    }
    await app.sandbox.waitForWebhooks(20_000);
    app.sandbox.chaos.reset();
    for (const [index, id] of ids.entries()) {
      expect(await paymentRow(id)).toMatchObject({
        status: 'succeeded',
        amount: 2500 * (index + 1),
        amountRefunded: 100 * index,
      });
    }
    const succeeded = calls.filter((call) => call.hook === 'onPaymentIntentSucceeded');
    expect(new Set(succeeded.map((call) => call.eventId)).size).toBe(3);
    expect(succeeded).toHaveLength(3);
  });
});

describe('two instances sharing one PostgreSQL', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({ engine: 'postgres', router: { hooks } });
    second = await startTestApp({
      database: await first.testDatabase?.reopen(),
      sandbox: first.sandbox,
      registerWebhook: false,
      router: { hooks },
    });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });
  beforeEach(() => {
    calls.length = 0;
    behaviour.delayMs = 0;
  });

  it('handle a storm of duplicates split between them once', async () => {
    await first.pauseWebhooks();
    const intent = await first.client().createPaymentIntent({
      items: [{ price: first.prices.tshirt?.id as string, quantity: 1 }],
    });
    await first.pay(intent.id);
    const event = (
      await first.sandbox.stripe.events.list({ type: 'payment_intent.succeeded', limit: 10 })
    ).data.find(
      (candidate) => (candidate.data.object as { id: string }).id === intent.id,
    ) as Stripe.Event;
    const payload = JSON.stringify(event);
    behaviour.delayMs = 200;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        fetch(`${(index % 2 ? second : first).apiBase}/webhooks`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Stripe-Signature': first.sandbox.stripe.webhooks.generateTestHeaderString({
              payload,
              secret: WEBHOOK_SECRET,
            }),
          },
          body: payload,
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(calls.filter((call) => call.hook === 'onPaymentIntentSucceeded')).toHaveLength(1);
    const [row] = await first.database.db
      .select()
      .from(stripeEvents)
      .where(eq(stripeEvents.id, event.id));
    expect(row).toMatchObject({ status: 'handled', attempts: 1 });
    await eventually(async () => {
      const [payment] = await second.database.db
        .select()
        .from(payments)
        .where(eq(payments.id, intent.id));
      expect(payment?.status).toBe('succeeded');
    });
    await first.resumeWebhooks();
  });
});
