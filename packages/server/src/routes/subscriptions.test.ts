/**
 * Subscriptions and entitlements through HTTP with the typed client, against the in-process
 * sandbox (each customer on its own test clock, moved with POST /_sandbox/advance), on both
 * engines: subscribing as the browser would (Stripe.js confirming the answered client secret),
 * trials, renewals that fail or need 3D Secure, cancel and resume, plan changes with proration,
 * ownership, out-of-order events and the host's hooks.
 */
import {
  createSubscriptionResponse,
  entitlementsResponse,
  type Subscription,
  subscriptionsResponse,
} from '@tillkit/protocol';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subscriptions as subscriptionsTable } from '../storage/schema.js';
import {
  barrier,
  ENGINES,
  eventually,
  expectApiError,
  FRONTEND,
  hookedTestApp,
  startTestApp,
  type TestApp,
} from '../test-support/harness.js';
import type { TillkitHooks } from '../webhooks/hooks.js';

const DAY = 86_400_000;

/** The lookup keys of the features the demo catalog attaches to each plan, sorted. */
const STARTER_FEATURES = ['email_support', 'hosted_checkout'];
const PRO_FEATURES = ['hosted_checkout', 'priority_support', 'subscriptions', 'unlimited_orders'];

/** What the hooks saw. */
const calls: Array<{ hook: string; eventId: string; object: string }> = [];
const record =
  (hook: string) =>
  (event: Stripe.Event): void => {
    calls.push({ hook, eventId: event.id, object: (event.data.object as { id: string }).id });
  };
const hooks: TillkitHooks = {
  onSubscriptionCreated: record('onSubscriptionCreated'),
  onSubscriptionUpdated: record('onSubscriptionUpdated'),
  onSubscriptionDeleted: record('onSubscriptionDeleted'),
  onSubscriptionTrialWillEnd: record('onSubscriptionTrialWillEnd'),
  onInvoicePaid: record('onInvoicePaid'),
  onInvoicePaymentSucceeded: record('onInvoicePaymentSucceeded'),
  onInvoicePaymentFailed: record('onInvoicePaymentFailed'),
  onInvoicePaymentActionRequired: record('onInvoicePaymentActionRequired'),
};

