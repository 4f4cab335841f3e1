import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../core/cards.js';
import { sandboxStripe, startSandbox } from '../index.js';
import { assertConforms } from '../test-support/conformance.js';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';
import { LIVE_CARD_ERROR, REAL_CARD_NUMBERS } from '../test-support/live-cards.js';

const env = setUpSandboxWithWebhooks();

function createCard(
  number: string,
  extra: Partial<Stripe.PaymentMethodCreateParams.Card> = {},
): Promise<Stripe.PaymentMethod> {
  return env.stripe.paymentMethods.create({
    type: 'card',
    card: { number, exp_month: 12, exp_year: 2040, cvc: '123', ...extra },
  });
}

describe('create', () => {
  it.each([...TEST_CARDS.values()].map((card) => [card.number, card] as const))(
    'creates a payment method from %s',
    async (number, card) => {
      const pm = conforms(await createCard(number));
      expect(pm.id).toMatch(/^pm_/);
      expect(pm.object).toBe('payment_method');
      expect(pm.type).toBe('card');
      expect(pm.customer).toBeNull();
      expect(pm.card?.brand).toBe(card.brand);
      expect(pm.card?.last4).toBe(number.slice(-4));
      expect(pm.card?.funding).toBe(card.funding);
      expect(pm.card?.country).toBe(card.country);
      expect(pm.card?.exp_month).toBe(12);
      expect(pm.card?.exp_year).toBe(2040);
      expect(pm.card?.checks?.cvc_check).toBe('unchecked');
      // The same card gets the same fingerprint, as on Stripe.
      const again = await createCard(number.replace(/(\d{4})/g, '$1 ').trim());
      expect(again.id).not.toBe(pm.id);
      expect(again.card?.fingerprint).toBe(pm.card?.fingerprint);
    },
  );

  it('gives different cards different fingerprints and Stripe’s display brands', async () => {
    const visa = await createCard('4242424242424242');
    const mastercard = await createCard('5555555555554444');
    expect(visa.card?.fingerprint).not.toBe(mastercard.card?.fingerprint);
    expect(visa.card?.display_brand).toBe('visa');
    expect((await createCard('378282246310005', { cvc: '1234' })).card?.display_brand).toBe(
      'american_express',
    );
    expect((await createCard('3056930009020004')).card?.display_brand).toBe('diners_club');
    expect((await createCard('6200000000000005')).card?.display_brand).toBe('union_pay');
  });

  it('keeps billing details and metadata', async () => {
    const pm = conforms(
      await env.stripe.paymentMethods.create({
        type: 'card',
        card: { number: '4242424242424242', exp_month: 3, exp_year: 2039 },
        billing_details: {
          name: 'Ada',
          email: 'ada@example.com',
          address: { postal_code: '10115' },
        },
        metadata: { source: 'test' },
      }),
    );
    expect(pm.billing_details.name).toBe('Ada');
    expect(pm.billing_details.email).toBe('ada@example.com');
    expect(pm.billing_details.address?.postal_code).toBe('10115');
    expect(pm.billing_details.address?.city).toBeNull();
    expect(pm.metadata).toEqual({ source: 'test' });
    expect(pm.card?.checks?.cvc_check).toBeNull();
  });

  it('refuses a bad card number with incorrect_number', async () => {
    // Failing the Luhn check, no known brand (9999…: Luhn-valid all the same), too short.
    for (const number of ['4242424242424241', '1234567890123456', '9999999999999995', '42']) {
      const error = await caught(createCard(number));
      expect(error).toBeInstanceOf(env.stripe.errors.StripeCardError);
      expect(error.statusCode).toBe(402);
      expect(error.code).toBe('incorrect_number');
      expect(error.param).toBe('card[number]');
      expect(error.message).toBe('Your card number is incorrect.');
    }
  });

  it('refuses a past expiry year and an invalid month', async () => {
    const pastYear = await caught(createCard('4242424242424242', { exp_year: 2020 }));
    expect(pastYear.type).toBe('StripeCardError');
    expect(pastYear.code).toBe('invalid_expiry_year');
    expect(pastYear.param).toBe('card[exp_year]');
    expect(pastYear.message).toBe("Your card's expiration year is invalid.");

    const month = await caught(createCard('4242424242424242', { exp_month: 13 }));
    expect(month.code).toBe('invalid_expiry_month');
    expect(month.param).toBe('card[exp_month]');
    expect(month.message).toBe("Your card's expiration month is invalid.");
  });

  it('refuses a month already past in the current year (fixed clock)', async () => {
    const june2030 = Date.UTC(2030, 5, 15) / 1000;
    const clocked = await startSandbox({ log: () => {}, clock: { now: () => june2030 } });
    try {
      const card = (exp_month: number, exp_year: number) =>
        clocked.stripe.paymentMethods.create({
          type: 'card',
          card: { number: '4242424242424242', exp_month, exp_year },
        });
      const may = await caught(card(5, 2030));
      expect(may.code).toBe('invalid_expiry_month');
      expect((await card(6, 2030)).card?.exp_year).toBe(2030);
      expect((await card(6, 30)).card?.exp_year).toBe(2030);
      expect((await caught(card(12, 2029))).code).toBe('invalid_expiry_year');
      expect((await caught(card(1, 2081))).code).toBe('invalid_expiry_year');
    } finally {
      await clocked.close();
    }
  });

  it('refuses a bad CVC with invalid_cvc', async () => {
    for (const cvc of ['12', 'abc', '12345']) {
      const error = await caught(createCard('4242424242424242', { cvc }));
      expect(error.type).toBe('StripeCardError');
      expect(error.code).toBe('invalid_cvc');
      expect(error.param).toBe('card[cvc]');
      expect(error.message).toBe("Your card's security code is invalid.");
    }
  });

  it('names unknown and missing parameters in the 400', async () => {
    const nested = await caught(
      env.stripe.paymentMethods.create({
        type: 'card',
        card: { number: '4242424242424242', exp_month: 1, exp_year: 2040, colour: 'red' },
      } as Stripe.PaymentMethodCreateParams),
    );
    expect(nested.type).toBe('StripeInvalidRequestError');
    expect(nested.code).toBe('parameter_unknown');
    expect(nested.param).toBe('card[colour]');
    expect(nested.message).toBe('Received unknown parameter: card[colour]');

    const top = await caught(
      env.stripe.paymentMethods.create({
        type: 'card',
        nickname: 'x',
      } as Stripe.PaymentMethodCreateParams),
    );
    expect(top.message).toBe('Received unknown parameter: nickname');

    const noCard = await caught(env.stripe.paymentMethods.create({ type: 'card' }));
    expect(noCard.code).toBe('parameter_missing');
    expect(noCard.param).toBe('card');

    const noType = await caught(
      env.stripe.paymentMethods.create({} as Stripe.PaymentMethodCreateParams),
    );
    expect(noType.type).toBe('StripeInvalidRequestError');
    expect(noType.param).toBe('type');

    const badType = await caught(
      env.stripe.paymentMethods.create({ type: 'ideal' } as Stripe.PaymentMethodCreateParams),
    );
    expect(badType.param).toBe('type');
    expect(badType.message).toBe('Invalid type: must be one of card');
  });

  it('lets Stripe.js create with a publishable key, but nothing else', async () => {
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);
    const pm = await browser.paymentMethods.create({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 1, exp_year: 2040, cvc: '999' },
    });
    expect(pm.id).toMatch(/^pm_/);
    const retrieve = await caught(browser.paymentMethods.retrieve(pm.id));
    expect(retrieve.type).toBe('StripeAuthenticationError');
    expect(retrieve.message).toBe(
      'This API call cannot be made with a publishable API key. Please use a secret API key.',
    );
  });
});

