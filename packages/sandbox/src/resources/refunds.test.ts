import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { formatAmount, minorUnits } from '../core/currencies.js';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks({ linkedBy: ['charge'] });

async function paid(
  amount: number,
  currency = 'usd',
  extra: Partial<Stripe.PaymentIntentCreateParams> = {},
) {
  const intent = await env.stripe.paymentIntents.create({
    amount,
    currency,
    allowed_payment_method_types: ['card'],
    payment_method: 'pm_card_visa',
    confirm: true,
    ...extra,
  });
  return { intent, chargeId: intent.latest_charge as string };
}

describe('refunds', () => {
  it('refunds a payment intent in full', async () => {
    const { intent, chargeId } = await paid(2500);
    const refund = conforms(
      await env.stripe.refunds.create({
        payment_intent: intent.id,
        reason: 'requested_by_customer',
        metadata: { ticket: 'T-1' },
      }),
    );
    expect(refund).toMatchObject({
      object: 'refund',
      amount: 2500,
      currency: 'usd',
      charge: chargeId,
      payment_intent: intent.id,
      reason: 'requested_by_customer',
      status: 'succeeded',
      metadata: { ticket: 'T-1' },
    });
    expect(refund.id).toMatch(/^re_/);
    const charge = conforms(await env.stripe.charges.retrieve(chargeId));
    expect(charge).toMatchObject({ amount_refunded: 2500, refunded: true });
    expect(await env.eventTypes(refund.id, chargeId)).toEqual([
      'charge.succeeded',
      'refund.created',
      'charge.refunded',
    ]);
    const refundedEvent = (
      await env.stripe.events.list({ type: 'charge.refunded', limit: 100 })
    ).data.find((event) => (event.data.object as Stripe.Charge).id === chargeId);
    expect(refundedEvent?.data.previous_attributes).toEqual({
      amount_refunded: 0,
      refunded: false,
    });

    const again = await caught(env.stripe.refunds.create({ payment_intent: intent.id }));
    expect(again).toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
      message: `Charge ${chargeId} has already been refunded.`,
    });
  });

  it('refunds a charge in several partial refunds, then refuses to over-refund', async () => {
    const { intent, chargeId } = await paid(2000);
    const first = await env.stripe.refunds.create({ charge: chargeId, amount: 500 });
    const second = await env.stripe.refunds.create({ payment_intent: intent.id, amount: 700 });
    expect([first.amount, second.amount]).toEqual([500, 700]);
    const afterTwo = await env.stripe.charges.retrieve(chargeId);
    expect(afterTwo).toMatchObject({ amount_refunded: 1200, refunded: false });

    const over = await caught(env.stripe.refunds.create({ charge: chargeId, amount: 1000 }));
    expect(over).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      param: 'amount',
      message: 'Refund amount ($10.00) is greater than unrefunded amount on charge ($8.00)',
    });
    // The rest, by default.
    const rest = await env.stripe.refunds.create({ charge: chargeId });
    expect(rest.amount).toBe(800);
    expect(await env.stripe.charges.retrieve(chargeId)).toMatchObject({
      amount_refunded: 2000,
      refunded: true,
    });

    const listed = await env.stripe.refunds.list({ charge: chargeId });
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, second.id, first.id]);
    listed.data.forEach(conforms);
    const byIntent = await env.stripe.refunds
      .list({ payment_intent: intent.id, limit: 2 })
      .autoPagingToArray({ limit: 10 });
    expect(byIntent).toHaveLength(3);
    const expanded = conforms(await env.stripe.charges.retrieve(chargeId, { expand: ['refunds'] }));
    expect(expanded.refunds?.data.map((refund) => refund.id)).toEqual([
      rest.id,
      second.id,
      first.id,
    ]);
  });

  it.each([
    ['jpy', 1000, 600, 'Refund amount (¥500) is greater than unrefunded amount on charge (¥400)'],
    [
      'kwd',
      1500,
      1000,
      'Refund amount (KWD 0.600) is greater than unrefunded amount on charge (KWD 0.500)',
    ],
    ['eur', 1000, 300, 'Refund amount (€7.50) is greater than unrefunded amount on charge (€7.00)'],
  ])(
    'formats over-refund amounts in %s with its minor units',
    async (currency, amount, first, message) => {
      const { chargeId } = await paid(amount, currency);
      await env.stripe.refunds.create({ charge: chargeId, amount: first });
      const over = await caught(
        env.stripe.refunds.create({
          charge: chargeId,
          amount: currency === 'eur' ? 750 : amount - first + 100,
        }),
      );
      expect(over.message).toBe(message);
      expect(over.param).toBe('amount');
    },
  );

  it.each([
    ['kwd', 1500, 505, 'invalid_charge_amount', 'three-decimal'],
    ['isk', 50000, 1050, 'invalid_charge_amount_no_decimal_compatible', 'effectively zero-decimal'],
  ])(
    'refunds %s only in the steps it can be charged in',
    async (currency, amount, odd, code, wording) => {
      const { chargeId } = await paid(amount, currency);
      const refused = await caught(env.stripe.refunds.create({ charge: chargeId, amount: odd }));
      expect(refused).toMatchObject({ statusCode: 400, code, param: 'amount' });
      expect(refused.message).toContain(wording);
      expect((await env.stripe.charges.retrieve(chargeId)).amount_refunded).toBe(0);
      const refund = await env.stripe.refunds.create({
        charge: chargeId,
        amount: odd - (odd % 100),
      });
      expect(refund.amount).toBe(odd - (odd % 100));
    },
  );

  it('knows the minor units of zero- and three-decimal currencies', () => {
    expect([
      minorUnits('jpy'),
      minorUnits('KRW'),
      minorUnits('kwd'),
      minorUnits('bhd'),
      minorUnits('usd'),
    ]).toEqual([0, 0, 3, 3, 2]);
    expect(formatAmount(123456, 'usd')).toBe('$1,234.56');
    expect(formatAmount(1234, 'jpy')).toBe('¥1,234');
    expect(formatAmount(1234, 'bhd')).toBe('BHD 1.234');
  });

  it('refuses intents without a succeeded charge', async () => {
    const open = await env.stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const none = await caught(env.stripe.refunds.create({ payment_intent: open.id }));
    expect(none).toMatchObject({
      statusCode: 400,
      param: 'payment_intent',
      message: `This PaymentIntent (${open.id}) does not have a successful charge to refund.`,
    });

    const declined = await caught(
      env.stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    const failedIntent = (declined.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent;
    const byIntent = await caught(env.stripe.refunds.create({ payment_intent: failedIntent.id }));
    expect(byIntent.message).toContain('does not have a successful charge to refund');
    const byCharge = await caught(
      env.stripe.refunds.create({ charge: failedIntent.latest_charge as string }),
    );
    expect(byCharge.statusCode).toBe(400);

    const { intent: authorized } = await paid(100, 'usd', { capture_method: 'manual' });
    const uncaptured = await caught(env.stripe.refunds.create({ payment_intent: authorized.id }));
    expect(uncaptured).toMatchObject({ statusCode: 400, param: 'charge' });
    expect(uncaptured.message).toContain('has not been captured');
  });

  it('after a partial capture only the captured amount can be refunded', async () => {
    const { intent, chargeId } = await paid(2000, 'usd', { capture_method: 'manual' });
    await env.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1200 });
    const over = await caught(env.stripe.refunds.create({ charge: chargeId, amount: 1300 }));
    expect(over.message).toBe(
      'Refund amount ($13.00) is greater than unrefunded amount on charge ($12.00)',
    );
    const refund = await env.stripe.refunds.create({ charge: chargeId });
    expect(refund.amount).toBe(1200);
    expect(await env.stripe.charges.retrieve(chargeId)).toMatchObject({
      amount_refunded: 2000,
      refunded: true,
    });
  });

  it('validates its parameters', async () => {
    const { intent, chargeId } = await paid(500);
    expect(await caught(env.stripe.refunds.create({}))).toMatchObject({ statusCode: 400 });
    expect(await caught(env.stripe.refunds.create({ charge: chargeId, amount: 0 }))).toMatchObject({
      param: 'amount',
    });
    expect(
      await caught(
        env.stripe.refunds.create({ charge: chargeId, reason: 'changed_mind' as never }),
      ),
    ).toMatchObject({ param: 'reason' });
    expect(await caught(env.stripe.refunds.create({ charge: 'ch_missing' }))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'charge',
    });
    expect(await caught(env.stripe.refunds.create({ payment_intent: 'pi_missing' }))).toMatchObject(
      {
        statusCode: 404,
        param: 'payment_intent',
      },
    );
    const other = await paid(500);
    const mismatch = await caught(
      env.stripe.refunds.create({ charge: chargeId, payment_intent: other.intent.id }),
    );
    expect(mismatch).toMatchObject({ statusCode: 400, param: 'charge' });
    expect(
      await caught(env.stripe.refunds.create({ charge: chargeId, instructions: 'x' } as never)),
    ).toMatchObject({
      code: 'parameter_unknown',
    });
    expect(
      (await env.stripe.refunds.create({ payment_intent: intent.id, charge: chargeId })).amount,
    ).toBe(500);
  });

  it('retrieves and updates a refund', async () => {
    const { chargeId } = await paid(900);
    const refund = await env.stripe.refunds.create({
      charge: chargeId,
      amount: 100,
      metadata: { a: '1' },
    });
    const fetched = conforms(await env.stripe.refunds.retrieve(refund.id, { expand: ['charge'] }));
    expect((fetched.charge as Stripe.Charge).id).toBe(chargeId);
    const updated = conforms(await env.stripe.refunds.update(refund.id, { metadata: { a: '2' } }));
    expect(updated.metadata).toEqual({ a: '2' });
    expect(await env.eventTypes(refund.id, chargeId)).toEqual([
      'charge.succeeded',
      'refund.created',
      'charge.refunded',
      'refund.updated',
    ]);
    const updatedEvent = (
      await env.stripe.events.list({ type: 'refund.updated', limit: 100 })
    ).data.find((event) => (event.data.object as Stripe.Refund).id === refund.id);
    expect(updatedEvent?.data.previous_attributes).toEqual({ metadata: { a: '1' } });
    expect(
      await caught(env.stripe.refunds.update(refund.id, { amount: 5 } as never)),
    ).toMatchObject({
      code: 'parameter_unknown',
    });
    expect(await caught(env.stripe.refunds.retrieve('re_missing'))).toMatchObject({
      statusCode: 404,
      message: "No such refund: 're_missing'",
    });
  });
});
