/**
 * Checkout Sessions and customer portal sessions through HTTP with the typed client, against the
 * in-process sandbox's hosted pages, on both engines: a guest's cart and a user's subscription
 * paid on the Checkout page and stored from `checkout.session.completed`, redirect URLs on the
 * allowed origins only, and the portal.
 */
import { checkoutSessionResponse, portalSessionResponse } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

const SUCCESS = `${FRONTEND}/thanks?session_id={CHECKOUT_SESSION_ID}`;
const CANCEL = `${FRONTEND}/cart`;

const completed: string[] = [];
const hooks: TillkitHooks = {
  onCheckoutSessionCompleted: (event) => {
    completed.push(event.data.object.id);
  },
};

describe.each(ENGINES)('Checkout and the portal on %s', (engine) => {
  let app: TestApp;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp({ engine, router: { hooks } });
    admin = await app.token('boss', 'admin');
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    completed.length = 0;
  });

  const price = (key: string) => app.prices[key]?.id as string;
  const stripe = () => app.sandbox.stripe;
  const sessionCount = async () =>
    (await stripe().checkout.sessions.list({ limit: 100 })).data.length;

  it('a guest pays a cart on the hosted page; the payment is stored from the webhook', async () => {
    const created = checkoutSessionResponse.parse(
      await app.client().createCheckoutSession({
        mode: 'payment',
        items: [{ price: price('tshirt'), quantity: 2 }],
        successUrl: SUCCESS,
        cancelUrl: CANCEL,
      }),
    );
    expect(created.id).toMatch(/^cs_test_/);
    expect(new URL(created.url).origin).toBe(app.sandbox.url);
    const session = await stripe().checkout.sessions.retrieve(created.id);
    expect(session).toMatchObject({
      mode: 'payment',
      amount_total: 5000,
      currency: 'usd',
      customer: null,
      // The placeholder survives for Stripe to fill in.
      success_url: SUCCESS,
      cancel_url: CANCEL,
      metadata: { tillkit: 'true' },
    });

    const location = await app.payCheckout(created.url);
    expect(location).toBe(SUCCESS.replace('{CHECKOUT_SESSION_ID}', created.id));
    await eventually(() => expect(completed).toContain(created.id));
    const paid = await stripe().checkout.sessions.retrieve(created.id);
    expect(paid.payment_status).toBe('paid');
    const intent = paid.payment_intent as string;
    await eventually(async () => {
      expect(await app.client(admin).getPayment(intent)).toMatchObject({
        id: intent,
        status: 'succeeded',
        amount: 5000,
        currency: 'usd',
      });
    });
  });

  it('an identified caller’s cart is on their own customer', async () => {
    const token = await app.token(`pat-${engine}`, 'user', 'pat@example.com');
    const created = await app.client(token).createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('mug_jpy'), quantity: 3 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: CANCEL,
    });
    const session = await stripe().checkout.sessions.retrieve(created.id);
    expect(session).toMatchObject({ amount_total: 4500, currency: 'jpy' });
    expect(session.customer).toMatch(/^cus_/);
    await app.payCheckout(created.url);
    const intent = (await stripe().checkout.sessions.retrieve(created.id)).payment_intent as string;
    await eventually(async () => {
      expect(await app.client(token).getPayment(intent)).toMatchObject({ status: 'succeeded' });
    });
  });

  it('a subscription needs a user, starts the price’s trial, and is stored from the webhook', async () => {
    const body = {
      mode: 'subscription' as const,
      price: price('pro_monthly'),
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    };
    const guest = await expectApiError(
      app.client().createCheckoutSession(body),
      401,
      'unauthenticated',
    );
    expect(guest.param).toBe('mode');

    const token = await app.token(`sue-${engine}`);
    const client = app.client(token);
    const created = await client.createCheckoutSession(body);
    const session = await stripe().checkout.sessions.retrieve(created.id);
    expect(session).toMatchObject({ mode: 'subscription', amount_total: 0 });
    await app.payCheckout(created.url);
    await eventually(() => expect(completed).toContain(created.id));
    const subscriptionId = (await stripe().checkout.sessions.retrieve(created.id))
      .subscription as string;
    await eventually(async () => {
      const { data } = await client.listSubscriptions();
      expect(data).toEqual([
        expect.objectContaining({ id: subscriptionId, status: 'trialing', productName: 'Pro' }),
      ]);
    });
    const subscription = await stripe().subscriptions.retrieve(subscriptionId);
    expect(subscription.metadata).toMatchObject({
      tillkit: 'true',
      tillkit_user_id: `sue-${engine}`,
    });
    expect(Math.round(((subscription.trial_end ?? 0) - subscription.created) / 86_400)).toBe(14);
    expect((await client.getEntitlements()).active).toBe(true);

    // Subscribed already: a second Checkout for the same product is refused before Stripe.
    await expectApiError(client.createCheckoutSession(body), 409, 'already_subscribed');
  });

  it('a subscription left unpaid by the subscribe form is canceled; a trial without its card is refused', async () => {
    const token = await app.token(`una-${engine}`);
    const client = app.client(token);
    const urls = { successUrl: SUCCESS, cancelUrl: CANCEL };
    const unpaid = await client.createSubscription({ price: price('starter_monthly') });
    const created = await client.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_yearly'),
      ...urls,
    });
    // Its first invoice voided: it can no longer be paid beside the one the page makes.
    expect(await stripe().subscriptions.retrieve(unpaid.id)).toMatchObject({ status: 'canceled' });
    expect((await client.listSubscriptions()).data).toEqual([]);
    await app.payCheckout(created.url);
    const made = await eventually(async () => {
      const { data } = await client.listSubscriptions();
      expect(data).toEqual([expect.objectContaining({ status: 'active', productName: 'Starter' })]);
      return data[0]?.id;
    });
    expect(made).not.toBe(unpaid.id);

    // A trial is live before its card is saved: the page would start a second one.
    const other = app.client(await app.token(`una2-${engine}`));
    const trial = await other.createSubscription({ price: price('pro_monthly') });
    expect(trial).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    await expectApiError(
      other.createCheckoutSession({ mode: 'subscription', price: price('pro_yearly'), ...urls }),
      409,
      'already_subscribed',
    );
    expect((await stripe().subscriptions.retrieve(trial.id)).status).toBe('trialing');
  });

  it('a second Checkout for the same plan expires the first page, so the customer subscribes once', async () => {
    const token = await app.token(`twice-${engine}`);
    const client = app.client(token);
    const body = {
      mode: 'subscription' as const,
      price: price('pro_monthly'),
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    };
    const first = await client.createCheckoutSession(body);
    // The first tab has the page loaded, card form and all, before the second tab opens.
    const firstTab = await app.openCheckout(first.url);
    const idempotencyKey = `twice-${engine}-second`;
    const second = await client.createCheckoutSession(body, { idempotencyKey });
    expect(second.id).not.toBe(first.id);
    expect(await stripe().checkout.sessions.retrieve(first.id)).toMatchObject({
      status: 'expired',
      url: null,
    });
    // A retry of the second request gets its session back, still open.
    expect((await client.createCheckoutSession(body, { idempotencyKey })).id).toBe(second.id);
    expect((await stripe().checkout.sessions.retrieve(second.id)).status).toBe('open');

    const refused = await firstTab.submit();
    expect(refused.status).toBe(410);
    expect(await refused.text()).toContain('It has expired.');
    await expect(app.payCheckout(first.url)).rejects.toThrow(/answered 410/);

    await app.payCheckout(second.url);
    await eventually(() => expect(completed).toContain(second.id));
    const customer = (await app.router.services.customers.find(`twice-${engine}`)) as string;
    const subscriptions = await stripe().subscriptions.list({ customer, status: 'all' });
    expect(subscriptions.data).toEqual([expect.objectContaining({ status: 'trialing' })]);
    await eventually(async () => {
      expect((await client.listSubscriptions()).data).toEqual([
        expect.objectContaining({ id: subscriptions.data[0]?.id, productName: 'Pro' }),
      ]);
    });
  });

  it('a retry of a request whose page was replaced since is refused as stale_request, and expires nothing', async () => {
    const token = await app.token(`stale-${engine}`);
    const client = app.client(token);
    const body = {
      mode: 'subscription' as const,
      price: price('starter_monthly'),
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    };
    const firstKey = `stale-${engine}-a`;
    const first = await client.createCheckoutSession(body, { idempotencyKey: firstKey });
    const second = await client.createCheckoutSession(body, {
      idempotencyKey: `stale-${engine}-b`,
    });
    const status = async (id: string) => (await stripe().checkout.sessions.retrieve(id)).status;
    expect(await status(first.id)).toBe('expired');
    // The first request again, with its key: Stripe answers its first, expired, page.
    const retry = await expectApiError(
      client.createCheckoutSession(body, { idempotencyKey: firstKey }),
      409,
      'stale_request',
    );
    expect(retry.message).toContain('new Idempotency-Key');
    expect(await status(second.id)).toBe('open');
    await app.payCheckout(second.url);
    expect(await status(second.id)).toBe('complete');
  });

  it('leaves other customers’ pages, other products’ and carts open', async () => {
    const client = app.client(await app.token(`tabs-${engine}`));
    const neighbour = app.client(await app.token(`tabs2-${engine}`));
    const urls = { successUrl: SUCCESS, cancelUrl: CANCEL };
    const plan = (key: string) => ({ mode: 'subscription' as const, price: price(key), ...urls });
    const yearly = await client.createCheckoutSession(plan('pro_yearly'));
    const starter = await client.createCheckoutSession(plan('starter_monthly'));
    const tshirt = {
      mode: 'payment' as const,
      items: [{ price: price('tshirt'), quantity: 1 }],
      ...urls,
    };
    const cart = await client.createCheckoutSession(tshirt);
    const theirs = await neighbour.createCheckoutSession(plan('pro_monthly'));
    const monthly = await client.createCheckoutSession(plan('pro_monthly'));
    const status = async (id: string) => (await stripe().checkout.sessions.retrieve(id)).status;
    // Another price of the same product would make a second subscription to it just the same.
    expect(await status(yearly.id)).toBe('expired');
    for (const { id } of [starter, cart, theirs, monthly]) expect(await status(id)).toBe('open');
    // Buying a cart twice is the customer's choice: a new cart leaves the first one open too.
    await client.createCheckoutSession(tshirt);
    expect(await status(cart.id)).toBe('open');
    await app.payCheckout(cart.url);
    await app.payCheckout(theirs.url);
    expect(await status(cart.id)).toBe('complete');
    expect(await status(theirs.id)).toBe('complete');
  });

  it('checkout.session.completed alone stores what was paid for, once, even before the object’s own events', async () => {
    const token = await app.token(`zed-${engine}`);
    await app.pauseWebhooks();
    const cart = await app.client().createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('tshirt'), quantity: 1 }],
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    });
    const plan = await app.client(token).createCheckoutSession({
      mode: 'subscription',
      price: price('starter_monthly'),
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    });
    await app.payCheckout(cart.url);
    await app.payCheckout(plan.url);
    const events = (await stripe().events.list({ type: 'checkout.session.completed' })).data;
    const completedEvent = (id: string) =>
      events.find((event) => (event.data.object as { id: string }).id === id) as Stripe.Event;
    // Only the completion events arrive (twice each); the payment's and subscription's do not.
    for (const id of [cart.id, plan.id, cart.id, plan.id]) {
      expect((await app.deliver(completedEvent(id))).status).toBe(200);
    }
    expect(completed.filter((id) => id === cart.id || id === plan.id)).toEqual([cart.id, plan.id]);
    const intent = (await stripe().checkout.sessions.retrieve(cart.id)).payment_intent as string;
    expect(await app.client(admin).getPayment(intent)).toMatchObject({
      status: 'succeeded',
      amount: 2500,
    });
    const subscription = (await stripe().checkout.sessions.retrieve(plan.id))
      .subscription as string;
    expect((await app.client(token).listSubscriptions()).data).toEqual([
      expect.objectContaining({ id: subscription, status: 'active', productName: 'Starter' }),
    ]);
    expect((await app.client(token).getEntitlements()).active).toBe(true);
    await app.resumeWebhooks();
  });

  it('refuses redirect URLs that are not on an allowed origin, before anything reaches Stripe', async () => {
    const before = await sessionCount();
    const cases: Array<[Partial<Record<'successUrl' | 'cancelUrl', string>>, string]> = [
      [{ successUrl: 'https://evil.example/thanks' }, 'successUrl'],
      [{ cancelUrl: 'https://evil.example/cart' }, 'cancelUrl'],
      [{ successUrl: 'http://localhost:5174/thanks' }, 'successUrl'],
      [{ successUrl: '/thanks' }, 'successUrl'],
      [{ successUrl: 'javascript:alert(1)' }, 'successUrl'],
      [{ cancelUrl: 'http://user:pass@localhost:5173/cart' }, 'cancelUrl'],
      [{ successUrl: 'https://localhost:5173.evil.example/' }, 'successUrl'],
    ];
    for (const [urls, param] of cases) {
      const error = await expectApiError(
        app.client().createCheckoutSession({
          mode: 'payment',
          items: [{ price: price('tshirt'), quantity: 1 }],
          successUrl: SUCCESS,
          cancelUrl: CANCEL,
          ...urls,
        }),
        400,
        'redirect_not_allowed',
      );
      expect(error.param).toBe(param);
    }
    const token = await app.token('url-checker');
    const portal = await expectApiError(
      app.client(token).createPortalSession({ returnUrl: 'https://evil.example/account' }),
      400,
      'redirect_not_allowed',
    );
    expect(portal.param).toBe('returnUrl');
    expect(await sessionCount()).toBe(before);
  });

  it('refuses wrong prices for the mode, and modes it does not offer', async () => {
    const token = await app.token('mode-checker');
    const urls = { successUrl: SUCCESS, cancelUrl: CANCEL };
    const recurring = await expectApiError(
      app.client().createCheckoutSession({
        mode: 'payment',
        items: [{ price: price('starter_monthly'), quantity: 1 }],
        ...urls,
      }),
      400,
      'recurring_price_not_allowed',
    );
    expect(recurring.param).toBe('items[0].price');
    const oneTime = await expectApiError(
      app
        .client(token)
        .createCheckoutSession({ mode: 'subscription', price: price('tshirt'), ...urls }),
      400,
      'one_time_price_not_allowed',
    );
    expect(oneTime.param).toBe('price');
    await expectApiError(
      app.client().createCheckoutSession({
        mode: 'payment',
        items: [
          { price: price('tshirt'), quantity: 1 },
          { price: price('mug_jpy'), quantity: 1 },
        ],
        ...urls,
      }),
      400,
      'currency_mismatch',
    );
    for (const body of [
      { mode: 'setup', ...urls },
      { mode: 'payment', price: price('tshirt'), ...urls },
      { mode: 'subscription', items: [{ price: price('pro_monthly'), quantity: 1 }], ...urls },
    ]) {
      const response = await app.fetch('/checkout-sessions', {
        method: 'POST',
        token,
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_request');
    }
  });

  it('opens the customer portal for the caller’s own customer', async () => {
    const token = await app.token(`pia-${engine}`);
    const created = portalSessionResponse.parse(
      await app.client(token).createPortalSession({ returnUrl: `${FRONTEND}/account` }),
    );
    expect(new URL(created.url).origin).toBe(app.sandbox.url);
    const page = await fetch(created.url);
    expect(page.status).toBe(200);
    const customer = await app.router.services.customers.find(`pia-${engine}`);
    const sessions = (await stripe().events.list({ type: 'billing_portal.session.created' })).data;
    const session = sessions
      .map((event) => event.data.object as Stripe.BillingPortal.Session)
      .find((candidate) => candidate.url === created.url);
    expect(session).toMatchObject({ customer, return_url: `${FRONTEND}/account` });
    await expectApiError(
      app.client().createPortalSession({ returnUrl: `${FRONTEND}/account` }),
      401,
      'unauthenticated',
    );
  });
});

