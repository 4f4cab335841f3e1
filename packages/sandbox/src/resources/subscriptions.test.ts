import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, sandboxStripe, seedDemoCatalog } from '../index.js';
import { billingTestHelpers } from '../test-support/billing.js';
import { caught, setUpSandboxWithWebhooks } from '../test-support/harness.js';
import type { TestSandbox } from '../test-support/test-sandbox.js';

const DAY = 86_400;
/** 1 April 2026, 00:00 UTC: April has 30 days, so half a period is exactly 15 days. */
const APRIL_1 = Date.UTC(2026, 3, 1) / 1000;
const APRIL_16 = Date.UTC(2026, 3, 16) / 1000;
const APRIL_11 = Date.UTC(2026, 3, 11) / 1000;
const MAY_1 = Date.UTC(2026, 4, 1) / 1000;

const harness = setUpSandboxWithWebhooks();
let sandbox: TestSandbox;
let stripe: Stripe;
let publishable: Stripe;
let catalog: DemoCatalog;
const helpers = billingTestHelpers(harness, () => catalog);
const { eventMark, eventsSince, price, monthlyPrice } = helpers;
/** Every event type since `mark`, the test clock's own included. */
const typesSince = (mark: number) => helpers.typesSince(mark, { clockEvents: true });

beforeAll(async () => {
  sandbox = harness.sandbox;
  stripe = harness.stripe;
  publishable = sandboxStripe(sandbox.url, sandbox.publishableKey);
  catalog = seedDemoCatalog(sandbox.core);
  // Compiles the conformance schema's validators once, before the first test's clock starts.
  await harness.verifiedEvents();
});

afterAll(async () => {
  await harness.verifiedEvents();
});

// --- helpers -------------------------------------------------------------------------------------

/** A customer whose default payment method is a fresh card (`pm_card_…`). */
async function customerWithCard(testPaymentMethod: string, testClock?: string) {
  const customer = await stripe.customers.create({
    payment_method: testPaymentMethod,
    ...(testClock ? { test_clock: testClock } : {}),
  });
  const [paymentMethod] = (await stripe.paymentMethods.list({ customer: customer.id })).data;
  if (!paymentMethod) throw new Error('no payment method');
  await stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: paymentMethod.id },
  });
  return { customer, paymentMethod };
}

function invoiceOf(subscription: Stripe.Subscription): Stripe.Invoice {
  const invoice = subscription.latest_invoice;
  if (!invoice || typeof invoice === 'string') throw new Error('latest_invoice is not expanded');
  return invoice;
}

async function intentOf(invoiceId: string): Promise<Stripe.PaymentIntent> {
  const [payment] = (await stripe.invoicePayments.list({ invoice: invoiceId })).data;
  const id = payment?.payment.payment_intent;
  if (typeof id !== 'string') throw new Error('the invoice has no payment intent');
  return stripe.paymentIntents.retrieve(id);
}

/** The cardholder's answer on the 3D Secure page, posted as the page's form does. */
async function authenticate(intent: Stripe.PaymentIntent, outcome: 'complete' | 'fail') {
  const response = await fetch(
    `${sandbox.url}/v1/_sandbox/payment_intents/${intent.id}/authenticate`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_secret: intent.client_secret ?? '', outcome }),
    },
  );
  expect(response.status).toBe(200);
}

// --- payment_behavior ----------------------------------------------------------------------------

