import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, seedDemoCatalog } from '../index.js';
import { billingTestHelpers } from '../test-support/billing.js';
import { caught, setUpSandboxWithWebhooks } from '../test-support/harness.js';
import type { TestSandbox } from '../test-support/test-sandbox.js';

const HOUR = 3_600;
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const APRIL_16 = Date.UTC(2026, 3, 16) / 1000;
const MAY_1 = Date.UTC(2026, 4, 1) / 1000;

const harness = setUpSandboxWithWebhooks();
let sandbox: TestSandbox;
let stripe: Stripe;
let catalog: DemoCatalog;
const { eventMark, typesSince, price, setDefaultCard } = billingTestHelpers(harness, () => catalog);

beforeAll(async () => {
  sandbox = harness.sandbox;
  stripe = harness.stripe;
  catalog = seedDemoCatalog(sandbox.core);
  // Compiles the conformance schema's validators once, before the first test's clock starts.
  await harness.verifiedEvents();
});

afterAll(async () => {
  await harness.verifiedEvents();
});

/** A Starter subscription on a clock at 1 April 2026, first invoice paid with a Visa. */
async function aprilSubscription() {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
  const customer = await stripe.customers.create({
    test_clock: clock.id,
    email: 'kai@example.com',
  });
  await setDefaultCard(customer.id, 'pm_card_visa');
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price('starter_monthly').id }],
  });
  expect(subscription.status).toBe('active');
  return { clock, customer, subscription };
}

/** The same, with the renewal failing: the customer's default card becomes 4000 0000 0000 0341. */
async function pastDueSubscription() {
  const setup = await aprilSubscription();
  await setDefaultCard(setup.customer.id, 'pm_card_chargeCustomerFail');
  await sandbox.advanceTestClock(setup.clock.id, MAY_1 + HOUR);
  const subscription = await stripe.subscriptions.retrieve(setup.subscription.id);
  expect(subscription.status).toBe('past_due');
  const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
  expect(invoice).toMatchObject({ status: 'open', attempt_count: 1 });
  return { ...setup, subscription, invoice };
}

async function intentOf(invoiceId: string): Promise<Stripe.PaymentIntent> {
  const [payment] = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
  return stripe.paymentIntents.retrieve(payment?.payment.payment_intent as string);
}

