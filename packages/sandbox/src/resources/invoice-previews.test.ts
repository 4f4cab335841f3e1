import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, seedDemoCatalog } from '../index.js';
import { billingTestHelpers } from '../test-support/billing.js';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const HOUR = 3_600;
const DAY = 86_400;
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const APRIL_11 = Date.UTC(2026, 3, 11) / 1000;
const APRIL_16 = Date.UTC(2026, 3, 16) / 1000;
const MAY_1 = Date.UTC(2026, 4, 1) / 1000;
const JUNE_1 = Date.UTC(2026, 5, 1) / 1000;

const harness = setUpSandboxWithWebhooks();
let stripe: Stripe;
let catalog: DemoCatalog;
const { price, setDefaultCard, monthlyPrice } = billingTestHelpers(harness, () => catalog);

beforeAll(async () => {
  stripe = harness.stripe;
  catalog = seedDemoCatalog(harness.sandbox.core);
  await harness.verifiedEvents();
});

/** A customer with a default Visa, on a test clock at 1 April 2026. */
async function payingCustomer() {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
  const customer = await stripe.customers.create({ test_clock: clock.id });
  await setDefaultCard(customer.id, 'pm_card_visa');
  return { clock, customer };
}

/** A subscription to `first`, created on 1 April 2026 and paid. */
async function aprilSubscription(
  first: Stripe.Price,
  params: Partial<Stripe.SubscriptionCreateParams> = {},
) {
  const { clock, customer } = await payingCustomer();
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: first.id }],
    ...params,
  });
  expect(subscription.status).toBe('active');
  return {
    clock,
    customer,
    subscription,
    item: subscription.items.data[0] as Stripe.SubscriptionItem,
  };
}

async function latestInvoice(subscriptionId: string): Promise<Stripe.Invoice> {
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  return stripe.invoices.retrieve(subscription.latest_invoice as string);
}

/** What must match between a preview and the invoice billing makes later. */
function amounts(invoice: Stripe.Invoice) {
  return {
    billing_reason: invoice.billing_reason,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    total: invoice.total,
    amount_due: invoice.amount_due,
    period_start: invoice.period_start,
    period_end: invoice.period_end,
    total_discount_amounts: invoice.total_discount_amounts?.map((taken) => taken.amount),
    lines: invoice.lines.data.map((line) => ({
      amount: line.amount,
      description: line.description,
      period: line.period,
      quantity: line.quantity,
      proration: line.parent?.subscription_item_details?.proration,
      credited: line.parent?.subscription_item_details?.proration_details?.credited_items,
      discounts: line.discount_amounts?.map((taken) => taken.amount),
    })),
  };
}

/** Everything the sandbox keeps, as its state file would hold it. */
function state(): string {
  return JSON.stringify(harness.sandbox.core.store.serialize());
}