describe('retrieve and update', () => {
  it('retrieves, and answers resource_missing for unknown ids', async () => {
    const pm = await createCard('4242424242424242');
    expect(conforms(await env.stripe.paymentMethods.retrieve(pm.id))).toEqual(pm);
    const error = await caught(env.stripe.paymentMethods.retrieve('pm_missing'));
    expect(error).toBeInstanceOf(env.stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.message).toBe("No such PaymentMethod: 'pm_missing'");
  });

  it('updates metadata of any payment method, card and billing details only once attached', async () => {
    const pm = await createCard('4242424242424242');
    const tagged = conforms(
      await env.stripe.paymentMethods.update(pm.id, { metadata: { a: '1', b: '2' } }),
    );
    expect(tagged.metadata).toEqual({ a: '1', b: '2' });
    const untagged = await env.stripe.paymentMethods.update(pm.id, { metadata: { a: '' } });
    expect(untagged.metadata).toEqual({ b: '2' });

    const refused = await caught(
      env.stripe.paymentMethods.update(pm.id, { billing_details: { name: 'Ada' } }),
    );
    expect(refused.message).toBe(
      'You must save this PaymentMethod to a customer before you can update it.',
    );

    const customer = await env.stripe.customers.create({ email: 'update@example.com' });
    await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const updated = await env.stripe.paymentMethods.update(pm.id, {
      billing_details: { name: 'Ada' },
      card: { exp_month: 7, exp_year: 2042 },
    });
    expect(updated.billing_details.name).toBe('Ada');
    expect(updated.card?.exp_month).toBe(7);
    expect(updated.card?.exp_year).toBe(2042);

    const events = (await env.verifiedEvents(pm.id)).filter(
      (event): event is Stripe.PaymentMethodUpdatedEvent => event.type === 'payment_method.updated',
    );
    expect(events).toHaveLength(3);
    expect(events[1]?.data.previous_attributes?.metadata).toMatchObject({ a: '1' });
    expect(events[2]?.data.previous_attributes?.card).toMatchObject({
      exp_month: 12,
      exp_year: 2040,
    });

    const missing = await caught(
      env.stripe.paymentMethods.update('pm_missing', { metadata: { a: '1' } }),
    );
    expect(missing.code).toBe('resource_missing');
  });
});