describe.each(ENGINES)('subscriptions on %s', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ engine, testClocks: true, router: { hooks } });
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    calls.length = 0;
  });

  const price = (key: string) => app.prices[key]?.id as string;
  const stripe = () => app.sandbox.stripe;
  let users = 0;
  /** A fresh user (so each test starts with a customer of its own, on a clock of its own). */
  const newUser = (name: string) => app.token(`${name}-${engine}-${++users}`);

  /** The caller's subscription `id` as listed, once `check` passes (webhooks bring the state). */
  async function listed(token: string, id: string, check: (s: Subscription) => void) {
    return eventually(async () => {
      const { data } = subscriptionsResponse.parse(await app.client(token).listSubscriptions());
      const found = data.find((subscription) => subscription.id === id);
      expect(found).toBeDefined();
      check(found as Subscription);
      return found as Subscription;
    });
  }

  /** The stored row of subscription `id` (what webhooks and routes wrote). */
  async function storedRow(id: string) {
    const rows = await app.database.db
      .select()
      .from(subscriptionsTable)
      .where(eq(subscriptionsTable.id, id));
    return rows[0];
  }

  /** Subscribes and pays the first invoice with `card`, as the browser would. */
  async function paidSubscription(token: string, key = 'starter_monthly', card = 'pm_card_visa') {
    const created = await app.client(token).createSubscription({ price: price(key) });
    expect(created.clientSecretType).toBe('payment');
    await app.confirmPayment(created.clientSecret as string, card);
    return listed(token, created.id, (s) => expect(s.status).toBe('active'));
  }

  it('subscribes with a card confirmed by Stripe.js; the webhooks make it active and entitle it', async () => {
    const token = await newUser('ann');
    const client = app.client(token);
    const created = createSubscriptionResponse.parse(
      await client.createSubscription({ price: price('starter_monthly') }),
    );
    expect(created).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      status: 'incomplete',
      clientSecretType: 'payment',
      clientSecret: expect.stringMatching(/^pi_\w+_secret_\w+$/),
    });
    // Nothing was charged: default_incomplete leaves the first invoice for the browser to pay.
    const atStripe = await stripe().subscriptions.retrieve(created.id, {
      expand: ['latest_invoice'],
    });
    expect(atStripe).toMatchObject({
      status: 'incomplete',
      payment_settings: { save_default_payment_method: 'on_subscription' },
      metadata: { tillkit: 'true' },
    });
    expect((atStripe.latest_invoice as Stripe.Invoice).status).toBe('open');

    // Listed at once (stored by the route), waiting for its first payment.
    const waiting = await listed(token, created.id, () => {});
    expect(waiting).toMatchObject({
      status: 'incomplete',
      pendingAction: { type: 'new_card', clientSecret: created.clientSecret },
    });
    expect(entitlementsResponse.parse(await client.getEntitlements())).toEqual({
      active: false,
      subscriptions: [],
      features: [],
    });

    const intent = await app.confirmPayment(created.clientSecret as string, 'pm_card_visa');
    expect(intent.status).toBe('succeeded');
    const active = await listed(token, created.id, (s) => expect(s.status).toBe('active'));
    expect(active).toEqual({
      id: created.id,
      status: 'active',
      priceId: price('starter_monthly'),
      productId: 'prod_tillkit_starter',
      productName: 'Starter',
      currentPeriodEnd: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      cancelAtPeriodEnd: false,
      cancelAt: null,
      trialEnd: null,
      pendingAction: null,
    });
    const periodDays = (Date.parse(active.currentPeriodEnd as string) - Date.now()) / DAY;
    expect(periodDays).toBeGreaterThan(27);
    expect(periodDays).toBeLessThan(32);

    await eventually(async () => {
      expect(entitlementsResponse.parse(await client.getEntitlements())).toEqual({
        active: true,
        subscriptions: [
          {
            id: created.id,
            status: 'active',
            productId: 'prod_tillkit_starter',
            productName: 'Starter',
            priceId: price('starter_monthly'),
            currentPeriodEnd: active.currentPeriodEnd,
          },
        ],
        features: STARTER_FEATURES,
      });
    });
    // The card paid with is the subscription's own for renewals.
    const paid = await stripe().subscriptions.retrieve(created.id);
    expect(paid.default_payment_method).toBe(intent.payment_method);

    await app.sandbox.waitForWebhooks();
    const seen = calls.filter(
      (call) => call.object === created.id || call.hook.startsWith('onInv'),
    );
    for (const hook of [
      'onSubscriptionCreated',
      'onSubscriptionUpdated',
      'onInvoicePaid',
      'onInvoicePaymentSucceeded',
    ]) {
      expect(seen.map((call) => call.hook)).toContain(hook);
    }
    expect(new Set(seen.map((call) => call.eventId)).size).toBe(seen.length);

    // A second live subscription to the same product is refused: that is a plan change.
    const again = await expectApiError(
      client.createSubscription({ price: price('starter_yearly') }),
      409,
      'already_subscribed',
    );
    expect(again.message).toContain(`/subscriptions/${created.id}/change`);
  });

  it('a trial answers the SetupIntent’s secret; the card saved with it is charged when the trial ends', async () => {
    const token = await newUser('tom');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('pro_monthly') });
    expect(created).toMatchObject({
      status: 'trialing',
      clientSecretType: 'setup',
      clientSecret: expect.stringMatching(/^seti_\w+_secret_\w+$/),
    });
    // Listed waiting for its card: the SetupIntent's secret, to confirm with confirmSetup.
    const trialing = await listed(token, created.id, () => {});
    expect(trialing).toMatchObject({
      status: 'trialing',
      pendingAction: { type: 'save_card', clientSecret: created.clientSecret },
      productName: 'Pro',
    });
    // The answer holds that secret: never kept by a cache on the way.
    const raw = await app.fetch('/subscriptions', { token });
    expect(raw.headers.get('cache-control')).toBe('private, no-store');
    const trialDays = (Date.parse(trialing.trialEnd as string) - Date.now()) / DAY;
    expect(Math.round(trialDays)).toBe(14);
    expect(trialing.currentPeriodEnd).toBe(trialing.trialEnd);
    // A trial is entitled from the start.
    expect(await client.getEntitlements()).toMatchObject({ active: true, features: PRO_FEATURES });

    const setup = await app.confirmSetup(created.clientSecret as string, 'pm_card_visa');
    expect(setup.status).toBe('succeeded');
    await eventually(async () => {
      const subscription = await stripe().subscriptions.retrieve(created.id);
      expect(subscription.default_payment_method).toBe(setup.payment_method);
    });
    await app.sandbox.waitForWebhooks();
    // The webhook stored that the card is saved: nothing left to do.
    expect((await storedRow(created.id))?.pendingAction).toBeNull();
    expect((await listed(token, created.id, () => {})).pendingAction).toBeNull();

    await client.sandboxAdvance({ days: 15 });
    const renewed = await listed(token, created.id, (s) => expect(s.status).toBe('active'));
    expect(renewed).toMatchObject({ pendingAction: null, trialEnd: trialing.trialEnd });
    const invoices = await stripe().invoices.list({ subscription: created.id, status: 'paid' });
    expect(invoices.data.map((invoice) => invoice.amount_paid).sort()).toEqual([0, 2900]);
    await app.sandbox.waitForWebhooks();
    expect(calls.map((call) => call.hook)).toContain('onSubscriptionTrialWillEnd');
  });

  it('a trial whose card is saved before its webhooks arrive lists nothing to do, and the read stores it', async () => {
    const token = await newUser('tes');
    const created = await app.client(token).createSubscription({ price: price('pro_monthly') });
    await listed(token, created.id, (s) => expect(s.pendingAction?.type).toBe('save_card'));
    await app.pauseWebhooks();
    try {
      await app.confirmSetup(created.clientSecret as string, 'pm_card_visa');
      // No webhook told the database: the row still waits for the card.
      expect((await storedRow(created.id))?.pendingAction).toBe('save_card');
      const { data } = subscriptionsResponse.parse(await app.client(token).listSubscriptions());
      expect(data.find((s) => s.id === created.id)).toMatchObject({
        status: 'trialing',
        pendingAction: null,
      });
      // Read again from Stripe and stored by the list itself.
      expect((await storedRow(created.id))?.pendingAction).toBeNull();
    } finally {
      await app.resumeWebhooks();
    }
  });

  it('a trial set to end at its end waits for no card; resumed, it waits for its card again', async () => {
    const token = await newUser('tec');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('pro_monthly') });
    const ending = await client.cancelSubscription(created.id);
    expect(ending).toMatchObject({
      status: 'trialing',
      cancelAtPeriodEnd: true,
      pendingAction: null,
    });
    expect((await listed(token, created.id, () => {})).pendingAction).toBeNull();
    const resumed = await client.resumeSubscription(created.id);
    expect(resumed).toMatchObject({
      cancelAtPeriodEnd: false,
      pendingAction: { type: 'save_card', clientSecret: created.clientSecret },
    });
  });

  it('a trial given a card elsewhere (the Dashboard, the portal) waits for none, its SetupIntent still open', async () => {
    const token = await newUser('tel');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('pro_monthly') });
    const customer = (await stripe().subscriptions.retrieve(created.id)).customer as string;
    const card = await stripe().paymentMethods.attach('pm_card_mastercard', { customer });
    await stripe().subscriptions.update(created.id, { default_payment_method: card.id });
    const atStripe = await stripe().subscriptions.retrieve(created.id);
    expect(atStripe.pending_setup_intent).not.toBeNull();
    await app.sandbox.waitForWebhooks();
    expect((await listed(token, created.id, () => {})).pendingAction).toBeNull();
    // Nor is its SetupIntent answered again: the same plan is a live subscription now.
    await expectApiError(
      client.createSubscription({ price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
  });

  it('a trial is for a first subscription to the product: a returning customer pays at once, on the form and on Checkout', async () => {
    const token = await newUser('rep');
    const client = app.client(token);
    const trial = await client.createSubscription({ price: price('pro_monthly') });
    expect(trial).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    await client.cancelSubscription(trial.id, { atPeriodEnd: false });

    // Subscribing again, no card saved: no second trial, the first invoice waits for payment.
    const again = await client.createSubscription({ price: price('pro_monthly') });
    expect(again).toMatchObject({ status: 'incomplete', clientSecretType: 'payment' });
    const atStripe = await stripe().subscriptions.retrieve(again.id, {
      expand: ['latest_invoice'],
    });
    expect(atStripe.trial_end).toBeNull();
    expect((atStripe.latest_invoice as Stripe.Invoice).amount_due).toBe(2900);
    expect((await client.getEntitlements()).active).toBe(false);

    // Checkout (which replaces that unpaid one) charges the first period too.
    const page = await client.createCheckoutSession({
      mode: 'subscription',
      price: price('pro_monthly'),
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    });
    expect(await stripe().checkout.sessions.retrieve(page.id)).toMatchObject({
      amount_total: 2900,
    });
    await app.payCheckout(page.url);
    const paid = await eventually(async () => {
      const { data } = await client.listSubscriptions();
      expect(data).toEqual([expect.objectContaining({ status: 'active', trialEnd: null })]);
      return data[0] as Subscription;
    });
    expect((await stripe().subscriptions.retrieve(paid.id)).trial_end).toBeNull();
  });

  it('a subscription left unpaid does not count as having had the product; a trial kept through a plan change does', async () => {
    // Chose the yearly price, left it unpaid, then chose the monthly one: the trial still applies.
    const token = await newUser('fst');
    const client = app.client(token);
    const unpaid = await client.createSubscription({ price: price('pro_yearly') });
    expect(unpaid.status).toBe('incomplete');
    const monthly = await client.createSubscription({ price: price('pro_monthly') });
    expect(monthly).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    expect((await stripe().subscriptions.retrieve(unpaid.id)).status).toBe('canceled');

    // A trial of Pro moved to Starter, then canceled: Pro was had, and its trial is not given again.
    const switcher = await newUser('swt');
    const other = app.client(switcher);
    const pro = await other.createSubscription({ price: price('pro_monthly') });
    expect(pro.status).toBe('trialing');
    await other.changeSubscription(pro.id, { price: price('starter_monthly') });
    await other.cancelSubscription(pro.id, { atPeriodEnd: false });
    const back = await other.createSubscription({ price: price('pro_monthly') });
    expect(back).toMatchObject({ status: 'incomplete', clientSecretType: 'payment' });
  });

  it('a trial moved to another plan outside the kit (the portal, the Dashboard) is remembered too', async () => {
    const token = await newUser('prt');
    const client = app.client(token);
    const pro = await client.createSubscription({ price: price('pro_monthly') });
    expect(pro.status).toBe('trialing');
    // Switched at Stripe, not through POST /subscriptions/:id/change: only the webhook sees it.
    const [item] = (await stripe().subscriptions.retrieve(pro.id)).items.data;
    await stripe().subscriptions.update(pro.id, {
      items: [{ id: item?.id as string, price: price('starter_monthly') }],
      proration_behavior: 'none',
    });
    await app.sandbox.waitForWebhooks();
    expect((await stripe().subscriptions.retrieve(pro.id)).metadata.tillkit_products).toContain(
      (await stripe().prices.retrieve(price('pro_monthly'))).product as string,
    );
    await client.cancelSubscription(pro.id, { atPeriodEnd: false });
    const back = await client.createSubscription({ price: price('pro_monthly') });
    expect(back).toMatchObject({ status: 'incomplete', clientSecretType: 'payment' });
  });

  it('leaves the metadata of subscriptions the kit did not make alone', async () => {
    const token = await newUser('frn');
    const made = await app.client(token).createSubscription({ price: price('starter_monthly') });
    const { customer } = await stripe().subscriptions.retrieve(made.id);
    const foreign = await stripe().subscriptions.create({
      customer: customer as string,
      items: [{ price: price('starter_yearly') }],
      trial_period_days: 7,
    });
    const [item] = foreign.items.data;
    await stripe().subscriptions.update(foreign.id, {
      items: [{ id: item?.id as string, price: price('pro_yearly') }],
      proration_behavior: 'none',
    });
    await app.sandbox.waitForWebhooks();
    expect((await stripe().subscriptions.retrieve(foreign.id)).metadata).toEqual({});
  });
  it('a plan change to a product the customer has another live subscription to is refused as already_subscribed', async () => {
    const token = await newUser('dup');
    const client = app.client(token);
    const starter = await paidSubscription(token, 'starter_monthly');
    const pro = await paidSubscription(token, 'pro_yearly');
    const refused = await expectApiError(
      client.changeSubscription(starter.id, { price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
    expect(refused.message).toContain(pro.id);
    const [item] = (await stripe().subscriptions.retrieve(starter.id)).items.data;
    expect(item?.price.id).toBe(price('starter_monthly'));
    // Another price of its own product is still a plan change.
    expect((await client.changeSubscription(pro.id, { price: price('pro_monthly') })).priceId).toBe(
      price('pro_monthly'),
    );

    // An unpaid subscription to the new product is ended by the change: it could still be paid.
    const mover = await newUser('mov');
    const moving = app.client(mover);
    const current = await paidSubscription(mover, 'starter_monthly');
    const unpaid = await moving.createSubscription({ price: price('pro_yearly') });
    const moved = await moving.changeSubscription(current.id, { price: price('pro_yearly') });
    expect(moved).toMatchObject({ status: 'active', priceId: price('pro_yearly') });
    expect((await stripe().subscriptions.retrieve(unpaid.id)).status).toBe('canceled');
    expect((await moving.listSubscriptions()).data.map((s) => s.id)).toEqual([current.id]);
  });

  const postSubscription = (
    token: string,
    body: { price: string; quantity?: number },
    idempotencyKey?: string,
  ) => post(app, token, body, idempotencyKey);

  /** The customer's subscriptions at Stripe (ended ones too), by id and status. */
  async function atStripe(subscriptionId: string) {
    const { customer } = await stripe().subscriptions.retrieve(subscriptionId);
    const { data } = await stripe().subscriptions.list({
      customer: customer as string,
      status: 'all',
    });
    return data.map((subscription) => ({ id: subscription.id, status: subscription.status }));
  }

  it('a second POST for the same price while the first payment waits answers the same subscription; its secret activates it', async () => {
    const token = await newUser('ret');
    const first = await postSubscription(token, { price: price('starter_monthly') });
    expect(first.status).toBe(201);
    const created = createSubscriptionResponse.parse(first.body);
    // The customer fails 3D Secure, leaves the form and comes back (a new key, as after a reload).
    await app.confirmPayment(created.clientSecret as string, 'pm_card_authenticationRequired');
    await app.authenticate(created.clientSecret as string, 'fail');

    const again = await postSubscription(token, { price: price('starter_monthly') });
    expect(again).toEqual({ status: 200, body: created });
    expect(await atStripe(created.id)).toEqual([{ id: created.id, status: 'incomplete' }]);
    // Someone else choosing the same plan gets a subscription of their own.
    const other = await app
      .client(await newUser('rex'))
      .createSubscription({ price: price('starter_monthly') });
    expect(other.id).not.toBe(created.id);

    const paid = await app.confirmPayment(again.body.clientSecret, 'pm_card_visa');
    expect(paid.status).toBe('succeeded');
    const active = await listed(token, created.id, (s) => expect(s.status).toBe('active'));
    expect(active.pendingAction).toBeNull();
    expect((await app.client(token).listSubscriptions()).data).toHaveLength(1);
    // Paid: a second POST is a second subscription, refused.
    const refused = await expectApiError(
      app.client(token).createSubscription({ price: price('starter_monthly') }),
      409,
      'already_subscribed',
    );
    expect(refused.param).toBe('price');
    expect(await atStripe(created.id)).toEqual([{ id: created.id, status: 'active' }]);
  });

  it('a second POST for a trial whose card was never saved answers the same trial and its SetupIntent', async () => {
    const token = await newUser('tia');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('pro_monthly') });
    expect(created).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });

    const again = await postSubscription(token, { price: price('pro_monthly') });
    expect(again).toEqual({ status: 200, body: created });
    expect(await atStripe(created.id)).toEqual([{ id: created.id, status: 'trialing' }]);

    const setup = await app.confirmSetup(again.body.clientSecret, 'pm_card_visa');
    expect(setup.status).toBe('succeeded');
    await eventually(async () => {
      const trial = await stripe().subscriptions.retrieve(created.id);
      expect(trial.default_payment_method).toBe(setup.payment_method);
    });
    // The card is saved: the trial waits for nothing, and a second POST is refused.
    await expectApiError(
      client.createSubscription({ price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
    expect(await atStripe(created.id)).toEqual([{ id: created.id, status: 'trialing' }]);
  });

  it('a trial set to end on a date before its end (the Dashboard, the portal) waits for no card: a second POST is refused', async () => {
    const token = await newUser('tib');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('pro_monthly') });
    expect(created).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    const trial = await stripe().subscriptions.retrieve(created.id);
    await stripe().subscriptions.update(created.id, {
      cancel_at: (trial.trial_end as number) - 86_400,
    });
    await expectApiError(
      client.createSubscription({ price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
  });

  it('another price or quantity of the product cancels the unpaid subscription it replaces; a trial is never replaced', async () => {
    const token = await newUser('swi');
    const client = app.client(token);
    const monthly = await client.createSubscription({ price: price('starter_monthly') });
    const yearly = await postSubscription(token, { price: price('starter_yearly') });
    expect(yearly.status).toBe(201);
    expect(yearly.body).toMatchObject({ status: 'incomplete', clientSecretType: 'payment' });
    expect(yearly.body.id).not.toBe(monthly.id);
    // The unpaid one is over: its invoice voided, so its secret can no longer pay it.
    expect(await atStripe(monthly.id)).toEqual(
      expect.arrayContaining([
        { id: monthly.id, status: 'canceled' },
        { id: yearly.body.id, status: 'incomplete' },
      ]),
    );
    const [voided] = (await stripe().invoices.list({ subscription: monthly.id })).data;
    expect(voided?.status).toBe('void');
    await expect(app.confirmPayment(monthly.clientSecret as string)).rejects.toThrow();
    const { data } = await client.listSubscriptions();
    expect(data.map((subscription) => subscription.id)).toEqual([yearly.body.id]);

    // Another quantity of the same price is another plan too.
    const two = await client.createSubscription({ price: price('starter_yearly'), quantity: 2 });
    expect(two.id).not.toBe(yearly.body.id);
    expect((await stripe().subscriptions.retrieve(yearly.body.id)).status).toBe('canceled');
    await app.confirmPayment(two.clientSecret as string);
    await listed(token, two.id, (s) => expect(s.status).toBe('active'));

    // A trial is live from its start (entitled): another price of it is a plan change.
    const trialist = await newUser('trl');
    const trial = await app.client(trialist).createSubscription({ price: price('pro_monthly') });
    const error = await expectApiError(
      app.client(trialist).createSubscription({ price: price('pro_yearly') }),
      409,
      'already_subscribed',
    );
    expect(error.message).toContain(`/subscriptions/${trial.id}/change`);
    // Nor is a trial canceled at its end answered again: it is resumed, not set up.
    await app.client(trialist).cancelSubscription(trial.id);
    await expectApiError(
      app.client(trialist).createSubscription({ price: price('pro_monthly') }),
      409,
      'already_subscribed',
    );
    expect(await atStripe(trial.id)).toEqual([{ id: trial.id, status: 'trialing' }]);
  });

  it('a retry of a POST whose subscription was replaced since is refused as stale_request, and cancels nothing', async () => {
    const token = await newUser('stl');
    const monthlyKey = crypto.randomUUID();
    const monthly = { price: price('starter_monthly') };
    const first = await postSubscription(token, monthly, monthlyKey);
    expect(first.status).toBe(201);
    const yearly = await postSubscription(token, { price: price('starter_yearly') });
    expect(yearly.status).toBe(201);
    // The monthly request again, with its key: Stripe answers the first, canceled, subscription.
    const retry = await postSubscription(token, monthly, monthlyKey);
    expect(retry).toEqual({
      status: 409,
      body: {
        error: expect.objectContaining({
          code: 'stale_request',
          message: expect.stringContaining('new Idempotency-Key'),
        }),
      },
    });
    // The yearly one is untouched, and can still be paid.
    expect(await atStripe(yearly.body.id)).toEqual(
      expect.arrayContaining([
        { id: first.body.id, status: 'canceled' },
        { id: yearly.body.id, status: 'incomplete' },
      ]),
    );
    await app.confirmPayment(yearly.body.clientSecret);
    await listed(token, yearly.body.id, (s) => expect(s.status).toBe('active'));
    // A new key is a new request: refused, as the customer has the product now.
    await expectApiError(app.client(token).createSubscription(monthly), 409, 'already_subscribed');
  });

  it('a renewal with a card that fails: past_due, pendingAction new_card, then paid with another card', async () => {
    const token = await newUser('fay');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('pro_monthly') });
    // The card attaches (the setup succeeds) but every charge fails.
    await app.confirmSetup(created.clientSecret as string, 'pm_card_chargeCustomerFail');
    await app.sandbox.waitForWebhooks();
    await client.sandboxAdvance({ days: 15 });
    const pastDue = await listed(token, created.id, (s) => expect(s.status).toBe('past_due'));
    expect(pastDue.pendingAction).toEqual({
      type: 'new_card',
      clientSecret: expect.stringMatching(/^pi_\w+_secret_\w+$/),
    });
    // past_due grants nothing until it is paid.
    expect(await client.getEntitlements()).toEqual({
      active: false,
      subscriptions: [],
      features: [],
    });
    await app.sandbox.waitForWebhooks();
    expect(calls.map((call) => call.hook)).toContain('onInvoicePaymentFailed');

    await app.confirmPayment(pastDue.pendingAction?.clientSecret as string, 'pm_card_visa');
    const paid = await listed(token, created.id, (s) => expect(s.status).toBe('active'));
    expect(paid.pendingAction).toBeNull();
    expect((await client.getEntitlements()).active).toBe(true);
  });

  it('a renewal that needs 3D Secure: pendingAction authenticate, then paid once the customer authenticates', async () => {
    const token = await newUser('sam');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('starter_monthly') });
    const first = await app.confirmPayment(
      created.clientSecret as string,
      'pm_card_authenticationRequired',
    );
    expect(first.status).toBe('requires_action');
    // The first payment waits for 3D Secure too.
    await listed(token, created.id, (s) =>
      expect(s.pendingAction).toEqual({ type: 'authenticate', clientSecret: created.clientSecret }),
    );
    await app.authenticate(created.clientSecret as string);
    await listed(token, created.id, (s) => expect(s.status).toBe('active'));
    await app.sandbox.waitForWebhooks();

    await client.sandboxAdvance({ days: 32 });
    const waiting = await listed(token, created.id, (s) => expect(s.status).toBe('past_due'));
    expect(waiting.pendingAction).toEqual({
      type: 'authenticate',
      clientSecret: expect.stringMatching(/^pi_\w+_secret_\w+$/),
    });
    expect(waiting.pendingAction?.clientSecret).not.toBe(created.clientSecret);
    await app.sandbox.waitForWebhooks();
    expect(calls.map((call) => call.hook)).toContain('onInvoicePaymentActionRequired');

    await app.authenticate(waiting.pendingAction?.clientSecret as string);
    const paid = await listed(token, created.id, (s) => expect(s.status).toBe('active'));
    expect(paid.pendingAction).toBeNull();
  });

  it('says new_card at once after a failed 3D Secure, before the webhook has told the database', async () => {
    const token = await newUser('noor');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('starter_monthly') });
    await app.confirmPayment(created.clientSecret as string, 'pm_card_authenticationRequired');
    await listed(token, created.id, (s) =>
      expect(s.pendingAction).toEqual({ type: 'authenticate', clientSecret: created.clientSecret }),
    );
    await app.sandbox.waitForWebhooks();
    // Webhooks now arrive late: the stored row still says `authenticate` after the failure.
    app.sandbox.chaos.set({ webhooks: { delayMs: 1500 } });
    try {
      await app.authenticate(created.clientSecret as string, 'fail');
      const { data } = subscriptionsResponse.parse(await client.listSubscriptions());
      expect(data.find((s) => s.id === created.id)?.pendingAction).toEqual({
        type: 'new_card',
        clientSecret: created.clientSecret,
      });
    } finally {
      app.sandbox.chaos.reset();
      await app.sandbox.waitForWebhooks();
    }
  });

  it('lists a subscription paid in place before its webhooks arrive as Stripe has it now, never past due beside nothing to do', async () => {
    const token = await newUser('pia');
    const client = app.client(token);
    const created = await client.createSubscription({ price: price('starter_monthly') });
    // The first payment fails: the stored row waits for a new card.
    await expect(
      app.confirmPayment(created.clientSecret as string, 'pm_card_chargeDeclined'),
    ).rejects.toMatchObject({ type: 'StripeCardError' });
    await listed(token, created.id, (s) => expect(s.pendingAction?.type).toBe('new_card'));
    await app.sandbox.waitForWebhooks();
    // Webhooks now arrive late: the database still says the first payment is waited for.
    app.sandbox.chaos.set({ webhooks: { delayMs: 1500 } });
    try {
      await app.confirmPayment(created.clientSecret as string, 'pm_card_visa');
      const { data } = subscriptionsResponse.parse(await client.listSubscriptions());
      expect(data.find((s) => s.id === created.id)).toMatchObject({
        status: 'active',
        pendingAction: null,
      });
    } finally {
      app.sandbox.chaos.reset();
      await app.sandbox.waitForWebhooks();
    }
  });

  it('cancels at period end and resumes; cancels now; ends at period end once the time comes', async () => {
    const token = await newUser('cal');
    const client = app.client(token);
    const subscription = await paidSubscription(token);

    const ending = await client.cancelSubscription(subscription.id);
    expect(ending).toMatchObject({
      status: 'active',
      cancelAtPeriodEnd: true,
      cancelAt: subscription.currentPeriodEnd,
      pendingAction: null,
    });
    expect((await stripe().subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(
      true,
    );
    // Still paid for until the period ends.
    expect((await client.getEntitlements()).active).toBe(true);
    // Cancelling twice changes nothing.
    expect((await client.cancelSubscription(subscription.id, {})).cancelAtPeriodEnd).toBe(true);

    const resumed = await client.resumeSubscription(subscription.id);
    expect(resumed).toMatchObject({ status: 'active', cancelAtPeriodEnd: false });
    expect((await stripe().subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(
      false,
    );
    await expectApiError(client.resumeSubscription(subscription.id), 409, 'invalid_state');

    // At period end, after time passes.
    await client.cancelSubscription(subscription.id, { atPeriodEnd: true });
    await app.sandbox.waitForWebhooks();
    calls.length = 0;
    await client.sandboxAdvance({ days: 32 });
    await eventually(async () => {
      const { data } = await client.listSubscriptions();
      expect(data.map((s) => s.id)).not.toContain(subscription.id);
    });
    expect((await stripe().subscriptions.retrieve(subscription.id)).status).toBe('canceled');
    expect(await client.getEntitlements()).toEqual({
      active: false,
      subscriptions: [],
      features: [],
    });
    await app.sandbox.waitForWebhooks();
    expect(calls).toContainEqual(
      expect.objectContaining({ hook: 'onSubscriptionDeleted', object: subscription.id }),
    );

    // Now: ended at once; it cannot be canceled, resumed or changed again.
    const other = await paidSubscription(token, 'pro_yearly');
    const ended = await client.cancelSubscription(other.id, { atPeriodEnd: false });
    expect(ended).toMatchObject({ status: 'canceled', pendingAction: null });
    expect((await client.listSubscriptions()).data).toEqual([]);
    await expectApiError(client.cancelSubscription(other.id), 409, 'invalid_state');
    await expectApiError(client.resumeSubscription(other.id), 409, 'invalid_state');
    await expectApiError(
      client.changeSubscription(other.id, { price: price('pro_monthly') }),
      409,
      'invalid_state',
    );
  });

  it('a subscription set to end on a date is listed as ending then; cancel keeps an earlier date and brings a later one to the period’s end; resume clears either at Stripe', async () => {
    const token = await newUser('cad');
    const client = app.client(token);
    const subscription = await paidSubscription(token);
    const periodEnd = Date.parse(subscription.currentPeriodEnd as string) / 1000;
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

    // Set at Stripe (the Dashboard, the API, the customer portal): listed once its webhook comes.
    const dated = periodEnd - 10 * 86_400;
    await stripe().subscriptions.update(subscription.id, { cancel_at: dated });
    await listed(token, subscription.id, (s) =>
      expect(s).toMatchObject({ cancelAtPeriodEnd: false, cancelAt: iso(dated) }),
    );
    // Canceling at the period's end would end it later than it already ends: left as it is.
    const canceled = await client.cancelSubscription(subscription.id);
    expect(canceled).toMatchObject({ cancelAtPeriodEnd: false, cancelAt: iso(dated) });
    expect((await stripe().subscriptions.retrieve(subscription.id)).cancel_at).toBe(dated);

    const resumed = await client.resumeSubscription(subscription.id);
    expect(resumed).toMatchObject({ status: 'active', cancelAtPeriodEnd: false, cancelAt: null });
    expect(await stripe().subscriptions.retrieve(subscription.id)).toMatchObject({
      cancel_at: null,
      cancel_at_period_end: false,
    });
    await expectApiError(client.resumeSubscription(subscription.id), 409, 'invalid_state');

    // A date after the period's end: canceling ends it at the period's end instead.
    await stripe().subscriptions.update(subscription.id, { cancel_at: periodEnd + 5 * 86_400 });
    const sooner = await client.cancelSubscription(subscription.id);
    expect(sooner).toMatchObject({ cancelAtPeriodEnd: true, cancelAt: iso(periodEnd) });
    const renewing = await client.resumeSubscription(subscription.id);
    expect(renewing).toMatchObject({ cancelAtPeriodEnd: false, cancelAt: null });
    expect((await stripe().subscriptions.retrieve(subscription.id)).cancel_at).toBeNull();
  });

  it('an unpaid (incomplete) subscription is canceled now, its invoice voided', async () => {
    const token = await newUser('ida');
    const created = await app.client(token).createSubscription({ price: price('starter_monthly') });
    const canceled = await app.client(token).cancelSubscription(created.id);
    expect(canceled).toMatchObject({ status: 'canceled', pendingAction: null });
    const invoices = await stripe().invoices.list({ subscription: created.id });
    expect(invoices.data.map((invoice) => invoice.status)).toEqual(['void']);
  });

  it('changes plan with proration: the unused time credited, the rest of the period charged now', async () => {
    const token = await newUser('cho');
    const client = app.client(token);
    const subscription = await paidSubscription(token);
    await app.sandbox.waitForWebhooks();
    await client.sandboxAdvance({ days: 10 });

    const upgraded = await client.changeSubscription(subscription.id, {
      price: price('pro_monthly'),
    });
    expect(upgraded).toMatchObject({
      status: 'active',
      priceId: price('pro_monthly'),
      productId: 'prod_tillkit_pro',
      productName: 'Pro',
      currentPeriodEnd: subscription.currentPeriodEnd,
      pendingAction: null,
    });
    const atStripe = await stripe().subscriptions.retrieve(subscription.id, {
      expand: ['latest_invoice'],
    });
    const invoice = atStripe.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid' });
    const lines = (await stripe().invoices.listLineItems(invoice.id as string)).data;
    const prorations = lines.filter((line) => line.parent?.subscription_item_details?.proration);
    expect(prorations).toHaveLength(2);
    const credit = prorations.find((line) => line.amount < 0)?.amount ?? 0;
    const charge = prorations.find((line) => line.amount > 0)?.amount ?? 0;
    // Two thirds of a month or so left: about -$6 for Starter and +$19 for Pro.
    expect(credit / -900).toBeCloseTo(charge / 2900, 2);
    expect(charge / 2900).toBeGreaterThan(0.55);
    expect(charge / 2900).toBeLessThan(0.8);
    expect(invoice.amount_paid).toBe(credit + charge);
    await eventually(async () => {
      expect((await client.getEntitlements()).features).toEqual(PRO_FEATURES);
    });

    // Another interval starts a new (yearly) period now.
    const yearly = await client.changeSubscription(subscription.id, { price: price('pro_yearly') });
    const yearDays = (Date.parse(yearly.currentPeriodEnd as string) - Date.now()) / DAY;
    expect(yearDays).toBeGreaterThan(370);
    // The same price again changes nothing.
    expect(
      (await client.changeSubscription(subscription.id, { price: price('pro_yearly') })).priceId,
    ).toBe(price('pro_yearly'));

    // Refused: one-time, unknown and foreign-currency prices.
    const oneTime = await expectApiError(
      client.changeSubscription(subscription.id, { price: price('tshirt') }),
      400,
      'one_time_price_not_allowed',
    );
    expect(oneTime.param).toBe('price');
    await expectApiError(
      client.changeSubscription(subscription.id, { price: 'price_nothere' }),
      400,
      'price_unavailable',
    );
    const yen = await stripe().prices.create({
      product: 'prod_tillkit_pro',
      currency: 'jpy',
      unit_amount: 4000,
      recurring: { interval: 'month' },
    });
    await expectApiError(
      client.changeSubscription(subscription.id, { price: yen.id }),
      400,
      'currency_mismatch',
    );
  });

  describe('previewing a plan change', () => {
    /** Subscribes to price `id` and pays the first invoice, as the browser would. */
    async function paidOn(token: string, id: string) {
      const created = await app.client(token).createSubscription({ price: id });
      await app.confirmPayment(created.clientSecret as string, 'pm_card_visa');
      return listed(token, created.id, (s) => expect(s.status).toBe('active'));
    }
    /** The subscription's latest invoice at Stripe. */
    async function latestInvoice(id: string) {
      const atStripe = await stripe().subscriptions.retrieve(id, { expand: ['latest_invoice'] });
      return atStripe.latest_invoice as Stripe.Invoice;
    }
    /** Moves the subscription's test clock `seconds` forward. */
    async function tick(id: string, seconds: number) {
      const clock = (await stripe().subscriptions.retrieve(id)).test_clock as string;
      const { frozen_time } = await stripe().testHelpers.testClocks.retrieve(clock);
      await stripe().testHelpers.testClocks.advance(clock, { frozen_time: frozen_time + seconds });
      return frozen_time + seconds;
    }
    /** Moves the subscription's test clock to `time` (Unix seconds). */
    async function tickTo(id: string, time: number) {
      const clock = (await stripe().subscriptions.retrieve(id)).test_clock as string;
      await stripe().testHelpers.testClocks.advance(clock, { frozen_time: time });
    }
    /** Unix seconds of an ISO date the server answered. */
    const seconds = (iso: string | null) => Date.parse(iso as string) / 1000;
    /** A trial of Pro monthly with a card saved for its end. */
    async function trialOn(token: string) {
      const created = await app.client(token).createSubscription({ price: price('pro_monthly') });
      await app.confirmSetup(created.clientSecret as string, 'pm_card_visa');
      return listed(token, created.id, (s) => expect(s.status).toBe('trialing'));
    }
    /** Puts a coupon made with `params` on the subscription, as the Dashboard would. */
    async function discount(id: string, params: Stripe.CouponCreateParams) {
      const coupon = await stripe().coupons.create(params);
      await stripe().subscriptions.update(id, { discounts: [{ coupon: coupon.id }] });
    }
    const monthly = (product: string, currency: string, unit_amount: number) =>
      stripe().prices.create({
        product,
        currency,
        unit_amount,
        recurring: { interval: 'month' },
      });

    it('an upgrade: the amount due now is what the change then charges at the preview’s time', async () => {
      const token = await newUser('pvu');
      const client = app.client(token);
      // A costly plan, so that the 14 minutes between preview and change are worth dollars.
      const big = await monthly('prod_tillkit_pro', 'usd', 5_000_000);
      const subscription = await paidSubscription(token);
      await client.sandboxAdvance({ days: 10 });
      const before = await latestInvoice(subscription.id);

      const preview = await client.previewSubscriptionChange(subscription.id, { price: big.id });
      expect(preview).toEqual({
        currency: 'usd',
        amountDue: expect.any(Number),
        credit: 0,
        prorationDate: expect.any(Number),
        nextAmount: 5_000_000,
        nextPaymentDate: subscription.currentPeriodEnd,
      });
      // About two thirds of the month on the new plan, less the unused Starter time.
      expect(preview.amountDue / 5_000_000).toBeGreaterThan(0.55);
      expect(preview.amountDue / 5_000_000).toBeLessThan(0.8);
      // Nothing changed.
      const unchanged = await stripe().subscriptions.retrieve(subscription.id);
      expect(unchanged.items.data[0]?.price.id).toBe(price('starter_monthly'));
      expect((await latestInvoice(subscription.id)).id).toBe(before.id);

      // Confirmed 14 minutes later: still the amount shown (now would be about $16 less).
      const now = await tick(subscription.id, 14 * 60);
      expect(now - preview.prorationDate).toBe(14 * 60);
      const changed = await client.changeSubscription(subscription.id, {
        price: big.id,
        prorationDate: preview.prorationDate,
      });
      expect(changed).toMatchObject({ status: 'active', priceId: big.id });
      const invoice = await latestInvoice(subscription.id);
      expect(invoice).toMatchObject({ billing_reason: 'subscription_update', status: 'paid' });
      expect(invoice.amount_paid).toBe(preview.amountDue);
    });

    it('a downgrade: nothing due, the credit it leaves as the customer’s balance after', async () => {
      const token = await newUser('pvd');
      const client = app.client(token);
      const subscription = await paidSubscription(token, 'pro_yearly');
      await client.sandboxAdvance({ days: 30 });
      const preview = await client.previewSubscriptionChange(subscription.id, {
        price: price('starter_yearly'),
      });
      expect(preview).toMatchObject({
        currency: 'usd',
        amountDue: 0,
        nextAmount: 9000,
        nextPaymentDate: subscription.currentPeriodEnd,
      });
      // About eleven twelfths of the $200 difference.
      expect(preview.credit).toBeGreaterThan(17_000);
      expect(preview.credit).toBeLessThan(19_000);
      await client.changeSubscription(subscription.id, {
        price: price('starter_yearly'),
        prorationDate: preview.prorationDate,
      });
      const { customer } = await stripe().subscriptions.retrieve(subscription.id);
      const atStripe = (await stripe().customers.retrieve(customer as string)) as Stripe.Customer;
      expect(atStripe.balance).toBe(-preview.credit);
      expect((await latestInvoice(subscription.id)).amount_paid).toBe(0);
    });

    it('another interval: the new period is paid now and renews a year on', async () => {
      const token = await newUser('pvi');
      const client = app.client(token);
      const subscription = await paidSubscription(token);
      await client.sandboxAdvance({ days: 10 });
      const preview = await client.previewSubscriptionChange(subscription.id, {
        price: price('pro_yearly'),
      });
      // A year of Pro, less about two thirds of a month of Starter.
      expect(preview.amountDue).toBeGreaterThan(29_000 - 900);
      expect(preview.amountDue).toBeLessThan(29_000 - 400);
      expect(preview.nextAmount).toBe(29_000);
      const changed = await client.changeSubscription(subscription.id, {
        price: price('pro_yearly'),
        prorationDate: preview.prorationDate,
      });
      expect(changed.currentPeriodEnd).toBe(preview.nextPaymentDate);
      const days =
        (Date.parse(preview.nextPaymentDate) -
          Date.parse(subscription.currentPeriodEnd as string)) /
        DAY;
      expect(days).toBeGreaterThan(340);
      expect((await latestInvoice(subscription.id)).amount_paid).toBe(preview.amountDue);
    });

    it('in yen and Kuwaiti dinars: amounts in the currency’s own units, as charged', async () => {
      for (const [currency, starter, pro, unit] of [
        ['jpy', 1_000, 3_000, 1],
        ['kwd', 3_000, 9_000, 10],
      ] as const) {
        const token = await newUser(`pv${currency}`);
        const client = app.client(token);
        const from = await monthly('prod_tillkit_starter', currency, starter);
        const to = await monthly('prod_tillkit_pro', currency, pro);
        const subscription = await paidOn(token, from.id);
        await client.sandboxAdvance({ days: 10 });
        const preview = await client.previewSubscriptionChange(subscription.id, { price: to.id });
        expect(preview).toMatchObject({ currency, credit: 0, nextAmount: pro });
        expect(Number.isInteger(preview.amountDue)).toBe(true);
        // Whole yen; KWD is charged in 10 fils.
        expect(preview.amountDue % unit).toBe(0);
        expect(preview.amountDue / (pro - starter)).toBeGreaterThan(0.55);
        expect(preview.amountDue / (pro - starter)).toBeLessThan(0.8);
        await client.changeSubscription(subscription.id, {
          price: to.id,
          prorationDate: preview.prorationDate,
        });
        expect((await latestInvoice(subscription.id)).amount_paid).toBe(preview.amountDue);
      }
    });

    it('a trial: nothing now, the new plan charged when the trial ends', async () => {
      const token = await newUser('pvt');
      const client = app.client(token);
      const created = await client.createSubscription({ price: price('pro_monthly') });
      await app.confirmSetup(created.clientSecret as string, 'pm_card_visa');
      const trial = await listed(token, created.id, (s) => expect(s.status).toBe('trialing'));
      const preview = await client.previewSubscriptionChange(trial.id, {
        price: price('pro_yearly'),
      });
      expect(preview).toMatchObject({
        amountDue: 0,
        credit: 0,
        nextAmount: 29_000,
        nextPaymentDate: trial.trialEnd,
      });
    });

    it('a preview made before a renewal or the trial’s end and confirmed after it is preview_expired, and ends nothing', async () => {
      const token = await newUser('pvp');
      const client = app.client(token);
      const subscription = await paidSubscription(token);
      const end = seconds(subscription.currentPeriodEnd);
      await tickTo(subscription.id, end - 300);
      const preview = await client.previewSubscriptionChange(subscription.id, {
        price: price('pro_monthly'),
      });
      expect(preview.prorationDate).toBe(end - 300);
      // An unpaid subscription to Pro that the change would cancel.
      const unpaid = await client.createSubscription({ price: price('pro_yearly') });
      // Renewed 5 minutes later; confirmed 5 minutes after that (10 minutes: not too old).
      await tick(subscription.id, 600);
      await listed(token, subscription.id, (s) =>
        expect(seconds(s.currentPeriodEnd)).toBeGreaterThan(end),
      );
      const expired = await expectApiError(
        client.changeSubscription(subscription.id, {
          price: price('pro_monthly'),
          prorationDate: preview.prorationDate,
        }),
        400,
        'preview_expired',
      );
      expect(expired.param).toBe('prorationDate');
      expect(expired.message).toContain('preview the change again');
      expect((await stripe().subscriptions.retrieve(unpaid.id)).status).toBe('incomplete');
      const [item] = (await stripe().subscriptions.retrieve(subscription.id)).items.data;
      expect(item?.price.id).toBe(price('starter_monthly'));

      // A trial's end is a new period too.
      const other = await newUser('pvq');
      const trial = await trialOn(other);
      const trialEnd = seconds(trial.trialEnd);
      await tickTo(trial.id, trialEnd - 300);
      const during = await app
        .client(other)
        .previewSubscriptionChange(trial.id, { price: price('pro_yearly') });
      expect(during).toMatchObject({ amountDue: 0, prorationDate: trialEnd - 300 });
      await tick(trial.id, 600);
      await listed(other, trial.id, (s) => expect(s.status).toBe('active'));
      await expectApiError(
        app.client(other).changeSubscription(trial.id, {
          price: price('pro_yearly'),
          prorationDate: during.prorationDate,
        }),
        400,
        'preview_expired',
      );
    });

    it('nextAmount is what the next invoice charges, its discounts taken off: same interval, another one, a trial', async () => {
      // The same interval, 10% off for ever: the renewal after the change.
      const token = await newUser('pvc');
      const client = app.client(token);
      const subscription = await paidSubscription(token);
      await discount(subscription.id, { percent_off: 10, duration: 'forever' });
      await client.sandboxAdvance({ days: 10 });
      const same = await client.previewSubscriptionChange(subscription.id, {
        price: price('pro_monthly'),
      });
      expect(same).toMatchObject({
        nextAmount: 2610,
        nextPaymentDate: subscription.currentPeriodEnd,
      });
      await client.changeSubscription(subscription.id, {
        price: price('pro_monthly'),
        prorationDate: same.prorationDate,
      });
      await client.sandboxAdvance({ days: 25 });
      await eventually(async () => {
        const renewal = await latestInvoice(subscription.id);
        expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', status: 'paid' });
        expect(renewal.amount_paid).toBe(same.nextAmount);
      });

      // Another interval: the year starts now, discounted in amountDue; what the renewal a year
      // on charges keeps a forever coupon, not one that ends within the year.
      for (const [duration, next] of [
        [{ duration: 'forever' }, 26_100],
        [{ duration: 'repeating', duration_in_months: 3 }, 29_000],
      ] as const) {
        const yearlyToken = await newUser('pvy');
        const yearly = app.client(yearlyToken);
        const monthlyOne = await paidSubscription(yearlyToken);
        await discount(monthlyOne.id, { percent_off: 10, ...duration });
        await yearly.sandboxAdvance({ days: 10 });
        const preview = await yearly.previewSubscriptionChange(monthlyOne.id, {
          price: price('pro_yearly'),
        });
        // A year of Pro less 10%, less about two thirds of a month of Starter less 10%.
        expect(preview.amountDue).toBeGreaterThan(26_100 - 900);
        expect(preview.amountDue).toBeLessThan(26_100 - 300);
        expect(preview.nextAmount).toBe(next);
        const changed = await yearly.changeSubscription(monthlyOne.id, {
          price: price('pro_yearly'),
          prorationDate: preview.prorationDate,
        });
        expect(changed.currentPeriodEnd).toBe(preview.nextPaymentDate);
        expect((await latestInvoice(monthlyOne.id)).amount_paid).toBe(preview.amountDue);
      }

      // A trial with a once coupon: taken off the first invoice after the trial.
      const trialToken = await newUser('pvo');
      const trial = await trialOn(trialToken);
      await discount(trial.id, { percent_off: 50, duration: 'once' });
      const preview = await app
        .client(trialToken)
        .previewSubscriptionChange(trial.id, { price: price('pro_yearly') });
      expect(preview).toMatchObject({
        amountDue: 0,
        nextAmount: 14_500,
        nextPaymentDate: trial.trialEnd,
      });
      await app.client(trialToken).changeSubscription(trial.id, {
        price: price('pro_yearly'),
        prorationDate: preview.prorationDate,
      });
      await tickTo(trial.id, seconds(trial.trialEnd) + 2 * 3600);
      await eventually(async () => {
        const first = await latestInvoice(trial.id);
        expect(first).toMatchObject({ status: 'paid' });
        expect(first.amount_paid).toBe(preview.nextAmount);
      });
    });

    it('a subscription that ends at the period’s end: nothing charged after it (a trial: nothing at all)', async () => {
      const token = await newUser('pve');
      const client = app.client(token);
      const trial = await trialOn(token);
      await client.cancelSubscription(trial.id, { atPeriodEnd: true });
      const preview = await client.previewSubscriptionChange(trial.id, {
        price: price('pro_yearly'),
      });
      expect(preview).toEqual({
        currency: 'usd',
        amountDue: 0,
        credit: 0,
        prorationDate: expect.any(Number),
        nextAmount: 0,
        nextPaymentDate: trial.trialEnd,
      });
      const changed = await client.changeSubscription(trial.id, {
        price: price('pro_yearly'),
        prorationDate: preview.prorationDate,
      });
      expect(changed).toMatchObject({ priceId: price('pro_yearly'), cancelAtPeriodEnd: true });

      const active = await paidSubscription(token);
      await client.cancelSubscription(active.id, { atPeriodEnd: true });
      await client.sandboxAdvance({ days: 10 });
      const dearer = await monthly('prod_tillkit_starter', 'usd', 1_500);
      const upgrade = await client.previewSubscriptionChange(active.id, { price: dearer.id });
      expect(upgrade).toMatchObject({ nextAmount: 0, nextPaymentDate: active.currentPeriodEnd });
      expect(upgrade.amountDue).toBeGreaterThan(0);
    });

    it('is refused as the change is, and a stale or future prorationDate is a 400 that changes nothing', async () => {
      const token = await newUser('pvr');
      const client = app.client(token);
      const subscription = await paidSubscription(token);
      const preview = (target: string) =>
        client.previewSubscriptionChange(subscription.id, { price: target });
      await expectApiError(preview('price_nothere'), 400, 'price_unavailable');
      await expectApiError(preview(price('tshirt')), 400, 'one_time_price_not_allowed');
      const yen = await monthly('prod_tillkit_pro', 'jpy', 4000);
      await expectApiError(preview(yen.id), 400, 'currency_mismatch');
      await expectApiError(preview(price('starter_monthly')), 400, 'invalid_request');
      const pro = await paidSubscription(token, 'pro_yearly');
      const duplicate = await expectApiError(
        preview(price('pro_monthly')),
        409,
        'already_subscribed',
      );
      expect(duplicate.message).toContain(pro.id);
      // Someone else's is a 404; a guest a 401.
      const other = app.client(await newUser('pvo'));
      await expectApiError(
        other.previewSubscriptionChange(subscription.id, { price: price('pro_monthly') }),
        404,
        'not_found',
      );
      await expectApiError(
        app.client().previewSubscriptionChange(subscription.id, { price: price('pro_monthly') }),
        401,
        'unauthenticated',
      );

      const { prorationDate } = await preview(price('starter_yearly'));
      await tick(subscription.id, 16 * 60);
      const stale = await expectApiError(
        client.changeSubscription(subscription.id, {
          price: price('starter_yearly'),
          prorationDate,
        }),
        400,
        'preview_expired',
      );
      expect(stale.param).toBe('prorationDate');
      expect(stale.message).toContain('preview the change again');
      const future = await expectApiError(
        client.changeSubscription(subscription.id, {
          price: price('starter_yearly'),
          prorationDate: prorationDate + 16 * 60 + 120,
        }),
        400,
        'invalid_request',
      );
      expect(future.param).toBe('prorationDate');
      const [item] = (await stripe().subscriptions.retrieve(subscription.id)).items.data;
      expect(item?.price.id).toBe(price('starter_monthly'));

      // Ended and incomplete subscriptions: as the change.
      await client.cancelSubscription(subscription.id, { atPeriodEnd: false });
      await expectApiError(preview(price('starter_yearly')), 409, 'invalid_state');
      const unpaid = await client.createSubscription({ price: price('starter_monthly') });
      await expectApiError(
        client.previewSubscriptionChange(unpaid.id, { price: price('starter_yearly') }),
        409,
        'invalid_state',
      );
    });

    it('is rate limited like the routes that create things', async () => {
      const token = await newUser('pvl');
      const subscription = await paidSubscription(token);
      const statuses: number[] = [];
      for (let index = 0; index < 60; index++) {
        const response = await app.fetch(`/subscriptions/${subscription.id}/change-preview`, {
          token,
          method: 'POST',
          body: JSON.stringify({ price: price('pro_yearly') }),
        });
        statuses.push(response.status);
      }
      // The subscription's creation and 59 previews fill the budget of 60.
      expect(statuses).toEqual([...Array(59).fill(200), 429]);
    });
  });

  it('someone else’s subscription is a 404; a guest gets a 401', async () => {
    const [owner, other] = await Promise.all([newUser('own'), newUser('oth')]);
    const created = await app.client(owner).createSubscription({ price: price('starter_monthly') });
    const intruder = app.client(other);
    await expectApiError(intruder.cancelSubscription(created.id), 404, 'not_found');
    await expectApiError(intruder.resumeSubscription(created.id), 404, 'not_found');
    await expectApiError(
      intruder.changeSubscription(created.id, { price: price('pro_monthly') }),
      404,
      'not_found',
    );
    expect((await intruder.listSubscriptions()).data).toEqual([]);
    await expectApiError(
      app.client(owner).cancelSubscription('sub_doesnotexist'),
      404,
      'not_found',
    );
    await expectApiError(app.client().listSubscriptions(), 401, 'unauthenticated');
    await expectApiError(app.client().getEntitlements(), 401, 'unauthenticated');
    await expectApiError(
      app.client().createSubscription({ price: price('starter_monthly') }),
      401,
      'unauthenticated',
    );
    // Untouched.
    expect((await stripe().subscriptions.retrieve(created.id)).status).toBe('incomplete');
  });

  it('refuses one-time, unknown and inactive prices and bad quantities; an Idempotency-Key makes one subscription', async () => {
    const token = await newUser('val');
    const client = app.client(token);
    const oneTime = await expectApiError(
      client.createSubscription({ price: price('tshirt') }),
      400,
      'one_time_price_not_allowed',
    );
    expect(oneTime.param).toBe('price');
    await expectApiError(
      client.createSubscription({ price: 'price_nothere' }),
      400,
      'price_unavailable',
    );
    const retired = await stripe().prices.create({
      product: 'prod_tillkit_starter',
      currency: 'usd',
      unit_amount: 500,
      recurring: { interval: 'week' },
    });
    await stripe().prices.update(retired.id, { active: false });
    await expectApiError(
      client.createSubscription({ price: retired.id }),
      400,
      'price_unavailable',
    );
    for (const quantity of [0, 100, 1.5]) {
      const error = await expectApiError(
        client.createSubscription({ price: price('starter_monthly'), quantity }),
        400,
        'invalid_request',
      );
      expect(error.param).toBe('quantity');
    }

    const key = crypto.randomUUID();
    const body = { price: price('starter_monthly'), quantity: 2 };
    const [first, second] = await Promise.all([
      client.createSubscription(body, { idempotencyKey: key }),
      retry409(() => client.createSubscription(body, { idempotencyKey: key })),
    ]);
    expect(second.id).toBe(first.id);
    expect(second.clientSecret).toBe(first.clientSecret);
    const customer = (await stripe().subscriptions.retrieve(first.id)).customer as string;
    expect((await stripe().subscriptions.list({ customer })).data).toHaveLength(1);
    const [item] = (await stripe().subscriptions.retrieve(first.id)).items.data;
    expect(item?.quantity).toBe(2);
  });

  it('a Stripe outage is a 502 or 503, and nothing is subscribed', async () => {
    const token = await newUser('out');
    const client = app.client(token);
    await app.sandbox.waitForWebhooks();
    app.sandbox.chaos.set({ api: { failNext: 3, failWhen: 'before', failWith: 500 } });
    await expectApiError(
      client.createSubscription({ price: price('starter_monthly') }),
      502,
      'stripe_error',
    );
    app.sandbox.chaos.reset();
    app.sandbox.chaos.set({ api: { failNext: 3, failWhen: 'before', failWith: 'drop' } });
    const down = await expectApiError(
      client.createSubscription({ price: price('starter_monthly') }),
      503,
      'stripe_unavailable',
    );
    expect(down.retryAfter).toBeGreaterThan(0);
    app.sandbox.chaos.reset();
    expect((await client.listSubscriptions()).data).toEqual([]);
    expect(await app.router.services.customers.find(`out-${engine}-${users}`)).toBeUndefined();
  });

  it('late and out-of-order subscription events never take the state back', async () => {
    const token = await newUser('ooo');
    const client = app.client(token);
    await app.pauseWebhooks();
    const created = await client.createSubscription({ price: price('starter_monthly') });
    await app.confirmPayment(created.clientSecret as string);
    await client.cancelSubscription(created.id);
    const events = (await stripe().events.list({ limit: 100 })).data.filter((event) => {
      const object = event.data.object as {
        id?: string;
        parent?: { subscription_details?: { subscription?: string } };
      };
      return (
        object.id === created.id || object.parent?.subscription_details?.subscription === created.id
      );
    });
    const types = events.map((event) => event.type);
    expect(types).toContain('customer.subscription.created');
    expect(types).toContain('invoice.paid');
    expect(types.filter((type) => type === 'customer.subscription.updated').length).toBeGreaterThan(
      1,
    );
    // The route stored the cancellation; the incomplete state is what the oldest events carry.
    const row = async () =>
      (
        await app.database.db
          .select()
          .from(subscriptionsTable)
          .where(eq(subscriptionsTable.id, created.id))
      )[0];
    // Newest first (Stripe lists newest first), then the oldest once more.
    for (const event of events) expect((await app.deliver(event)).status).toBe(200);
    expect((await app.deliver(events.at(-1) as object)).status).toBe(200);
    expect(await row()).toMatchObject({
      status: 'active',
      cancelAtPeriodEnd: true,
      pendingAction: null,
    });
    // Even with the stored state wiped, the oldest event stores what Stripe says now.
    await app.database.db.delete(subscriptionsTable).where(eq(subscriptionsTable.id, created.id));
    const oldest = events.at(-1) as Stripe.Event;
    expect(oldest.type).toBe('customer.subscription.created');
    expect((oldest.data.object as Stripe.Subscription).status).toBe('incomplete');
    const replay = { ...oldest, id: `${oldest.id}_replay` };
    expect((await app.deliver(replay)).status).toBe(200);
    expect(await row()).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
    await app.resumeWebhooks();
  });
});

describe.each(ENGINES)('subscriptions asked for at the same time on %s', (engine) => {
  const hooked = hookedTestApp({ engine });
  const price = (key: string) => hooked.app.prices[key]?.id as string;
  let users = 0;
  /** The customer's subscriptions at Stripe that have not ended. */
  const current = async (userId: string) => {
    const customer = (await hooked.app.router.services.customers.find(userId)) as string;
    const { data } = await hooked.app.sandbox.stripe.subscriptions.list({
      customer,
      status: 'all',
    });
    return data.filter((subscription) => subscription.status !== 'canceled');
  };
  const createsMeet = () =>
    barrier(2, (method, path) => method === 'POST' && path === '/v1/subscriptions');

  it('two POSTs for the same plan, both past the check before either made one, answer the same subscription', async () => {
    const { app } = hooked;
    for (const key of ['starter_monthly', 'pro_monthly']) {
      const userId = `twin-${engine}-${++users}`;
      const token = await app.token(userId);
      hooked.hook = createsMeet();
      const answers = await Promise.all([
        post(app, token, { price: price(key) }),
        post(app, token, { price: price(key) }),
      ]);
      hooked.hook = undefined;
      // Both were made; the later one is canceled, and both requests answer the earlier one.
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
      expect(answers[0]?.body).toEqual(answers[1]?.body);
      const [answer] = answers.map((a) => createSubscriptionResponse.parse(a.body));
      expect((await current(userId)).map((subscription) => subscription.id)).toEqual([answer?.id]);
      if (answer?.clientSecretType === 'setup') {
        expect((await app.confirmSetup(answer.clientSecret as string)).status).toBe('succeeded');
      } else {
        expect((await app.confirmPayment(answer?.clientSecret as string)).status).toBe('succeeded');
      }
    }
  });

  it('two replacements at the same time both cancel the unpaid one; the second cancel finds it ended, and neither fails', async () => {
    const { app } = hooked;
    const userId = `rep-${engine}-${++users}`;
    const token = await app.token(userId);
    const unpaid = await app.client(token).createSubscription({ price: price('starter_monthly') });
    // Both pass the checks before either makes one, and cancel it together: one cancel ends it,
    // Stripe refuses the other.
    const creates = createsMeet();
    const cancels = barrier(
      2,
      (method, path) => method === 'DELETE' && path === `/v1/subscriptions/${unpaid.id}`,
    );
    hooked.hook = async (method, path) => {
      await creates(method, path);
      await cancels(method, path);
    };
    const answers = await Promise.all([
      post(app, token, { price: price('starter_yearly') }),
      post(app, token, { price: price('starter_yearly') }),
    ]);
    hooked.hook = undefined;
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 201]);
    expect(answers[0]?.body).toEqual(answers[1]?.body);
    expect(app.logs.text()).toContain('the subscription had ended already');
    expect((await app.sandbox.stripe.subscriptions.retrieve(unpaid.id)).status).toBe('canceled');
    const [survivor] = await current(userId);
    expect(await current(userId)).toHaveLength(1);
    expect(survivor).toMatchObject({ id: answers[0]?.body.id, status: 'incomplete' });
    await app.confirmPayment(answers[0]?.body.clientSecret);
    await eventually(async () => {
      expect((await app.client(token).listSubscriptions()).data).toEqual([
        expect.objectContaining({ id: survivor?.id, status: 'active' }),
      ]);
    });
  });

  it('an unpaid one paid in another tab before it is replaced stays paid: the new one is refused; one paid in the last instant is logged', async () => {
    const { app } = hooked;
    const userId = `tab-${engine}-${++users}`;
    const token = await app.token(userId);
    const unpaid = await app.client(token).createSubscription({ price: price('starter_monthly') });
    // The other tab pays it once the new one is made and the list read, before it is canceled.
    let paying: Promise<unknown> | undefined;
    hooked.hook = async (_method, path) => {
      if (paying || path !== `/v1/subscriptions/${unpaid.id}`) return;
      paying = app.confirmPayment(unpaid.clientSecret as string);
      await paying;
    };
    const refused = await post(app, token, { price: price('starter_yearly') });
    hooked.hook = undefined;
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'already_subscribed' } } });
    const paid = await app.sandbox.stripe.subscriptions.retrieve(unpaid.id, {
      expand: ['latest_invoice'],
    });
    expect(paid.status).toBe('active');
    expect((paid.latest_invoice as Stripe.Invoice).status).toBe('paid');
    // The one the request made is canceled: the customer has one subscription, the paid one.
    expect((await current(userId)).map((subscription) => subscription.id)).toEqual([unpaid.id]);

    // Paid between that check and the cancel: Stripe cancels it all the same, and the server
    // says so at error level, with what to refund.
    const other = `tab-${engine}-${++users}`;
    const otherToken = await app.token(other);
    const late = await app
      .client(otherToken)
      .createSubscription({ price: price('starter_monthly') });
    hooked.hook = async (method, path) => {
      if (method === 'DELETE' && path === `/v1/subscriptions/${late.id}`) {
        hooked.hook = undefined;
        await app.confirmPayment(late.clientSecret as string);
      }
    };
    const replacing = await post(app, otherToken, { price: price('starter_yearly') });
    hooked.hook = undefined;
    expect(replacing.status).toBe(201);
    const lost = await app.sandbox.stripe.subscriptions.retrieve(late.id, {
      expand: ['latest_invoice'],
    });
    expect(lost.status).toBe('canceled');
    const invoice = lost.latest_invoice as Stripe.Invoice;
    expect(invoice.status).toBe('paid');
    const errors = app.logs.lines
      .map((line) => JSON.parse(line) as { level: number; subscription?: string; invoice?: string })
      .filter((line) => line.level === 50 && line.subscription === late.id);
    expect(errors).toEqual([
      expect.objectContaining({ invoice: invoice.id, msg: expect.stringContaining('refund') }),
    ]);
  });

  it('a subscription answered again is answered beside nothing: the cleanup a failed cancel left is done, a live one is refused, the oldest is kept', async () => {
    const { app } = hooked;
    const userId = `again-${engine}-${++users}`;
    const token = await app.token(userId);
    const unpaid = await app.client(token).createSubscription({ price: price('starter_monthly') });
    // The replacement is made, but canceling the unpaid one fails.
    let failing = true;
    hooked.hook = (method, path) => {
      if (failing && method === 'DELETE' && path === `/v1/subscriptions/${unpaid.id}`) {
        throw new Error('network down');
      }
    };
    const key = crypto.randomUUID();
    const yearly = { price: price('starter_yearly') };
    const failed = await post(app, token, yearly, key);
    expect(failed).toMatchObject({ status: 503, body: { error: { code: 'stripe_unavailable' } } });
    failing = false;
    const retry = await post(app, token, yearly, key);
    hooked.hook = undefined;
    expect(retry.status).toBe(200);
    // The retry finished the cleanup: one subscription left to pay.
    expect((await current(userId)).map((subscription) => subscription.id)).toEqual([retry.body.id]);
    expect((await app.sandbox.stripe.subscriptions.retrieve(unpaid.id)).status).toBe('canceled');

    // A trial started elsewhere (the Dashboard, the portal) beside the waiting one: refused.
    const customer = (await app.router.services.customers.find(userId)) as string;
    const trial = await app.sandbox.stripe.subscriptions.create({
      customer,
      items: [{ price: price('starter_monthly') }],
      trial_period_days: 14,
      payment_behavior: 'default_incomplete',
    });
    expect(trial.status).toBe('trialing');
    const refused = await post(app, token, yearly);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'already_subscribed' } } });
    expect(refused.body.error.message).toContain(trial.id);

    // Two waiting for the same plan (one made elsewhere): the oldest is answered, as `settle` does.
    const twin = `again-${engine}-${++users}`;
    const twinToken = await app.token(twin);
    const oldest = await app.client(twinToken).createSubscription(yearly);
    const newer = await app.sandbox.stripe.subscriptions.create({
      customer: (await app.router.services.customers.find(twin)) as string,
      items: [{ price: price('starter_yearly') }],
      payment_behavior: 'default_incomplete',
    });
    expect(newer.status).toBe('incomplete');
    expect(await post(app, twinToken, yearly)).toEqual({ status: 200, body: oldest });
  });
});