describe('the next invoice of a subscription', () => {
  it('previews the renewal: next period, an upcoming_in_ id, and what billing then makes', async () => {
    const { clock, subscription, item } = await aprilSubscription(price('starter_monthly'));
    const preview = conforms(
      await stripe.invoices.createPreview({ subscription: subscription.id }),
    );
    expect(preview).toMatchObject({
      object: 'invoice',
      id: expect.stringMatching(/^upcoming_in_/),
      status: 'draft',
      billing_reason: 'subscription_cycle',
      customer: subscription.customer,
      currency: 'usd',
      created: MAY_1,
      period_start: APRIL_1,
      period_end: MAY_1,
      subtotal: 900,
      total: 900,
      amount_due: 900,
      discounts: [],
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id },
      },
    });
    expect(preview.parent?.subscription_details?.subscription_proration_date).toBeUndefined();
    expect(preview.lines.data).toHaveLength(1);
    expect(preview.lines.data[0]).toMatchObject({
      id: expect.stringMatching(/^il_tmp_/),
      amount: 900,
      period: { start: MAY_1, end: JUNE_1 },
      parent: { subscription_item_details: { proration: false, subscription_item: item.id } },
    });
    // Nothing was made: the invoice list does not have it, nor does retrieving it find it.
    const listed = await stripe.invoices.list({ subscription: subscription.id });
    expect(listed.data.map((invoice) => invoice.id)).toEqual([subscription.latest_invoice]);
    expect((await caught(stripe.invoices.retrieve(preview.id))).statusCode).toBe(404);

    await harness.sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    const renewal = await latestInvoice(subscription.id);
    expect(renewal.status).toBe('paid');
    expect(amounts(renewal)).toEqual(amounts(preview));
  });

  it('applies the discounts that will still apply: forever yes, a used once and an ended repeating one no', async () => {
    const forever = await stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const once = await stripe.coupons.create({
      amount_off: 100,
      currency: 'usd',
      duration: 'once',
    });
    const month = await stripe.coupons.create({
      percent_off: 50,
      duration: 'repeating',
      duration_in_months: 1,
    });
    const { subscription } = await aprilSubscription(price('starter_monthly'), {
      discounts: [{ coupon: once.id }, { coupon: month.id }, { coupon: forever.id }],
    });
    // 900 − 100 = 800, − 50% = 400, − 25% = 300.
    expect((await latestInvoice(subscription.id)).total).toBe(300);
    const [, , foreverDiscount] = subscription.discounts as string[];

    const preview = await stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview).toMatchObject({ subtotal: 900, total: 675, amount_due: 675 });
    expect(preview.discounts).toEqual([foreverDiscount]);
    expect(preview.total_discount_amounts).toEqual([{ amount: 225, discount: foreverDiscount }]);
    expect(preview.lines.data[0]?.discount_amounts).toEqual([
      { amount: 225, discount: foreverDiscount },
    ]);

    // `discounts: ""` previews without them; a list previews with those instead.
    const bare = await stripe.invoices.createPreview({
      subscription: subscription.id,
      discounts: '',
    });
    expect(bare).toMatchObject({ total: 900, discounts: [] });
    const tenOff = await stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const swapped = await stripe.invoices.createPreview({
      subscription: subscription.id,
      discounts: [{ coupon: tenOff.id }],
    });
    expect(swapped.total).toBe(810);
    expect(swapped.discounts).toHaveLength(1);
    expect(swapped.discounts[0]).toMatch(/^di_/);
    expect(await stripe.coupons.retrieve(tenOff.id)).toMatchObject({ times_redeemed: 0 });
  });

  it('previews the next invoice among a customer’s subscriptions, or answers invoice_upcoming_none', async () => {
    const { customer, subscription } = await aprilSubscription(price('starter_monthly'));
    const preview = await stripe.invoices.createPreview({ customer: customer.id });
    expect(preview.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(preview.total).toBe(900);

    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    for (const params of [{ customer: customer.id }, { subscription: subscription.id }]) {
      const none = await caught(stripe.invoices.createPreview(params));
      expect(none.statusCode).toBe(404);
      expect(none.code).toBe('invoice_upcoming_none');
    }
    // Previewing the change back shows the renewal again.
    const resumed = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { cancel_at_period_end: false },
    });
    expect(resumed.total).toBe(900);
    const stranger = await stripe.customers.create();
    const nothing = await caught(stripe.invoices.createPreview({ customer: stranger.id }));
    expect(nothing.code).toBe('invoice_upcoming_none');
    expect(nothing.message).toBe(`No upcoming invoices for customer: ${stranger.id}`);
  });

  it('a trialing subscription’s next invoice is at the trial’s end', async () => {
    const { customer } = await payingCustomer();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_monthly').id }],
      trial_period_days: 14,
    });
    const trialEnd = APRIL_1 + 14 * DAY;
    const preview = await stripe.invoices.createPreview({ subscription: subscription.id });
    expect(preview).toMatchObject({ created: trialEnd, total: 2900, period_end: trialEnd });
    expect(preview.lines.data[0]?.period).toEqual({
      start: trialEnd,
      end: Date.UTC(2026, 4, 15) / 1000,
    });
    const ended = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { trial_end: 'now' },
    });
    expect(ended).toMatchObject({
      billing_reason: 'subscription_update',
      created: APRIL_1,
      total: 2900,
    });
  });
});

