import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { assertConforms } from '../test-support/conformance.js';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

const CARD_ONLY = { currency: 'usd', allowed_payment_method_types: ['card'] };

describe('charges', () => {
  it('every attempt leaves a charge: failed ones too', async () => {
    const intent = await env.stripe.paymentIntents.create({ ...CARD_ONLY, amount: 1200 });
    await caught(
      env.stripe.paymentIntents.confirm(intent.id, {
        payment_method: 'pm_card_chargeDeclinedExpiredCard',
      }),
    );
    await env.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    const charges = await env.stripe.charges.list({ payment_intent: intent.id });
    charges.data.forEach(conforms);
    expect(charges.data.map((charge) => charge.status)).toEqual(['succeeded', 'failed']);
    const [succeeded, failed] = charges.data as [Stripe.Charge, Stripe.Charge];
    expect(failed).toMatchObject({
      paid: false,
      captured: false,
      amount_captured: 0,
      failure_code: 'expired_card',
      failure_message: 'Your card has expired.',
      outcome: {
        network_status: 'declined_by_network',
        reason: 'expired_card',
        type: 'issuer_declined',
        seller_message: 'The bank returned the decline code `expired_card`.',
      },
    });
    expect(failed.payment_method_details?.card?.amount_authorized).toBeNull();
    expect(succeeded).toMatchObject({
      paid: true,
      captured: true,
      amount_captured: 1200,
      failure_code: null,
    });
    const latest = await env.stripe.paymentIntents.retrieve(intent.id);
    expect(latest.latest_charge).toBe(succeeded.id);
  });

  it('a generic decline says the bank gave no details', async () => {
    const error = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        amount: 300,
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    const charge = conforms(
      await env.stripe.charges.retrieve((error.raw as { charge: string }).charge),
    );
    expect(charge.outcome?.seller_message).toBe(
      'The bank did not return any further details with this decline.',
    );
  });

  it('retrieves with expansions, and refunds only when expanded', async () => {
    const customer = await env.stripe.customers.create({ email: 'c@example.com' });
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      amount: 800,
      customer: customer.id,
      receipt_email: 'c@example.com',
      statement_descriptor_suffix: 'Tea',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const chargeId = intent.latest_charge as string;
    const plain = conforms(await env.stripe.charges.retrieve(chargeId));
    expect(plain).not.toHaveProperty('refunds');
    expect(plain).toMatchObject({
      customer: customer.id,
      receipt_email: 'c@example.com',
      statement_descriptor_suffix: 'Tea',
      calculated_statement_descriptor: 'TILLKIT* TEA',
    });

    await env.stripe.refunds.create({ charge: chargeId, amount: 300 });
    const expanded = conforms(
      await env.stripe.charges.retrieve(chargeId, {
        expand: ['refunds', 'customer', 'payment_intent'],
      }),
    );
    expect(expanded.refunds).toMatchObject({
      object: 'list',
      has_more: false,
      url: `/v1/charges/${chargeId}/refunds`,
    });
    expect(expanded.refunds?.data.map((refund) => refund.amount)).toEqual([300]);
    expect((expanded.customer as Stripe.Customer).email).toBe('c@example.com');
    expect((expanded.payment_intent as Stripe.PaymentIntent).id).toBe(intent.id);

    const viaIntent = conforms(
      await env.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge.refunds'] }),
    );
    expect((viaIntent.latest_charge as Stripe.Charge).refunds?.data).toHaveLength(1);
  });

  it('updates description and metadata with a charge.updated event', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      amount: 450,
      metadata: { order: '1' },
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const chargeId = intent.latest_charge as string;
    const updated = conforms(
      await env.stripe.charges.update(chargeId, { description: 'Gift', metadata: { order: '2' } }),
    );
    expect(updated).toMatchObject({ description: 'Gift', metadata: { order: '2' } });
    const event = (await env.stripe.events.list({ type: 'charge.updated', limit: 100 })).data.find(
      (candidate) => (candidate.data.object as Stripe.Charge).id === chargeId,
    );
    expect(event?.data.previous_attributes).toEqual({
      description: null,
      metadata: { order: '1' },
    });
    assertConforms(JSON.parse(JSON.stringify(event)));

    const unchanged = await env.stripe.charges.update(chargeId, { metadata: { order: '2' } });
    expect(unchanged.metadata).toEqual({ order: '2' });
    const events = (
      await env.stripe.events.list({ type: 'charge.updated', limit: 100 })
    ).data.filter((candidate) => (candidate.data.object as Stripe.Charge).id === chargeId);
    expect(events).toHaveLength(1);

    expect(await caught(env.stripe.charges.update(chargeId, { amount: 1 } as never))).toMatchObject(
      {
        code: 'parameter_unknown',
      },
    );
  });

  it('lists by customer and pages with autoPagingToArray', async () => {
    const customer = await env.stripe.customers.create();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const intent = await env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        amount: 100 + index,
        customer: customer.id,
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      ids.push(intent.latest_charge as string);
    }
    const all = await env.stripe.charges
      .list({ customer: customer.id, limit: 2 })
      .autoPagingToArray({ limit: 50 });
    expect(all.map((charge) => charge.id)).toEqual([...ids].reverse());
    const everything = await env.stripe.charges.list({ limit: 100 });
    expect(everything.data.length).toBeGreaterThan(5);
  });

  it('a charge that succeeds has a receipt_url on the sandbox, by a token; a failed one has none', async () => {
    const intent = await env.stripe.paymentIntents.create({ ...CARD_ONLY, amount: 1500 });
    const declined = await caught(
      env.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_chargeDeclined' }),
    );
    const failedId = (declined.raw as { charge: string }).charge;
    expect((await env.stripe.charges.retrieve(failedId)).receipt_url).toBeNull();

    await env.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' });
    const paid = conforms(
      await env.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] }),
    );
    const charge = paid.latest_charge as Stripe.Charge;
    const url = new URL(charge.receipt_url as string);
    expect(url.origin).toBe(env.sandbox.url);
    expect(url.pathname).toMatch(/^\/v1\/_sandbox\/receipts\/[0-9A-Za-z]{48}$/);
    // The charge id is not the key to the page: anyone who saw it could read the receipt.
    expect(url.pathname).not.toContain(charge.id);
    expect((await env.stripe.charges.retrieve(charge.id)).receipt_url).toBe(charge.receipt_url);
    // Another charge, another token.
    const other = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      amount: 1500,
      payment_method: 'pm_card_visa',
      confirm: true,
      expand: ['latest_charge'],
    });
    expect((other.latest_charge as Stripe.Charge).receipt_url).not.toBe(charge.receipt_url);

    // The same URL in the events, refunds included: the receipt follows the charge.
    await env.stripe.refunds.create({ charge: charge.id, amount: 500 });
    const events = await env.verifiedEvents(charge.id, failedId);
    const urls = events.map((event) => [
      event.type,
      (event.data.object as Stripe.Charge).receipt_url,
    ]);
    expect(urls).toEqual([
      ['charge.failed', null],
      ['charge.succeeded', charge.receipt_url],
      ['charge.refunded', charge.receipt_url],
    ]);
  });

  it('charges made after 3D Secure, for manual capture and by Billing get a receipt too', async () => {
    const challenged = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      amount: 2000,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    expect(challenged.status).toBe('requires_action');
    const answered = await fetch(
      `${env.sandbox.url}/v1/_sandbox/payment_intents/${challenged.id}/authenticate`,
      {
        method: 'POST',
        body: new URLSearchParams({
          outcome: 'complete',
          client_secret: challenged.client_secret as string,
        }),
      },
    );
    expect(answered.status).toBe(200);
    const authenticated = await env.stripe.paymentIntents.retrieve(challenged.id, {
      expand: ['latest_charge'],
    });
    expect(authenticated.status).toBe('succeeded');
    expect((authenticated.latest_charge as Stripe.Charge).receipt_url).toMatch(
      `${env.sandbox.url}/v1/_sandbox/receipts/`,
    );

    const held = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      amount: 900,
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
      expand: ['latest_charge'],
    });
    expect(held.status).toBe('requires_capture');
    expect((held.latest_charge as Stripe.Charge).receipt_url).toMatch(/\/receipts\//);

    const customer = await env.stripe.customers.create({ payment_method: 'pm_card_visa' });
    const price = await env.stripe.prices.create({
      currency: 'usd',
      unit_amount: 700,
      recurring: { interval: 'month' },
      product_data: { name: 'Receipts club' },
    });
    const subscription = await env.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      default_payment_method: (await env.stripe.paymentMethods.list({ customer: customer.id }))
        .data[0]?.id as string,
    });
    expect(subscription.status).toBe('active');
    const charges = await env.stripe.charges.list({ customer: customer.id });
    expect(charges.data).toHaveLength(1);
    expect(charges.data[0]?.receipt_url).toMatch(`${env.sandbox.url}/v1/_sandbox/receipts/`);
  });

  it('answers 404s for unknown charges and does not serve the legacy charge creation', async () => {
    expect(await caught(env.stripe.charges.retrieve('ch_missing'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such charge: 'ch_missing'",
    });
    const legacy = await caught(
      env.stripe.charges.create({ amount: 100, currency: 'usd', source: 'tok_visa' }),
    );
    expect(legacy.statusCode).toBe(404);
  });
});
