import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BILLING_SETTINGS, type DemoCatalog, seedDemoCatalog } from '../index.js';
import { billingTestHelpers } from '../test-support/billing.js';
import { caught, setUpSandboxWithWebhooks } from '../test-support/harness.js';
import { startTestSandbox, type TestSandbox } from '../test-support/test-sandbox.js';

const HOUR = 3_600;
const DAY = 86_400;
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const MAY_1 = Date.UTC(2026, 4, 1) / 1000;
const JUNE_1 = Date.UTC(2026, 5, 1) / 1000;

const harness = setUpSandboxWithWebhooks();
let sandbox: TestSandbox;
let stripe: Stripe;
let catalog: DemoCatalog;
const { eventMark, eventsSince, typesSince, price, setDefaultCard } = billingTestHelpers(
  harness,
  () => catalog,
);

beforeAll(async () => {
  sandbox = harness.sandbox;
  stripe = harness.stripe;
  catalog = seedDemoCatalog(sandbox.core);
  // Compiles the conformance schema's validators once, before the first test's clock starts.
  await harness.verifiedEvents();
});

afterEach(() => {
  sandbox.billing.set({
    ...DEFAULT_BILLING_SETTINGS,
    retryDays: [...DEFAULT_BILLING_SETTINGS.retryDays],
  });
});

afterAll(async () => {
  await harness.verifiedEvents();
});

/** A clock at 1 April 2026 and a customer on it, with a default card unless `card` is null. */
async function clockCustomer(card: string | null = 'pm_card_visa') {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
  const customer = await stripe.customers.create({ test_clock: clock.id });
  if (card) await setDefaultCard(customer.id, card);
  return { clock, customer };
}

async function starterSubscription(
  customerId: string,
  params: Partial<Stripe.SubscriptionCreateParams> = {},
) {
  return stripe.subscriptions.create({
    customer: customerId,
    items: [{ price: price('starter_monthly').id }],
    ...params,
  });
}

async function latestInvoice(subscriptionId: string): Promise<Stripe.Invoice> {
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  return stripe.invoices.retrieve(subscription.latest_invoice as string);
}

async function intentOf(invoiceId: string): Promise<Stripe.PaymentIntent> {
  const [payment] = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
  return stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
}