describe('a change to a subscription', () => {
  it('create_prorations: the prorations and the next period, as the update and renewal then bill', async () => {
    const basic = await monthlyPrice(1000);
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const { clock, subscription, item } = await aprilSubscription(basic);
    await harness.sandbox.advanceTestClock(clock.id, APRIL_16 + HOUR);
    const preview = conforms(
      await stripe.invoices.createPreview({
        subscription: subscription.id,
        subscription_details: {
          items: [{ id: item.id, price: premium.id }],
          proration_date: APRIL_16,
        },
      }),
    );
    expect(preview).toMatchObject({
      billing_reason: 'subscription_cycle',
      created: MAY_1,
      subtotal: 2500,
      amount_due: 2500,
      parent: { subscription_details: { subscription_proration_date: APRIL_16 } },
    });
    expect(preview.lines.data.map((line) => [line.amount, line.description])).toEqual([
      [-500, 'Unused time on 1 × Basic after 16 Apr 2026'],
      [1000, 'Remaining time on 1 × Premium after 16 Apr 2026'],
      [2000, '1 × Premium (at $20.00 / month)'],
    ]);
    expect(
      preview.lines.data.map((line) => line.parent?.subscription_item_details?.proration),
    ).toEqual([true, true, false]);
    // The subscription did not change.
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.id).toBe(
      basic.id,
    );

    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: premium.id }],
      proration_date: APRIL_16,
    });
    await harness.sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    const renewal = await latestInvoice(subscription.id);
    expect(renewal.status).toBe('paid');
    expect(amounts(renewal)).toEqual(amounts(preview));
  });

  it('always_invoice: the invoice the update makes at once, equal in amounts; none: no prorations', async () => {
    const basic = await monthlyPrice(1000);
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const { clock, subscription, item } = await aprilSubscription(basic);
    await harness.sandbox.advanceTestClock(clock.id, APRIL_16 + HOUR);
    const change = {
      items: [{ id: item.id, price: premium.id, quantity: 2 }],
      proration_date: APRIL_16,
      proration_behavior: 'always_invoice' as const,
    };
    const preview = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: change,
    });
    expect(preview).toMatchObject({
      billing_reason: 'subscription_update',
      period_start: APRIL_16 + HOUR,
      period_end: APRIL_16 + HOUR,
      total: 1500,
      amount_due: 1500,
    });
    expect(preview.lines.data.map((line) => [line.amount, line.quantity])).toEqual([
      [-500, 1],
      [2000, 2],
    ]);

    const none = await stripe.invoices.createPreview({
      subscription: subscription.id,
      subscription_details: { items: change.items, proration_behavior: 'none' },
    });
    expect(none).toMatchObject({ billing_reason: 'subscription_cycle', total: 4000 });
    expect(none.lines.data.map((line) => line.amount)).toEqual([4000]);

    const updated = await stripe.subscriptions.update(subscription.id, {
      ...change,
      expand: ['latest_invoice'],
    });
    const invoice = updated.latest_invoice as Stripe.Invoice;
    expect(invoice.status).toBe('paid');
    expect(amounts(invoice)).toEqual(amounts(preview));
  });

  it('rounds JPY and KWD prorations as the update does', async () => {
    for (const [currency, small, large, expected] of [
      ['jpy', 1000, 2000, [-667, 1333]],
      ['kwd', 7500, 12500, [-5000, 8330]],
    ] as const) {
      const from = await monthlyPrice(small, currency, 'Plan');
      const to = await monthlyPrice(large, currency, 'Plan plus');
      const { clock, subscription, item } = await aprilSubscription(from);
      await harness.sandbox.advanceTestClock(clock.id, APRIL_11);
      const change = {
        items: [{ id: item.id, price: to.id }],
        proration_date: APRIL_11,
        proration_behavior: 'always_invoice' as const,
      };
      const preview = await stripe.invoices.createPreview({
        subscription: subscription.id,
        subscription_details: change,
      });
      expect(preview.currency).toBe(currency);
      expect(preview.lines.data.map((line) => line.amount)).toEqual(expected);
      const updated = await stripe.subscriptions.update(subscription.id, {
        ...change,
        expand: ['latest_invoice'],
      });
      expect(amounts(updated.latest_invoice as Stripe.Invoice)).toEqual(amounts(preview));
    }
  });

  it('changes nothing: no object, event, redemption or clock move', async () => {
    const basic = await monthlyPrice(1000);
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const { clock, customer, subscription, item } = await aprilSubscription(basic);
    await harness.sandbox.advanceTestClock(clock.id, APRIL_16);
    const coupon = await stripe.coupons.create({ percent_off: 20, duration: 'once' });
    const promotion = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'PREVIEW20',
    });
    await harness.verifiedEvents();
    const before = state();
    const events = harness.sandbox.core.store.collection('events').size;

    await stripe.invoices.createPreview({ subscription: subscription.id });
    await stripe.invoices.createPreview({
      subscription: subscription.id,
      discounts: [{ promotion_code: promotion.id }],
      subscription_details: {
        items: [{ id: item.id, price: premium.id }, { price: price('starter_monthly').id }],
        proration_behavior: 'always_invoice',
      },
    });
    await stripe.invoices.createPreview({
      customer: customer.id,
      subscription_details: { items: [{ price: premium.id }] },
      discounts: [{ promotion_code: promotion.id }],
    });

    expect(harness.sandbox.core.store.collection('events').size).toBe(events);
    expect(state()).toBe(before);
    expect(await stripe.promotionCodes.retrieve(promotion.id)).toMatchObject({ times_redeemed: 0 });
    expect(await stripe.coupons.retrieve(coupon.id)).toMatchObject({ times_redeemed: 0 });
    expect(await stripe.testHelpers.testClocks.retrieve(clock.id)).toMatchObject({
      frozen_time: APRIL_16,
      status: 'ready',
    });
  });

  it('refuses what the update refuses, naming subscription_details', async () => {
    const { subscription, item } = await aprilSubscription(price('starter_monthly'));
    const outside = await caught(
      stripe.invoices.createPreview({
        subscription: subscription.id,
        subscription_details: { items: [{ id: item.id, quantity: 2 }], proration_date: JUNE_1 },
      }),
    );
    expect(outside.statusCode).toBe(400);
    expect(outside.message).toBe(
      'proration_date must be within the current billing period of the subscription.',
    );
    expect(outside.param).toBe('subscription_details[proration_date]');

    const unknownItem = await caught(
      stripe.invoices.createPreview({
        subscription: subscription.id,
        subscription_details: { items: [{ id: 'si_nope', quantity: 2 }] },
      }),
    );
    expect(unknownItem.param).toBe('subscription_details[items][0][id]');

    const noneWithDate = await caught(
      stripe.invoices.createPreview({
        subscription: subscription.id,
        subscription_details: {
          items: [{ id: item.id, quantity: 2 }],
          proration_date: APRIL_1,
          proration_behavior: 'none',
        },
      }),
    );
    expect(noneWithDate.param).toBe('subscription_details[proration_behavior]');
  });
});

