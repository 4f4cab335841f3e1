/**
 * `POST /customer-sessions` against the in-process sandbox, on PGlite: a Customer Session for the
 * caller's own customer with saved cards shown (never made for a caller who has no customer),
 * private to the caller and rate limited; and a saved card paying the caller's own intent, never
 * a guest's.
 */
import { customerSessionResponse } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorBody,
  expectApiError,
  startTestApp,
  stripeRequestLog,
  type TestApp,
} from '../test-support/harness.js';

describe('POST /customer-sessions', () => {
  let app: TestApp;
  /** The server's Stripe requests, as `POST /v1/customer_sessions`. */
  const stripeRequests = stripeRequestLog();
  const { calls } = stripeRequests;

  beforeAll(async () => {
    app = await startTestApp({
      router: { rateLimit: { limit: 8, windowMs: 60_000 } },
      beforeStripeRequest: stripeRequests.record,
    });
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    stripeRequests.clear();
  });

  let users = 0;
  /** A fresh user: no Stripe customer until a route makes one. */
  const newUser = async (name: string) => {
    const userId = `${name}-${++users}`;
    return { userId, token: await app.token(userId) };
  };

  /** Saves a card as SaveCardForm does: a SetupIntent confirmed by Stripe.js. */
  async function saveCard(token: string, card = 'pm_card_visa') {
    const intent = await app.client(token).createSetupIntent();
    const confirmed = await app.confirmSetup(intent.clientSecret, card);
    expect(confirmed.status).toBe('succeeded');
    return confirmed.payment_method as string;
  }

  /** The route's answer for `token`, checked against the schema, with its status and headers. */
  async function session(token: string) {
    const response = await app.fetch('/customer-sessions', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    return {
      status: response.status,
      body: customerSessionResponse.parse(await response.json()),
      cacheControl: response.headers.get('cache-control'),
    };
  }

  /** Lets the webhooks so far (each re-reads Stripe) settle, then forgets the calls made. */
  async function quiet() {
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();
  }

  /**
   * What the Payment Element shows with a session: the sandbox's Stripe.js asks this with the
   * publishable key, as Stripe.js does (`GET /v1/elements/sessions`, not in Stripe's public API).
   */
  async function elementSession(clientSecret: string) {
    const query = new URLSearchParams({
      customer_session_client_secret: clientSecret,
      type: 'deferred_intent',
    });
    const response = await fetch(`${app.sandbox.url}/v1/elements/sessions?${query}`, {
      headers: { Authorization: `Bearer ${app.sandbox.publishableKey}` },
    });
    expect(response.status).toBe(200);
    return (
      (await response.json()) as {
        customer: {
          payment_methods: Stripe.PaymentMethod[];
          customer_session: {
            customer: string;
            components: { payment_element: Stripe.CustomerSession.Components.PaymentElement };
          };
        };
      }
    ).customer;
  }

  it('a caller without a customer has no saved cards: null, no Stripe call, no customer made', async () => {
    const { userId, token } = await newUser('new');
    await quiet();
    const { status, body, cacheControl } = await session(token);
    expect(status).toBe(200);
    expect(body).toEqual({ clientSecret: null, expiresAt: null });
    expect(cacheControl).toBe('private, no-store');
    expect(calls).toEqual([]);
    expect(await app.router.services.customers.find(userId)).toBeUndefined();
  });

  it('a caller with a customer gets a session of their own customer: the cards saved for checkout are shown, a subscription’s card is not', async () => {
    const { userId, token } = await newUser('saver');
    /** What the kit's forms do when a card is saved at the customer's request: mark it `always`. */
    const markedForCheckout = (card: string) =>
      app.sandbox.stripe.paymentMethods.update(card, { allow_redisplay: 'always' });
    // One card saved with SaveCardForm (a SetupIntent), one while paying (savePaymentMethod).
    const saved = await saveCard(token);
    await markedForCheckout(saved);
    const intent = await app.client(token).createPaymentIntent({
      items: [{ price: app.prices.tshirt?.id as string, quantity: 1 }],
      savePaymentMethod: true,
    });
    const paid = await app.confirmPayment(intent.clientSecret, 'pm_card_mastercard');
    const kept = paid.payment_method as string;
    await markedForCheckout(kept);
    // A card saved only to pay a subscription: Stripe leaves it for that subscription.
    const subscription = await app.client(token).createSubscription({
      price: app.prices.starter_monthly?.id as string,
    });
    const first = await app.confirmPayment(subscription.clientSecret as string, 'pm_card_amex');
    const renews = first.payment_method as string;
    expect((await app.sandbox.stripe.paymentMethods.retrieve(renews)).allow_redisplay).not.toBe(
      'always',
    );

    await quiet();
    const { status, body, cacheControl } = await session(token);
    expect(status).toBe(201);
    expect(body.clientSecret).toMatch(/^cuss_secret_/);
    // Stripe's expiry, 30 minutes on: the kit renews the session before then.
    const lifetime = Date.parse(body.expiresAt as string) - Date.now();
    expect(lifetime).toBeGreaterThan(29 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(30 * 60_000);
    expect(cacheControl).toBe('private, no-store');
    expect(calls).toEqual(['POST /v1/customer_sessions']);

    const shown = await elementSession(body.clientSecret as string);
    expect(shown.customer_session.customer).toBe(await app.router.services.customers.find(userId));
    expect(shown.payment_methods.map((card) => card.id).sort()).toEqual([saved, kept].sort());
    expect(shown.customer_session.components.payment_element).toEqual({
      enabled: true,
      features: expect.objectContaining({
        payment_method_redisplay: 'enabled',
        payment_method_allow_redisplay_filters: ['always'],
        // SavedCards removes cards; saving is the host's savePaymentMethod.
        payment_method_remove: 'disabled',
        payment_method_save: 'disabled',
      }),
    });
  });

  it('a saved card pays the caller’s own intent, and cannot pay a guest’s or another caller’s', async () => {
    const { token } = await newUser('payer');
    const card = await saveCard(token, 'pm_card_mastercard');
    expect((await session(token)).body.clientSecret).toEqual(expect.any(String));
    const items = [{ price: app.prices.tshirt?.id as string, quantity: 1 }];

    // A guest's intent has no customer: Stripe refuses a card saved to one.
    const guest = await app.client().createPaymentIntent({ items });
    await expect(app.confirmPayment(guest.clientSecret, card)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
    });
    // Another caller's intent carries their own customer: refused too.
    const other = await newUser('other');
    await saveCard(other.token);
    const theirs = await app.client(other.token).createPaymentIntent({ items });
    await expect(app.confirmPayment(theirs.clientSecret, card)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
    });

    // The caller's own intent (POST /payment-intents attaches their customer) is paid with it.
    const own = await app.client(token).createPaymentIntent({ items });
    const paid = await app.confirmPayment(own.clientSecret, card);
    expect(paid.status).toBe('succeeded');
    expect(paid.payment_method).toBe(card);
  });

  it('answers 401 in JSON to a guest and to a bad token', async () => {
    const { token } = await newUser('bad');
    await quiet();
    await expectApiError(app.client().createCustomerSession(), 401, 'unauthenticated');
    const response = await app.fetch('/customer-sessions', {
      method: 'POST',
      token: `${token}x`,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(await errorBody(response)).toMatchObject({ code: 'unauthenticated' });
    expect(calls).toEqual([]);
  });

  it('shares the rate limit of the routes that create things', async () => {
    const { token } = await newUser('busy');
    await app.client(token).createSetupIntent();
    const statuses: number[] = [];
    for (let index = 0; index < 7; index++) statuses.push((await session(token)).status);
    // One creation and seven sessions fill the budget of eight (the customer exists: 201s).
    expect(statuses).toEqual(Array(7).fill(201));
    const refused = await app.fetch('/customer-sessions', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(429);
  });
});