describe('default_incomplete', () => {
  it('finalizes the first invoice with an unconfirmed PaymentIntent; confirming it activates the subscription', async () => {
    const customer = await stripe.customers.create({ email: 'jenny@example.com' });
    const mark = eventMark();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_monthly').id }],
      payment_behavior: 'default_incomplete',
      payment_settings: { save_default_payment_method: 'on_subscription' },
      expand: ['latest_invoice.confirmation_secret'],
    });
    expect(subscription.status).toBe('incomplete');
    expect(subscription.default_payment_method).toBeNull();
    const invoice = invoiceOf(subscription);
    expect(invoice).toMatchObject({
      status: 'open',
      billing_reason: 'subscription_create',
      amount_due: 2900,
      amount_paid: 0,
      amount_remaining: 2900,
      attempted: false,
      attempt_count: 0,
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: subscription.id },
      },
    });
    expect(invoice.number).toMatch(/^[A-Z0-9]+-0001$/);
    expect(invoice.confirmation_secret?.type).toBe('payment_intent');
    const secret = invoice.confirmation_secret?.client_secret as string;
    const intentId = secret.split('_secret_')[0] as string;
    const intent = await stripe.paymentIntents.retrieve(intentId);
    expect(intent).toMatchObject({
      status: 'requires_payment_method',
      amount: 2900,
      currency: 'usd',
      customer: customer.id,
      setup_future_usage: 'off_session',
      client_secret: secret,
    });
    // Without expanding, the invoice has neither field.
    const plain = await stripe.invoices.retrieve(invoice.id);
    expect('confirmation_secret' in plain).toBe(false);
    expect('payments' in plain).toBe(false);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'payment_intent.created',
      'invoice.finalized',
    ]);

    // Stripe.js confirms with the publishable key and the client secret.
    const confirmMark = eventMark();
    const confirmed = await publishable.paymentIntents.confirm(intentId, {
      payment_method: 'pm_card_visa',
      client_secret: secret,
    } as Stripe.PaymentIntentConfirmParams);
    expect(confirmed.status).toBe('succeeded');
    const active = await stripe.subscriptions.retrieve(subscription.id, {
      expand: ['latest_invoice.payments'],
    });
    expect(active.status).toBe('active');
    expect(active.default_payment_method).toBe(confirmed.payment_method);
    const paid = invoiceOf(active);
    expect(paid).toMatchObject({
      status: 'paid',
      amount_paid: 2900,
      amount_remaining: 0,
      attempted: true,
      attempt_count: 1,
    });
    expect(paid.status_transitions.paid_at).toEqual(expect.any(Number));
    expect(paid.payments?.data).toHaveLength(1);
    expect(paid.payments?.data[0]).toMatchObject({
      status: 'paid',
      amount_paid: 2900,
      amount_requested: 2900,
      payment: { type: 'payment_intent', payment_intent: intentId },
    });
    const events = await eventsSince(confirmMark);
    expect(events.map((event) => event.type)).toEqual([
      'payment_method.attached',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
      // Active now: Starter's features (the demo catalog attaches them).
      'entitlements.active_entitlement_summary.updated',
    ]);
    const updated = events.at(-2) as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.previous_attributes).toMatchObject({
      status: 'incomplete',
      default_payment_method: null,
    });
    // The card was saved to the customer for the renewals.
    const card = await stripe.paymentMethods.retrieve(confirmed.payment_method as string);
    expect(card.customer).toBe(customer.id);
  });

  it('stays incomplete when the confirmation is declined, and activates with another card', async () => {
    const customer = await stripe.customers.create();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice.confirmation_secret'],
    });
    const secret = invoiceOf(subscription).confirmation_secret?.client_secret as string;
    const intentId = secret.split('_secret_')[0] as string;
    const mark = eventMark();
    const error = await caught(
      publishable.paymentIntents.confirm(intentId, {
        payment_method: 'pm_card_chargeDeclined',
        client_secret: secret,
      } as Stripe.PaymentIntentConfirmParams),
    );
    expect(error.type).toBe('StripeCardError');
    expect(error.code).toBe('card_declined');
    expect(await typesSince(mark)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
    ]);
    const after = await stripe.subscriptions.retrieve(subscription.id, {
      expand: ['latest_invoice'],
    });
    expect(after.status).toBe('incomplete');
    expect(invoiceOf(after)).toMatchObject({
      status: 'open',
      attempted: true,
      attempt_count: 1,
      // A first invoice is not retried: the subscription expires instead.
      next_payment_attempt: null,
    });
    await publishable.paymentIntents.confirm(intentId, {
      payment_method: 'pm_card_visa',
      client_secret: secret,
    } as Stripe.PaymentIntentConfirmParams);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('waits for 3D Secure on a card that asks for it', async () => {
    const customer = await stripe.customers.create();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice.confirmation_secret'],
    });
    const secret = invoiceOf(subscription).confirmation_secret?.client_secret as string;
    const intentId = secret.split('_secret_')[0] as string;
    const mark = eventMark();
    const pending = await publishable.paymentIntents.confirm(intentId, {
      payment_method: 'pm_card_authenticationRequired',
      client_secret: secret,
      return_url: 'https://shop.example/return',
    } as Stripe.PaymentIntentConfirmParams);
    expect(pending.status).toBe('requires_action');
    expect(await typesSince(mark)).toEqual([
      'payment_intent.requires_action',
      'invoice.payment_action_required',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('incomplete');
    await authenticate(await stripe.paymentIntents.retrieve(intentId), 'complete');
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    const invoice = await stripe.invoices.retrieve(invoiceOf(subscription).id);
    // Authenticating finished the same attempt.
    expect(invoice).toMatchObject({ status: 'paid', attempt_count: 1 });
  });
});

describe('allow_incomplete (the default)', () => {
  it('charges the default payment method at once: the subscription is created active', async () => {
    const { customer, paymentMethod } = await customerWithCard('pm_card_visa');
    const mark = eventMark();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id, quantity: 2 }],
      expand: ['latest_invoice.payments'],
    });
    expect(subscription.status).toBe('active');
    const invoice = invoiceOf(subscription);
    expect(invoice).toMatchObject({ status: 'paid', amount_due: 1800, amount_paid: 1800 });
    expect(invoice.lines.data).toHaveLength(1);
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 1800,
      quantity: 2,
      description: '2 × Starter (at $9.00 / month)',
      parent: {
        type: 'subscription_item_details',
        subscription_item_details: {
          proration: false,
          subscription: subscription.id,
          subscription_item: subscription.items.data[0]?.id,
        },
      },
    });
    const intent = await intentOf(invoice.id);
    expect(intent).toMatchObject({
      status: 'succeeded',
      payment_method: paymentMethod.id,
      amount: 1800,
    });
    const events = await eventsSince(mark);
    expect(events.map((event) => event.type)).toEqual([
      'customer.subscription.created',
      'entitlements.active_entitlement_summary.updated',
      'invoice.created',
      'payment_intent.created',
      'invoice.finalized',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    expect((events[0] as Stripe.CustomerSubscriptionCreatedEvent).data.object.status).toBe(
      'active',
    );
  });

  it('leaves the subscription incomplete when the card is declined', async () => {
    const { customer } = await customerWithCard('pm_card_chargeCustomerFail');
    const mark = eventMark();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      payment_behavior: 'allow_incomplete',
      expand: ['latest_invoice.confirmation_secret'],
    });
    expect(subscription.status).toBe('incomplete');
    const invoice = invoiceOf(subscription);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, attempted: true });
    const intent = await intentOf(invoice.id);
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.code).toBe('card_declined');
    expect(invoice.confirmation_secret?.client_secret).toBe(intent.client_secret);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'payment_intent.created',
      'invoice.finalized',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
    ]);
  });

  it('leaves the subscription incomplete while 3D Secure is pending, active once authenticated', async () => {
    const { customer } = await customerWithCard('pm_card_authenticationRequired');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      expand: ['latest_invoice'],
    });
    expect(subscription.status).toBe('incomplete');
    const intent = await intentOf(invoiceOf(subscription).id);
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('use_stripe_sdk');
    const mark = eventMark();
    await authenticate(intent, 'complete');
    expect(await typesSince(mark)).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice_payment.paid',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('refuses a subscription that must be paid when the customer has no payment method', async () => {
    const customer = await stripe.customers.create();
    const error = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
      }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(
      /^This customer has no attached payment source or default payment method/,
    );
    const listed = await stripe.subscriptions.list({ customer: customer.id, status: 'all' });
    expect(listed.data).toHaveLength(0);
  });
});