describe('a new subscription', () => {
  it('previews the first invoice as create makes it, the customer’s credit counted', async () => {
    const { customer } = await payingCustomer();
    await stripe.customers.update(customer.id, { balance: -300 });
    const params = {
      customer: customer.id,
      items: [{ price: price('starter_monthly').id, quantity: 2 }],
    };
    const preview = conforms(
      await stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items: params.items },
      }),
    );
    expect(preview).toMatchObject({
      billing_reason: 'subscription_create',
      created: APRIL_1,
      period_start: APRIL_1,
      period_end: APRIL_1,
      total: 1800,
      starting_balance: -300,
      amount_due: 1500,
    });
    expect(preview.parent?.subscription_details?.subscription).toMatch(/^sub_/);
    expect(preview.lines.data[0]).toMatchObject({
      amount: 1800,
      quantity: 2,
      period: { start: APRIL_1, end: MAY_1 },
    });
    expect(await stripe.subscriptions.list({ customer: customer.id })).toMatchObject({ data: [] });

    const subscription = await stripe.subscriptions.create(params);
    expect(amounts(await latestInvoice(subscription.id))).toEqual(amounts(preview));
  });

  it('with trial_end: the trial’s $0 invoice', async () => {
    const { customer } = await payingCustomer();
    const trialEnd = APRIL_1 + 7 * DAY;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription_details: { items: [{ price: price('pro_monthly').id }], trial_end: trialEnd },
    });
    expect(preview).toMatchObject({ total: 0, amount_due: 0 });
    expect(preview.lines.data[0]).toMatchObject({
      amount: 0,
      description: 'Trial period for Pro',
      period: { start: APRIL_1, end: trialEnd },
    });
    const late = await caught(
      stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: {
          items: [{ price: price('pro_monthly').id }],
          trial_end: APRIL_1 - 1,
        },
      }),
    );
    expect(late.param).toBe('subscription_details[trial_end]');
  });

  it('applies a promotion code as create would, with create’s errors, and JPY and KWD right', async () => {
    const { customer } = await payingCustomer();
    const coupon = await stripe.coupons.create({ percent_off: 15, duration: 'forever' });
    const promotion = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
    });
    let redeemed = 0;
    for (const [currency, unit, total] of [
      ['usd', 1000, 850],
      ['jpy', 1999, 1699], // ¥299.85 off → ¥300
      ['kwd', 7490, 6370], // KWD 1.1235 off → 1.120
    ] as const) {
      const plan = await monthlyPrice(unit, currency);
      const params = {
        customer: customer.id,
        items: [{ price: plan.id }],
        discounts: [{ promotion_code: promotion.id }],
      };
      const preview = await stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items: params.items },
        discounts: params.discounts,
      });
      expect(preview).toMatchObject({ currency, subtotal: unit, total, amount_due: total });
      // Only the real creation counts a redemption.
      expect(await stripe.promotionCodes.retrieve(promotion.id)).toMatchObject({
        times_redeemed: redeemed,
      });
      const subscription = await stripe.subscriptions.create(params);
      redeemed += 1;
      const invoice = await latestInvoice(subscription.id);
      expect(amounts(invoice)).toEqual(amounts(preview));
      await stripe.subscriptions.cancel(subscription.id);
    }

    const minimum = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      restrictions: { minimum_amount: 100_000, minimum_amount_currency: 'usd' },
    });
    const items = [{ price: price('starter_monthly').id }];
    const discounts = [{ promotion_code: minimum.id }];
    const fromPreview = await caught(
      stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items },
        discounts,
      }),
    );
    const fromCreate = await caught(
      stripe.subscriptions.create({ customer: customer.id, items, discounts }),
    );
    expect(fromPreview.statusCode).toBe(400);
    expect([fromPreview.message, fromPreview.param]).toEqual([
      fromCreate.message,
      fromCreate.param,
    ]);
    expect(fromPreview.param).toBe('discounts[0][promotion_code]');
    const missing = await caught(
      stripe.invoices.createPreview({
        customer: customer.id,
        subscription_details: { items },
        discounts: [{ promotion_code: 'promo_nope' }],
      }),
    );
    expect(missing.statusCode).toBe(404);
  });
});