/** `POST /subscriptions` as sent by a form (a fresh idempotency key unless given): status and body. */
async function post(
  app: TestApp,
  token: string,
  body: { price: string; quantity?: number },
  idempotencyKey: string = crypto.randomUUID(),
) {
  const response = await app.fetch('/subscriptions', {
    method: 'POST',
    token,
    headers: { 'Idempotency-Key': idempotencyKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('POST /_sandbox/advance', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('with testClocks, each new customer gets a clock of its own, besides the host’s own parameters', async () => {
    const clocked = await startTestApp({
      sandbox: app.sandbox,
      registerWebhook: false,
      testClocks: true,
      router: { customers: { createParams: async () => ({ description: 'made by the host' }) } },
    });
    try {
      const [first, second] = await Promise.all([
        clocked.token('clock-a', 'user', 'a@example.com'),
        clocked.token('clock-b'),
      ]);
      // Concurrent first requests of one user make one customer on one clock.
      await Promise.all([
        clocked.client(first).createSetupIntent(),
        clocked.client(first).createSetupIntent(),
        clocked.client(second).createSetupIntent(),
      ]);
      const customerOf = async (userId: string) =>
        (await app.sandbox.stripe.customers.retrieve(
          (await clocked.router.services.customers.find(userId)) as string,
        )) as Stripe.Customer;
      const [a, b] = await Promise.all([customerOf('clock-a'), customerOf('clock-b')]);
      expect(a).toMatchObject({ description: 'made by the host', email: 'a@example.com' });
      expect(a.test_clock).toMatch(/^clock_/);
      expect(b.test_clock).toMatch(/^clock_/);
      expect(b.test_clock).not.toBe(a.test_clock);
      const before = await app.sandbox.stripe.testHelpers.testClocks.retrieve(
        a.test_clock as string,
      );
      const advanced = await clocked.client(first).sandboxAdvance({ days: 3 });
      expect(advanced).toEqual({
        testClock: a.test_clock,
        frozenTime: new Date((before.frozen_time + 3 * 86_400) * 1000).toISOString(),
      });
      // The other customer's clock did not move.
      const other = await app.sandbox.stripe.testHelpers.testClocks.retrieve(
        b.test_clock as string,
      );
      expect(other.frozen_time).toBeLessThan(before.frozen_time + 86_400);
    } finally {
      await clocked.close();
    }
  });

  it('needs a customer on a test clock', async () => {
    const token = await app.token('noclock');
    await expectApiError(app.client(token).sandboxAdvance({ days: 1 }), 409, 'invalid_state');
    await expectApiError(app.client().sandboxAdvance({ days: 1 }), 401, 'unauthenticated');
    for (const days of [0, 731, 1.5]) {
      const error = await expectApiError(
        app.client(token).sandboxAdvance({ days }),
        400,
        'invalid_request',
      );
      expect(error.param).toBe('days');
    }
  });
});

/** What a careful client does with a 409 request_in_progress: retry with the same key. */
async function retry409<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 10 || (error as { status?: number }).status !== 409) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