describe('test clocks', () => {
  it('creates, retrieves, lists and advances a clock; objects on it are dated on it', async () => {
    const mark = eventMark();
    const clock = await stripe.testHelpers.testClocks.create({
      frozen_time: APRIL_1,
      name: 'Monthly renewals',
    });
    expect(clock).toMatchObject({
      object: 'test_helpers.test_clock',
      frozen_time: APRIL_1,
      name: 'Monthly renewals',
      status: 'ready',
      status_details: {},
      livemode: false,
    });
    expect(clock.deletes_after).toBe(clock.created + 7 * DAY);
    expect(await stripe.testHelpers.testClocks.retrieve(clock.id)).toEqual(clock);
    const listed = await stripe.testHelpers.testClocks.list({ limit: 100 });
    expect(listed.data.map((entry) => entry.id)).toContain(clock.id);

    const customer = await stripe.customers.create({ test_clock: clock.id });
    await setDefaultCard(customer.id, 'pm_card_visa');
    const subscription = await starterSubscription(customer.id);
    expect(subscription.created).toBe(APRIL_1);
    expect(subscription.test_clock).toBe(clock.id);
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).toMatchObject({ created: APRIL_1, test_clock: clock.id });
    const intent = await intentOf(invoice.id);
    expect(intent.created).toBe(APRIL_1);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge.created).toBe(APRIL_1);

    const target = APRIL_1 + 5 * DAY;
    const advancing = await stripe.testHelpers.testClocks.advance(clock.id, {
      frozen_time: target,
    });
    expect(advancing).toMatchObject({
      status: 'advancing',
      frozen_time: APRIL_1,
      status_details: { advancing: { target_frozen_time: target } },
    });
    const ready = await sandbox.advanceTestClock(clock.id, target + HOUR);
    expect(ready).toMatchObject({
      status: 'ready',
      frozen_time: target + HOUR,
      status_details: {},
    });
    const clockEvents = (await eventsSince(mark))
      .filter((event) => event.type.startsWith('test_helpers.'))
      .map((event) => event.type);
    expect(clockEvents).toEqual([
      'test_helpers.test_clock.created',
      'test_helpers.test_clock.advancing',
      'test_helpers.test_clock.ready',
      'test_helpers.test_clock.advancing',
      'test_helpers.test_clock.ready',
    ]);
  });

  it('refuses advancing backwards, and further than Stripe allows', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
    const backwards = await caught(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APRIL_1 - 60 }),
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.param).toBe('frozen_time');
    const same = await caught(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: APRIL_1 }),
    );
    expect(same.param).toBe('frozen_time');
    // Without subscriptions: at most two years.
    const twoYears = Date.UTC(2028, 3, 1) / 1000;
    const tooFar = await caught(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: twoYears + 1 }),
    );
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.message).toMatch(/two intervals/);
    // With a monthly subscription: at most two months.
    const customer = await stripe.customers.create({ test_clock: clock.id });
    await setDefaultCard(customer.id, 'pm_card_visa');
    await starterSubscription(customer.id);
    const twoMonths = await caught(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JUNE_1 + 1 }),
    );
    expect(twoMonths.param).toBe('frozen_time');
    const ready = await sandbox.advanceTestClock(clock.id, JUNE_1);
    expect(ready.frozen_time).toBe(JUNE_1);
    expect((await stripe.testHelpers.testClocks.retrieve(clock.id)).status).toBe('ready');
    const missing = await caught(stripe.testHelpers.testClocks.retrieve('clock_missing'));
    expect(missing.statusCode).toBe(404);
  });

  it('deleting a clock deletes its customers and their subscriptions', async () => {
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id);
    const mark = eventMark();
    const deleted = await stripe.testHelpers.testClocks.del(clock.id);
    expect(deleted).toEqual({ id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    expect((await eventsSince(mark)).map((event) => event.type)).toEqual([
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
      'customer.deleted',
      'test_helpers.test_clock.deleted',
    ]);
    expect(await stripe.customers.retrieve(customer.id)).toMatchObject({ deleted: true });
    expect((await caught(stripe.subscriptions.retrieve(subscription.id))).statusCode).toBe(404);
    expect((await caught(stripe.testHelpers.testClocks.retrieve(clock.id))).statusCode).toBe(404);
  });

  it('attaches an existing customer at creation (`customer`)', async () => {
    const customer = await stripe.customers.create();
    const clock = await stripe.testHelpers.testClocks.create({
      frozen_time: APRIL_1,
      customer: customer.id,
    });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).test_clock).toBe(
      clock.id,
    );
    const again = await caught(
      stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1, customer: customer.id }),
    );
    expect(again.param).toBe('customer');
  });
});

