/**
 * Payment intents, payments and refunds through HTTP with the typed client, against the
 * in-process sandbox and the embedded database.
 */
import {
  configResponse,
  paymentIntentResponse,
  paymentsResponse,
  pricesResponse,
} from '@tillkit/protocol';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorBody,
  eventually,
  expectApiError,
  FRONTEND,
  startTestApp,
  type TestApp,
} from '../test-support/harness.js';

let app: TestApp;
let alice: string;
let bob: string;
let admin: string;

beforeAll(async () => {
  // Every guest here is one caller (one address): this file's guest requests would pass the
  // default 60 a minute, which safety.test.ts tests.
  app = await startTestApp({ router: { rateLimit: { limit: 600, windowMs: 60_000 } } });
  [alice, bob, admin] = await Promise.all([
    app.token('alice', 'user', 'alice@example.com'),
    app.token('bob'),
    app.token('ada', 'admin'),
  ]);
});
afterAll(() => app?.close());

const price = (key: string) => app.prices[key]?.id as string;

describe('health, readiness and config', () => {
  it('GET /health and /ready answer ok', async () => {
    expect(await app.client().health()).toEqual({ ok: true });
    expect(await app.client().ready()).toEqual({
      ok: true,
      checks: { database: 'ok', stripe: 'ok' },
    });
  });

  it('GET /config gives the publishable key and, in sandbox mode, the sandbox origin', async () => {
    const config = await app.client().getConfig();
    expect(configResponse.parse(config)).toEqual({
      publishableKey: app.sandbox.publishableKey,
      mode: 'sandbox',
      sandbox: { apiBase: app.sandbox.url },
      promotionCodes: false,
      oneSubscriptionPerCustomer: false,
    });
    expect(new URL(config.sandbox?.apiBase as string).pathname).toBe('/');
  });
});

describe('GET /prices', () => {
  it('lists active products with their features, prices, intervals and trials', async () => {
    const { products } = pricesResponse.parse(await app.client().listPrices());
    expect(products.map((product) => product.name)).toEqual([
      'Starter',
      'Pro',
      'Tillkit T-shirt',
      'Tillkit Mug',
    ]);
    const pro = products.find((product) => product.id === 'prod_tillkit_pro');
    expect(pro?.features).toContain('Subscriptions with trials and proration');
    expect(pro?.prices).toEqual([
      {
        id: price('pro_monthly'),
        unitAmount: 2900,
        currency: 'usd',
        type: 'recurring',
        interval: 'month',
        intervalCount: 1,
        trialPeriodDays: 14,
      },
      {
        id: price('pro_yearly'),
        unitAmount: 29000,
        currency: 'usd',
        type: 'recurring',
        interval: 'year',
        intervalCount: 1,
      },
    ]);
    const mug = products.find((product) => product.id === 'prod_tillkit_mug');
    expect(mug?.prices).toEqual([
      { id: price('mug'), unitAmount: 1400, currency: 'usd', type: 'one_time' },
      { id: price('mug_jpy'), unitAmount: 1500, currency: 'jpy', type: 'one_time' },
    ]);
  });

  it('leaves out inactive prices (after the cache expires)', async () => {
    const extra = await app.sandbox.stripe.prices.create({
      product: 'prod_tillkit_mug',
      currency: 'jpy',
      unit_amount: 999,
    });
    await app.sandbox.stripe.prices.update(extra.id, { active: false });
    // A router with no cache sees Stripe as it is now.
    const { products } = await app.router.services.catalog.list();
    const ids = products.flatMap((product) => product.prices.map((p) => p.id));
    expect(ids).not.toContain(extra.id);
  });
});

