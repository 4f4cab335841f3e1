import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

describe('create and retrieve', () => {
  it('creates a customer with every field Stripe returns', async () => {
    const customer = conforms(
      await env.stripe.customers.create({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        phone: '+15555550100',
        description: 'First customer',
        metadata: { plan: 'pro', empty: '' },
        address: { line1: '1 Main St', city: 'London', country: 'GB' },
        shipping: { name: 'Ada', address: { line1: '2 Side St', country: 'GB' } },
        preferred_locales: ['en'],
      }),
    );
    expect(customer.id).toMatch(/^cus_/);
    expect(customer.object).toBe('customer');
    expect(customer.email).toBe('ada@example.com');
    expect(customer.name).toBe('Ada Lovelace');
    expect(customer.metadata).toEqual({ plan: 'pro' });
    expect(customer.address).toEqual({
      city: 'London',
      country: 'GB',
      line1: '1 Main St',
      line2: null,
      postal_code: null,
      state: null,
    });
    expect(customer.shipping?.address?.line1).toBe('2 Side St');
    expect(customer.shipping?.phone).toBeNull();
    expect(customer.invoice_settings.default_payment_method).toBeNull();
    expect(customer.livemode).toBe(false);
    expect(customer.balance).toBe(0);
    expect(customer.delinquent).toBe(false);
    expect(customer.invoice_prefix).toMatch(/^[0-9A-Z]{8}$/);

    const retrieved = conforms(await env.stripe.customers.retrieve(customer.id));
    expect(retrieved).toEqual(customer);
  });

  it('attaches a payment method at creation and makes it the default', async () => {
    const customer = conforms(
      await env.stripe.customers.create({
        email: 'pm@example.com',
        payment_method: 'pm_card_visa',
        invoice_settings: { default_payment_method: 'pm_card_visa' },
        expand: ['invoice_settings.default_payment_method'],
      }),
    );
    const defaultPm = customer.invoice_settings.default_payment_method as Stripe.PaymentMethod;
    expect(defaultPm.object).toBe('payment_method');
    expect(defaultPm.customer).toBe(customer.id);
    expect(defaultPm.card?.last4).toBe('4242');

    const listed = await env.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((pm) => pm.id)).toEqual([defaultPm.id]);

    const events = await env.verifiedEvents(customer.id, defaultPm.id);
    expect(events.map((event) => event.type)).toEqual([
      'customer.created',
      'payment_method.attached',
    ]);
    // The created event shows the customer as the request left it.
    const created = events[0] as Stripe.CustomerCreatedEvent;
    expect(created.data.object.invoice_settings.default_payment_method).toBe(defaultPm.id);
  });

  it('sets an existing attached payment method as the default at creation', async () => {
    const pm = await env.stripe.paymentMethods.create({
      type: 'card',
      card: { number: '5555555555554444', exp_month: 1, exp_year: 2041 },
    });
    const customer = await env.stripe.customers.create({
      payment_method: pm.id,
      invoice_settings: { default_payment_method: pm.id },
    });
    expect(customer.invoice_settings.default_payment_method).toBe(pm.id);
    expect((await env.stripe.paymentMethods.retrieve(pm.id)).customer).toBe(customer.id);
  });

  it('creates nothing when the payment method cannot be attached', async () => {
    const before = (await env.stripe.customers.list({ email: 'declined@example.com' })).data;
    expect(before).toEqual([]);
    const declined = await caught(
      env.stripe.customers.create({
        email: 'declined@example.com',
        payment_method: 'pm_card_chargeDeclined',
      }),
    );
    expect(declined.type).toBe('StripeCardError');
    expect(declined.code).toBe('card_declined');

    const missing = await caught(
      env.stripe.customers.create({ email: 'declined@example.com', payment_method: 'pm_nope' }),
    );
    expect(missing.code).toBe('resource_missing');
    expect(missing.param).toBe('payment_method');

    const notAttached = await env.stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4242424242424242', exp_month: 1, exp_year: 2041 },
    });
    const unattachedDefault = await caught(
      env.stripe.customers.create({
        email: 'declined@example.com',
        invoice_settings: { default_payment_method: notAttached.id },
      }),
    );
    expect(unattachedDefault.type).toBe('StripeInvalidRequestError');
    expect(unattachedDefault.param).toBe('invoice_settings[default_payment_method]');
    expect(unattachedDefault.message).toBe(
      `The customer does not have a payment method with the ID ${notAttached.id}. The payment method must be attached to the customer.`,
    );

    const after = (await env.stripe.customers.list({ email: 'declined@example.com' })).data;
    expect(after).toEqual([]);
  });

  it('answers 404 resource_missing for an unknown customer', async () => {
    const error = await caught(env.stripe.customers.retrieve('cus_missing'));
    expect(error).toBeInstanceOf(env.stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('resource_missing');
    expect(error.message).toBe("No such customer: 'cus_missing'");
    expect(error.param).toBe('id');
  });

  it('names unknown parameters in the 400', async () => {
    const top = await caught(
      env.stripe.customers.create({ colour: 'blue' } as Stripe.CustomerCreateParams),
    );
    expect(top.type).toBe('StripeInvalidRequestError');
    expect(top.statusCode).toBe(400);
    expect(top.code).toBe('parameter_unknown');
    expect(top.param).toBe('colour');
    expect(top.message).toBe('Received unknown parameter: colour');

    const nested = await caught(
      env.stripe.customers.create({
        invoice_settings: { bogus: 'x' },
      } as Stripe.CustomerCreateParams),
    );
    expect(nested.param).toBe('invoice_settings[bogus]');
    expect(nested.message).toBe('Received unknown parameter: invoice_settings[bogus]');

    const badBalance = await caught(
      env.stripe.customers.create({ balance: 'lots' as unknown as number }),
    );
    expect(badBalance.param).toBe('balance');
    expect(badBalance.message).toBe('Invalid integer: lots');
  });

  it.each([
    'ada',
    'ada@localhost',
    ' ada@example.com',
    'ada@.example.com',
    'ada@example..com',
    'a b@example.com',
    'ada@@example.com',
  ])('refuses an email address Stripe refuses (%j) with email_invalid', async (email) => {
    const created = await caught(env.stripe.customers.create({ email }));
    expect(created).toMatchObject({
      statusCode: 400,
      code: 'email_invalid',
      param: 'email',
      message: `Invalid email address: ${email}`,
    });
    const customer = await env.stripe.customers.create({ email: 'ada@example.com' });
    const updated = await caught(env.stripe.customers.update(customer.id, { email }));
    expect(updated).toMatchObject({ statusCode: 400, code: 'email_invalid', param: 'email' });
    expect(((await env.stripe.customers.retrieve(customer.id)) as Stripe.Customer).email).toBe(
      'ada@example.com',
    );
  });

  it('takes the email addresses people have, and "" to clear one', async () => {
    for (const email of ['ada+shop@example.co.uk', 'ü@ü.de', 'o’neil@example.ie']) {
      expect((await env.stripe.customers.create({ email })).email).toBe(email);
    }
    const customer = await env.stripe.customers.create({ email: 'ada@example.com' });
    expect((await env.stripe.customers.update(customer.id, { email: '' })).email).toBeNull();
  });
});

