import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const DAY = 86_400;
const HOUR = 3_600;
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const MAY_1 = Date.UTC(2026, 4, 1) / 1000;
const SUMMARY = 'entitlements.active_entitlement_summary.updated';

// Summaries name their customer (`customer`), as subscriptions do.
const harness = setUpSandboxWithWebhooks({ linkedBy: ['customer'] });
let stripe: Stripe;

beforeAll(async () => {
  stripe = harness.stripe;
  // Compiles the conformance schema's validators once.
  await harness.verifiedEvents();
});

let counter = 0;
async function newFeature(name: string): Promise<Stripe.Entitlements.Feature> {
  counter += 1;
  return stripe.entitlements.features.create({
    name,
    lookup_key: `${name.toLowerCase().replaceAll(' ', '_')}_${counter}_${Math.random().toString(36).slice(2, 8)}`,
  });
}

/** A product with these features attached and a monthly price. */
async function plan(features: Stripe.Entitlements.Feature[]) {
  const product = await stripe.products.create({ name: 'Plan' });
  for (const feature of features) {
    await stripe.products.createFeature(product.id, { entitlement_feature: feature.id });
  }
  const price = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 1000,
    recurring: { interval: 'month' },
  });
  return { product, price };
}

/** A customer (on `testClock`, if given) whose default card is `testPaymentMethod`. */
async function customerWithCard(testPaymentMethod = 'pm_card_visa', testClock?: string) {
  const customer = await stripe.customers.create(testClock ? { test_clock: testClock } : {});
  await setDefaultCard(customer.id, testPaymentMethod);
  return customer;
}

async function setDefaultCard(customerId: string, testPaymentMethod: string) {
  const card = await stripe.paymentMethods.attach(testPaymentMethod, { customer: customerId });
  await stripe.customers.update(customerId, {
    invoice_settings: { default_payment_method: card.id },
  });
}

async function subscribe(customerId: string, priceId: string, params = {}) {
  return stripe.subscriptions.create({
    customer: customerId,
    items: [{ price: priceId }],
    ...params,
  });
}

/** The lookup keys the customer has, as Stripe lists them (every page). */
async function lookupKeys(customerId: string): Promise<string[]> {
  const all = await stripe.entitlements.activeEntitlements
    .list({ customer: customerId, limit: 2 })
    .autoPagingToArray({ limit: 1000 });
  return all.map((entitlement) => entitlement.lookup_key).sort();
}

/** The summaries sent for the customer so far, oldest first (each delivered and verified). */
async function summaries(
  customerId: string,
): Promise<Stripe.Entitlements.ActiveEntitlementSummary[]> {
  return (await harness.verifiedEvents(customerId))
    .filter((event) => event.type === SUMMARY)
    .map((event) => event.data.object as Stripe.Entitlements.ActiveEntitlementSummary);
}

const keysOf = (summary: Stripe.Entitlements.ActiveEntitlementSummary | undefined) =>
  (summary?.entitlements.data ?? []).map((entitlement) => entitlement.lookup_key).sort();