describe('POST /payment-intents', () => {
  it('computes the amount from the prices, for a guest', async () => {
    const intent = paymentIntentResponse.parse(
      await app.client().createPaymentIntent({
        items: [
          { price: price('tshirt'), quantity: 3 },
          {
            price: (
              await app.sandbox.stripe.prices.create({
                product: 'prod_tillkit_tshirt',
                currency: 'usd',
                unit_amount: 499,
              })
            ).id,
            quantity: 2,
          },
        ],
      }),
    );
    expect(intent).toMatchObject({
      amount: 3 * 2500 + 2 * 499,
      currency: 'usd',
      status: 'requires_payment_method',
    });
    const stored = await app.sandbox.stripe.paymentIntents.retrieve(intent.id);
    expect(stored.amount).toBe(8498);
    expect(stored.customer).toBeNull();
    expect(intent.clientSecret).toBe(stored.client_secret);
  });

  it('handles three-decimal and zero-decimal currencies in minor units', async () => {
    const kwd = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('tshirt_kwd'), quantity: 2 }] });
    expect(kwd).toMatchObject({ amount: 15000, currency: 'kwd' });
    const jpy = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('mug_jpy'), quantity: 1 }] });
    expect(jpy).toMatchObject({ amount: 1500, currency: 'jpy' });
  });

  it('never uses an amount sent by the client: the field is refused', async () => {
    const response = await app.fetch('/payment-intents', {
      method: 'POST',
      body: JSON.stringify({ items: [{ price: price('tshirt'), quantity: 1 }], amount: 1 }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({
      code: 'invalid_request',
      param: 'amount',
    });
  });

  it('attaches an identified caller’s customer, made once and linked to the user', async () => {
    const [first, second] = await Promise.all([
      app.client(alice).createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] }),
      app.client(alice).createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] }),
    ]);
    const [a, b] = await Promise.all([
      app.sandbox.stripe.paymentIntents.retrieve(first.id),
      app.sandbox.stripe.paymentIntents.retrieve(second.id),
    ]);
    expect(a.customer).toMatch(/^cus_/);
    expect(b.customer).toBe(a.customer);
    const customers = await app.sandbox.stripe.customers.list({ email: 'alice@example.com' });
    expect(customers.data).toHaveLength(1);
    expect(customers.data[0]?.metadata.tillkit_user_id).toBe('alice');
  });

  it('makes the customer without an email Stripe would refuse, rather than not at all', async () => {
    // A token's address of a kind Stripe answers `email_invalid` (no dot in the domain).
    const carol = await app.token('carol', 'user', 'carol@localhost');
    const intent = await app
      .client(carol)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    const { customer } = await app.sandbox.stripe.paymentIntents.retrieve(intent.id);
    const made = await app.sandbox.stripe.customers.retrieve(String(customer));
    expect(made).toMatchObject({ email: null, metadata: { tillkit_user_id: 'carol' } });
  });

  it("answers a cart under Stripe's minimum charge with a 400, not a 500", async () => {
    // Stripe charges at least $0.50: https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
    const sticker = await app.sandbox.stripe.prices.create({
      product: 'prod_tillkit_tshirt',
      currency: 'usd',
      unit_amount: 25,
    });
    const client = app.client();
    const intent = await expectApiError(
      client.createPaymentIntent({ items: [{ price: sticker.id, quantity: 1 }] }),
      400,
      'stripe_invalid_request',
    );
    expect(intent.message).toBe('Amount must be at least $0.50 usd');
    const session = await expectApiError(
      client.createCheckoutSession({
        mode: 'payment',
        items: [{ price: sticker.id, quantity: 1 }],
        successUrl: 'http://localhost:5173/done?session_id={CHECKOUT_SESSION_ID}',
        cancelUrl: 'http://localhost:5173/cart',
      }),
      400,
      'stripe_invalid_request',
    );
    expect(session.message).toMatch(/at least \$0\.50 usd$/);
    // Two of them reach the minimum.
    const paid = await client.createPaymentIntent({ items: [{ price: sticker.id, quantity: 2 }] });
    expect(paid.amount).toBe(50);
    await app.sandbox.stripe.prices.update(sticker.id, { active: false });
  });

  it('refuses quantities outside 1–99, unknown, inactive and recurring prices, mixed currencies', async () => {
    const client = app.client();
    const tshirt = price('tshirt');
    for (const quantity of [0, 100, 1.5]) {
      const error = await expectApiError(
        client.createPaymentIntent({ items: [{ price: tshirt, quantity }] }),
        400,
        'invalid_request',
      );
      expect(error.param).toBe('items[0].quantity');
    }
    const unknown = await expectApiError(
      client.createPaymentIntent({ items: [{ price: 'price_doesnotexist', quantity: 1 }] }),
      400,
      'price_unavailable',
    );
    expect(unknown.param).toBe('items[0].price');
    const retired = await app.sandbox.stripe.prices.create({
      product: 'prod_tillkit_tshirt',
      currency: 'usd',
      unit_amount: 100,
    });
    await app.sandbox.stripe.prices.update(retired.id, { active: false });
    await expectApiError(
      client.createPaymentIntent({ items: [{ price: retired.id, quantity: 1 }] }),
      400,
      'price_unavailable',
    );
    const recurring = await expectApiError(
      client.createPaymentIntent({
        items: [
          { price: tshirt, quantity: 1 },
          { price: price('pro_monthly'), quantity: 1 },
        ],
      }),
      400,
      'recurring_price_not_allowed',
    );
    expect(recurring.param).toBe('items[1].price');
    const mixed = await expectApiError(
      client.createPaymentIntent({
        items: [
          { price: tshirt, quantity: 1 },
          { price: price('mug_jpy'), quantity: 1 },
        ],
      }),
      400,
      'currency_mismatch',
    );
    expect(mixed.param).toBe('items[1].price');
    await expectApiError(client.createPaymentIntent({ items: [] }), 400, 'invalid_request');
    await expectApiError(
      client.createPaymentIntent({
        items: [
          { price: tshirt, quantity: 1 },
          { price: tshirt, quantity: 2 },
        ],
      }),
      400,
      'invalid_request',
    );
  });

  it('refuses to save a card for a guest', async () => {
    const error = await expectApiError(
      app.client().createPaymentIntent({
        items: [{ price: price('tshirt'), quantity: 1 }],
        savePaymentMethod: true,
      }),
      401,
      'unauthenticated',
    );
    expect(error.param).toBe('savePaymentMethod');
  });

  it('an Idempotency-Key makes a retry return the same intent; reused with another cart: 409', async () => {
    const key = crypto.randomUUID();
    const body = { items: [{ price: price('tshirt'), quantity: 2 }] };
    const first = await app.client(bob).createPaymentIntent(body, { idempotencyKey: key });
    const again = await app.client(bob).createPaymentIntent(body, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    // Another caller with the same key gets their own intent.
    const other = await app.client(alice).createPaymentIntent(body, { idempotencyKey: key });
    expect(other.id).not.toBe(first.id);
    // A guest's key is not a user's, even a user whose id is `guest`.
    const guest = await app.client().createPaymentIntent(body, { idempotencyKey: key });
    const named = await app
      .client(await app.token('guest'))
      .createPaymentIntent(body, { idempotencyKey: key });
    expect(new Set([first.id, other.id, guest.id, named.id]).size).toBe(4);
    await expectApiError(
      app
        .client(bob)
        .createPaymentIntent(
          { items: [{ price: price('tshirt'), quantity: 3 }] },
          { idempotencyKey: key },
        ),
      409,
      'idempotency_key_reused',
    );
  });

  it('a retry after a lost answer gets the same intent, never a second one', async () => {
    const key = crypto.randomUUID();
    const body = { items: [{ price: price('mug_jpy'), quantity: 7 }] };
    const count = async () =>
      (await app.sandbox.stripe.paymentIntents.list({ limit: 100 })).data.length;
    const before = await count();
    // Stripe is slow; the browser gives up, but the server goes on and makes the intent.
    app.sandbox.chaos.set({ api: { latencyMs: 700 } });
    const gaveUp = app
      .client(bob)
      .createPaymentIntent(body, { idempotencyKey: key, signal: AbortSignal.timeout(300) });
    await expect(gaveUp).rejects.toThrow();
    const retried = await retryUntilDone(() =>
      app.client(bob).createPaymentIntent(body, { idempotencyKey: key }),
    );
    app.sandbox.chaos.reset();
    await app.sandbox.waitForWebhooks();
    expect(await count()).toBe(before + 1);
    expect(retried.amount).toBe(7 * 1500);
  });
});