describe('error_if_incomplete', () => {
  it('creates an active subscription when the card pays', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      payment_behavior: 'error_if_incomplete',
    });
    expect(subscription.status).toBe('active');
  });

  it('answers a 402 and creates nothing when the card is declined', async () => {
    const { customer } = await customerWithCard('pm_card_chargeCustomerFail');
    const mark = eventMark();
    const error = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        payment_behavior: 'error_if_incomplete',
      }),
    );
    expect(error.type).toBe('StripeCardError');
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('card_declined');
    expect(error.message).toBe('Your card was declined.');
    expect(
      (await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data,
    ).toEqual([]);
    expect((await stripe.invoices.list({ customer: customer.id })).data).toEqual([]);
    expect(await typesSince(mark)).toEqual([]);
  });

  it.each([
    'pm_card_authenticationRequired',
    // 4000008400001629: the issuer declines only once the cardholder has authenticated.
    'pm_card_threeDSecureRequiredChargeDeclined',
  ])('answers a 402 when the card needs 3D Secure (%s)', async (testPaymentMethod) => {
    const { customer } = await customerWithCard(testPaymentMethod);
    const error = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        payment_behavior: 'error_if_incomplete',
      }),
    );
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('subscription_payment_intent_requires_action');
    expect(error.message).toMatch(/^Payment for this subscription requires additional user action/);
    expect(
      (await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data,
    ).toEqual([]);
  });
});

describe('parameters', () => {
  it('refuses expanding latest_invoice.payment_intent, which this API version removed', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const error = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        expand: ['latest_invoice.payment_intent'],
      }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.message).toBe('This property cannot be expanded (latest_invoice.payment_intent).');
  });

  it('refuses what the sandbox does not model, and bad prices, with clear 400s', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const pending = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        payment_behavior: 'pending_if_incomplete',
      }),
    );
    expect(pending.statusCode).toBe(400);
    expect(pending.message).toMatch(/not supported by the sandbox/);
    const sendInvoice = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        collection_method: 'send_invoice',
        days_until_due: 30,
      }),
    );
    expect(sendInvoice.statusCode).toBe(400);
    const oneTime = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('tshirt').id }],
      }),
    );
    expect(oneTime.param).toBe('items[0][price]');
    expect(oneTime.message).toMatch(/`type=one_time`/);
    const mixed = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }, { price: price('pro_yearly').id }],
      }),
    );
    expect(mixed.param).toBe('items[1][price]');
    const noItems = await caught(stripe.subscriptions.create({ customer: customer.id }));
    expect(noItems.code).toBe('parameter_missing');
    const missing = await caught(
      stripe.subscriptions.create({
        customer: 'cus_missing',
        items: [{ price: price('starter_monthly').id }],
      }),
    );
    expect(missing.statusCode).toBe(404);
  });

  it('defaults to flexible billing mode and takes metadata, description and classic mode', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const flexible = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      metadata: { plan: 'starter' },
      description: 'Starter for Jenny',
    });
    expect(flexible.billing_mode).toEqual({
      type: 'flexible',
      flexible: { proration_discounts: 'included' },
    });
    expect(flexible.metadata).toEqual({ plan: 'starter' });
    expect(flexible.description).toBe('Starter for Jenny');
    const invoice = await stripe.invoices.retrieve(flexible.latest_invoice as string);
    expect(invoice.parent?.subscription_details?.metadata).toEqual({ plan: 'starter' });
    const classic = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_monthly').id }],
      billing_mode: { type: 'classic' },
    });
    expect(classic.billing_mode).toEqual({ type: 'classic', flexible: null });
  });
});

// --- trials --------------------------------------------------------------------------------------

describe('trials', () => {
  it('trial_period_days: trialing, a paid $0 invoice, no client secret', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const mark = eventMark();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      trial_period_days: 7,
      payment_behavior: 'default_incomplete',
      expand: ['latest_invoice.confirmation_secret'],
    });
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_start).toBe(subscription.created);
    expect(subscription.trial_end).toBe(subscription.created + 7 * DAY);
    expect(subscription.billing_cycle_anchor).toBe(subscription.trial_end);
    expect(subscription.items.data[0]).toMatchObject({
      current_period_start: subscription.created,
      current_period_end: subscription.trial_end,
    });
    // A card is on file: no SetupIntent is needed.
    expect(subscription.pending_setup_intent).toBeNull();
    const invoice = invoiceOf(subscription);
    expect(invoice).toMatchObject({ status: 'paid', amount_due: 0, total: 0 });
    expect(invoice.confirmation_secret).toBeNull();
    expect(invoice.lines.data[0]?.description).toBe('Trial period for Starter');
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.created',
      'entitlements.active_entitlement_summary.updated',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
  });

  it('trial_end: a timestamp in the future, or a 400', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const now = Math.floor(Date.now() / 1000);
    const trialEnd = now + 10 * DAY;
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      trial_end: trialEnd,
    });
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_end).toBe(trialEnd);
    const past = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        trial_end: now - 60,
      }),
    );
    expect(past.param).toBe('trial_end');
    expect(past.message).toBe(
      'Invalid timestamp: must be an integer Unix timestamp in the future.',
    );
    const both = await caught(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price('starter_monthly').id }],
        trial_end: trialEnd,
        trial_period_days: 3,
      }),
    );
    expect(both.statusCode).toBe(400);
  });

  it('trial_from_plan applies the price’s trial_period_days (Pro monthly: 14 days)', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_monthly').id }],
      trial_from_plan: true,
    });
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_end).toBe(subscription.created + 14 * DAY);
    expect(subscription.items.data[0]?.plan.trial_period_days).toBe(14);
  });

  it('a trial without a payment method gets a pending SetupIntent; its card becomes the default', async () => {
    const customer = await stripe.customers.create();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_monthly').id }],
      trial_from_plan: true,
      payment_behavior: 'default_incomplete',
      trial_settings: { end_behavior: { missing_payment_method: 'cancel' } },
      expand: ['pending_setup_intent'],
    });
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_settings?.end_behavior.missing_payment_method).toBe('cancel');
    const setupIntent = subscription.pending_setup_intent as Stripe.SetupIntent;
    expect(setupIntent).toMatchObject({
      object: 'setup_intent',
      usage: 'off_session',
      customer: customer.id,
      status: 'requires_payment_method',
    });
    const mark = eventMark();
    const confirmed = await publishable.setupIntents.confirm(setupIntent.id, {
      payment_method: 'pm_card_visa',
      client_secret: setupIntent.client_secret,
    } as Stripe.SetupIntentConfirmParams);
    expect(confirmed.status).toBe('succeeded');
    const after = await stripe.subscriptions.retrieve(subscription.id);
    expect(after.pending_setup_intent).toBeNull();
    expect(after.default_payment_method).toBe(confirmed.payment_method);
    const events = await eventsSince(mark);
    expect(events.map((event) => event.type)).toEqual([
      'payment_method.attached',
      'setup_intent.succeeded',
      'customer.subscription.updated',
    ]);
    expect(
      (events[2] as Stripe.CustomerSubscriptionUpdatedEvent).data.previous_attributes,
    ).toMatchObject({ default_payment_method: null, pending_setup_intent: setupIntent.id });
  });
});