describe('renewals', () => {
  it('renews with a working card: the items move on and the new invoice is paid an hour later', async () => {
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id);
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    const events = await eventsSince(mark);
    expect(
      events.map((event) => event.type).filter((type) => !type.startsWith('test_helpers.')),
    ).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'payment_intent.created',
      'invoice.finalized',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const updated = events.find(
      (event) => event.type === 'customer.subscription.updated',
    ) as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.previous_attributes?.latest_invoice).toBe(subscription.latest_invoice);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe('active');
    expect(renewed.items.data[0]).toMatchObject({
      current_period_start: MAY_1,
      current_period_end: JUNE_1,
    });
    const invoice = await stripe.invoices.retrieve(renewed.latest_invoice as string);
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_paid: 900,
      created: MAY_1,
      period_start: APRIL_1,
      period_end: MAY_1,
      attempt_count: 1,
      status_transitions: { finalized_at: MAY_1 + HOUR, paid_at: MAY_1 + HOUR },
    });
    expect(invoice.lines.data[0]?.period).toEqual({ start: MAY_1, end: JUNE_1 });
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((entry) => entry.billing_reason)).toEqual([
      'subscription_cycle',
      'subscription_create',
    ]);
  });

  it('4000 0000 0000 0341: past_due, retried after 3, 5 and 7 days, then canceled', async () => {
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id);
    await setDefaultCard(customer.id, 'pm_card_chargeCustomerFail');
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'payment_intent.created',
      'invoice.finalized',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    let invoice = await latestInvoice(subscription.id);
    const firstAttempt = MAY_1 + HOUR;
    expect(invoice).toMatchObject({
      status: 'open',
      attempt_count: 1,
      next_payment_attempt: firstAttempt + 3 * DAY,
    });
    expect((await intentOf(invoice.id)).status).toBe('requires_payment_method');

    const retryMark = eventMark();
    await sandbox.advanceTestClock(clock.id, firstAttempt + 3 * DAY);
    invoice = await stripe.invoices.retrieve(invoice.id);
    expect(invoice).toMatchObject({
      attempt_count: 2,
      next_payment_attempt: firstAttempt + 8 * DAY,
    });
    expect(await typesSince(retryMark)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
    ]);
    await sandbox.advanceTestClock(clock.id, firstAttempt + 8 * DAY);
    invoice = await stripe.invoices.retrieve(invoice.id);
    expect(invoice).toMatchObject({
      attempt_count: 3,
      next_payment_attempt: firstAttempt + 15 * DAY,
    });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');

    const finalMark = eventMark();
    await sandbox.advanceTestClock(clock.id, firstAttempt + 15 * DAY);
    invoice = await stripe.invoices.retrieve(invoice.id);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 4, next_payment_attempt: null });
    expect(await typesSince(finalMark)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: firstAttempt + 15 * DAY,
      cancellation_details: { reason: 'payment_failed' },
    });
  });

  it('after_final_failure=unpaid (set over HTTP): unpaid, later invoices stay drafts, paying reactivates', async () => {
    const response = await fetch(`${sandbox.url}/v1/_sandbox/billing_settings`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sandbox.secretKey}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'retry_days[]=2&after_final_failure=unpaid',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      object: 'sandbox.billing_settings',
      retry_days: [2],
      after_final_failure: 'unpaid',
    });
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id);
    await setDefaultCard(customer.id, 'pm_card_chargeCustomerFail');
    await sandbox.advanceTestClock(clock.id, MAY_1 + HOUR + 2 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('unpaid');
    const failed = await latestInvoice(subscription.id);
    expect(failed).toMatchObject({ status: 'open', attempt_count: 2, next_payment_attempt: null });

    await sandbox.advanceTestClock(clock.id, JUNE_1 + 2 * HOUR);
    const draft = await latestInvoice(subscription.id);
    expect(draft).toMatchObject({
      status: 'draft',
      billing_reason: 'subscription_cycle',
      auto_advance: false,
      automatically_finalizes_at: null,
    });
    await stripe.invoices.pay(failed.id, { payment_method: 'pm_card_visa' });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('after_final_failure=past_due with no retries: one attempt, then the subscription stays past_due', async () => {
    sandbox.billing.set({ retryDays: [], afterFinalFailure: 'past_due' });
    expect(sandbox.billing.settings).toEqual({ retryDays: [], afterFinalFailure: 'past_due' });
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id);
    await setDefaultCard(customer.id, 'pm_card_chargeCustomerFail');
    await sandbox.advanceTestClock(clock.id, MAY_1 + 10 * DAY);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    expect(await latestInvoice(subscription.id)).toMatchObject({
      attempt_count: 1,
      next_payment_attempt: null,
    });
  });

  it('4000 0027 6000 3184: invoice.payment_action_required, then paid once the customer authenticates', async () => {
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id);
    await setDefaultCard(customer.id, 'pm_card_authenticationRequired');
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'payment_intent.created',
      'invoice.finalized',
      'payment_intent.requires_action',
      'invoice.payment_action_required',
      'customer.subscription.updated',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const invoice = await latestInvoice(subscription.id);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1 });
    const intent = await intentOf(invoice.id);
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('use_stripe_sdk');
    const response = await fetch(
      `${sandbox.url}/v1/_sandbox/payment_intents/${intent.id}/authenticate`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_secret: intent.client_secret ?? '',
          outcome: 'complete',
        }),
      },
    );
    expect(response.status).toBe(200);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      attempt_count: 1,
    });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });
});

