import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, seedDemoCatalog } from '../index.js';
import { billingTestHelpers } from '../test-support/billing.js';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';
import { percentOf } from './discounts.js';

const HOUR = 3_600;
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const MAY_1 = Date.UTC(2026, 4, 1) / 1000;
const JUNE_1 = Date.UTC(2026, 5, 1) / 1000;
const JULY_1 = Date.UTC(2026, 6, 1) / 1000;

const harness = setUpSandboxWithWebhooks();
let stripe: Stripe;
let catalog: DemoCatalog;
const { eventMark, typesSince, price, setDefaultCard } = billingTestHelpers(harness, () => catalog);

beforeAll(async () => {
  stripe = harness.stripe;
  catalog = seedDemoCatalog(harness.sandbox.core);
  await harness.verifiedEvents();
});

/** A customer with a default card, on a test clock at 1 April 2026 unless `clock` is false. */
async function payingCustomer(clock = true) {
  const testClock = clock
    ? await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 })
    : null;
  const customer = await stripe.customers.create({
    email: 'discounts@example.com',
    ...(testClock ? { test_clock: testClock.id } : {}),
  });
  await setDefaultCard(customer.id, 'pm_card_visa');
  return { clock: testClock, customer };
}

async function invoiceOf(subscription: Stripe.Subscription): Promise<Stripe.Invoice> {
  return stripe.invoices.retrieve(subscription.latest_invoice as string);
}

async function latestInvoice(subscriptionId: string): Promise<Stripe.Invoice> {
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  return invoiceOf(subscription);
}

function code(coupon: string, params: Partial<Stripe.PromotionCodeCreateParams> = {}) {
  return stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon }, ...params });
}

describe('percentOf', () => {
  it('rounds half up, exactly, to the step the currency is charged in', () => {
    expect(percentOf(900, 10)).toBe(90);
    expect(percentOf(1005, 10)).toBe(101); // 100.5 → 101
    expect(percentOf(999, 33.33)).toBe(333); // 332.97
    expect(percentOf(1999, 15)).toBe(300); // ¥299.85
    expect(percentOf(7490, 15, 10)).toBe(1120); // KWD 1.1235 → 1.120
    expect(percentOf(7500, 15, 10)).toBe(1130); // KWD 1.125 → 1.130
  });
});