describe('update', () => {
  it('sets and unsets metadata and fields, with previous_attributes on customer.updated', async () => {
    const customer = await env.stripe.customers.create({
      email: 'old@example.com',
      name: 'Old Name',
      metadata: { plan: 'basic', keep: 'me' },
    });
    const updated = conforms(
      await env.stripe.customers.update(customer.id, {
        email: 'new@example.com',
        metadata: { plan: 'pro', added: 'yes' },
      }),
    );
    expect(updated.email).toBe('new@example.com');
    expect(updated.metadata).toEqual({ plan: 'pro', keep: 'me', added: 'yes' });

    const unset = await env.stripe.customers.update(customer.id, {
      name: '',
      metadata: { keep: '' },
    });
    expect(unset.name).toBeNull();
    expect(unset.metadata).toEqual({ plan: 'pro', added: 'yes' });

    const cleared = await env.stripe.customers.update(customer.id, { metadata: '' });
    expect(cleared.metadata).toEqual({});
    expect((await env.stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      email: 'new@example.com',
      name: null,
      metadata: {},
    });

    // An update that changes nothing emits nothing.
    await env.stripe.customers.update(customer.id, { email: 'new@example.com' });

    const events = (await env.verifiedEvents(customer.id)) as Array<
      Stripe.CustomerCreatedEvent | Stripe.CustomerUpdatedEvent
    >;
    expect(events.map((event) => event.type)).toEqual([
      'customer.created',
      'customer.updated',
      'customer.updated',
      'customer.updated',
    ]);
    const [, first, second, third] = events as [
      Stripe.CustomerCreatedEvent,
      Stripe.CustomerUpdatedEvent,
      Stripe.CustomerUpdatedEvent,
      Stripe.CustomerUpdatedEvent,
    ];
    expect(first.data.object.email).toBe('new@example.com');
    expect(first.data.previous_attributes?.email).toBe('old@example.com');
    expect(first.data.previous_attributes?.metadata).toMatchObject({ plan: 'basic' });
    expect(first.data.previous_attributes).not.toHaveProperty('name');
    expect(second.data.previous_attributes?.name).toBe('Old Name');
    expect(second.data.previous_attributes?.metadata).toMatchObject({ keep: 'me' });
    expect(third.data.previous_attributes?.metadata).toMatchObject({ plan: 'pro', added: 'yes' });
    expect(third.data.object.metadata).toEqual({});
  });

  it('sets and clears the default payment method', async () => {
    const customer = await env.stripe.customers.create({ email: 'default@example.com' });
    const pm = await env.stripe.paymentMethods.attach('pm_card_mastercard', {
      customer: customer.id,
    });
    const withDefault = await env.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: pm.id },
    });
    expect(withDefault.invoice_settings.default_payment_method).toBe(pm.id);

    const other = await env.stripe.customers.create({ email: 'other@example.com' });
    const foreign = await caught(
      env.stripe.customers.update(other.id, {
        invoice_settings: { default_payment_method: pm.id },
      }),
    );
    expect(foreign.param).toBe('invoice_settings[default_payment_method]');

    const nonexistent = await caught(
      env.stripe.customers.update(customer.id, {
        invoice_settings: { default_payment_method: 'pm_missing' },
      }),
    );
    expect(nonexistent.code).toBe('resource_missing');
    expect(nonexistent.message).toBe("No such PaymentMethod: 'pm_missing'");

    const cleared = await env.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: '' },
    });
    expect(cleared.invoice_settings.default_payment_method).toBeNull();

    const events = (await env.verifiedEvents(customer.id)).filter(
      (event): event is Stripe.CustomerUpdatedEvent => event.type === 'customer.updated',
    );
    expect(events).toHaveLength(2);
    expect(events[0]?.data.previous_attributes?.invoice_settings).toMatchObject({
      default_payment_method: null,
    });
    expect(events[1]?.data.previous_attributes?.invoice_settings).toMatchObject({
      default_payment_method: pm.id,
    });
  });

  it('answers 404 for an unknown customer', async () => {
    const error = await caught(env.stripe.customers.update('cus_missing', { name: 'x' }));
    expect(error.code).toBe('resource_missing');
    expect(error.statusCode).toBe(404);
  });
});