describe('trials over time', () => {
  it('sends trial_will_end three days ahead, then charges the card when the trial ends', async () => {
    const { clock, customer } = await clockCustomer();
    const subscription = await starterSubscription(customer.id, { trial_period_days: 7 });
    const trialEnd = APRIL_1 + 7 * DAY;
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, trialEnd - 3 * DAY);
    const notices = await eventsSince(mark);
    expect(
      notices.map((event) => event.type).filter((type) => !type.startsWith('test_helpers.')),
    ).toEqual(['customer.subscription.trial_will_end']);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('trialing');

    const endMark = eventMark();
    await sandbox.advanceTestClock(clock.id, trialEnd + HOUR);
    const events = await eventsSince(endMark);
    const updated = events.find(
      (event) => event.type === 'customer.subscription.updated',
    ) as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.previous_attributes?.status).toBe('trialing');
    const active = await stripe.subscriptions.retrieve(subscription.id);
    expect(active).toMatchObject({ status: 'active', trial_end: trialEnd });
    expect(active.items.data[0]).toMatchObject({
      current_period_start: trialEnd,
      current_period_end: trialEnd + 30 * DAY,
    });
    expect(await latestInvoice(subscription.id)).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_paid: 900,
    });
  });

  it('a trial shorter than three days sends trial_will_end at once', async () => {
    const { customer } = await clockCustomer();
    const mark = eventMark();
    await starterSubscription(customer.id, { trial_period_days: 2 });
    expect((await typesSince(mark)).slice(0, 3)).toEqual([
      'customer.subscription.created',
      'entitlements.active_entitlement_summary.updated',
      'customer.subscription.trial_will_end',
    ]);
  });

  it('without a card and end_behavior cancel: canceled when the trial ends', async () => {
    const { clock, customer } = await clockCustomer(null);
    const subscription = await starterSubscription(customer.id, {
      trial_period_days: 7,
      trial_settings: { end_behavior: { missing_payment_method: 'cancel' } },
    });
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, APRIL_1 + 8 * DAY);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.trial_will_end',
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: APRIL_1 + 7 * DAY,
    });
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
  });

  it('without a card and end_behavior pause: paused, then resumed once a card is on file', async () => {
    const { clock, customer } = await clockCustomer(null);
    const subscription = await starterSubscription(customer.id, {
      trial_period_days: 7,
      trial_settings: { end_behavior: { missing_payment_method: 'pause' } },
    });
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, APRIL_1 + 8 * DAY);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.trial_will_end',
      'customer.subscription.updated',
      // Paused: the trial's features go.
      'entitlements.active_entitlement_summary.updated',
      'customer.subscription.paused',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('paused');
    // A paused subscription makes no invoices.
    await sandbox.advanceTestClock(clock.id, MAY_1 + 2 * HOUR);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);

    const noCard = await caught(stripe.subscriptions.resume(subscription.id));
    expect(noCard.statusCode).toBe(400);
    await setDefaultCard(customer.id, 'pm_card_visa');
    const resumeMark = eventMark();
    const resumed = await stripe.subscriptions.resume(subscription.id, {
      expand: ['latest_invoice'],
    });
    expect(resumed.status).toBe('active');
    expect(resumed.billing_cycle_anchor).toBe(MAY_1 + 2 * HOUR);
    expect(resumed.latest_invoice).toMatchObject({
      billing_reason: 'subscription_update',
      status: 'paid',
      amount_paid: 900,
    });
    expect((await typesSince(resumeMark)).slice(0, 4)).toEqual([
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
      'customer.subscription.resumed',
      'invoice.created',
    ]);
    const again = await caught(stripe.subscriptions.resume(subscription.id));
    expect(again.statusCode).toBe(400);
  });

  it('without a card and end_behavior create_invoice: the invoice fails and the subscription is past_due', async () => {
    const { clock, customer } = await clockCustomer(null);
    const subscription = await starterSubscription(customer.id, { trial_period_days: 7 });
    expect(subscription.trial_settings?.end_behavior.missing_payment_method).toBe('create_invoice');
    await sandbox.advanceTestClock(clock.id, APRIL_1 + 7 * DAY + HOUR);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const invoice = await stripe.invoices.retrieve((await latestInvoice(subscription.id)).id, {
      expand: ['confirmation_secret'],
    });
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, amount_due: 900 });
    const intent = await intentOf(invoice.id);
    expect(intent.status).toBe('requires_payment_method');
    expect(invoice.confirmation_secret?.client_secret).toBe(intent.client_secret);
    // The customer pays on session, with the client secret.
    await stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });
});