// --- updates and prorations ------------------------------------------------------------------------

/** A subscription to `first` created on a test clock on 1 April 2026, paid with a Visa. */
async function aprilSubscription(first: Stripe.Price, quantity = 1) {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
  const { customer } = await customerWithCard('pm_card_visa', clock.id);
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: first.id, quantity }],
  });
  expect(subscription.status).toBe('active');
  expect(subscription.items.data[0]).toMatchObject({
    current_period_start: APRIL_1,
    current_period_end: MAY_1,
  });
  return {
    clock,
    customer,
    subscription,
    item: subscription.items.data[0] as Stripe.SubscriptionItem,
  };
}

describe('changing price or quantity', () => {
  it('create_prorations: halfway from 1000 to 2000, the next invoice credits 500 and charges 1000', async () => {
    const basic = await monthlyPrice(1000);
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const { clock, subscription, item } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const mark = eventMark();
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: premium.id }],
    });
    expect(updated.items.data[0]).toMatchObject({
      id: item.id,
      price: { id: premium.id },
      plan: { id: premium.id, amount: 2000 },
      current_period_end: MAY_1,
    });
    expect(updated.latest_invoice).toBe(subscription.latest_invoice);
    expect(await typesSince(mark)).toEqual(['customer.subscription.updated']);

    // The prorations wait for the renewal, an hour after which its draft is finalized and paid.
    await sandbox.advanceTestClock(clock.id, MAY_1 + 3600);
    const renewal = await stripe.invoices.retrieve(
      (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string,
    );
    expect(renewal).toMatchObject({
      billing_reason: 'subscription_cycle',
      status: 'paid',
      amount_due: 2500,
      period_start: APRIL_1,
      period_end: MAY_1,
    });
    const lines = renewal.lines.data;
    expect(lines.map((line) => [line.amount, line.description])).toEqual([
      [-500, 'Unused time on 1 × Basic after 16 Apr 2026'],
      [1000, 'Remaining time on 1 × Premium after 16 Apr 2026'],
      [2000, '1 × Premium (at $20.00 / month)'],
    ]);
    expect(lines[0]?.period).toEqual({ start: APRIL_16, end: MAY_1 });
    expect(lines[0]?.parent?.subscription_item_details).toMatchObject({
      proration: true,
      subscription_item: item.id,
      invoice_item: expect.stringMatching(/^ii_/),
      proration_details: {
        credited_items: {
          invoice: subscription.latest_invoice,
          invoice_line_items: [expect.stringMatching(/^il_/)],
        },
      },
    });
    expect(lines[1]?.parent?.subscription_item_details?.proration).toBe(true);
    expect(lines[2]?.parent?.subscription_item_details?.proration).toBe(false);
    expect(lines[2]?.period).toEqual({ start: MAY_1, end: Date.UTC(2026, 5, 1) / 1000 });
  });

  it('always_invoice: invoices and charges the 500 difference at once', async () => {
    const basic = await monthlyPrice(1000);
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const { clock, subscription, item } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const mark = eventMark();
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: premium.id }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = invoiceOf(updated);
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      status: 'paid',
      amount_due: 500,
      amount_paid: 500,
      total: 500,
      created: APRIL_16,
    });
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-500, 1000]);
    expect(await typesSince(mark)).toEqual([
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
    // Nothing is left for the renewal but the new price.
    await sandbox.advanceTestClock(clock.id, MAY_1 + 3600);
    const renewal = await stripe.invoices.retrieve(
      (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string,
    );
    expect(renewal.amount_due).toBe(2000);
  });

  it('none: no proration, the renewal bills the new price only', async () => {
    const basic = await monthlyPrice(1000);
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const { clock, subscription, item } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: premium.id }],
      proration_behavior: 'none',
    });
    await sandbox.advanceTestClock(clock.id, MAY_1 + 3600);
    const renewal = await stripe.invoices.retrieve(
      (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string,
    );
    expect(renewal.lines.data.map((line) => line.amount)).toEqual([2000]);
    expect(renewal.amount_due).toBe(2000);
  });

  it('a quantity change prorates both quantities: 1 → 3 halfway is −500 + 1500', async () => {
    const basic = await monthlyPrice(1000);
    const { clock, subscription, item } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, quantity: 3 }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    expect(updated.items.data[0]?.quantity).toBe(3);
    const invoice = invoiceOf(updated);
    expect(invoice.lines.data.map((line) => [line.amount, line.quantity])).toEqual([
      [-500, 1],
      [1500, 3],
    ]);
    expect(invoice.amount_due).toBe(1000);
  });

  it('a downgrade with always_invoice leaves a credit that the next invoice uses', async () => {
    const premium = await monthlyPrice(2000, 'usd', 'Premium');
    const basic = await monthlyPrice(1000);
    const { clock, customer, subscription, item } = await aprilSubscription(premium);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: basic.id }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    expect(invoiceOf(updated)).toMatchObject({
      total: -500,
      amount_due: 0,
      status: 'paid',
      starting_balance: 0,
      ending_balance: -500,
    });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -500,
    });
    await sandbox.advanceTestClock(clock.id, MAY_1 + 3600);
    const renewal = await stripe.invoices.retrieve(
      (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string,
    );
    expect(renewal).toMatchObject({
      total: 1000,
      starting_balance: -500,
      ending_balance: 0,
      amount_due: 500,
      amount_paid: 500,
      status: 'paid',
    });
  });

  it('rounds JPY prorations to whole yen', async () => {
    const small = await monthlyPrice(1000, 'jpy', 'Yen plan');
    const large = await monthlyPrice(2000, 'jpy', 'Yen plan plus');
    const { clock, subscription, item } = await aprilSubscription(small);
    expect(subscription.currency).toBe('jpy');
    await sandbox.advanceTestClock(clock.id, APRIL_11);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: large.id }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = invoiceOf(updated);
    // 20 of 30 days left: 1000 × 2/3 = 666.67 and 2000 × 2/3 = 1333.33.
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-667, 1333]);
    expect(invoice).toMatchObject({ currency: 'jpy', amount_due: 666, status: 'paid' });
    expect(invoice.lines.data[1]?.description).toBe(
      'Remaining time on 1 × Yen plan plus after 11 Apr 2026',
    );
  });

  it('rounds KWD prorations to what can be charged (multiples of 10 fils)', async () => {
    const small = await monthlyPrice(7500, 'kwd', 'Dinar plan');
    const large = await monthlyPrice(12500, 'kwd', 'Dinar plan plus');
    const { clock, subscription, item } = await aprilSubscription(small);
    const first = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(first.lines.data[0]?.description).toBe('1 × Dinar plan (at KWD 7.500 / month)');
    await sandbox.advanceTestClock(clock.id, APRIL_11);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: large.id }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = invoiceOf(updated);
    // 7500 × 2/3 = 5000; 12500 × 2/3 = 8333.33, which rounds to 8330.
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-5000, 8330]);
    expect(invoice).toMatchObject({ currency: 'kwd', amount_due: 3330, status: 'paid' });
  });

  it('a new billing interval restarts the cycle: unused time credited, the year billed now', async () => {
    const { clock, subscription, item } = await aprilSubscription(price('starter_monthly'));
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: price('starter_yearly').id }],
      expand: ['latest_invoice'],
    });
    expect(updated.billing_cycle_anchor).toBe(APRIL_16);
    expect(updated.items.data[0]).toMatchObject({
      current_period_start: APRIL_16,
      current_period_end: Date.UTC(2027, 3, 16) / 1000,
    });
    const invoice = invoiceOf(updated);
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-450, 9000]);
    expect(invoice).toMatchObject({ amount_due: 8550, status: 'paid' });
  });

  it('adds and removes items, and refuses an unknown item id', async () => {
    const basic = await monthlyPrice(1000);
    const extra = await monthlyPrice(300, 'usd', 'Extra seat');
    const { clock, subscription, item } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const added = await stripe.subscriptions.update(subscription.id, {
      items: [{ price: extra.id, quantity: 2 }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    expect(added.items.data.map((entry) => entry.price.id)).toEqual([basic.id, extra.id]);
    expect(invoiceOf(added).lines.data.map((line) => line.amount)).toEqual([300]);
    const extraItem = added.items.data[1] as Stripe.SubscriptionItem;
    expect(
      invoiceOf(added).lines.data[0]?.parent?.subscription_item_details?.subscription_item,
    ).toBe(extraItem.id);
    const retrieved = await stripe.subscriptionItems.retrieve(extraItem.id);
    expect(retrieved).toMatchObject({ quantity: 2, subscription: subscription.id });
    const listed = await stripe.subscriptionItems.list({ subscription: subscription.id });
    expect(listed.data.map((entry) => entry.id)).toEqual([item.id, extraItem.id]);
    const removed = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: extraItem.id, deleted: true }],
      proration_behavior: 'none',
    });
    expect(removed.items.data.map((entry) => entry.id)).toEqual([item.id]);
    expect((await caught(stripe.subscriptionItems.retrieve(extraItem.id))).statusCode).toBe(404);
    const unknown = await caught(
      stripe.subscriptions.update(subscription.id, { items: [{ id: 'si_unknown', quantity: 2 }] }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.param).toBe('items[0][id]');
  });

  it('refuses billing changes on an incomplete subscription but takes metadata', async () => {
    const customer = await stripe.customers.create();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      payment_behavior: 'default_incomplete',
    });
    const error = await caught(
      stripe.subscriptions.update(subscription.id, {
        items: [{ id: subscription.items.data[0]?.id, quantity: 2 }],
      }),
    );
    expect(error.statusCode).toBe(400);
    const updated = await stripe.subscriptions.update(subscription.id, {
      metadata: { order: '42' },
    });
    expect(updated.metadata).toEqual({ order: '42' });
  });
});

