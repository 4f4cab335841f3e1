/**
 * `GET /entitlements` and the `entitlements.active_entitlement_summary.updated` webhook, against
 * the in-process sandbox on both engines: a plan's features are the lookup keys of Stripe's
 * active entitlements, stored at once when a subscription is stored, kept in step by the summary
 * events alone (a feature attached, detached or archived changes no subscription), every page of
 * them, and never set back by a late summary.
 */
import { entitlementsResponse } from '@tillkit/protocol';
import { eq } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitlements, stripeEvents } from '../storage/schema.js';
import { ENGINES, eventually, startTestApp, type TestApp } from '../test-support/harness.js';

const SUMMARY = 'entitlements.active_entitlement_summary.updated';

describe.each(ENGINES)('entitlements on %s', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ engine });
  });
  afterAll(() => app?.close());

  const stripe = () => app.sandbox.stripe;
  let count = 0;
  const unique = (name: string) => `${name}_${engine}_${++count}`;

  async function newFeature(name: string): Promise<Stripe.Entitlements.Feature> {
    const key = unique(name);
    return stripe().entitlements.features.create({ name: key, lookup_key: key });
  }

  /** A plan of its own (a 7-day trial: entitled from the start), with these features attached. */
  async function plan(features: Stripe.Entitlements.Feature[]) {
    const product = await stripe().products.create({ name: unique('Team') });
    for (const feature of features) {
      await stripe().products.createFeature(product.id, { entitlement_feature: feature.id });
    }
    const price = await stripe().prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month', trial_period_days: 7 },
    });
    return { product, price };
  }

  /** A new user subscribed to `priceId` (trialing); answers their client and customer. */
  async function subscriber(priceId: string) {
    const client = app.client(await app.token(unique('user')));
    const created = await client.createSubscription({ price: priceId });
    expect(created.status).toBe('trialing');
    const subscription = await stripe().subscriptions.retrieve(created.id);
    return { client, customer: subscription.customer as string };
  }

  const features = async (client: ReturnType<TestApp['client']>) =>
    entitlementsResponse.parse(await client.getEntitlements()).features;

  it('answers the lookup keys at once, then follows the summary events of feature changes', async () => {
    const [reports, exports] = [await newFeature('reports'), await newFeature('exports')];
    const { product, price } = await plan([reports]);
    // Stored with the subscription by the route: no webhook needed.
    await app.pauseWebhooks();
    const { client, customer } = await subscriber(price.id);
    expect(await features(client)).toEqual([reports.lookup_key]);
    await app.resumeWebhooks();

    // No subscription changes below: only the summary events say what the customer has now.
    const attached = await stripe().products.createFeature(product.id, {
      entitlement_feature: exports.id,
    });
    await eventually(async () => {
      expect(await features(client)).toEqual([exports.lookup_key, reports.lookup_key].sort());
    });
    await stripe().products.deleteFeature(product.id, attached.id);
    await eventually(async () => expect(await features(client)).toEqual([reports.lookup_key]));
    await stripe().entitlements.features.update(reports.id, { active: false });
    await eventually(async () => expect(await features(client)).toEqual([]));
    // Still subscribed: the plan simply grants nothing now.
    expect((await client.getEntitlements()).active).toBe(true);

    await app.sandbox.waitForWebhooks();
    const ledger = await app.database.db
      .select()
      .from(stripeEvents)
      .where(eq(stripeEvents.type, SUMMARY));
    expect(ledger.length).toBeGreaterThanOrEqual(3);
    expect(ledger.every((row) => row.status === 'handled')).toBe(true);
    const [row] = await app.database.db
      .select()
      .from(entitlements)
      .where(eq(entitlements.stripeCustomerId, customer));
    expect(row?.lookupKeys).toEqual([]);
  });

  it('stores every page, not only the first one a summary carries', async () => {
    const many: Stripe.Entitlements.Feature[] = [];
    for (let index = 0; index < 12; index++) many.push(await newFeature(`many${index}`));
    const { product, price } = await plan(many.slice(0, 1));
    const { client } = await subscriber(price.id);
    // Attached after subscribing, so that only summary events bring them.
    for (const feature of many.slice(1)) {
      await stripe().products.createFeature(product.id, { entitlement_feature: feature.id });
    }
    await app.sandbox.waitForWebhooks();
    const summaries = (await stripe().events.list({ type: SUMMARY, limit: 1 })).data;
    const latest = summaries[0]?.data.object as Stripe.Entitlements.ActiveEntitlementSummary;
    expect(latest.entitlements).toMatchObject({ has_more: true });
    expect(latest.entitlements.data).toHaveLength(10);
    await eventually(async () => {
      expect(await features(client)).toEqual(many.map((feature) => feature.lookup_key).sort());
    });
  });

  it('a late summary never sets back a newer set', async () => {
    const [kept, passing] = [await newFeature('kept'), await newFeature('passing')];
    const { product, price } = await plan([kept]);
    const { client, customer } = await subscriber(price.id);
    // Two summaries, held back, then delivered newest first (Stripe keeps no order).
    await app.pauseWebhooks();
    const attached = await stripe().products.createFeature(product.id, {
      entitlement_feature: passing.id,
    });
    await stripe().products.deleteFeature(product.id, attached.id);
    const [newer, older] = (await stripe().events.list({ type: SUMMARY, limit: 100 })).data.filter(
      (event) => (event.data.object as { customer?: string }).customer === customer,
    );
    await app.resumeWebhooks();
    if (!newer || !older) throw new Error('expected two summaries for the customer');
    const olderSet = (older.data.object as Stripe.Entitlements.ActiveEntitlementSummary)
      .entitlements.data;
    expect(olderSet.map((entitlement) => entitlement.lookup_key)).toContain(passing.lookup_key);
    expect((await app.deliver(newer)).status).toBe(200);
    expect((await app.deliver(older)).status).toBe(200);
    expect(await features(client)).toEqual([kept.lookup_key]);
  });
});

