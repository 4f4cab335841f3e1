/**
 * `GET /trial-eligibility` against the in-process sandbox, on PGlite: which products' trials the
 * caller had already, by the same rule as `POST /subscriptions` (checked side by side for each
 * history), in one Stripe list, never making a customer, private to the caller and rate limited.
 */
import { trialEligibilityResponse } from '@tillkit/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  errorBody,
  startTestApp,
  stripeRequestLog,
  type TestApp,
} from '../test-support/harness.js';

describe('GET /trial-eligibility', () => {
  let app: TestApp;
  /** The server's Stripe requests, as `GET /v1/subscriptions`. */
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

  const price = (key: string) => app.prices[key]?.id as string;
  const productOf = (key: string) => app.prices[key]?.product as string;
  let users = 0;
  /** A fresh user: no Stripe customer until a route makes one. */
  const newUser = async (name: string) => {
    const userId = `${name}-${++users}`;
    return { userId, token: await app.token(userId) };
  };

  /** The route's answer for `token`, checked against the schema, with its headers. */
  async function eligibility(token: string) {
    const response = await app.fetch('/trial-eligibility', { token });
    expect(response.status).toBe(200);
    return {
      body: trialEligibilityResponse.parse(await response.json()),
      cacheControl: response.headers.get('cache-control'),
    };
  }

  /**
   * What the route says about Pro's trial, and what `POST /subscriptions` then does for Pro's
   * monthly price (the one with a trial): the same, in every history.
   */
  async function agreeOnPro(token: string) {
    const { body } = await eligibility(token);
    const used = body.usedTrialProducts.includes(productOf('pro_monthly'));
    const created = await app.client(token).createSubscription({ price: price('pro_monthly') });
    expect(created.clientSecretType).toBe(used ? 'payment' : 'setup');
    expect(created.status).toBe(used ? 'incomplete' : 'trialing');
    return used;
  }

  it('a caller without a customer had nothing: no Stripe call, no customer made, not cached', async () => {
    const { userId, token } = await newUser('new');
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();
    const { body, cacheControl } = await eligibility(token);
    expect(body).toEqual({ usedTrialProducts: [] });
    expect(cacheControl).toBe('private, no-store');
    expect(calls).toEqual([]);
    expect(await app.router.services.customers.find(userId)).toBeUndefined();
    // And POST /subscriptions agrees: the first subscription to Pro is a trial.
    expect(await agreeOnPro(token)).toBe(false);
  });

  it('a trial, even canceled, uses the product’s trial; one list of subscriptions answers it', async () => {
    const { token } = await newUser('trl');
    const client = app.client(token);
    const trial = await client.createSubscription({ price: price('pro_monthly') });
    expect(trial.status).toBe('trialing');
    expect((await eligibility(token)).body.usedTrialProducts).toEqual([productOf('pro_monthly')]);

    await client.cancelSubscription(trial.id, { atPeriodEnd: false });
    await app.sandbox.waitForWebhooks();
    stripeRequests.clear();
    const { body, cacheControl } = await eligibility(token);
    expect(body.usedTrialProducts).toEqual([productOf('pro_monthly')]);
    expect(cacheControl).toBe('private, no-store');
    expect(calls).toEqual(['GET /v1/subscriptions']);
    expect(await agreeOnPro(token)).toBe(true);
  });

  it('agrees with POST /subscriptions: an unpaid subscription left behind counts for nothing', async () => {
    const { token } = await newUser('unp');
    const unpaid = await app.client(token).createSubscription({ price: price('pro_yearly') });
    expect(unpaid.status).toBe('incomplete');
    expect((await eligibility(token)).body.usedTrialProducts).toEqual([]);
    expect(await agreeOnPro(token)).toBe(false);
  });

  it('agrees with POST /subscriptions: a paid period of another product leaves Pro’s trial', async () => {
    const { token } = await newUser('pay');
    const starter = await app.client(token).createSubscription({
      price: price('starter_monthly'),
    });
    await app.confirmPayment(starter.clientSecret as string);
    expect((await eligibility(token)).body.usedTrialProducts).toEqual([
      productOf('starter_monthly'),
    ]);
    expect(await agreeOnPro(token)).toBe(false);
  });

  it('agrees with POST /subscriptions: a trial moved to another plan still counts for its first product', async () => {
    const { token } = await newUser('swt');
    const client = app.client(token);
    const pro = await client.createSubscription({ price: price('pro_monthly') });
    await client.changeSubscription(pro.id, { price: price('starter_monthly') });
    await client.cancelSubscription(pro.id, { atPeriodEnd: false });
    expect(new Set((await eligibility(token)).body.usedTrialProducts)).toEqual(
      new Set([productOf('pro_monthly'), productOf('starter_monthly')]),
    );
    expect(await agreeOnPro(token)).toBe(true);
  });

  it('answers 401 in JSON to a guest and to a bad token', async () => {
    const { token } = await newUser('bad');
    for (const sent of [undefined, `${token}x`]) {
      const response = await app.fetch('/trial-eligibility', sent ? { token: sent } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await errorBody(response)).toMatchObject({ code: 'unauthenticated' });
    }
  });

  it('shares the rate limit of the routes that create things', async () => {
    const { token } = await newUser('busy');
    await app.client(token).createSetupIntent();
    const statuses: number[] = [];
    for (let index = 0; index < 8; index++) {
      statuses.push((await app.fetch('/trial-eligibility', { token })).status);
    }
    // One creation and seven reads fill the budget of eight.
    expect(statuses).toEqual([...Array(7).fill(200), 429]);
  });
});
