/**
 * `PATCH /payment-intents/:id` and Checkout's intents, counted in Stripe calls: an intent marked as
 * made by `POST /payment-intents` is re-priced without listing Checkout Sessions; an unmarked one
 * (made before the marker) is still looked for among them, and a Checkout page's is never marked.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorBody,
  FRONTEND,
  startTestApp,
  stripeRequestLog,
  type TestApp,
} from '../test-support/harness.js';

let app: TestApp;
const stripeRequests = stripeRequestLog();
const { calls } = stripeRequests;

beforeAll(async () => {
  app = await startTestApp({
    router: { rateLimit: false },
    beforeStripeRequest: stripeRequests.record,
  });
});
afterAll(() => app?.close());
beforeEach(async () => {
  await app.sandbox.waitForWebhooks(); // Their handlers call Stripe too.
  stripeRequests.clear();
});

const price = (key: string) => app.prices[key]?.id as string;
const LIST_SESSIONS = 'GET /v1/checkout/sessions';

const patch = (id: string, body: object) =>
  app.fetch(`/payment-intents/${id}`, { method: 'PATCH', body: JSON.stringify(body) });

describe('PATCH /payment-intents/:id', () => {
  it('re-prices an intent POST /payment-intents made without listing Checkout Sessions', async () => {
    const intent = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    const stored = await app.sandbox.stripe.paymentIntents.retrieve(intent.id);
    expect(stored.metadata).toMatchObject({ tillkit: 'true', tillkit_origin: 'payment_intents' });
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();

    const response = await patch(intent.id, {
      items: [{ price: price('mug'), quantity: 2 }],
      clientSecret: intent.clientSecret,
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { amount: number }).amount).toBe(
      2 * (app.prices.mug?.unit_amount as number),
    );
    expect(calls).not.toContain(LIST_SESSIONS);
    expect(calls.slice(0, 3)).toEqual([
      `GET /v1/payment_intents/${intent.id}`,
      `GET /v1/prices/${price('mug')}`,
      `POST /v1/payment_intents/${intent.id}`,
    ]);
    // The re-pricing keeps the marker (Stripe merges metadata).
    const updated = await app.sandbox.stripe.paymentIntents.retrieve(intent.id);
    expect(updated.metadata.tillkit_origin).toBe('payment_intents');
  });

  it('still asks Checkout Sessions about an unmarked intent, made before the marker', async () => {
    const legacy = await app.sandbox.stripe.paymentIntents.create({
      amount: app.prices.tshirt?.unit_amount as number,
      currency: 'usd',
      automatic_payment_methods: { enabled: true },
      metadata: { tillkit: 'true', tillkit_items: `${price('tshirt')}:1` },
    });
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();

    const response = await patch(legacy.id, {
      items: [{ price: price('tshirt'), quantity: 3 }],
      clientSecret: legacy.client_secret,
    });
    expect(response.status).toBe(200);
    expect(calls).toContain(LIST_SESSIONS);
  });

  it('a Checkout page’s intent is never marked, so it is looked for and refused', async () => {
    const page = await app.client().createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('tshirt'), quantity: 1 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    });
    await (await app.openCheckout(page.url)).submit({ number: '4000 0000 0000 0002' });
    const session = await app.sandbox.stripe.checkout.sessions.retrieve(page.id);
    const intent = await app.sandbox.stripe.paymentIntents.retrieve(
      session.payment_intent as string,
    );
    expect(intent.metadata.tillkit).toBe('true');
    expect(intent.metadata).not.toHaveProperty('tillkit_origin');
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();

    const response = await patch(intent.id, {
      items: [{ price: price('tshirt'), quantity: 1 }],
      clientSecret: intent.client_secret,
    });
    expect(response.status).toBe(404);
    expect((await errorBody(response)).code).toBe('not_found');
    expect(calls).toContain(LIST_SESSIONS);
  });
});