describe('list', () => {
  it('filters by email and paginates newest first', async () => {
    const email = 'paged@example.com';
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push((await env.stripe.customers.create({ email, name: `Customer ${index}` })).id);
    }
    await env.stripe.customers.create({ email: 'someone-else@example.com' });
    const newestFirst = [...ids].reverse();

    const first = conforms(await env.stripe.customers.list({ email, limit: 2 }));
    expect(first.object).toBe('list');
    expect(first.url).toBe('/v1/customers');
    expect(first.data.map((customer) => customer.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);

    const second = await env.stripe.customers.list({
      email,
      limit: 2,
      starting_after: newestFirst[1] as string,
    });
    expect(second.data.map((customer) => customer.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.has_more).toBe(true);

    const last = await env.stripe.customers.list({
      email,
      limit: 2,
      starting_after: newestFirst[3] as string,
    });
    expect(last.data.map((customer) => customer.id)).toEqual(newestFirst.slice(4));
    expect(last.has_more).toBe(false);

    const back = await env.stripe.customers.list({
      email,
      limit: 2,
      ending_before: newestFirst[4] as string,
    });
    expect(back.data.map((customer) => customer.id)).toEqual(newestFirst.slice(2, 4));
    expect(back.has_more).toBe(true);

    const all = await env.stripe.customers.list({ email, limit: 2 }).autoPagingToArray({
      limit: 100,
    });
    expect(all.map((customer) => customer.id)).toEqual(newestFirst);

    const everyone = await env.stripe.customers.list({ limit: 100 });
    expect(everyone.data.length).toBeGreaterThanOrEqual(6);
    expect(everyone.data.some((customer) => customer.email === 'someone-else@example.com')).toBe(
      true,
    );

    const both = await caught(
      env.stripe.customers.list({ starting_after: ids[0], ending_before: ids[1] }),
    );
    expect(both.message).toBe(
      'You may only specify one of these parameters: ending_before, starting_after.',
    );
    const badLimit = await caught(env.stripe.customers.list({ limit: 101 }));
    expect(badLimit.param).toBe('limit');
    const badCursor = await caught(env.stripe.customers.list({ starting_after: 'cus_nope' }));
    expect(badCursor.code).toBe('resource_missing');
    expect(badCursor.param).toBe('starting_after');
  });
});

describe('delete', () => {
  it('deletes: retrieve shows deleted, update and delete answer 404, events sent', async () => {
    const customer = await env.stripe.customers.create({
      email: 'gone@example.com',
      payment_method: 'pm_card_visa',
    });
    const [pm] = (await env.stripe.customers.listPaymentMethods(customer.id)).data;
    const deleted = conforms(await env.stripe.customers.del(customer.id));
    expect(deleted).toEqual({ id: customer.id, object: 'customer', deleted: true });

    const retrieved = conforms(await env.stripe.customers.retrieve(customer.id));
    expect(retrieved).toEqual({ id: customer.id, object: 'customer', deleted: true });

    const update = await caught(env.stripe.customers.update(customer.id, { name: 'x' }));
    expect(update.statusCode).toBe(404);
    expect(update.code).toBe('resource_missing');
    const again = await caught(env.stripe.customers.del(customer.id));
    expect(again.code).toBe('resource_missing');

    // Its payment methods are no longer attached.
    expect((await env.stripe.paymentMethods.retrieve(pm?.id as string)).customer).toBeNull();
    const listed = (await env.stripe.customers.list({ email: 'gone@example.com' })).data;
    expect(listed).toEqual([]);

    const events = await env.verifiedEvents(customer.id);
    expect(events.map((event) => event.type)).toEqual(['customer.created', 'customer.deleted']);
    const deletedEvent = events[1] as Stripe.CustomerDeletedEvent;
    expect(deletedEvent.data.object.email).toBe('gone@example.com');
  });
});