describe('finalize', () => {
  it('a renewal is a draft for an hour; finalizing it early collects it at once', async () => {
    const { clock, subscription } = await aprilSubscription();
    await sandbox.advanceTestClock(clock.id, MAY_1);
    const draft = await stripe.invoices.retrieve(
      (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string,
    );
    expect(draft).toMatchObject({
      status: 'draft',
      billing_reason: 'subscription_cycle',
      auto_advance: true,
      automatically_finalizes_at: MAY_1 + HOUR,
      number: null,
      amount_due: 900,
      created: MAY_1,
    });
    expect(draft.status_transitions.finalized_at).toBeNull();
    const mark = eventMark();
    const finalized = await stripe.invoices.finalizeInvoice(draft.id);
    expect(finalized).toMatchObject({
      status: 'paid',
      amount_paid: 900,
      automatically_finalizes_at: null,
    });
    expect(finalized.number).toMatch(/-0002$/);
    expect(finalized.status_transitions.finalized_at).toBe(MAY_1);
    expect(await typesSince(mark)).toEqual([
      'payment_intent.created',
      'invoice.finalized',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const again = await caught(stripe.invoices.finalizeInvoice(draft.id));
    expect(again.statusCode).toBe(400);
    expect(again.message).toBe(
      "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
    );
    // The hour passing finds nothing left to do.
    const later = eventMark();
    await sandbox.advanceTestClock(clock.id, MAY_1 + 2 * HOUR);
    expect(await typesSince(later)).toEqual([]);
  });

  it('auto_advance=false finalizes without collecting', async () => {
    const { clock, subscription } = await aprilSubscription();
    await sandbox.advanceTestClock(clock.id, MAY_1);
    const draftId = (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string;
    const finalized = await stripe.invoices.finalizeInvoice(draftId, { auto_advance: false });
    expect(finalized).toMatchObject({ status: 'open', auto_advance: false, attempted: false });
    const paid = await stripe.invoices.pay(draftId);
    expect(paid.status).toBe('paid');
  });
});

describe('pay', () => {
  it('pays a failed renewal with a new card: the subscription is active again', async () => {
    const { customer, subscription, invoice } = await pastDueSubscription();
    expect(invoice.next_payment_attempt).toBe(MAY_1 + HOUR + 3 * 86_400);
    const mark = eventMark();
    const paid = await stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' });
    expect(paid).toMatchObject({
      status: 'paid',
      amount_paid: 900,
      attempt_count: 2,
      next_payment_attempt: null,
    });
    expect(await typesSince(mark)).toEqual([
      'payment_method.attached',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const intent = await intentOf(invoice.id);
    expect(intent.status).toBe('succeeded');
    expect((await stripe.paymentMethods.retrieve(intent.payment_method as string)).customer).toBe(
      customer.id,
    );
    const already = await caught(stripe.invoices.pay(invoice.id));
    expect(already.statusCode).toBe(400);
    expect(already.message).toBe('Invoice is already paid');
  });

  it('answers the decline as a 402 card error and counts the attempt', async () => {
    const { invoice } = await pastDueSubscription();
    const mark = eventMark();
    const error = await caught(stripe.invoices.pay(invoice.id));
    expect(error.type).toBe('StripeCardError');
    expect(error.code).toBe('card_declined');
    expect(error.raw).toMatchObject({
      decline_code: 'generic_decline',
      charge: expect.stringMatching(/^ch_/),
    });
    expect(await typesSince(mark)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
    ]);
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'open',
      attempt_count: 2,
    });
  });

  it('answers a 402 when the card needs 3D Secure, leaving the PaymentIntent requires_action', async () => {
    const { invoice } = await pastDueSubscription();
    const error = await caught(
      stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_authenticationRequired' }),
    );
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('invoice_payment_intent_requires_action');
    const intent = await intentOf(invoice.id);
    expect(intent.status).toBe('requires_action');
    const refreshed = await stripe.invoices.retrieve(invoice.id, {
      expand: ['confirmation_secret'],
    });
    expect(refreshed.confirmation_secret?.client_secret).toBe(intent.client_secret);
  });

  it('refuses a payment method of another customer', async () => {
    const { invoice } = await pastDueSubscription();
    const other = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const [card] = (await stripe.paymentMethods.list({ customer: other.id })).data;
    const error = await caught(
      stripe.invoices.pay(invoice.id, { payment_method: card?.id as string }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('payment_method');
  });
});

describe('void', () => {
  it('voids an open invoice: its PaymentIntent is canceled and the subscription is no longer past due', async () => {
    const { subscription, invoice } = await pastDueSubscription();
    const mark = eventMark();
    const voided = await stripe.invoices.voidInvoice(invoice.id);
    expect(voided).toMatchObject({
      status: 'void',
      next_payment_attempt: null,
      status_transitions: { voided_at: MAY_1 + HOUR },
    });
    expect(await typesSince(mark)).toEqual([
      'payment_intent.canceled',
      'invoice.voided',
      'customer.subscription.updated',
    ]);
    const intent = await intentOf(invoice.id);
    expect(intent).toMatchObject({ status: 'canceled', cancellation_reason: 'void_invoice' });
    const [payment] = (await stripe.invoicePayments.list({ invoice: invoice.id })).data;
    expect(payment).toMatchObject({ status: 'canceled' });
    expect(payment?.status_transitions.canceled_at).toBe(MAY_1 + HOUR);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const again = await caught(stripe.invoices.voidInvoice(invoice.id));
    expect(again.statusCode).toBe(400);
    const pay = await caught(stripe.invoices.pay(invoice.id));
    expect(pay.statusCode).toBe(400);
  });
});

describe('retrieve, list and lines', () => {
  it('filters by customer, subscription and status', async () => {
    const { customer, subscription, invoice } = await pastDueSubscription();
    const ids = async (params: Stripe.InvoiceListParams) =>
      (await stripe.invoices.list(params)).data.map((entry) => entry.id);
    const first = (await stripe.invoices.list({ subscription: subscription.id })).data;
    expect(first).toHaveLength(2);
    expect(await ids({ customer: customer.id })).toEqual([invoice.id, first[1]?.id]);
    expect(await ids({ subscription: subscription.id, status: 'open' })).toEqual([invoice.id]);
    expect(await ids({ customer: customer.id, status: 'paid' })).toEqual([first[1]?.id]);
    expect(await ids({ customer: customer.id, status: 'void' })).toEqual([]);
    expect(await ids({ customer: customer.id, limit: 1 })).toEqual([invoice.id]);
    const missing = await caught(stripe.invoices.retrieve('in_missing'));
    expect(missing.statusCode).toBe(404);
    expect(missing.message).toBe("No such invoice: 'in_missing'");
  });

  it('pages through an invoice’s lines in invoice order', async () => {
    const { clock, subscription } = await aprilSubscription();
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id, price: price('pro_monthly').id }],
    });
    await sandbox.advanceTestClock(clock.id, MAY_1 + HOUR);
    const invoiceId = (await stripe.subscriptions.retrieve(subscription.id))
      .latest_invoice as string;
    const first = await stripe.invoices.listLineItems(invoiceId, { limit: 1 });
    expect(first.has_more).toBe(true);
    expect(first.url).toBe(`/v1/invoices/${invoiceId}/lines`);
    expect(first.data[0]?.amount).toBe(-450);
    const all = await stripe.invoices
      .listLineItems(invoiceId, { limit: 1 })
      .autoPagingToArray({ limit: 10 });
    expect(all.map((line) => line.amount)).toEqual([-450, 1450, 2900]);
    const before = await stripe.invoices.listLineItems(invoiceId, {
      ending_before: all[2]?.id as string,
      limit: 1,
    });
    expect(before.data.map((line) => line.amount)).toEqual([1450]);
    expect(before.has_more).toBe(true);
  });
});

describe('lines on the invoice object', () => {
  it('carries the first 10 lines with has_more; the lines endpoint has them all', async () => {
    const prices = await Promise.all(
      Array.from({ length: 11 }, (_, index) =>
        stripe.prices.create({
          currency: 'usd',
          unit_amount: 100 * (index + 1),
          recurring: { interval: 'month' },
          product_data: { name: `Add-on ${index + 1}` },
        }),
      ),
    );
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: prices.map((entry) => ({ price: entry.id })),
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice'],
    });
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice.total).toBe(6600);
    expect(invoice.lines.data).toHaveLength(10);
    expect(invoice.lines.has_more).toBe(true);
    const all = await stripe.invoices
      .listLineItems(invoice.id, { limit: 100 })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((line) => line.amount)).toEqual(prices.map((entry) => entry.unit_amount));
  });
});