describe('parameters', () => {
  it('refuses what the sandbox does not model with clear 400s', async () => {
    const { customer, subscription } = await aprilSubscription(price('starter_monthly'));
    const cases: Array<[Stripe.InvoiceCreatePreviewParams, string]> = [
      [{ customer: customer.id, schedule: 'sub_sched_1' }, 'schedule'],
      [
        { customer: customer.id, invoice_items: [{ amount: 100, currency: 'usd' }] },
        'invoice_items',
      ],
      [
        {
          subscription: subscription.id,
          subscription_details: { billing_cycle_anchor: { type: 'now' } },
        },
        'subscription_details[billing_cycle_anchor]',
      ],
      [
        { subscription: subscription.id, automatic_tax: { enabled: true } },
        'automatic_tax[enabled]',
      ],
    ];
    for (const [params, param] of cases) {
      const error = await caught(stripe.invoices.createPreview(params));
      expect(error.statusCode).toBe(400);
      expect(error.param).toBe(param);
      expect(error.message).toMatch(/not supported by the sandbox/);
    }
    const off = await stripe.invoices.createPreview({
      subscription: subscription.id,
      automatic_tax: { enabled: false },
    });
    expect(off.total).toBe(900);

    const unknown = await caught(
      stripe.invoices.createPreview({ subscription: subscription.id, bogus: 1 } as never),
    );
    expect([unknown.code, unknown.param]).toEqual(['parameter_unknown', 'bogus']);
    const nobody = await caught(stripe.invoices.createPreview({}));
    expect(nobody.statusCode).toBe(400);
    const wrongOwner = await caught(
      stripe.invoices.createPreview({
        subscription: subscription.id,
        customer: (await stripe.customers.create()).id,
      }),
    );
    expect(wrongOwner.param).toBe('subscription');
  });
});