/** What a careful client does: retry 409 (in progress) and 5xx with the same Idempotency-Key. */
async function retryUntilDone<T>(call: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = (error as { status?: number }).status ?? 0;
      if (attempt >= attempts || (status !== 409 && status < 500)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

describe('PATCH /payment-intents/:id', () => {
  it('re-prices the caller’s own unpaid intent; someone else’s is a 404', async () => {
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    const updated = await app.client(alice).updatePaymentIntent(intent.id, {
      items: [{ price: price('tshirt'), quantity: 4 }],
    });
    expect(updated).toMatchObject({
      id: intent.id,
      amount: 10_000,
      clientSecret: intent.clientSecret,
    });
    expect((await app.sandbox.stripe.paymentIntents.retrieve(intent.id)).amount).toBe(10_000);
    await expectApiError(
      app
        .client(bob)
        .updatePaymentIntent(intent.id, { items: [{ price: price('tshirt'), quantity: 1 }] }),
      404,
      'not_found',
    );
    // Even with the client secret: it is a customer's intent, not a guest's.
    await expectApiError(
      app.client().updatePaymentIntent(intent.id, {
        items: [{ price: price('tshirt'), quantity: 1 }],
        clientSecret: intent.clientSecret,
      }),
      404,
      'not_found',
    );
  });

  it('a guest proves the intent is theirs with its client secret', async () => {
    const intent = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    await expectApiError(
      app
        .client()
        .updatePaymentIntent(intent.id, { items: [{ price: price('tshirt'), quantity: 2 }] }),
      404,
      'not_found',
    );
    await expectApiError(
      app.client().updatePaymentIntent(intent.id, {
        items: [{ price: price('tshirt'), quantity: 2 }],
        clientSecret: `${intent.clientSecret}x`,
      }),
      404,
      'not_found',
    );
    const updated = await app.client().updatePaymentIntent(intent.id, {
      items: [{ price: price('tshirt'), quantity: 2 }],
      clientSecret: intent.clientSecret,
    });
    expect(updated.amount).toBe(5000);
  });

  it('savePaymentMethod changed after a decline sets or clears setup_future_usage; a guest cannot save', async () => {
    const items = [{ price: price('tshirt'), quantity: 1 }];
    const intent = await app.client(alice).createPaymentIntent({ items });
    const usage = async () =>
      (await app.sandbox.stripe.paymentIntents.retrieve(intent.id)).setup_future_usage;
    expect(await usage()).toBeNull();
    await app.client(alice).updatePaymentIntent(intent.id, { items, savePaymentMethod: true });
    expect(await usage()).toBe('off_session');
    // Absent: left as it is.
    await app.client(alice).updatePaymentIntent(intent.id, { items });
    expect(await usage()).toBe('off_session');
    await app.client(alice).updatePaymentIntent(intent.id, { items, savePaymentMethod: false });
    expect(await usage()).toBeNull();

    const guests = await app.client().createPaymentIntent({ items });
    const error = await expectApiError(
      app.client().updatePaymentIntent(guests.id, {
        items,
        clientSecret: guests.clientSecret,
        savePaymentMethod: true,
      }),
      401,
      'unauthenticated',
    );
    expect(error.param).toBe('savePaymentMethod');
    expect(
      (await app.sandbox.stripe.paymentIntents.retrieve(guests.id)).setup_future_usage,
    ).toBeNull();

    // Signed in since the intent was made as a guest: the card is saved to the caller's customer,
    // which the intent now carries (a card cannot be saved to no one).
    await app.client(alice).updatePaymentIntent(guests.id, {
      items,
      clientSecret: guests.clientSecret,
      savePaymentMethod: true,
    });
    const adopted = await app.sandbox.stripe.paymentIntents.retrieve(guests.id);
    const own = await app.sandbox.stripe.paymentIntents.retrieve(intent.id);
    expect(adopted).toMatchObject({
      customer: own.customer,
      setup_future_usage: 'off_session',
      metadata: { tillkit_user_id: 'alice' },
    });
  });

  it('a paid intent cannot change; intents not made by this server are not found', async () => {
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    await app.pay(intent.id);
    await expectApiError(
      app
        .client(alice)
        .updatePaymentIntent(intent.id, { items: [{ price: price('tshirt'), quantity: 2 }] }),
      409,
      'invalid_state',
    );
    const foreign = await app.sandbox.stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
    });
    await expectApiError(
      app.client().updatePaymentIntent(foreign.id, {
        items: [{ price: price('tshirt'), quantity: 1 }],
        clientSecret: foreign.client_secret as string,
      }),
      404,
      'not_found',
    );
    await expectApiError(
      app.client().updatePaymentIntent('pi_doesnotexist', {
        items: [{ price: price('tshirt'), quantity: 1 }],
      }),
      404,
      'not_found',
    );
  });

  it('a Checkout page’s intent is the page’s: not re-priced, its secret never answered', async () => {
    // The page's intent carries the server's metadata too (`payment_intent_data`), and exists
    // once a card was tried on the page.
    const page = await app.client(alice).createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('tshirt'), quantity: 5 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    });
    const declined = await (await app.openCheckout(page.url)).submit({
      number: '4000 0000 0000 0002',
    });
    expect(declined.status).toBe(422);
    const session = await app.sandbox.stripe.checkout.sessions.retrieve(page.id);
    const intentId = session.payment_intent as string;
    expect(await app.sandbox.stripe.paymentIntents.retrieve(intentId)).toMatchObject({
      amount: 12_500,
      metadata: { tillkit: 'true', tillkit_user_id: 'alice' },
    });
    const refused = await expectApiError(
      app
        .client(alice)
        .updatePaymentIntent(intentId, { items: [{ price: price('tshirt'), quantity: 1 }] }),
      404,
      'not_found',
    );
    expect(JSON.stringify(refused)).not.toContain('_secret_');
    expect((await app.sandbox.stripe.paymentIntents.retrieve(intentId)).amount).toBe(12_500);

    // A guest's page: its intent has no customer, and even its client secret does not re-price it.
    const guestPage = await app.client().createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('tshirt'), quantity: 3 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    });
    await (await app.openCheckout(guestPage.url)).submit({ number: '4000 0000 0000 0002' });
    const guestIntent = await app.sandbox.stripe.paymentIntents.retrieve(
      (await app.sandbox.stripe.checkout.sessions.retrieve(guestPage.id)).payment_intent as string,
    );
    expect(guestIntent.customer).toBeNull();
    await expectApiError(
      app.client().updatePaymentIntent(guestIntent.id, {
        items: [{ price: price('tshirt'), quantity: 1 }],
        clientSecret: guestIntent.client_secret as string,
      }),
      404,
      'not_found',
    );
    expect((await app.sandbox.stripe.paymentIntents.retrieve(guestIntent.id)).amount).toBe(7500);
  });
});

