/**
 * Pricing a cart through HTTP against the sandbox: what it costs in Stripe calls (the cached
 * catalog answers what it can, made-up ids end the pricing at the first), and that prices read
 * fresh still decide what sells.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorBody,
  startTestApp,
  stripeRequestLog,
  type TestApp,
} from '../test-support/harness.js';

let app: TestApp;
/** The server's Stripe requests, as `GET /v1/prices/price_…`. */
const stripeRequests = stripeRequestLog();
const { calls } = stripeRequests;

beforeAll(async () => {
  app = await startTestApp({
    router: { rateLimit: false },
    beforeStripeRequest: stripeRequests.record,
  });
  await app.client().listPrices(); // The catalog is cached, as on a shop's first page.
});
afterAll(() => app?.close());
beforeEach(async () => {
  await app.sandbox.waitForWebhooks(); // Their handlers call Stripe too.
  stripeRequests.clear();
});

const price = (key: string) => app.prices[key]?.id as string;
const priceReads = () => calls.filter((call) => call.startsWith('GET /v1/prices/'));
const madeUp = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ price: `price_madeup${index}`, quantity: 1 }));

describe('pricing a cart', () => {
  it('stops at the first price that is not for sale: 50 made-up ids cost one Stripe call', async () => {
    const response = await app.fetch('/payment-intents', {
      method: 'POST',
      body: JSON.stringify({ items: madeUp(50) }),
    });
    expect(response.status).toBe(400);
    expect(await errorBody(response)).toMatchObject({
      code: 'price_unavailable',
      param: 'items[0].price',
    });
    expect(priceReads()).toEqual(['GET /v1/prices/price_madeup0']);
  });

  it('re-pricing a guest intent with made-up ids costs the intent and one price', async () => {
    const intent = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();
    const response = await app.fetch(`/payment-intents/${intent.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ items: madeUp(50), clientSecret: intent.clientSecret }),
    });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('price_unavailable');
    expect(calls).toEqual([`GET /v1/payment_intents/${intent.id}`, 'GET /v1/prices/price_madeup0']);
  });

  it('refuses a subscription price the catalog lists without asking Stripe, naming the first line at fault', async () => {
    const response = await app.fetch('/payment-intents', {
      method: 'POST',
      body: JSON.stringify({
        items: [
          { price: price('tshirt'), quantity: 1 },
          { price: price('pro_monthly'), quantity: 1 },
          { price: 'price_madeup', quantity: 1 },
        ],
      }),
    });
    expect(await errorBody(response)).toMatchObject({
      code: 'recurring_price_not_allowed',
      param: 'items[1].price',
    });
    expect(priceReads()).toEqual([]);
  });

  it('reads each listed price fresh, once, and prices the cart from what Stripe says', async () => {
    const intent = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 2 }] });
    expect(intent.amount).toBe(2 * (app.prices.tshirt?.unit_amount as number));
    expect(priceReads()).toEqual([`GET /v1/prices/${price('tshirt')}`]);
  });

  it('sells a price created after the catalog was cached, and refuses one archived since', async () => {
    const created = await app.sandbox.stripe.prices.create({
      product: app.prices.tshirt?.product as string,
      unit_amount: 1234,
      currency: 'usd',
    });
    const fresh = await app
      .client()
      .createPaymentIntent({ items: [{ price: created.id, quantity: 1 }] });
    expect(fresh.amount).toBe(1234);
    await app.sandbox.stripe.prices.update(created.id, { active: false });
    const response = await app.fetch('/payment-intents', {
      method: 'POST',
      body: JSON.stringify({ items: [{ price: created.id, quantity: 1 }] }),
    });
    expect(await errorBody(response)).toMatchObject({ code: 'price_unavailable' });

    // One the cached catalog lists, archived since: read fresh, so refused all the same.
    const listed = price('tshirt_kwd');
    await app.sandbox.stripe.prices.update(listed, { active: false });
    try {
      const archived = await app.fetch('/payment-intents', {
        method: 'POST',
        body: JSON.stringify({ items: [{ price: listed, quantity: 1 }] }),
      });
      expect(await errorBody(archived)).toMatchObject({
        code: 'price_unavailable',
        param: 'items[0].price',
      });
    } finally {
      await app.sandbox.stripe.prices.update(listed, { active: true });
    }
  });
});