// --- cancellation --------------------------------------------------------------------------------

describe('cancellation', () => {
  it('cancel_at_period_end schedules the end; false resumes; the end comes at the period end', async () => {
    const { clock, subscription } = await aprilSubscription(price('starter_monthly'));
    const mark = eventMark();
    const scheduled = await stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: true,
      cancellation_details: { comment: 'Too expensive for now', feedback: 'too_expensive' },
    });
    expect(scheduled).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      cancel_at: MAY_1,
      canceled_at: APRIL_1,
      cancellation_details: {
        reason: 'cancellation_requested',
        feedback: 'too_expensive',
        comment: 'Too expensive for now',
      },
    });
    const resumed = await stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: false,
    });
    expect(resumed).toMatchObject({
      status: 'active',
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
    });
    const events = await eventsSince(mark);
    expect(events.map((event) => event.type)).toEqual([
      'customer.subscription.updated',
      'customer.subscription.updated',
    ]);
    expect(
      (events[1] as Stripe.CustomerSubscriptionUpdatedEvent).data.previous_attributes,
    ).toMatchObject({ cancel_at_period_end: true, cancel_at: MAY_1 });

    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const endMark = eventMark();
    await sandbox.advanceTestClock(clock.id, MAY_1 + 7200);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: MAY_1 });
    const types = (await typesSince(endMark)).filter((type) => !type.startsWith('test_helpers.'));
    expect(types).toEqual([
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(1);
  });

  it('cancel_at ends it on a date: cancel_at_period_end=false leaves that date, "" takes it off, the clock ends it then', async () => {
    const { clock, subscription } = await aprilSubscription(price('starter_monthly'));
    const mark = eventMark();
    const dated = await stripe.subscriptions.update(subscription.id, {
      cancel_at: APRIL_16,
      cancellation_details: { feedback: 'unused' },
    });
    expect(dated).toMatchObject({
      status: 'active',
      cancel_at: APRIL_16,
      cancel_at_period_end: false,
      canceled_at: APRIL_1,
      cancellation_details: { reason: 'cancellation_requested', feedback: 'unused' },
    });
    // Only the period's end that cancel_at_period_end set is taken off by false: nothing changes.
    const kept = await stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: false,
    });
    expect(kept).toMatchObject({ cancel_at: APRIL_16, cancel_at_period_end: false });
    const cleared = await stripe.subscriptions.update(subscription.id, { cancel_at: '' });
    expect(cleared).toMatchObject({
      cancel_at: null,
      canceled_at: null,
      cancel_at_period_end: false,
    });
    expect(cleared.cancellation_details?.reason).toBeNull();
    const events = (await eventsSince(mark)) as Stripe.CustomerSubscriptionUpdatedEvent[];
    expect(events.map((event) => event.type)).toEqual([
      'customer.subscription.updated',
      'customer.subscription.updated',
    ]);
    expect(events[0]?.data.previous_attributes).toMatchObject({
      cancel_at: null,
      canceled_at: null,
    });
    expect(events[1]?.data.previous_attributes).toMatchObject({
      cancel_at: APRIL_16,
      canceled_at: APRIL_1,
    });

    // A date after the period's end: it renews on 1 May, and ends on 11 May.
    const MAY_11 = Date.UTC(2026, 4, 11) / 1000;
    await stripe.subscriptions.update(subscription.id, { cancel_at: MAY_11 });
    await sandbox.advanceTestClock(clock.id, MAY_1 + 7200);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'active',
      cancel_at: MAY_11,
    });
    const endMark = eventMark();
    await sandbox.advanceTestClock(clock.id, MAY_11 + 3600);
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'canceled',
      ended_at: MAY_11,
      cancellation_details: { reason: 'cancellation_requested' },
    });
    expect((await typesSince(endMark)).filter((type) => !type.startsWith('test_helpers.'))).toEqual(
      ['customer.subscription.deleted', 'entitlements.active_entitlement_summary.updated'],
    );
  });

  it('cancel_at on create and update: the period-end enums, and the 400s Stripe answers', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
    const { customer } = await customerWithCard('pm_card_visa', clock.id);
    const items = [{ price: price('starter_monthly').id }];
    const created = await stripe.subscriptions.create({
      customer: customer.id,
      items,
      cancel_at: 'max_period_end',
    });
    expect(created).toMatchObject({
      status: 'active',
      cancel_at: MAY_1,
      cancel_at_period_end: false,
      canceled_at: APRIL_1,
      cancellation_details: { reason: 'cancellation_requested' },
    });
    const past = await caught(
      stripe.subscriptions.create({ customer: customer.id, items, cancel_at: APRIL_1 }),
    );
    expect([past.statusCode, past.param]).toEqual([400, 'cancel_at']);
    expect(past.message).toMatch(/in the future/);
    const both = await caught(
      stripe.subscriptions.update(created.id, { cancel_at: APRIL_16, cancel_at_period_end: true }),
    );
    expect([both.statusCode, both.param]).toEqual([400, 'cancel_at']);
    const pastUpdate = await caught(
      stripe.subscriptions.update(created.id, { cancel_at: APRIL_1 - DAY }),
    );
    expect([pastUpdate.statusCode, pastUpdate.param]).toEqual([400, 'cancel_at']);
    expect((await stripe.subscriptions.retrieve(created.id)).cancel_at).toBe(MAY_1);

    // The period's end replaces a date, and a date replaces the period's end.
    const dated = await stripe.subscriptions.update(created.id, { cancel_at: APRIL_16 });
    expect(dated).toMatchObject({ cancel_at: APRIL_16, cancel_at_period_end: false });
    const atPeriodEnd = await stripe.subscriptions.update(created.id, {
      cancel_at_period_end: true,
    });
    expect(atPeriodEnd).toMatchObject({ cancel_at: MAY_1, cancel_at_period_end: true });
    const again = await stripe.subscriptions.update(created.id, { cancel_at: 'min_period_end' });
    expect(again).toMatchObject({ cancel_at: MAY_1, cancel_at_period_end: false });
  });

  it('cancels at once; with prorate and invoice_now the unused time becomes credit', async () => {
    const basic = await monthlyPrice(1000);
    const { clock, customer, subscription } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const mark = eventMark();
    const canceled = await stripe.subscriptions.cancel(subscription.id, {
      prorate: true,
      invoice_now: true,
      cancellation_details: { comment: 'Moving on' },
    });
    expect(canceled).toMatchObject({
      status: 'canceled',
      canceled_at: APRIL_16,
      ended_at: APRIL_16,
      cancellation_details: { reason: 'cancellation_requested', comment: 'Moving on' },
    });
    const final = await stripe.invoices.retrieve(canceled.latest_invoice as string);
    expect(final.lines.data.map((line) => [line.amount, line.description])).toEqual([
      [-500, 'Unused time on 1 × Basic after 16 Apr 2026'],
    ]);
    expect(final).toMatchObject({ amount_due: 0, status: 'paid', ending_balance: -500 });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(-500);
    expect((await typesSince(mark))[0]).toBe('customer.subscription.deleted');
    const again = await caught(stripe.subscriptions.cancel(subscription.id));
    expect(again.statusCode).toBe(400);
    const update = await caught(
      stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }),
    );
    expect(update.statusCode).toBe(400);
  });

  it('deleting the customer ends its subscriptions', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
    });
    const mark = eventMark();
    await stripe.customers.del(customer.id);
    expect(await typesSince(mark)).toEqual([
      'customer.deleted',
      'customer.subscription.deleted',
      'entitlements.active_entitlement_summary.updated',
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('canceled');
  });

  it('canceling an incomplete subscription voids its first invoice', async () => {
    const customer = await stripe.customers.create();
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      payment_behavior: 'default_incomplete',
    });
    const mark = eventMark();
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe('canceled');
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice.status).toBe('void');
    expect(await typesSince(mark)).toEqual([
      'payment_intent.canceled',
      'invoice.voided',
      'customer.subscription.deleted',
    ]);
  });
});