describe('what a subscription grants', () => {
  it('grants its product’s features: listed, retrievable, expandable, and one summary event', async () => {
    const [search, exports] = [await newFeature('Search'), await newFeature('Exports')];
    const { price } = await plan([search, exports]);
    const customer = await customerWithCard();
    const subscription = await subscribe(customer.id, price.id);
    expect(subscription.status).toBe('active');

    const list = conforms(
      await stripe.entitlements.activeEntitlements.list({ customer: customer.id }),
    );
    expect(list).toMatchObject({
      object: 'list',
      has_more: false,
      url: '/v1/entitlements/active_entitlements',
    });
    expect(list.data.map((entitlement) => entitlement.lookup_key).sort()).toEqual(
      [search.lookup_key, exports.lookup_key].sort(),
    );
    const entitlement = list.data.find((entry) => entry.feature === search.id);
    expect(entitlement).toEqual({
      id: expect.stringMatching(/^ent_\w{24}$/),
      object: 'entitlements.active_entitlement',
      feature: search.id,
      livemode: false,
      lookup_key: search.lookup_key,
    });
    const retrieved = await stripe.entitlements.activeEntitlements.retrieve(
      entitlement?.id as string,
      { expand: ['feature'] },
    );
    expect(retrieved.feature).toEqual(search);

    const sent = await summaries(customer.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      object: 'entitlements.active_entitlement_summary',
      customer: customer.id,
      livemode: false,
      entitlements: {
        object: 'list',
        has_more: false,
        url: '/v1/entitlements/active_entitlements',
      },
    });
    // The same entitlements as the list: the whole set, not what changed.
    expect(sent[0]?.entitlements.data).toEqual(list.data);
  });

  it('grants each feature once, and sends nothing when the set of lookup keys does not change', async () => {
    const [shared, extra] = [await newFeature('Shared'), await newFeature('Extra')];
    const first = await plan([shared, extra]);
    const second = await plan([shared]);
    const customer = await customerWithCard();
    // Both products in one subscription: the shared feature from both at once.
    const both = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: first.price.id }, { price: second.price.id }],
    });
    expect(await lookupKeys(customer.id)).toEqual([shared.lookup_key, extra.lookup_key].sort());
    await stripe.subscriptions.update(both.id, { metadata: { note: 'no change' } });
    await subscribe(customer.id, second.price.id);
    const sent = await summaries(customer.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.entitlements.data).toHaveLength(2);

    // Ending the first leaves the shared feature, from the second.
    await stripe.subscriptions.cancel(both.id);
    expect(await lookupKeys(customer.id)).toEqual([shared.lookup_key]);
    const after = await summaries(customer.id);
    expect(after).toHaveLength(2);
    expect(keysOf(after[1])).toEqual([shared.lookup_key]);
  });

  it('grants while trialing; nothing for an incomplete subscription', async () => {
    const feature = await newFeature('Trial feature');
    const { price } = await plan([feature]);
    const trialing = await customerWithCard();
    const trial = await subscribe(trialing.id, price.id, { trial_period_days: 14 });
    expect(trial.status).toBe('trialing');
    expect(await lookupKeys(trialing.id)).toEqual([feature.lookup_key]);

    const declined = await customerWithCard('pm_card_chargeCustomerFail');
    const incomplete = await subscribe(declined.id, price.id);
    expect(incomplete.status).toBe('incomplete');
    expect(await lookupKeys(declined.id)).toEqual([]);
    expect(await summaries(declined.id)).toEqual([]);
  });

  it('follows the status as a test clock moves: kept while past_due, gone once canceled', async () => {
    const feature = await newFeature('Clocked');
    const { price } = await plan([feature]);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
    const customer = await customerWithCard('pm_card_visa', clock.id);
    const subscription = await subscribe(customer.id, price.id);
    await setDefaultCard(customer.id, 'pm_card_chargeCustomerFail');

    await harness.sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    expect(await lookupKeys(customer.id)).toEqual([feature.lookup_key]);
    expect(await summaries(customer.id)).toHaveLength(1);

    // The retries fail too (3, 5 and 7 days on), then the subscription is canceled.
    await harness.sandbox.advanceTestClock(clock.id, MAY_1 + HOUR + 15 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('canceled');
    expect(await lookupKeys(customer.id)).toEqual([]);
    const events = (await harness.verifiedEvents(customer.id)).filter(
      (event) => event.type === SUMMARY,
    );
    expect(events.map((event) => keysOf(event.data.object as never))).toEqual([
      [feature.lookup_key],
      [],
    ]);
    // Dated on the customer's clock, when the subscription ended.
    expect(events[1]?.created).toBe(MAY_1 + HOUR + 15 * DAY);
  });
});

describe('features changing under a subscription', () => {
  it('attaching, detaching and archiving a feature changes what subscribers have', async () => {
    const [kept, added] = [await newFeature('Kept'), await newFeature('Added')];
    const { product, price } = await plan([kept]);
    const customer = await customerWithCard();
    const bystander = await stripe.customers.create();
    await subscribe(customer.id, price.id);

    const attachment = await stripe.products.createFeature(product.id, {
      entitlement_feature: added.id,
    });
    expect(await lookupKeys(customer.id)).toEqual([kept.lookup_key, added.lookup_key].sort());
    await stripe.products.deleteFeature(product.id, attachment.id);
    expect(await lookupKeys(customer.id)).toEqual([kept.lookup_key]);
    await stripe.entitlements.features.update(kept.id, { active: false });
    expect(await lookupKeys(customer.id)).toEqual([]);

    expect((await summaries(customer.id)).map(keysOf)).toEqual([
      [kept.lookup_key],
      [kept.lookup_key, added.lookup_key].sort(),
      [kept.lookup_key],
      [],
    ]);
    expect(await summaries(bystander.id)).toEqual([]);
  });
});

describe('lists', () => {
  it('sends the first page (10) with has_more, and lists every one', async () => {
    const features: Stripe.Entitlements.Feature[] = [];
    for (let index = 0; index < 12; index++) features.push(await newFeature(`Many ${index}`));
    const { price } = await plan(features);
    const customer = await customerWithCard();
    await subscribe(customer.id, price.id);
    const [summary] = await summaries(customer.id);
    expect(summary?.entitlements.data).toHaveLength(10);
    expect(summary?.entitlements.has_more).toBe(true);
    expect(await lookupKeys(customer.id)).toEqual(
      features.map((feature) => feature.lookup_key).sort(),
    );
  });

  it('answers bad parameters with Stripe-shaped errors', async () => {
    const noCustomer = await caught(
      stripe.entitlements.activeEntitlements.list(
        {} as Stripe.Entitlements.ActiveEntitlementListParams,
      ),
    );
    expect(noCustomer).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
      param: 'customer',
    });
    const unknownCustomer = await caught(
      stripe.entitlements.activeEntitlements.list({ customer: 'cus_missing' }),
    );
    expect(unknownCustomer).toMatchObject({ statusCode: 404, param: 'customer' });
    const created = await caught(
      stripe.entitlements.activeEntitlements.list({
        customer: 'cus_missing',
        created: 1,
      } as Stripe.Entitlements.ActiveEntitlementListParams),
    );
    expect(created).toMatchObject({ code: 'parameter_unknown', param: 'created' });
    const missing = await caught(stripe.entitlements.activeEntitlements.retrieve('ent_missing'));
    expect(missing).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such entitlements.active_entitlement: 'ent_missing'",
    });
  });
});