describe('incomplete subscriptions', () => {
  it('expire 23 hours after creation: incomplete_expired, first invoice voided', async () => {
    const { clock, customer } = await clockCustomer(null);
    const subscription = await starterSubscription(customer.id, {
      payment_behavior: 'default_incomplete',
    });
    await sandbox.advanceTestClock(clock.id, APRIL_1 + 22 * HOUR);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('incomplete');
    const mark = eventMark();
    await sandbox.advanceTestClock(clock.id, APRIL_1 + 23 * HOUR);
    expect(await typesSince(mark)).toEqual([
      'payment_intent.canceled',
      'invoice.voided',
      'customer.subscription.updated',
    ]);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'incomplete_expired',
      ended_at: APRIL_1 + 23 * HOUR,
    });
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice.status).toBe('void');
    expect((await intentOf(invoice.id)).status).toBe('canceled');
    const listed = await stripe.subscriptions.list({ customer: customer.id, status: 'ended' });
    expect(listed.data.map((entry) => entry.id)).toEqual([subscription.id]);
  });
});

describe('billing settings', () => {
  it('are read and validated over HTTP', async () => {
    const headers = {
      Authorization: `Bearer ${sandbox.secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    const current = await fetch(`${sandbox.url}/v1/_sandbox/billing_settings`, { headers });
    expect(await current.json()).toEqual({
      object: 'sandbox.billing_settings',
      retry_days: [3, 5, 7],
      after_final_failure: 'cancel',
    });
    const bad = await fetch(`${sandbox.url}/v1/_sandbox/billing_settings`, {
      method: 'POST',
      headers,
      body: 'retry_days[]=0',
    });
    expect(bad.status).toBe(400);
    const badAction = await fetch(`${sandbox.url}/v1/_sandbox/billing_settings`, {
      method: 'POST',
      headers,
      body: 'after_final_failure=forgive',
    });
    expect(badAction.status).toBe(400);
    const noKey = await fetch(`${sandbox.url}/v1/_sandbox/billing_settings`);
    expect(noKey.status).toBe(401);
  });
});

describe('subscriptions without a test clock', () => {
  it('follow the sandbox clock: what came due runs on the tick (or /v1/_sandbox/billing/run)', async () => {
    let now = APRIL_1;
    const timed = await startTestSandbox({ clock: { now: () => now } });
    try {
      const client = timed.stripe;
      const customer = await client.customers.create({ payment_method: 'pm_card_visa' });
      const [card] = (await client.paymentMethods.list({ customer: customer.id })).data;
      await client.customers.update(customer.id, {
        invoice_settings: { default_payment_method: card?.id as string },
      });
      const price = await client.prices.create({
        currency: 'usd',
        unit_amount: 500,
        recurring: { interval: 'week' },
        product_data: { name: 'Weekly' },
      });
      const subscription = await client.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        trial_period_days: 1,
      });
      expect(subscription).toMatchObject({ status: 'trialing', trial_end: APRIL_1 + DAY });
      const run = () =>
        fetch(`${timed.url}/v1/_sandbox/billing/run`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${timed.secretKey}` },
        });
      now = APRIL_1 + DAY;
      expect((await run()).status).toBe(200);
      const ended = await client.subscriptions.retrieve(subscription.id);
      expect(ended.status).toBe('active');
      expect(ended.items.data[0]).toMatchObject({
        current_period_start: APRIL_1 + DAY,
        current_period_end: APRIL_1 + 8 * DAY,
      });
      expect((await client.invoices.retrieve(ended.latest_invoice as string)).status).toBe('draft');
      now = APRIL_1 + DAY + HOUR;
      await run();
      expect(await client.invoices.retrieve(ended.latest_invoice as string)).toMatchObject({
        status: 'paid',
        amount_paid: 500,
      });
    } finally {
      await timed.close();
    }
  });
});

describe('event dates', () => {
  it("dates the events of a clock's customers on the clock, others on the sandbox's clock", async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
    const onClock = await stripe.customers.create({
      test_clock: clock.id,
      payment_method: 'pm_card_visa',
    });
    const offClock = await stripe.customers.create({});
    const events = (await stripe.events.list({ limit: 100 })).data;
    const created = (id: string) =>
      events.filter(
        (event) =>
          (event.data.object as { id?: string; customer?: string }).id === id ||
          (event.data.object as { customer?: string }).customer === id,
      );
    const clockEvents = created(onClock.id);
    expect(clockEvents.map((event) => event.type)).toEqual(
      expect.arrayContaining(['customer.created', 'payment_method.attached']),
    );
    for (const event of clockEvents) expect(event.created).toBe(APRIL_1);
    const [offEvent] = created(offClock.id);
    expect(Math.abs((offEvent?.created ?? 0) - Date.now() / 1000)).toBeLessThan(60);
  });
});