// --- list ----------------------------------------------------------------------------------------

describe('list', () => {
  it('filters by customer, price and status (all, ended, canceled; canceled hidden by default)', async () => {
    const { customer } = await customerWithCard('pm_card_visa');
    const starter = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
    });
    const pro = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_monthly').id }],
      trial_period_days: 5,
    });
    const incomplete = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('pro_yearly').id }],
      payment_behavior: 'default_incomplete',
    });
    await stripe.subscriptions.cancel(starter.id);
    const ids = async (params: Stripe.SubscriptionListParams) =>
      (await stripe.subscriptions.list({ customer: customer.id, ...params })).data.map(
        (subscription) => subscription.id,
      );
    expect(await ids({})).toEqual([incomplete.id, pro.id]);
    expect(await ids({ status: 'all' })).toEqual([incomplete.id, pro.id, starter.id]);
    expect(await ids({ status: 'canceled' })).toEqual([starter.id]);
    expect(await ids({ status: 'ended' })).toEqual([starter.id]);
    expect(await ids({ status: 'trialing' })).toEqual([pro.id]);
    expect(await ids({ status: 'incomplete' })).toEqual([incomplete.id]);
    expect(await ids({ price: price('pro_monthly').id })).toEqual([pro.id]);
    expect(await ids({ status: 'all', limit: 1 })).toEqual([incomplete.id]);
    const retrieved = await stripe.subscriptions.retrieve(pro.id, {
      expand: ['customer', 'items.data.price.product'],
    });
    expect((retrieved.customer as Stripe.Customer).id).toBe(customer.id);
    const product = retrieved.items.data[0]?.price.product as Stripe.Product | undefined;
    expect(product?.name).toBe('Pro');
    const listedWithProducts = await stripe.subscriptions.list({
      customer: customer.id,
      expand: ['data.items.data.price.product'],
    });
    expect(
      listedWithProducts.data.map(
        (subscription) =>
          (subscription.items.data[0]?.price.product as Stripe.Product | undefined)?.id,
      ),
    ).toEqual(['prod_tillkit_pro', 'prod_tillkit_pro']);
  });
});