describe('attach and detach', () => {
  it('attaches and detaches, with events and previous_attributes', async () => {
    const customer = await env.stripe.customers.create({ email: 'attach@example.com' });
    const pm = await createCard('5555555555554444');
    const attached = conforms(
      await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id }),
    );
    expect(attached.customer).toBe(customer.id);
    // Attaching again to the same customer is a no-op.
    expect(
      (await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id })).customer,
    ).toBe(customer.id);

    const other = await env.stripe.customers.create({ email: 'other@example.com' });
    const taken = await caught(env.stripe.paymentMethods.attach(pm.id, { customer: other.id }));
    expect(taken.code).toBe('payment_method_already_attached');

    const detached = conforms(await env.stripe.paymentMethods.detach(pm.id));
    expect(detached.customer).toBeNull();
    const twice = await caught(env.stripe.paymentMethods.detach(pm.id));
    expect(twice.message).toBe(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
    );

    const events = await env.verifiedEvents(pm.id);
    expect(events.map((event) => event.type)).toEqual([
      'payment_method.attached',
      'payment_method.detached',
    ]);
    const [attachedEvent, detachedEvent] = events as [
      Stripe.PaymentMethodAttachedEvent,
      Stripe.PaymentMethodDetachedEvent,
    ];
    expect(attachedEvent.data.object.customer).toBe(customer.id);
    expect(attachedEvent.data.previous_attributes).toEqual({ customer: null });
    expect(attachedEvent.request?.id).toMatch(/^req_/);
    expect(detachedEvent.data.object.customer).toBeNull();
    expect(detachedEvent.data.previous_attributes).toEqual({ customer: customer.id });
  });

  it('attaches a test payment method id as a new payment method', async () => {
    const customer = await env.stripe.customers.create({ email: 'testid@example.com' });
    const first = await env.stripe.paymentMethods.attach('pm_card_visa', {
      customer: customer.id,
    });
    const second = await env.stripe.paymentMethods.attach('pm_card_visa', {
      customer: customer.id,
    });
    expect(first.id).toMatch(/^pm_/);
    expect(first.id).not.toBe('pm_card_visa');
    expect(second.id).not.toBe(first.id);
    expect(first.card?.last4).toBe('4242');
    const listed = await env.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((pm) => pm.id)).toEqual([second.id, first.id]);
  });

  it('refuses to attach a declined card (0002) but attaches 0341', async () => {
    const customer = await env.stripe.customers.create({ email: 'decline@example.com' });
    const declinedPm = await createCard('4000000000000002');
    const error = await caught(
      env.stripe.paymentMethods.attach(declinedPm.id, { customer: customer.id }),
    );
    expect(error).toBeInstanceOf(env.stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe('card_declined');
    expect(error.decline_code).toBe('generic_decline');
    expect(error.message).toBe('Your card was declined.');
    expect((await env.stripe.paymentMethods.retrieve(declinedPm.id)).customer).toBeNull();

    const insufficient = await caught(
      env.stripe.paymentMethods.attach('pm_card_chargeDeclinedInsufficientFunds', {
        customer: customer.id,
      }),
    );
    expect(insufficient.decline_code).toBe('insufficient_funds');

    const chargeDecline = await createCard('4000000000000341');
    const attached = await env.stripe.paymentMethods.attach(chargeDecline.id, {
      customer: customer.id,
    });
    expect(attached.customer).toBe(customer.id);

    const listed = await env.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((pm) => pm.id)).toEqual([chargeDecline.id]);
    expect(await env.verifiedEvents(declinedPm.id)).toEqual([]);
    expect((await env.verifiedEvents(chargeDecline.id)).map((event) => event.type)).toEqual([
      'payment_method.attached',
    ]);
  });

  it('creates a real card number but refuses to attach it with test_mode_live_card, as on Stripe', async () => {
    const customer = await env.stripe.customers.create({ email: 'live-card@example.com' });
    const real = conforms(await createCard(REAL_CARD_NUMBERS.mastercard));
    expect(real.card?.brand).toBe('mastercard');
    expect(real.card?.last4).toBe('5454');
    const error = await caught(
      env.stripe.paymentMethods.attach(real.id, { customer: customer.id }),
    );
    expect(error).toBeInstanceOf(env.stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error).toMatchObject({
      code: LIVE_CARD_ERROR.code,
      decline_code: LIVE_CARD_ERROR.decline_code,
      message: LIVE_CARD_ERROR.message,
    });
    expect(error.raw).toMatchObject(LIVE_CARD_ERROR);
    expect((await env.stripe.paymentMethods.retrieve(real.id)).customer).toBeNull();
    expect((await env.stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    expect(await env.verifiedEvents(real.id)).toEqual([]);
  });

  it('detaching the default payment method clears it on the customer (customer.updated)', async () => {
    const customer = await env.stripe.customers.create({
      email: 'default-detach@example.com',
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const defaultPm = customer.invoice_settings.default_payment_method as string;
    expect(defaultPm).toMatch(/^pm_/);
    await env.stripe.paymentMethods.detach(defaultPm);
    const after = (await env.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBeNull();

    const events = await env.verifiedEvents(customer.id, defaultPm);
    expect(events.map((event) => event.type)).toEqual([
      'customer.created',
      'payment_method.attached',
      'payment_method.detached',
      'customer.updated',
    ]);
    const updated = events[3] as Stripe.CustomerUpdatedEvent;
    expect(updated.data.object.invoice_settings.default_payment_method).toBeNull();
    expect(updated.data.previous_attributes?.invoice_settings).toMatchObject({
      default_payment_method: defaultPm,
    });

    // Detaching a payment method that is not the default leaves the customer alone.
    const other = await env.stripe.paymentMethods.attach('pm_card_amex', {
      customer: customer.id,
    });
    await env.stripe.paymentMethods.detach(other.id);
    expect(
      (await env.verifiedEvents(customer.id)).filter((event) => event.type === 'customer.updated'),
    ).toHaveLength(1);
  });

  it('answers resource_missing for unknown payment methods and customers', async () => {
    const customer = await env.stripe.customers.create({ email: 'missing@example.com' });
    const noPm = await caught(
      env.stripe.paymentMethods.attach('pm_missing', { customer: customer.id }),
    );
    expect(noPm.code).toBe('resource_missing');
    expect(noPm.param).toBe('payment_method');
    const pm = await createCard('4242424242424242');
    const noCustomer = await caught(
      env.stripe.paymentMethods.attach(pm.id, { customer: 'cus_missing' }),
    );
    expect(noCustomer.code).toBe('resource_missing');
    expect(noCustomer.param).toBe('customer');
    expect(noCustomer.message).toBe("No such customer: 'cus_missing'");
    const noDetach = await caught(env.stripe.paymentMethods.detach('pm_missing'));
    expect(noDetach.code).toBe('resource_missing');
    const noCustomerParam = await caught(
      env.stripe.paymentMethods.attach(pm.id, {} as Stripe.PaymentMethodAttachParams),
    );
    expect(noCustomerParam.code).toBe('parameter_missing');
    expect(noCustomerParam.param).toBe('customer');
  });
});

describe('used up payment methods', () => {
  // "Detachment is permanent and irreversible — once detached, a PaymentMethod can no longer be
  // used for payments or re-attached to a Customer." https://docs.stripe.com/api/payment_methods/detach
  const USED_UP =
    /^The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, .*or was detached from a Customer\. It may not be used again\./;

  it('refuses to attach a detached payment method again, to the same or another customer', async () => {
    const customer = await env.stripe.customers.create({ email: 'detached@example.com' });
    const pm = await createCard('4242424242424242');
    await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    await env.stripe.paymentMethods.detach(pm.id);

    for (const target of [customer.id, (await env.stripe.customers.create({})).id]) {
      const error = await caught(env.stripe.paymentMethods.attach(pm.id, { customer: target }));
      expect(error).toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        param: 'payment_method',
        message: expect.stringMatching(USED_UP),
      });
    }
    expect((await env.stripe.paymentMethods.retrieve(pm.id)).customer).toBeNull();
  });

  it('refuses a detached payment method for a payment and a setup', async () => {
    const customer = await env.stripe.customers.create({ email: 'detached-pay@example.com' });
    const pm = await createCard('4242424242424242');
    await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    await env.stripe.paymentMethods.detach(pm.id);

    const payment = await caught(
      env.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        payment_method: pm.id,
        allowed_payment_method_types: ['card'],
        confirm: true,
      }),
    );
    expect(payment).toMatchObject({ statusCode: 400, param: 'payment_method' });
    expect(payment.message).toMatch(USED_UP);
    const setup = await env.stripe.setupIntents.create({ allowed_payment_method_types: ['card'] });
    const setupError = await caught(
      env.stripe.setupIntents.confirm(setup.id, { payment_method: pm.id }),
    );
    expect(setupError).toMatchObject({ statusCode: 400, param: 'payment_method' });
    expect(setupError.message).toMatch(USED_UP);
  });

  it('refuses to attach one already used for a payment without a customer', async () => {
    const pm = await createCard('4242424242424242');
    const paid = await env.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: pm.id,
      allowed_payment_method_types: ['card'],
      confirm: true,
    });
    expect(paid.status).toBe('succeeded');
    const customer = await env.stripe.customers.create({ email: 'late@example.com' });
    const error = await caught(env.stripe.paymentMethods.attach(pm.id, { customer: customer.id }));
    expect(error).toMatchObject({ statusCode: 400, param: 'payment_method' });
    expect(error.message).toMatch(USED_UP);
  });

  it('still attaches a payment method set up without a customer', async () => {
    const pm = await createCard('4242424242424242');
    const setup = await env.stripe.setupIntents.create({
      allowed_payment_method_types: ['card'],
      payment_method: pm.id,
      confirm: true,
    });
    expect(setup.status).toBe('succeeded');
    const customer = await env.stripe.customers.create({ email: 'setup-later@example.com' });
    const attached = await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    expect(attached.customer).toBe(customer.id);
  });
});