describe('entitlements that cannot be read', () => {
  let app: TestApp;
  // Fails Stripe's active-entitlements list while set (a restricted key without the Entitlements
  // permission, or Stripe failing that one call), over the real sandbox.
  let blocked = false;

  beforeAll(async () => {
    app = await startTestApp({
      beforeStripeRequest: (_method, path) => {
        if (blocked && path.startsWith('/v1/entitlements/active_entitlements')) {
          throw new Error('blocked for the test');
        }
      },
    });
  });
  afterAll(() => app?.close());

  it('never fail a subscription: it is stored and answered, and the summary event brings the features later', async () => {
    const stripe = app.sandbox.stripe;
    const feature = await stripe.entitlements.features.create({
      name: 'Audit log',
      lookup_key: 'audit_log_blocked',
    });
    const product = await stripe.products.create({ name: 'Audit' });
    await stripe.products.createFeature(product.id, { entitlement_feature: feature.id });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 900,
      recurring: { interval: 'month', trial_period_days: 7 },
    });
    const client = app.client(await app.token('blocked-user'));

    blocked = true;
    const created = await client.createSubscription({ price: price.id });
    expect(created.status).toBe('trialing');
    expect((await client.listSubscriptions()).data.map((row) => row.id)).toEqual([created.id]);
    const answer = await client.getEntitlements();
    expect(answer.active).toBe(true);
    expect(answer.features).toEqual([]);
    expect(app.logs.text()).toContain("could not read the customer's active entitlements");

    // The summary event's handler does not swallow it: its delivery fails, for Stripe to retry,
    // and a delivery once the list can be read stores them.
    const { customer } = await stripe.subscriptions.retrieve(created.id);
    const summary = (await stripe.events.list({ type: SUMMARY, limit: 100 })).data.find(
      (event) => (event.data.object as { customer?: string }).customer === customer,
    );
    if (!summary) throw new Error('expected a summary for the customer');
    expect((await app.deliver(summary)).status).toBeGreaterThanOrEqual(500);
    blocked = false;
    expect((await app.deliver(summary)).status).toBe(200);
    await eventually(async () => {
      expect((await client.getEntitlements()).features).toEqual(['audit_log_blocked']);
    });
  });
});