// --- error_if_incomplete on update -----------------------------------------------------------------

describe('error_if_incomplete on update', () => {
  /** A Starter ($9.00) trial with `discounts`, for a customer whose card declines every charge. */
  async function trialWithDecliningCard(discounts: Stripe.SubscriptionCreateParams.Discount[]) {
    const { customer } = await customerWithCard('pm_card_chargeCustomerFail');
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price('starter_monthly').id }],
      trial_period_days: 7,
      discounts,
    });
    expect(subscription.status).toBe('trialing');
    return { customer, subscription };
  }

  it('judges the invoice the update makes, discounted: a 100% coupon leaves nothing to charge', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 100, duration: 'forever' });
    const { subscription } = await trialWithDecliningCard([{ coupon: coupon.id }]);
    const updated = await stripe.subscriptions.update(subscription.id, {
      trial_end: 'now',
      payment_behavior: 'error_if_incomplete',
      expand: ['latest_invoice'],
    });
    expect(updated.status).toBe('active');
    expect(invoiceOf(updated)).toMatchObject({
      billing_reason: 'subscription_update',
      subtotal: 900,
      total: 0,
      amount_due: 0,
      status: 'paid',
    });
  });

  it('counts the discount and the customer’s credit together, as finalizing does', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'forever' });
    const { customer, subscription } = await trialWithDecliningCard([{ coupon: coupon.id }]);
    // $4.50 of credit pays the discounted $4.50; without the discount $4.50 would be left to charge.
    await stripe.customers.update(customer.id, { balance: -450 });
    const updated = await stripe.subscriptions.update(subscription.id, {
      trial_end: 'now',
      payment_behavior: 'error_if_incomplete',
      expand: ['latest_invoice'],
    });
    expect(invoiceOf(updated)).toMatchObject({
      total: 450,
      starting_balance: -450,
      ending_balance: 0,
      amount_due: 0,
      status: 'paid',
    });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(0);
  });

  it('answers the 402 and changes nothing when the discounted invoice still needs a charge', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'forever' });
    const { customer, subscription } = await trialWithDecliningCard([{ coupon: coupon.id }]);
    const mark = eventMark();
    const error = await caught(
      stripe.subscriptions.update(subscription.id, {
        trial_end: 'now',
        payment_behavior: 'error_if_incomplete',
      }),
    );
    expect(error).toMatchObject({ statusCode: 402, code: 'card_declined' });
    expect(await stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      status: 'trialing',
      latest_invoice: subscription.latest_invoice,
    });
    expect((await stripe.invoices.list({ customer: customer.id })).data).toHaveLength(1);
    expect(await typesSince(mark)).toEqual([]);
  });

  it('does not answer a 402 for an amount below the minimum charge: nothing is charged', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
    const { customer } = await customerWithCard('pm_card_chargeCustomerFail', clock.id);
    // A $9.80 coupon on a $10.00 price: the first invoice comes to $0.20, which is not charged.
    const coupon = await stripe.coupons.create({
      amount_off: 980,
      currency: 'usd',
      duration: 'once',
    });
    const basic = await monthlyPrice(1000);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id }],
      discounts: [{ coupon: coupon.id }],
      payment_behavior: 'error_if_incomplete',
      expand: ['latest_invoice'],
    });
    expect(subscription.status).toBe('active');
    expect(invoiceOf(subscription)).toMatchObject({ total: 20, amount_due: 0, status: 'paid' });
    // Halfway from $10.00 to $10.30: −$5.00 + $5.15 = $0.15, with the $0.20 carried: $0.35.
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const premium = await monthlyPrice(1030, 'usd', 'Basic plus');
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]?.id as string, price: premium.id }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'error_if_incomplete',
      expand: ['latest_invoice'],
    });
    expect(updated.status).toBe('active');
    expect(invoiceOf(updated)).toMatchObject({
      total: 15,
      starting_balance: 20,
      ending_balance: 35,
      amount_due: 0,
      status: 'paid',
    });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(35);
  });
});