describe.each(ENGINES)('Checkout pages asked for at the same time on %s', (engine) => {
  /** Seconds the sandbox's clock is ahead: to make one object in a later second than another. */
  let ahead = 0;
  const hooked = hookedTestApp({
    engine,
    clock: { now: () => Math.floor(Date.now() / 1000) + ahead },
  });
  const price = (key: string) => hooked.app.prices[key]?.id as string;
  const stripe = () => hooked.app.sandbox.stripe;
  const plan = (key: string) => ({
    mode: 'subscription' as const,
    price: price(key),
    successUrl: SUCCESS,
    cancelUrl: CANCEL,
  });
  /** `POST /checkout-sessions` (a fresh idempotency key unless given): status and body. */
  const post = async (token: string, body: object, key: string = crypto.randomUUID()) => {
    const response = await hooked.app.fetch('/checkout-sessions', {
      method: 'POST',
      token,
      headers: { 'Idempotency-Key': key },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  /** `POST /subscriptions` (a fresh idempotency key unless given): status and body. */
  const subscribe = async (token: string, priceId: string, key: string = crypto.randomUUID()) => {
    const response = await hooked.app.fetch('/subscriptions', {
      method: 'POST',
      token,
      headers: { 'Idempotency-Key': key },
      body: JSON.stringify({ price: priceId }),
    });
    return { status: response.status, body: await response.json() };
  };
  const status = async (id: string) => (await stripe().checkout.sessions.retrieve(id)).status;
  const subscriptionsOf = async (userId: string) => {
    const customer = (await hooked.app.router.services.customers.find(userId)) as string;
    return (await stripe().subscriptions.list({ customer, status: 'all' })).data;
  };

  it('two pages for the same plan made together: exactly one stays open, and it can be paid', async () => {
    const { app } = hooked;
    const userId = `pair-${engine}`;
    const token = await app.token(userId);
    // Both pages are made before either request reads the open ones.
    hooked.hook = barrier(
      2,
      (method, path) => method === 'POST' && path === '/v1/checkout/sessions',
    );
    const answers = await Promise.all([
      post(token, plan('pro_monthly')),
      post(token, plan('pro_monthly')),
    ]);
    hooked.hook = undefined;
    const pages = [];
    for (const answer of answers) {
      // Each is a page, or (overtaken before it was answered) a clear 409.
      if (answer.status === 409) {
        expect(answer.body.error.code).toBe('stale_request');
        continue;
      }
      expect(answer.status).toBe(201);
      const page = await stripe().checkout.sessions.retrieve(answer.body.id);
      pages.push({ ...answer.body, status: page.status });
    }
    const open = pages.filter((page) => page.status === 'open');
    expect(open).toHaveLength(1);
    expect(pages.filter((page) => page.status !== 'open').map((page) => page.status)).toEqual(
      Array(pages.length - 1).fill('expired'),
    );
    const customer = (await app.router.services.customers.find(userId)) as string;
    const stillOpen = await stripe().checkout.sessions.list({ customer, status: 'open' });
    expect(stillOpen.data.map((session) => session.id)).toEqual([open[0]?.id]);
    await app.payCheckout(open[0]?.url);
    expect(await subscriptionsOf(userId)).toEqual([
      expect.objectContaining({ status: 'trialing' }),
    ]);
  });

  it('an older page expired just before the new request expires it: the new page stands', async () => {
    const { app } = hooked;
    const token = await app.token(`late-${engine}`);
    const older = await app.client(token).createCheckoutSession(plan('pro_monthly'));
    const expire = `/v1/checkout/sessions/${older.id}/expire`;
    // Another tab's request expires it first.
    hooked.hook = async (method, path) => {
      if (method === 'POST' && path === expire) await stripe().checkout.sessions.expire(older.id);
    };
    const newer = await post(token, plan('pro_monthly'));
    hooked.hook = undefined;
    expect(newer.status).toBe(201);
    expect((await stripe().checkout.sessions.retrieve(newer.body.id)).status).toBe('open');
    expect(app.logs.text()).toContain('could not expire an open Checkout page');
  });

  it('an older page paid just before the new request expires it: the new page is expired, and refused as already_subscribed', async () => {
    const { app } = hooked;
    // The customer has the plan now; the newer page would make a second subscription.
    const userId = `paid-${engine}`;
    const payer = await app.token(userId);
    const paid = await app.client(payer).createCheckoutSession(plan('pro_monthly'));
    hooked.hook = async (method, path) => {
      if (method === 'POST' && path === `/v1/checkout/sessions/${paid.id}/expire`) {
        await app.payCheckout(paid.url);
      }
    };
    const refused = await post(payer, plan('pro_yearly'));
    hooked.hook = undefined;
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'already_subscribed' } } });
    expect((await stripe().checkout.sessions.retrieve(paid.id)).status).toBe('complete');
    const customer = (await app.router.services.customers.find(userId)) as string;
    const pages = await stripe().checkout.sessions.list({ customer });
    expect(pages.data.map((page) => page.status)).toEqual(['expired', 'complete']);
    expect(await subscriptionsOf(userId)).toEqual([
      expect.objectContaining({ status: 'trialing' }),
    ]);
  });
  it('an unpaid subscription paid while the page is made is kept: the page is expired, and refused as already_subscribed', async () => {
    const { app } = hooked;
    const userId = `tabpaid-${engine}`;
    const token = await app.token(userId);
    const unpaid = await app.client(token).createSubscription({ price: price('starter_monthly') });
    let paid = false;
    hooked.hook = async (method, path) => {
      if (!paid && method === 'POST' && path === '/v1/checkout/sessions') {
        paid = true;
        await app.confirmPayment(unpaid.clientSecret as string);
      }
    };
    const refused = await post(token, plan('starter_yearly'));
    hooked.hook = undefined;
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'already_subscribed' } } });
    expect(refused.body.error.message).toContain(unpaid.id);
    const kept = await stripe().subscriptions.retrieve(unpaid.id, { expand: ['latest_invoice'] });
    expect(kept.status).toBe('active');
    expect((kept.latest_invoice as Stripe.Invoice).status).toBe('paid');
    const customer = (await app.router.services.customers.find(userId)) as string;
    const pages = await stripe().checkout.sessions.list({ customer });
    expect(pages.data.map((page) => page.status)).toEqual(['expired']);
  });

  it('one plan, one payable way: the subscribe form expires the open pages, and a page made while another was paid is refused', async () => {
    const { app } = hooked;
    const userId = `form-${engine}`;
    const token = await app.token(userId);
    const page = await post(token, plan('starter_monthly'));
    const subscription = await subscribe(token, price('starter_monthly'));
    expect(subscription.status).toBe(201);
    expect(await status(page.body.id)).toBe('expired');
    await app.confirmPayment(subscription.body.clientSecret);
    await expect(app.payCheckout(page.body.url)).rejects.toThrow(/answered 410/);
    expect(await subscriptionsOf(userId)).toEqual([
      expect.objectContaining({ id: subscription.body.id, status: 'active' }),
    ]);

    // An older page paid after the check, before the new page is made: not an open page any
    // more, but the customer has the product now.
    const payerId = `paidfirst-${engine}`;
    const payer = await app.token(payerId);
    const older = await post(payer, plan('starter_monthly'));
    let paid = false;
    hooked.hook = async (method, path) => {
      if (!paid && method === 'POST' && path === '/v1/checkout/sessions') {
        paid = true;
        await app.payCheckout(older.body.url);
      }
    };
    const refused = await post(payer, plan('starter_yearly'));
    hooked.hook = undefined;
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'already_subscribed' } } });
    const customer = (await app.router.services.customers.find(payerId)) as string;
    const pages = await stripe().checkout.sessions.list({ customer });
    expect(pages.data.map((session) => session.status)).toEqual(['expired', 'complete']);
    expect(await subscriptionsOf(payerId)).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('an older page that cannot be expired fails the request; its retry expires it', async () => {
    const { app } = hooked;
    const userId = `stuck-${engine}`;
    const token = await app.token(userId);
    const older = await post(token, plan('starter_monthly'));
    let failing = true;
    hooked.hook = (method, path) => {
      if (
        failing &&
        method === 'POST' &&
        path === `/v1/checkout/sessions/${older.body.id}/expire`
      ) {
        throw new Error('network down');
      }
    };
    const key = crypto.randomUUID();
    const failed = await post(token, plan('starter_monthly'), key);
    expect(failed).toMatchObject({ status: 503, body: { error: { code: 'stripe_unavailable' } } });
    expect(await status(older.body.id)).toBe('open');
    failing = false;
    const retry = await post(token, plan('starter_monthly'), key);
    hooked.hook = undefined;
    expect(retry.status).toBe(201);
    expect(await status(older.body.id)).toBe('expired');
    const customer = (await app.router.services.customers.find(userId)) as string;
    const open = await stripe().checkout.sessions.list({ customer, status: 'open' });
    expect(open.data.map((page) => page.id)).toEqual([retry.body.id]);
  });

  it('a retry of a page leaves alone an unpaid subscription made after the page', async () => {
    const { app } = hooked;
    const userId = `after-${engine}`;
    const token = await app.token(userId);
    const pageKey = crypto.randomUUID();
    const page = await post(token, plan('starter_monthly'), pageKey);
    expect(page.status).toBe(201);
    ahead += 2;
    // The subscribe form, a second later: its subscription is made, but expiring the page fails.
    let failing = true;
    hooked.hook = (method, path) => {
      if (failing && method === 'POST' && path === `/v1/checkout/sessions/${page.body.id}/expire`) {
        throw new Error('network down');
      }
    };
    const subscriptionKey = crypto.randomUUID();
    const failed = await subscribe(token, price('starter_yearly'), subscriptionKey);
    expect(failed.status).toBe(503);
    const [made] = await subscriptionsOf(userId);
    expect(made).toMatchObject({ status: 'incomplete' });
    failing = false;
    hooked.hook = undefined;
    // The page's request again, with its key: it made nothing after it, so it cancels nothing.
    const replay = await post(token, plan('starter_monthly'), pageKey);
    expect(replay).toEqual({ status: 201, body: page.body });
    expect((await stripe().subscriptions.retrieve(made?.id as string)).status).toBe('incomplete');
    // The form's retry (answered the waiting subscription again) finishes its work: the page is
    // expired, the subscription can be paid.
    const retry = await subscribe(token, price('starter_yearly'), subscriptionKey);
    expect(retry).toMatchObject({ status: 200, body: { id: made?.id } });
    expect(await status(page.body.id)).toBe('expired');
    await app.confirmPayment(retry.body.clientSecret);
    expect(await subscriptionsOf(userId)).toEqual([
      expect.objectContaining({ id: made?.id, status: 'active' }),
    ]);
  });
});

