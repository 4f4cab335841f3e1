/**
 * `subscriptions: { onePerCustomer: true }`: a customer holds one subscription at most, whatever
 * its product. Subscribing to another plan (in place or on a Checkout page) while one is live is
 * refused; another plan is a plan change; what could still be paid into a second one (an unpaid
 * subscription, an open Checkout page, to any product) is ended. Against the in-process sandbox,
 * beside a server with the option off on the same sandbox and database, to show what the option
 * changes.
 */
import type { Subscription } from '@tillkit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  expectApiError,
  FRONTEND,
  startTestApp,
  type TestApp,
} from '../test-support/harness.js';

const URLS = { successUrl: `${FRONTEND}/thanks`, cancelUrl: `${FRONTEND}/plans` };

describe('one subscription per customer', () => {
  let app: TestApp;
  let perProduct: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      testClocks: true,
      router: { subscriptions: { onePerCustomer: true } },
    });
    // Its webhooks go to `app` alone: with both registered, whichever took an event first (the
    // shared database's ledger lets one) handled it with its own option, which made the log
    // checked below come or not by chance. Both read the one database the webhooks fill.
    perProduct = await startTestApp({
      testClocks: true,
      sandbox: app.sandbox,
      database: app.database,
      registerWebhook: false,
    });
  });
  afterAll(async () => {
    await perProduct?.close();
    await app?.close();
  });

  const price = (key: string) => app.prices[key]?.id as string;
  const stripe = () => app.sandbox.stripe;
  let users = 0;
  const newUser = (on: TestApp, name: string) => on.token(`${name}-${++users}`);

  /** Subscribes to `key` and pays its first invoice as the browser would. */
  async function paid(on: TestApp, token: string, key: string): Promise<Subscription> {
    const created = await on.client(token).createSubscription({ price: price(key) });
    expect(created.clientSecretType).toBe('payment');
    await on.confirmPayment(created.clientSecret as string);
    return eventually(async () => {
      const { data } = await on.client(token).listSubscriptions();
      const found = data.find((subscription) => subscription.id === created.id);
      expect(found?.status).toBe('active');
      return found as Subscription;
    });
  }

  /** The customer's subscriptions at Stripe that have not ended, by price. */
  async function livePrices(subscriptionId: string) {
    const { customer } = await stripe().subscriptions.retrieve(subscriptionId);
    const { data } = await stripe().subscriptions.list({ customer: customer as string });
    return data.map((subscription) => subscription.items.data[0]?.price.id).sort();
  }

  it('GET /config says so', async () => {
    expect(await app.client().getConfig()).toMatchObject({ oneSubscriptionPerCustomer: true });
    expect(await perProduct.client().getConfig()).toMatchObject({
      oneSubscriptionPerCustomer: false,
    });
  });

  it('another product is refused in place and on Checkout while one is live; a plan change moves to it', async () => {
    const token = await newUser(app, 'ona');
    const client = app.client(token);
    const starter = await paid(app, token, 'starter_monthly');

    const refused = await expectApiError(
      client.createSubscription({ price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
    expect(refused.message).toContain(starter.id);
    await expectApiError(
      client.createCheckoutSession({ mode: 'subscription', price: price('pro_yearly'), ...URLS }),
      409,
      'already_subscribed',
    );
    expect(await livePrices(starter.id)).toEqual([price('starter_monthly')]);

    const moved = await client.changeSubscription(starter.id, { price: price('pro_monthly') });
    expect(moved).toMatchObject({
      id: starter.id,
      status: 'active',
      priceId: price('pro_monthly'),
    });
    expect(await livePrices(starter.id)).toEqual([price('pro_monthly')]);
  });

  it('without the option, the same customer path makes a second subscription to the other product', async () => {
    const token = await newUser(perProduct, 'two');
    const starter = await paid(perProduct, token, 'starter_monthly');
    const pro = await perProduct.client(token).createSubscription({ price: price('pro_monthly') });
    expect(pro.id).not.toBe(starter.id);
    expect(await livePrices(starter.id)).toHaveLength(2);
  });

  it('a trial counts as the one subscription', async () => {
    const token = await newUser(app, 'trl');
    const client = app.client(token);
    const trial = await client.createSubscription({ price: price('pro_monthly') });
    expect(trial).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    await expectApiError(
      client.createSubscription({ price: price('starter_monthly') }),
      409,
      'already_subscribed',
    );
    expect(await livePrices(trial.id)).toEqual([price('pro_monthly')]);
  });

  it('an unpaid subscription and an open Checkout page for another product are ended by subscribing', async () => {
    const token = await newUser(app, 'rep');
    const client = app.client(token);
    const unpaid = await client.createSubscription({ price: price('starter_monthly') });
    const page = await client.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_yearly'),
      ...URLS,
    });
    // The page replaced the unpaid one (it makes a subscription of its own).
    expect((await stripe().subscriptions.retrieve(unpaid.id)).status).toBe('canceled');

    const other = await newUser(app, 'rep2');
    const otherClient = app.client(other);
    const waiting = await otherClient.createSubscription({ price: price('starter_monthly') });
    const otherPage = await otherClient.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_yearly'),
      ...URLS,
    });
    expect((await stripe().subscriptions.retrieve(waiting.id)).status).toBe('canceled');
    // Subscribing to Pro in place: the Starter page could still be paid into a second one.
    const pro = await otherClient.createSubscription({ price: price('pro_yearly') });
    expect((await stripe().checkout.sessions.retrieve(otherPage.id)).status).toBe('expired');
    expect(await livePrices(pro.id)).toEqual([price('pro_yearly')]);

    // And an unpaid one to another product is replaced by the new one, not left payable.
    const third = app.client(await newUser(app, 'rep3'));
    const left = await third.createSubscription({ price: price('starter_monthly') });
    const chosen = await third.createSubscription({ price: price('pro_yearly') });
    expect((await stripe().subscriptions.retrieve(left.id)).status).toBe('canceled');
    expect(await livePrices(chosen.id)).toEqual([price('pro_yearly')]);
    // The first customer's page is still theirs to pay.
    expect((await stripe().checkout.sessions.retrieve(page.id)).status).toBe('open');
  });

  it('on the sandbox’s per-customer test clock too: a page made after the clock froze is ended by subscribing', async () => {
    const client = app.client(await newUser(app, 'clk'));
    const setup = await client.createSetupIntent({});
    const seti = await stripe().setupIntents.retrieve(
      setup.clientSecret.split('_secret_')[0] as string,
    );
    const customer = await stripe().customers.retrieve(seti.customer as string);
    const clock = await stripe().testHelpers.testClocks.retrieve(
      (customer as { test_clock: string }).test_clock,
    );
    // Subscriptions are dated by the clock, pages by the real time: a page a second later.
    await eventually(() =>
      expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(clock.frozen_time),
    );
    const page = await client.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_yearly'),
      ...URLS,
    });
    const pro = await client.createSubscription({ price: price('pro_yearly') });
    expect((await stripe().subscriptions.retrieve(pro.id)).created).toBe(clock.frozen_time);
    expect((await stripe().checkout.sessions.retrieve(page.id)).status).toBe('expired');
  });

  it('on a test clock moved on (dated in the future), an unpaid subscription is still ended by a Checkout page', async () => {
    const client = app.client(await newUser(app, 'fut'));
    await client.createSetupIntent({});
    await client.sandboxAdvance({ days: 1 });
    const unpaid = await client.createSubscription({ price: price('starter_monthly') });
    expect((await stripe().subscriptions.retrieve(unpaid.id)).created).toBeGreaterThan(
      Date.now() / 1000 + 3600,
    );
    await client.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_yearly'),
      ...URLS,
    });
    expect((await stripe().subscriptions.retrieve(unpaid.id)).status).toBe('canceled');
  });

  it('a Checkout page paid after another subscription was made elsewhere is logged as a second one', async () => {
    const token = await newUser(app, 'log');
    const client = app.client(token);
    const page = await client.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_monthly'),
      ...URLS,
    });
    const { customer } = await stripe().checkout.sessions.retrieve(page.id);
    // Made in the Dashboard while the page was open: the routes never saw it.
    const elsewhere = await stripe().subscriptions.create({
      customer: customer as string,
      items: [{ price: price('pro_yearly') }],
      trial_period_days: 7,
    });
    expect(elsewhere.status).toBe('trialing');
    await app.payCheckout(page.url);
    const line = await eventually(() => {
      const found = app.logs.lines.find((entry) => entry.includes('a second live subscription'));
      expect(found).toBeDefined();
      return JSON.parse(found as string) as { level: number; others: string[] };
    });
    expect(line.level).toBe(50);
    expect(line.others).toEqual([elsewhere.id]);
    expect(await livePrices(elsewhere.id)).toEqual(
      [price('pro_yearly'), price('starter_monthly')].sort(),
    );
  });

  it('a customer with two live subscriptions from before keeps changing plan within a product', async () => {
    // Made while the option was off (the other server, on the same sandbox and user).
    const user = `old-${++users}`;
    const before = await perProduct.token(user);
    const starter = await paid(perProduct, before, 'starter_monthly');
    const pro = await paid(perProduct, before, 'pro_yearly');
    const client = app.client(await app.token(user));
    const changed = await client.changeSubscription(starter.id, { price: price('starter_yearly') });
    expect(changed.priceId).toBe(price('starter_yearly'));
    // A third product is still refused, and a change onto the other's product too.
    await expectApiError(
      client.createSubscription({ price: price('starter_monthly') }),
      409,
      'already_subscribed',
    );
    await expectApiError(
      client.changeSubscription(starter.id, { price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
    expect(await livePrices(pro.id)).toEqual([price('pro_yearly'), price('starter_yearly')].sort());
  });
});