// --- minimum charge amounts ------------------------------------------------------------------------

describe('invoices below the minimum charge amount', () => {
  it('a small proration upgrade is not charged: the invoice is paid and the amount owed is carried', async () => {
    const basic = await monthlyPrice(1000);
    const plus = await monthlyPrice(1030, 'usd', 'Basic plus');
    const { clock, customer, subscription, item } = await aprilSubscription(basic);
    await sandbox.advanceTestClock(clock.id, APRIL_16);
    const mark = eventMark();
    const updated = await stripe.subscriptions.update(subscription.id, {
      items: [{ id: item.id, price: plus.id }],
      proration_behavior: 'always_invoice',
      expand: ['latest_invoice'],
    });
    const invoice = invoiceOf(updated);
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([-500, 515]);
    expect(invoice).toMatchObject({
      billing_reason: 'subscription_update',
      status: 'paid',
      total: 15,
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      starting_balance: 0,
      ending_balance: 15,
    });
    expect(updated.status).toBe('active');
    // No PaymentIntent: nothing was charged.
    expect((await stripe.invoicePayments.list({ invoice: invoice.id })).data).toEqual([]);
    expect(await typesSince(mark)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'customer.updated',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(15);
    // The renewal carries the $0.15.
    await sandbox.advanceTestClock(clock.id, MAY_1 + 3600);
    const renewal = await stripe.invoices.retrieve(
      (await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string,
    );
    expect(renewal).toMatchObject({
      total: 1030,
      starting_balance: 15,
      ending_balance: 0,
      amount_due: 1045,
      amount_paid: 1045,
      status: 'paid',
    });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(0);
  });

  it('renewals a large discount brings below the minimum are carried until they add up to it', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: APRIL_1 });
    const { customer } = await customerWithCard('pm_card_visa', clock.id);
    const coupon = await stripe.coupons.create({
      amount_off: 980,
      currency: 'usd',
      duration: 'forever',
    });
    const basic = await monthlyPrice(1000);
    const subscription = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id }],
      discounts: [{ coupon: coupon.id }],
    });
    expect(subscription.status).toBe('active');
    const JUNE_1 = Date.UTC(2026, 5, 1) / 1000;
    const invoices = async () =>
      (await stripe.invoices.list({ subscription: subscription.id })).data.reverse();
    await sandbox.advanceTestClock(clock.id, MAY_1 + 3600);
    await sandbox.advanceTestClock(clock.id, JUNE_1 + 3600);
    const [first, may, june] = await invoices();
    // $0.20 each: the first two are not charged; June's $0.20 with the $0.40 owed is.
    expect([first, may, june].map((invoice) => invoice?.total)).toEqual([20, 20, 20]);
    expect(first).toMatchObject({ amount_due: 0, ending_balance: 20, status: 'paid' });
    expect(may).toMatchObject({
      billing_reason: 'subscription_cycle',
      starting_balance: 20,
      amount_due: 0,
      ending_balance: 40,
      status: 'paid',
    });
    expect(june).toMatchObject({
      starting_balance: 40,
      amount_due: 60,
      amount_paid: 60,
      ending_balance: 0,
      status: 'paid',
    });
    expect((await stripe.invoicePayments.list({ invoice: may?.id as string })).data).toEqual([]);
    expect(await intentOf(june?.id as string)).toMatchObject({ amount: 60, status: 'succeeded' });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it.each([
    // currency, from, to, proration (half a period of the difference), charged
    ['usd', 1000, 1098, 49, false],
    ['usd', 1000, 1100, 50, true],
    ['gbp', 1000, 1058, 29, false],
    ['gbp', 1000, 1060, 30, true],
    // Zero-decimal: ¥50.
    ['jpy', 1000, 1098, 49, false],
    ['jpy', 1000, 1100, 50, true],
    // Three-decimal: 0.050 KWD (the sandbox's minimum for currencies Stripe converts), in tens of fils.
    ['kwd', 7500, 7580, 40, false],
    ['kwd', 7500, 7600, 50, true],
  ] as const)(
    '%s: an upgrade from %i to %i prorates to %i, charged: %s',
    async (currency, from, to, due, charged) => {
      const small = await monthlyPrice(from, currency, 'Plan');
      const large = await monthlyPrice(to, currency, 'Plan plus');
      const { customer, clock, subscription, item } = await aprilSubscription(small);
      await sandbox.advanceTestClock(clock.id, APRIL_16);
      const updated = await stripe.subscriptions.update(subscription.id, {
        items: [{ id: item.id, price: large.id }],
        proration_behavior: 'always_invoice',
        expand: ['latest_invoice'],
      });
      const invoice = invoiceOf(updated);
      expect(invoice).toMatchObject({
        currency,
        total: due,
        status: 'paid',
        amount_due: charged ? due : 0,
        amount_paid: charged ? due : 0,
        ending_balance: charged ? 0 : due,
      });
      const payments = (await stripe.invoicePayments.list({ invoice: invoice.id })).data;
      expect(payments).toHaveLength(charged ? 1 : 0);
      const balance = ((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance;
      expect(balance).toBe(charged ? 0 : due);
    },
  );
});