describe('promotion codes on Checkout pages (checkout.allowPromotionCodes)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ router: { hooks, checkout: { allowPromotionCodes: true } } });
  });
  afterAll(() => app?.close());

  const price = (key: string) => app.prices[key]?.id as string;
  /** What a customer does on the page: types the seeded code (in any case) and applies it. */
  const applyCode = async (url: string, code: string) => {
    const applied = await fetch(`${url}/promotion_code`, {
      method: 'POST',
      body: new URLSearchParams({ code }),
      redirect: 'manual',
    });
    expect(applied.status).toBe(303);
  };

  it('a cart page takes a code; the payment stored is what was charged, with its lines as priced', async () => {
    const created = await app.client().createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('mug_jpy'), quantity: 3 }],
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    });
    const session = () => app.sandbox.stripe.checkout.sessions.retrieve(created.id);
    expect(await session()).toMatchObject({ allow_promotion_codes: true, amount_total: 4500 });
    await applyCode(created.url, 'welcome10');
    // Zero-decimal yen: 10% of ¥4,500 is ¥450, in whole yen.
    expect(await session()).toMatchObject({
      amount_subtotal: 4500,
      amount_total: 4050,
      total_details: expect.objectContaining({ amount_discount: 450 }),
    });
    await app.payCheckout(created.url);
    await eventually(() => expect(completed).toContain(created.id));
    const intent = (await session()).payment_intent as string;
    const admin = await app.token('boss', 'admin');
    await eventually(async () => {
      expect(await app.client(admin).getPayment(intent)).toMatchObject({
        status: 'succeeded',
        amount: 4050,
        amountDiscount: 450,
        currency: 'jpy',
        lines: [
          expect.objectContaining({ price: price('mug_jpy'), quantity: 3, unitAmount: 1500 }),
        ],
      });
    });
  });

  it('three-decimal dinars: the discount is kept from checkout.session.completed, whichever event comes first', async () => {
    const token = await app.token('promo-kwd');
    const stripe = app.sandbox.stripe;
    await app.pauseWebhooks();
    try {
      const created = await app.client(token).createCheckoutSession({
        mode: 'payment',
        items: [{ price: price('tshirt_kwd'), quantity: 1 }],
        successUrl: SUCCESS,
        cancelUrl: CANCEL,
      });
      await applyCode(created.url, 'WELCOME10');
      await app.payCheckout(created.url);
      const session = await stripe.checkout.sessions.retrieve(created.id);
      // 10% of KWD 7.500 is KWD 0.750: 750 fils.
      expect(session).toMatchObject({
        amount_subtotal: 7500,
        amount_total: 6750,
        total_details: expect.objectContaining({ amount_discount: 750 }),
      });
      const intent = session.payment_intent as string;
      /** The event of `type` about `id` (a charge's: about its payment intent `id`). */
      const eventOf = async (type: string, id: string) =>
        (await stripe.events.list({ type, limit: 100 })).data.find((event) => {
          const object = event.data.object as { id: string; payment_intent?: unknown };
          return object.id === id || object.payment_intent === id;
        }) as Stripe.Event;
      const completion = await eventOf('checkout.session.completed', created.id);
      const succeeded = await eventOf('payment_intent.succeeded', intent);
      const stored = { amount: 6750, amountDiscount: 750, currency: 'kwd' };
      const lines = [expect.objectContaining({ quantity: 1, unitAmount: 7500 })];
      // The completion first: it stores the payment, its lines and its discount.
      expect((await app.deliver(completion)).status).toBe(200);
      expect((await app.client(token).listPayments()).data).toEqual([
        expect.objectContaining({ id: intent, status: 'succeeded', ...stored, lines }),
      ]);
      // The payment's own event after it, then a refund: each re-reads the intent, and neither
      // takes the discount away.
      expect((await app.deliver(succeeded)).status).toBe(200);
      await stripe.refunds.create({ payment_intent: intent, amount: 1000 });
      expect((await app.deliver(await eventOf('charge.refunded', intent))).status).toBe(200);
      expect(await app.client(token).getPayment(intent)).toMatchObject({
        ...stored,
        amountRefunded: 1000,
        lines,
      });
    } finally {
      await app.resumeWebhooks();
    }
  });

  it('a subscription page takes a code, which Stripe keeps on the subscription and its first invoice', async () => {
    const client = app.client(await app.token('promo-sub'));
    const created = await client.createCheckoutSession({
      mode: 'subscription',
      price: price('starter_monthly'),
      successUrl: SUCCESS,
      cancelUrl: CANCEL,
    });
    await applyCode(created.url, 'WELCOME10');
    await app.payCheckout(created.url);
    await eventually(() => expect(completed).toContain(created.id));
    const subscriptionId = (await app.sandbox.stripe.checkout.sessions.retrieve(created.id))
      .subscription as string;
    const subscription = await app.sandbox.stripe.subscriptions.retrieve(subscriptionId, {
      expand: ['latest_invoice'],
    });
    expect(subscription.discounts).toHaveLength(1);
    expect(subscription.latest_invoice).toMatchObject({ subtotal: 900, total: 810 });
    await eventually(async () => {
      expect((await client.listSubscriptions()).data).toEqual([
        expect.objectContaining({ id: subscriptionId, status: 'active' }),
      ]);
    });
  });

  it('GET /config says so, for a storefront to tell its customers', async () => {
    expect(await app.client().getConfig()).toMatchObject({ promotionCodes: true });
  });

  it('pages are made without the field unless the option is set', async () => {
    const plain = await startTestApp();
    try {
      const created = await plain.client().createCheckoutSession({
        mode: 'payment',
        items: [{ price: plain.prices.tshirt?.id as string, quantity: 1 }],
        successUrl: SUCCESS,
        cancelUrl: CANCEL,
      });
      const session = await plain.sandbox.stripe.checkout.sessions.retrieve(created.id);
      expect(session.allow_promotion_codes).toBeFalsy();
      const page = await (await fetch(created.url)).text();
      expect(page).toContain('Pay');
      expect(page).not.toContain('Promotion code');
    } finally {
      await plain.close();
    }
  });
});