describe('receiptEmail', () => {
  const items = () => [{ price: price('tshirt'), quantity: 1 }];
  const receiptOf = async (id: string) =>
    (await app.sandbox.stripe.paymentIntents.retrieve(id)).receipt_email;

  it('POST sets receipt_email; PATCH changes it, and leaves it as it is when absent', async () => {
    // A guest: no customer, so this is the only address Stripe has for the receipt.
    const guest = await app
      .client()
      .createPaymentIntent({ items: items(), receiptEmail: 'guest@example.com' });
    expect(await receiptOf(guest.id)).toBe('guest@example.com');
    const updated = await app.client().updatePaymentIntent(guest.id, {
      items: items(),
      clientSecret: guest.clientSecret,
      receiptEmail: 'guest.other@example.com',
    });
    expect(updated).toMatchObject({ id: guest.id, amount: 2500 });
    expect(await receiptOf(guest.id)).toBe('guest.other@example.com');
    await app.client().updatePaymentIntent(guest.id, {
      items: [{ price: price('tshirt'), quantity: 2 }],
      clientSecret: guest.clientSecret,
    });
    expect(await app.sandbox.stripe.paymentIntents.retrieve(guest.id)).toMatchObject({
      amount: 5000,
      receipt_email: 'guest.other@example.com',
    });

    // A signed-in caller: this payment's receipt goes where they say, not to the customer's email.
    const own = await app
      .client(alice)
      .createPaymentIntent({ items: items(), receiptEmail: 'alice.receipts@example.com' });
    expect(await receiptOf(own.id)).toBe('alice.receipts@example.com');
    await app
      .client(alice)
      .updatePaymentIntent(own.id, { items: items(), receiptEmail: 'alice.work@example.com' });
    expect(await receiptOf(own.id)).toBe('alice.work@example.com');
    const none = await app.client(alice).createPaymentIntent({ items: items() });
    expect(await receiptOf(none.id)).toBeNull();
  });

  it('a malformed one is a 400 naming the field, and nothing is made or changed', async () => {
    const newest = async () =>
      (await app.sandbox.stripe.paymentIntents.list({ limit: 1 })).data[0]?.id;
    const intent = await app
      .client()
      .createPaymentIntent({ items: items(), receiptEmail: 'kept@example.com' });
    for (const receiptEmail of [
      'not-an-email',
      'two words@example.com',
      '',
      `${'x'.repeat(309)}@example.com`, // 321 characters
      'nul\u0000@example.com', // control characters: U+0000 cannot even be stored
      'bell@exam\u0007ple.com',
      // Domains Stripe refuses (`email_invalid`): refused here first, naming our field.
      'guest@localhost',
      'guest@example..com',
      'guest@.example.com',
      42,
    ]) {
      const created = await app.fetch('/payment-intents', {
        method: 'POST',
        body: JSON.stringify({ items: items(), receiptEmail }),
      });
      expect(created.status).toBe(400);
      expect(await errorBody(created)).toMatchObject({
        code: 'invalid_request',
        param: 'receiptEmail',
      });
      const patched = await app.fetch(`/payment-intents/${intent.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ items: items(), clientSecret: intent.clientSecret, receiptEmail }),
      });
      expect(patched.status).toBe(400);
      expect(await errorBody(patched)).toMatchObject({ param: 'receiptEmail' });
    }
    expect(await newest()).toBe(intent.id);
    expect(await receiptOf(intent.id)).toBe('kept@example.com');
    // The longest allowed, 320 characters, goes through.
    const longest = `${'x'.repeat(308)}@example.com`;
    const long = await app.client().createPaymentIntent({ items: items(), receiptEmail: longest });
    expect(await receiptOf(long.id)).toBe(longest);
  });

  it('an Idempotency-Key retry with the same email gets the same intent; another email: 409', async () => {
    const key = crypto.randomUUID();
    const body = { items: items(), receiptEmail: 'retry@example.com' };
    const first = await app.client().createPaymentIntent(body, { idempotencyKey: key });
    const again = await app.client().createPaymentIntent(body, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(await receiptOf(first.id)).toBe('retry@example.com');
    await expectApiError(
      app
        .client()
        .createPaymentIntent(
          { ...body, receiptEmail: 'changed@example.com' },
          { idempotencyKey: key },
        ),
      409,
      'idempotency_key_reused',
    );
  });

  it('is never written to the logs', async () => {
    await app
      .client()
      .createPaymentIntent({ items: items(), receiptEmail: 'private.person@example.com' });
    await app.fetch('/payment-intents', {
      method: 'POST',
      body: JSON.stringify({ items: items(), receiptEmail: 'private person@example.com' }),
    });
    const text = app.logs.text();
    expect(text).toContain('POST /payment-intents 201');
    expect(text).toContain('POST /payment-intents 400');
    expect(text).not.toContain('private.person@example.com');
    expect(text).not.toContain('private person@example.com');
  });
});

describe('payments kept from webhooks', () => {
  it('GET /payments/:id: the owner and admins see it, others and guests without its secret a 404', async () => {
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 2 }] });
    // Stored at creation…
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      status: 'requires_payment_method',
      amount: 5000,
    });
    // …and brought up to date by the webhook.
    await app.pay(intent.id);
    const paid = await eventually(async () => {
      const payment = await app.client(alice).getPayment(intent.id);
      expect(payment.status).toBe('succeeded');
      return payment;
    });
    expect(paid).toEqual({
      id: intent.id,
      status: 'succeeded',
      amount: 5000,
      amountRefunded: 0,
      amountDiscount: 0,
      currency: 'usd',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      receiptUrl: expect.stringMatching(`${app.sandbox.url}/v1/_sandbox/receipts/`),
      lines: [
        { price: price('tshirt'), productName: 'Tillkit T-shirt', quantity: 2, unitAmount: 2500 },
      ],
    });
    expect(await app.client(admin).getPayment(intent.id)).toEqual(paid);
    await expectApiError(app.client(bob).getPayment(intent.id), 404, 'not_found');
    await expectApiError(app.client().getPayment(intent.id), 404, 'not_found');
    await expectApiError(app.client(alice).getPayment('pi_nothere'), 404, 'not_found');
  });

  it('a declined card is stored as Stripe says, then the retry that succeeds', async () => {
    const intent = await app
      .client(bob)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    await app.pay(intent.id, 'pm_card_chargeDeclined').catch(() => {});
    await app.sandbox.waitForWebhooks();
    // The declined charge has no receipt.
    expect(await app.client(bob).getPayment(intent.id)).toMatchObject({
      status: 'requires_payment_method',
      receiptUrl: null,
    });
    await app.pay(intent.id);
    await app.sandbox.waitForWebhooks();
    const paid = await app.client(bob).getPayment(intent.id);
    expect(paid.status).toBe('succeeded');
    const receipt = await fetch(paid.receiptUrl as string);
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toContain('<dt>Amount paid</dt><dd>$25.00</dd>');
  });

  // A user's own history: payment-history.test.ts.
  it('GET /payments lists every payment newest first, in pages, for an admin', async () => {
    await app.sandbox.waitForWebhooks();
    const first = paymentsResponse.parse(await app.client(admin).listPayments({ limit: 3 }));
    expect(first.data).toHaveLength(3);
    expect(first.hasMore).toBe(true);
    const all = await app.client(admin).listPayments({ limit: 100 });
    expect(all.hasMore).toBe(false);
    const times = all.data.map((payment) => payment.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const second = await app
      .client(admin)
      .listPayments({ limit: 3, startingAfter: first.data[2]?.id });
    expect(second.data.map((p) => p.id)).toEqual(all.data.slice(3, 6).map((p) => p.id));
    // A user's listing holds their own payments only.
    const own = await app.client(alice).listPayments({ limit: 100 });
    expect(own.data.length).toBeGreaterThan(0);
    expect(own.data.length).toBeLessThan(all.data.length);
    await expectApiError(app.client().listPayments(), 401, 'unauthenticated');
    for (const limit of ['0', '101', 'ten', '-1']) {
      const response = await app.fetch(`/payments?limit=${limit}`, { token: admin });
      expect(response.status).toBe(400);
      expect((await response.json()).error.param).toBe('limit');
    }
  });
});

describe('POST /refunds', () => {
  async function paidIntent(quantity = 2) {
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity }] });
    await app.pay(intent.id);
    // Chaos counts every API call: let the webhook handlers' calls finish first.
    await app.sandbox.waitForWebhooks();
    return intent;
  }

  it('an admin refunds in part, then the rest; more than is left is a clear 400', async () => {
    const intent = await paidIntent();
    const partial = await app
      .client(admin)
      .createRefund({ paymentIntent: intent.id, amount: 1000, reason: 'requested_by_customer' });
    expect(partial).toMatchObject({
      id: expect.stringMatching(/^re_/),
      amount: 1000,
      status: 'succeeded',
    });
    const tooMuch = await expectApiError(
      app.client(admin).createRefund({ paymentIntent: intent.id, amount: 4001 }),
      400,
      'refund_refused',
    );
    expect(tooMuch.message).toMatch(/greater than unrefunded amount/);
    await app.client(admin).createRefund({ paymentIntent: intent.id });
    await expectApiError(
      app.client(admin).createRefund({ paymentIntent: intent.id }),
      400,
      'already_refunded',
    );
    await eventually(async () => {
      expect(await app.client(alice).getPayment(intent.id)).toMatchObject({ amountRefunded: 5000 });
    });
  });

  it('a refund that fails later no longer counts: refund.failed brings the payment back', async () => {
    const intent = await paidIntent();
    const refund = await app.client(admin).createRefund({ paymentIntent: intent.id, amount: 1000 });
    await eventually(async () => {
      expect((await app.client(alice).getPayment(intent.id)).amountRefunded).toBe(1000);
    });
    // Days later the card's bank refuses the refund (a closed account): Stripe marks it `failed`,
    // the charge's `amount_refunded` stops counting it, and it sends `refund.failed`, never a
    // second `charge.refunded`. The sandbox does not model failing refunds (4000000000005126's
    // succeeds), so its state is set as Stripe's would be and the event delivered, signed.
    const { store } = app.sandbox.core;
    const failed = store.collection<Stripe.Refund>('refunds').get(refund.id) as Stripe.Refund;
    failed.status = 'failed';
    failed.failure_reason = 'expired_or_canceled_card';
    const charge = store
      .collection<Stripe.Charge>('charges')
      .get(failed.charge as string) as Stripe.Charge;
    charge.amount_refunded -= failed.amount;
    charge.refunded = false;
    const created = (
      await app.sandbox.stripe.events.list({ type: 'refund.created', limit: 100 })
    ).data.find((event) => (event.data.object as Stripe.Refund).id === refund.id);
    const answer = await app.deliver({
      ...created,
      id: `evt_refund_failed_${refund.id}`,
      type: 'refund.failed',
      data: { object: failed },
    });
    expect(answer.status).toBe(200);
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      status: 'succeeded',
      amount: 5000,
      amountRefunded: 0,
    });
  });

  it('users get a 403, guests a 401, an unknown payment a 404', async () => {
    const intent = await paidIntent(1);
    await expectApiError(
      app.client(alice).createRefund({ paymentIntent: intent.id }),
      403,
      'forbidden',
    );
    await expectApiError(
      app.client().createRefund({ paymentIntent: intent.id }),
      401,
      'unauthenticated',
    );
    const missing = await expectApiError(
      app.client(admin).createRefund({ paymentIntent: 'pi_unknown' }),
      404,
      'not_found',
    );
    expect(missing.param).toBe('paymentIntent');
    const unpaid = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    await expectApiError(
      app.client(admin).createRefund({ paymentIntent: unpaid.id }),
      400,
      'refund_refused',
    );
  });

  it('a lost answer never refunds twice; an outage is a 502 or 503, and a retry gets the same refund', async () => {
    const intent = await paidIntent(4);
    const refunds = async () =>
      (await app.sandbox.stripe.refunds.list({ payment_intent: intent.id })).data.length;

    // The refund is made, its answer lost; stripe-node retries with the same key and gets the
    // saved answer.
    app.sandbox.chaos.set({ api: { failNext: 1, failWhen: 'after', failWith: 'drop' } });
    await app.client(admin).createRefund({ paymentIntent: intent.id, amount: 500 });
    expect(await refunds()).toBe(1);
    await app.sandbox.waitForWebhooks();

    // Stripe answers 500 to the call and both of stripe-node's retries: a 502, nothing made.
    const key = crypto.randomUUID();
    app.sandbox.chaos.set({ api: { failNext: 3, failWhen: 'before', failWith: 500 } });
    await expectApiError(
      app
        .client(admin)
        .createRefund({ paymentIntent: intent.id, amount: 700 }, { idempotencyKey: key }),
      502,
      'stripe_error',
    );
    expect(await refunds()).toBe(1);
    const made = await app
      .client(admin)
      .createRefund({ paymentIntent: intent.id, amount: 700 }, { idempotencyKey: key });
    expect(await refunds()).toBe(2);
    await app.sandbox.waitForWebhooks();

    // Stripe is slow, the caller gives up and retries with the same key: still one refund.
    const slowKey = crypto.randomUUID();
    app.sandbox.chaos.reset();
    app.sandbox.chaos.set({ api: { latencyMs: 700 } });
    await expect(
      app
        .client(admin)
        .createRefund(
          { paymentIntent: intent.id, amount: 300 },
          { idempotencyKey: slowKey, signal: AbortSignal.timeout(200) },
        ),
    ).rejects.toThrow();
    const slow = await retryUntilDone(() =>
      app
        .client(admin)
        .createRefund({ paymentIntent: intent.id, amount: 300 }, { idempotencyKey: slowKey }),
    );
    app.sandbox.chaos.reset();
    expect(await refunds()).toBe(3);
    expect(slow.amount).toBe(300);
    expect(slow.id).not.toBe(made.id);
    await app.sandbox.waitForWebhooks();

    // Stripe unreachable (every connection dropped before it runs): a 503 with Retry-After.
    app.sandbox.chaos.reset();
    app.sandbox.chaos.set({ api: { failNext: 3, failWhen: 'before', failWith: 'drop' } });
    const down = await expectApiError(
      app.client(admin).createRefund({ paymentIntent: intent.id, amount: 100 }),
      503,
      'stripe_unavailable',
    );
    expect(down.retryAfter).toBeGreaterThan(0);
    app.sandbox.chaos.reset();
    expect(await refunds()).toBe(3);
    await eventually(async () => {
      expect((await app.client(admin).getPayment(intent.id)).amountRefunded).toBe(1500);
    });
  });
});