describe('list', () => {
  it('lists a customer’s payment methods by type, with pagination', async () => {
    const customer = await env.stripe.customers.create({ email: 'list@example.com' });
    const other = await env.stripe.customers.create({ email: 'list-other@example.com' });
    const ids: string[] = [];
    for (const number of ['4242424242424242', '5555555555554444', '378282246310005']) {
      const pm = await createCard(number, { cvc: number.startsWith('3') ? '1234' : '123' });
      await env.stripe.paymentMethods.attach(pm.id, { customer: customer.id });
      ids.push(pm.id);
    }
    await env.stripe.paymentMethods.attach('pm_card_visa', { customer: other.id });
    await createCard('6011111111111117'); // not attached: never listed
    const newestFirst = [...ids].reverse();

    const byCustomer = conforms(
      await env.stripe.paymentMethods.list({ customer: customer.id, type: 'card' }),
    );
    expect(byCustomer.object).toBe('list');
    expect(byCustomer.url).toBe('/v1/payment_methods');
    expect(byCustomer.data.map((pm) => pm.id)).toEqual(newestFirst);
    expect(byCustomer.has_more).toBe(false);

    const page = await env.stripe.paymentMethods.list({ customer: customer.id, limit: 2 });
    expect(page.data.map((pm) => pm.id)).toEqual(newestFirst.slice(0, 2));
    expect(page.has_more).toBe(true);
    const rest = await env.stripe.paymentMethods.list({
      customer: customer.id,
      limit: 2,
      starting_after: newestFirst[1] as string,
    });
    expect(rest.data.map((pm) => pm.id)).toEqual(newestFirst.slice(2));
    expect(rest.has_more).toBe(false);
    const before = await env.stripe.paymentMethods.list({
      customer: customer.id,
      ending_before: newestFirst[2] as string,
    });
    expect(before.data.map((pm) => pm.id)).toEqual(newestFirst.slice(0, 2));

    const all = await env.stripe.paymentMethods
      .list({ customer: customer.id, limit: 1 })
      .autoPagingToArray({ limit: 10 });
    expect(all.map((pm) => pm.id)).toEqual(newestFirst);

    const badType = await caught(
      env.stripe.paymentMethods.list({ customer: customer.id, type: 'sepa_debit' }),
    );
    expect(badType.param).toBe('type');
    const noCustomer = await caught(env.stripe.paymentMethods.list({ customer: 'cus_nope' }));
    expect(noCustomer.code).toBe('resource_missing');
  });

  it('serves GET /v1/customers/:id/payment_methods and the nested retrieve', async () => {
    const customer = await env.stripe.customers.create({ email: 'nested@example.com' });
    const stranger = await env.stripe.customers.create({ email: 'stranger@example.com' });
    const first = await env.stripe.paymentMethods.attach('pm_card_visa', {
      customer: customer.id,
    });
    const second = await env.stripe.paymentMethods.attach('pm_card_mastercard', {
      customer: customer.id,
    });
    const strangers = await env.stripe.paymentMethods.attach('pm_card_amex', {
      customer: stranger.id,
    });

    const listed = conforms(await env.stripe.customers.listPaymentMethods(customer.id));
    expect(listed.url).toBe(`/v1/customers/${customer.id}/payment_methods`);
    expect(listed.data.map((pm) => pm.id)).toEqual([second.id, first.id]);
    const paged = await env.stripe.customers
      .listPaymentMethods(customer.id, { limit: 1 })
      .autoPagingToArray({ limit: 10 });
    expect(paged.map((pm) => pm.id)).toEqual([second.id, first.id]);

    // Over plain HTTP too, as any client would call it.
    const response = await fetch(
      `${env.sandbox.url}/v1/customers/${customer.id}/payment_methods?type=card`,
      {
        headers: { Authorization: `Bearer ${env.sandbox.secretKey}` },
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Stripe.ApiList<Stripe.PaymentMethod>;
    assertConforms(body);
    expect(body.data.map((pm) => pm.id)).toEqual([second.id, first.id]);

    const own = await env.stripe.customers.retrievePaymentMethod(customer.id, first.id);
    expect(own.id).toBe(first.id);
    const foreign = await caught(
      env.stripe.customers.retrievePaymentMethod(customer.id, strangers.id),
    );
    expect(foreign.code).toBe('resource_missing');

    const missing = await caught(env.stripe.customers.listPaymentMethods('cus_missing'));
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
  });
});
