/**
 * Prices that Stripe does not bill at `unit_amount × quantity` (tiered, package, metered,
 * customer-chosen), through HTTP against the sandbox: the server would charge them wrongly, so it
 * neither lists nor sells them.
 */
import { pricesResponse } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody, FRONTEND, startTestApp, type TestApp } from '../test-support/harness.js';

let app: TestApp;
let token: string;
let product: Stripe.Product;
let onlyTiered: Stripe.Product;
const odd: Record<'tiered' | 'packaged' | 'metered' | 'custom' | 'tieredOnly', Stripe.Price> =
  {} as never;
let plain: Stripe.Price;

beforeAll(async () => {
  app = await startTestApp({ router: { rateLimit: false } });
  token = await app.token('pat');
  const stripe = app.sandbox.stripe;
  product = await stripe.products.create({ name: 'Odd pricing' });
  onlyTiered = await stripe.products.create({ name: 'Only tiered' });
  const base = { product: product.id, currency: 'usd' } as const;
  plain = await stripe.prices.create({ ...base, unit_amount: 700 });
  odd.tiered = await stripe.prices.create({
    ...base,
    billing_scheme: 'tiered',
    tiers_mode: 'volume',
    tiers: [
      { up_to: 5, unit_amount: 1000 },
      { up_to: 'inf', unit_amount: 800 },
    ],
    recurring: { interval: 'month' },
  });
  odd.packaged = await stripe.prices.create({
    ...base,
    unit_amount: 1000,
    transform_quantity: { divide_by: 10, round: 'up' },
  });
  odd.metered = await stripe.prices.create({
    ...base,
    unit_amount: 5,
    recurring: { interval: 'month', usage_type: 'metered', meter: 'mtr_test_api_calls' },
  });
  odd.custom = await stripe.prices.create({ ...base, custom_unit_amount: { enabled: true } });
  odd.tieredOnly = await stripe.prices.create({
    product: onlyTiered.id,
    currency: 'usd',
    billing_scheme: 'tiered',
    tiers_mode: 'graduated',
    tiers: [{ up_to: 'inf', unit_amount: 300 }],
  });
});
afterAll(() => app?.close());

const post = (path: string, body: object) =>
  app.fetch(path, { method: 'POST', body: JSON.stringify(body), token });

describe('prices not charged unit_amount × quantity', () => {
  it('are left out of GET /prices (a product with only such prices too), each logged once', async () => {
    const { products } = pricesResponse.parse(await app.client().listPrices());
    const listed = products.find((entry) => entry.id === product.id);
    expect(listed?.prices.map((price) => price.id)).toEqual([plain.id]);
    expect(products.map((entry) => entry.id)).not.toContain(onlyTiered.id);
    const logged = app.logs.lines.filter((line) => line.includes(`Price ${odd.tiered.id} is not`));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('tiered');
  });

  it('are refused in a cart as not for sale, naming the line', async () => {
    for (const price of [odd.packaged, odd.custom, odd.tieredOnly]) {
      const response = await post('/payment-intents', {
        items: [
          { price: plain.id, quantity: 1 },
          { price: price.id, quantity: 3 },
        ],
      });
      expect(response.status, price.id).toBe(400);
      expect(await errorBody(response)).toMatchObject({
        code: 'price_unavailable',
        param: 'items[1].price',
      });
    }
  });

  it('are refused for a subscription, its preview and Checkout', async () => {
    for (const price of [odd.tiered, odd.metered]) {
      for (const path of ['/subscriptions', '/subscriptions/preview']) {
        const response = await post(path, { price: price.id });
        expect(response.status, `${path} ${price.id}`).toBe(400);
        expect(await errorBody(response)).toMatchObject({
          code: 'price_unavailable',
          param: 'price',
        });
      }
      const subscriptionPage = await post('/checkout-sessions', {
        mode: 'subscription',
        price: price.id,
        successUrl: `${FRONTEND}/thanks`,
        cancelUrl: `${FRONTEND}/cart`,
      });
      expect(await errorBody(subscriptionPage)).toMatchObject({ code: 'price_unavailable' });
    }
    const paymentPage = await post('/checkout-sessions', {
      mode: 'payment',
      items: [{ price: odd.custom.id, quantity: 1 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    });
    expect(paymentPage.status).toBe(400);
    expect(await errorBody(paymentPage)).toMatchObject({
      code: 'price_unavailable',
      param: 'items[0].price',
    });
    const sessions = await app.sandbox.stripe.checkout.sessions.list({ limit: 100 });
    expect(sessions.data).toEqual([]);
    const subscriptions = await app.sandbox.stripe.subscriptions.list({ limit: 100 });
    expect(subscriptions.data).toEqual([]);
  });

  it('still sells the per-unit price beside them', async () => {
    const response = await post('/payment-intents', { items: [{ price: plain.id, quantity: 3 }] });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { amount: number }).amount).toBe(2100);
  });
});