describe('invoice_payments', () => {
  it('retrieves and lists an invoice’s payments, and expands them on the invoice', async () => {
    const { invoice } = await pastDueSubscription();
    const firstInvoice = (await stripe.invoices.list({ customer: invoice.customer as string }))
      .data[1];
    const [open] = (await stripe.invoicePayments.list({ invoice: invoice.id })).data;
    expect(open).toMatchObject({
      object: 'invoice_payment',
      invoice: invoice.id,
      status: 'open',
      amount_requested: 900,
      amount_paid: null,
      is_default: true,
      currency: 'usd',
      created: MAY_1 + HOUR,
      payment: { type: 'payment_intent' },
    });
    const retrieved = await stripe.invoicePayments.retrieve(open?.id as string, {
      expand: ['payment.payment_intent', 'invoice'],
    });
    expect((retrieved.payment.payment_intent as Stripe.PaymentIntent).object).toBe(
      'payment_intent',
    );
    expect((retrieved.invoice as Stripe.Invoice).id).toBe(invoice.id);
    const paid = await stripe.invoicePayments.list({ invoice: firstInvoice?.id, status: 'paid' });
    expect(paid.data).toHaveLength(1);
    expect(paid.data[0]?.status_transitions.paid_at).toBe(APRIL_1);
    const byIntent = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: open?.payment.payment_intent as string },
    });
    expect(byIntent.data.map((payment) => payment.id)).toEqual([open?.id]);
    const expanded = await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
    expect(expanded.payments?.data.map((payment) => payment.id)).toEqual([open?.id]);
    const missing = await caught(stripe.invoicePayments.retrieve('inpay_missing'));
    expect(missing.statusCode).toBe(404);
  });
});