describe('discounts on subscriptions', () => {
  it('a once coupon takes 10% off the first invoice only, then leaves the subscription', async () => {
    const { clock, customer } = await payingCustomer();
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
    const mark = eventMark();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      discounts: [{ coupon: coupon.id }],
    });
    conforms(subscription);
    expect(subscription.status).toBe('active');
    expect(subscription.discounts).toHaveLength(1);
    const discountId = subscription.discounts[0] as string;
    const withDiscount = await stripe.subscriptions.retrieve(subscription.id, {
      expand: ['discounts'],
    });
    expect(withDiscount.discounts[0]).toMatchObject({
      id: discountId,
      object: 'discount',
      customer: customer.id,
      subscription: subscription.id,
      promotion_code: null,
      source: { coupon: coupon.id, type: 'coupon' },
      start: APRIL_1,
      end: null,
    });
    const first = conforms(await invoiceOf(subscription));
    expect(first).toMatchObject({
      subtotal: 900,
      total: 810,
      total_excluding_tax: 810,
      amount_due: 810,
      amount_paid: 810,
      status: 'paid',
      discounts: [discountId],
      total_discount_amounts: [{ amount: 90, discount: discountId }],
      total_pretax_credit_amounts: [{ amount: 90, discount: discountId, type: 'discount' }],
    });
    expect(first.lines.data[0]).toMatchObject({
      amount: 900,
      discount_amounts: [{ amount: 90, discount: discountId }],
    });
    const paid = await stripe.paymentIntents.list({ customer: customer.id });
    expect(paid.data[0]?.amount).toBe(810);
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
    // Used, it stays on the subscription for the period it paid for, and leaves at renewal.
    expect((await stripe.subscriptions.retrieve(subscription.id)).discounts).toEqual([discountId]);
    const types = (await typesSince(mark)).filter((type) => !type.startsWith('entitlements.'));
    expect(types.slice(0, 3)).toEqual([
      'customer.subscription.created',
      'customer.discount.created',
      'invoice.created',
    ]);
    expect(types).not.toContain('customer.discount.deleted');

    const renewalMark = eventMark();
    await harness.sandbox.advanceTestClock(
      (clock as Stripe.TestHelpers.TestClock).id,
      MAY_1 + HOUR,
    );
    expect((await stripe.subscriptions.retrieve(subscription.id)).discounts).toEqual([]);
    expect(await typesSince(renewalMark)).toContain('customer.discount.deleted');
    const renewal = await latestInvoice(subscription.id);
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      subtotal: 900,
      total: 900,
      discounts: [],
      total_discount_amounts: [],
    });
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });

  it('a repeating amount_off coupon applies for its months, then the full price is billed', async () => {
    const { clock, customer } = await payingCustomer();
    const coupon = await stripe.coupons.create({
      amount_off: 300,
      currency: 'usd',
      duration: 'repeating',
      duration_in_months: 2,
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      discounts: [{ coupon: coupon.id }],
    });
    const discount = await stripe.subscriptions.retrieve(subscription.id, {
      expand: ['discounts'],
    });
    expect((discount.discounts[0] as Stripe.Discount).end).toBe(JUNE_1);
    expect((await invoiceOf(subscription)).total).toBe(600);
    const clockId = (clock as Stripe.TestHelpers.TestClock).id;
    await harness.sandbox.advanceTestClock(clockId, MAY_1 + 2 * HOUR);
    expect((await latestInvoice(subscription.id)).total).toBe(600);
    await harness.sandbox.advanceTestClock(clockId, JUNE_1 + 2 * HOUR);
    const june = await latestInvoice(subscription.id);
    expect(june).toMatchObject({ subtotal: 900, total: 900, amount_paid: 900 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).discounts).toEqual([]);
    await harness.sandbox.advanceTestClock(clockId, JULY_1 + 2 * HOUR);
    expect((await latestInvoice(subscription.id)).total).toBe(900);
  });

  it('a forever coupon limited to a product discounts only its line, on every renewal', async () => {
    const { clock, customer } = await payingCustomer();
    const coupon = await stripe.coupons.create({
      percent_off: 50,
      duration: 'forever',
      applies_to: { products: ['prod_tillkit_pro'] },
    });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }, { price: price('pro_monthly').id }],
      discounts: [{ coupon: coupon.id }],
    });
    const first = await invoiceOf(subscription);
    expect(first).toMatchObject({ subtotal: 3800, total: 2350, amount_due: 2350 });
    const [starterLine, proLine] = first.lines.data;
    expect(starterLine?.discount_amounts).toEqual([
      { amount: 0, discount: subscription.discounts[0] },
    ]);
    expect(proLine?.discount_amounts).toEqual([
      { amount: 1450, discount: subscription.discounts[0] },
    ]);
    await harness.sandbox.advanceTestClock(
      (clock as Stripe.TestHelpers.TestClock).id,
      MAY_1 + 2 * HOUR,
    );
    expect(await latestInvoice(subscription.id)).toMatchObject({ total: 2350, amount_paid: 2350 });
  });

  it('a discount keeps its coupon when the coupon is deleted and its id reused; so do its codes', async () => {
    const { clock, customer } = await payingCustomer();
    const old = await stripe.coupons.create({
      id: 'SAME',
      percent_off: 10,
      duration: 'forever',
      applies_to: { products: ['prod_tillkit_pro'] },
    });
    const oldCode = await code(old.id, { code: 'SAMECODE' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }, { price: price('pro_monthly').id }],
      discounts: [{ coupon: 'SAME' }],
    });
    expect(await invoiceOf(subscription)).toMatchObject({ subtotal: 3800, total: 3510 });
    await stripe.coupons.del('SAME');
    await stripe.coupons.create({ id: 'SAME', percent_off: 90, duration: 'forever' });

    await harness.sandbox.advanceTestClock(
      (clock as Stripe.TestHelpers.TestClock).id,
      MAY_1 + HOUR,
    );
    // The renewal takes 10% off the pro line, as the discount was made.
    expect(await latestInvoice(subscription.id)).toMatchObject({
      billing_reason: 'subscription_cycle',
      subtotal: 3800,
      total: 3510,
    });

    // The old coupon's code stays dead: it does not redeem the new SAME.
    expect((await stripe.promotionCodes.retrieve(oldCode.id)).active).toBe(false);
    const reactivated = await caught(stripe.promotionCodes.update(oldCode.id, { active: true }));
    expect(reactivated).toMatchObject({ statusCode: 400, param: 'active' });
    const other = await payingCustomer(false);
    const redeemed = await caught(
      stripe.subscriptions.create({
        customer: other.customer.id,
        items: [{ price: price('starter_monthly').id }],
        discounts: [{ promotion_code: oldCode.id }],
      }),
    );
    expect(redeemed).toMatchObject({
      statusCode: 400,
      param: 'discounts[0][promotion_code]',
    });

    // The new SAME has its own terms: 90% off, on every product (not the old one's products).
    const fresh = await stripe.subscriptions.create({
      customer: other.customer.id,
      items: [{ price: price('starter_monthly').id }],
      discounts: [{ coupon: 'SAME' }],
    });
    expect(await invoiceOf(fresh)).toMatchObject({ subtotal: 900, total: 90 });
    expect((await stripe.coupons.retrieve('SAME', { expand: ['applies_to'] })).applies_to).toEqual({
      products: [],
    });
  });

  it('rounds percentages in zero- and three-decimal currencies to what they are charged in', async () => {
    const { customer } = await payingCustomer(false);
    const coupon = await stripe.coupons.create({ percent_off: 15, duration: 'forever' });
    const jpy = await stripe.prices.create({
      currency: 'jpy',
      unit_amount: 1999,
      recurring: { interval: 'month' },
      product_data: { name: 'Yen plan' },
    });
    const inJpy = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: jpy.id }],
      discounts: [{ coupon: coupon.id }],
    });
    expect(await invoiceOf(inJpy)).toMatchObject({ subtotal: 1999, total: 1699 });
    const kwd = await stripe.prices.create({
      currency: 'kwd',
      unit_amount: 7490,
      recurring: { interval: 'month' },
      product_data: { name: 'Dinar plan' },
    });
    const kwdCustomer = (await payingCustomer(false)).customer;
    const inKwd = await stripe.subscriptions.create({
      customer: kwdCustomer.id,
      items: [{ price: kwd.id }],
      discounts: [{ coupon: coupon.id }],
    });
    const invoice = await invoiceOf(inKwd);
    expect(invoice).toMatchObject({ subtotal: 7490, total: 6370, amount_paid: 6370 });
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(2);
  });

  it('redeems a promotion code: the discount names it, and both count the redemption', async () => {
    const { customer } = await payingCustomer(false);
    const coupon = await stripe.coupons.create({ percent_off: 20 });
    const promo = await code(coupon.id, { code: 'TWENTY' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      discounts: [{ promotion_code: promo.id }],
      expand: ['discounts.promotion_code'],
    });
    const discount = subscription.discounts[0] as Stripe.Discount;
    expect((discount.promotion_code as Stripe.PromotionCode).code).toBe('TWENTY');
    expect((await stripe.promotionCodes.retrieve(promo.id)).times_redeemed).toBe(1);
    expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });

  it('refuses codes and coupons that cannot be redeemed, in Stripe’s words, creating nothing', async () => {
    const { customer } = await payingCustomer(false);
    const starter = price('starter_monthly').id;
    const percent = await stripe.coupons.create({ percent_off: 10 });
    const attempt = (discounts: Stripe.SubscriptionCreateParams.Discount[]) =>
      caught(
        stripe.subscriptions.create({
          customer: customer.id,
          items: [{ price: starter }],
          discounts,
        }),
      );

    const inactive = await code(percent.id, { active: false });
    expect((await attempt([{ promotion_code: inactive.id }])).message).toBe(
      'This promotion code is not active.',
    );
    const minimum = await code(percent.id, {
      restrictions: { minimum_amount: 5000, minimum_amount_currency: 'usd' },
    });
    const belowMinimum = await attempt([{ promotion_code: minimum.id }]);
    expect(belowMinimum).toMatchObject({
      statusCode: 400,
      param: 'discounts[0][promotion_code]',
    });
    expect(belowMinimum.message).toContain('$50.00');
    const euros = await stripe.coupons.create({ amount_off: 500, currency: 'eur' });
    const mismatch = await attempt([{ coupon: euros.id }]);
    expect(mismatch).toMatchObject({ statusCode: 400, param: 'discounts[0][coupon]' });
    const missing = await attempt([{ coupon: 'NO_SUCH_COUPON' }]);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const twice = await attempt([{ coupon: percent.id }, { coupon: percent.id }]);
    expect(twice.param).toBe('discounts[1]');

    const single = await code(percent.id, { max_redemptions: 1 });
    await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: starter }],
      discounts: [{ promotion_code: single.id }],
    });
    expect((await attempt([{ promotion_code: single.id }])).message).toBe(
      'This promotion code cannot be redeemed because it has been used the maximum number of times.',
    );
    expect((await stripe.promotionCodes.retrieve(single.id)).active).toBe(false);

    // This customer has paid an invoice above: a first-time code is not for them.
    const firstTime = await code(percent.id, { restrictions: { first_time_transaction: true } });
    expect((await attempt([{ promotion_code: firstTime.id }])).message).toBe(
      'This promotion code cannot be redeemed because the associated customer has prior transactions.',
    );
    const newcomer = (await payingCustomer(false)).customer;
    const welcomed = await stripe.subscriptions.create({
      customer: newcomer.id,
      items: [{ price: starter }],
      discounts: [{ promotion_code: firstTime.id }],
    });
    expect((await invoiceOf(welcomed)).total).toBe(810);

    const limited = await stripe.coupons.create({ percent_off: 5, max_redemptions: 1 });
    await stripe.subscriptions.create({
      customer: newcomer.id,
      items: [{ price: starter }],
      discounts: [{ coupon: limited.id }],
    });
    const exhausted = await caught(
      stripe.subscriptions.create({
        customer: newcomer.id,
        items: [{ price: starter }],
        discounts: [{ coupon: limited.id }],
      }),
    );
    expect(exhausted).toMatchObject({ statusCode: 400, code: 'coupon_expired' });
    expect((await stripe.coupons.retrieve(limited.id)).valid).toBe(false);
  });

  it('update replaces, keeps and removes discounts; DELETE …/discount removes them', async () => {
    const { customer } = await payingCustomer(false);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
    });
    const a = await stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const b = await stripe.coupons.create({ percent_off: 20, duration: 'forever' });
    const minimum = await code(a.id, {
      restrictions: { minimum_amount: 100, minimum_amount_currency: 'usd' },
    });
    const onUpdate = await caught(
      stripe.subscriptions.update(subscription.id, {
        discounts: [{ promotion_code: minimum.id }],
      }),
    );
    expect(onUpdate.message).toContain('minimum_amount');

    const mark = eventMark();
    const withA = await stripe.subscriptions.update(subscription.id, {
      discounts: [{ coupon: a.id }],
    });
    const aDiscount = withA.discounts[0] as string;
    const both = await stripe.subscriptions.update(subscription.id, {
      discounts: [{ discount: aDiscount }, { coupon: b.id }],
    });
    expect(both.discounts).toHaveLength(2);
    expect(both.discounts[0]).toBe(aDiscount);
    expect((await stripe.coupons.retrieve(a.id)).times_redeemed).toBe(1);
    const unchanged = await stripe.subscriptions.update(subscription.id, { discounts: [] });
    expect(unchanged.discounts).toEqual(both.discounts);
    const deleted = await stripe.subscriptions.deleteDiscount(subscription.id);
    conforms(deleted);
    expect(deleted).toMatchObject({ id: aDiscount, object: 'discount', deleted: true });
    expect((await stripe.subscriptions.retrieve(subscription.id)).discounts).toEqual([]);
    const none = await caught(stripe.subscriptions.deleteDiscount(subscription.id));
    expect(none.statusCode).toBe(404);
    expect(await typesSince(mark)).toEqual([
      'customer.discount.created',
      'customer.subscription.updated',
      'customer.discount.created',
      'customer.subscription.updated',
      'customer.discount.deleted',
      'customer.discount.deleted',
      'customer.subscription.updated',
    ]);

    await stripe.subscriptions.update(subscription.id, { discounts: [{ coupon: a.id }] });
    const cleared = await stripe.subscriptions.update(subscription.id, {
      discounts: '' as unknown as [],
    });
    expect(cleared.discounts).toEqual([]);
  });
});
