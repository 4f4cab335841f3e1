import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAmount, minorUnits } from '../core/currencies.js';
import { type SandboxHandle, startSandbox } from '../index.js';
import { assertConforms } from '../test-support/conformance.js';

const WEBHOOK_SECRET = 'whsec_refunds_test';

let sandbox: SandboxHandle;
let stripe: Stripe;
let receiver: Server;
const received: Array<{ body: string; signature: string }> = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ body, signature: String(request.headers['stripe-signature']) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  sandbox = await startSandbox({
    log: () => {},
    webhooks: [{ url: `http://127.0.0.1:${port}/hooks`, secret: WEBHOOK_SECRET }],
  });
  stripe = sandbox.stripe;
});

afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

function conforms<T>(value: T): T {
  assertConforms(JSON.parse(JSON.stringify(value)));
  return value;
}

async function caught(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function paid(
  amount: number,
  currency = 'usd',
  extra: Partial<Stripe.PaymentIntentCreateParams> = {},
) {
  const intent = await stripe.paymentIntents.create({
    amount,
    currency,
    allowed_payment_method_types: ['card'],
    payment_method: 'pm_card_visa',
    confirm: true,
    ...extra,
  });
  return { intent, chargeId: intent.latest_charge as string };
}

/** Webhook event types about these ids, in emission order; signatures checked with stripe-node. */
async function eventTypesFor(...ids: string[]): Promise<string[]> {
  await sandbox.waitForWebhooks();
  const events = received.map(({ body, signature }) => {
    assertConforms(JSON.parse(body));
    return stripe.webhooks.constructEvent(body, signature, WEBHOOK_SECRET);
  });
  const order = (await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }))
    .map((event) => event.id)
    .reverse();
  return events
    .filter((event) => {
      const object = event.data.object as { id?: string; charge?: string | null };
      return ids.includes(object.id ?? '') || ids.includes(object.charge ?? '');
    })
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))
    .map((event) => event.type);
}

describe('refunds', () => {
  it('refunds a payment intent in full', async () => {
    const { intent, chargeId } = await paid(2500);
    const refund = conforms(
      await stripe.refunds.create({
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
    const charge = conforms(await stripe.charges.retrieve(chargeId));
    expect(charge).toMatchObject({ amount_refunded: 2500, refunded: true });
    expect(await eventTypesFor(refund.id, chargeId)).toEqual([
      'charge.succeeded',
      'refund.created',
      'charge.refunded',
    ]);
    const refundedEvent = (
      await stripe.events.list({ type: 'charge.refunded', limit: 100 })
    ).data.find((event) => (event.data.object as Stripe.Charge).id === chargeId);
    expect(refundedEvent?.data.previous_attributes).toEqual({
      amount_refunded: 0,
      refunded: false,
    });

    const again = await caught(stripe.refunds.create({ payment_intent: intent.id }));
    expect(again).toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
      message: `Charge ${chargeId} has already been refunded.`,
    });
  });

  it('refunds a charge in several partial refunds, then refuses to over-refund', async () => {
    const { intent, chargeId } = await paid(2000);
    const first = await stripe.refunds.create({ charge: chargeId, amount: 500 });
    const second = await stripe.refunds.create({ payment_intent: intent.id, amount: 700 });
    expect([first.amount, second.amount]).toEqual([500, 700]);
    const afterTwo = await stripe.charges.retrieve(chargeId);
    expect(afterTwo).toMatchObject({ amount_refunded: 1200, refunded: false });

    const over = await caught(stripe.refunds.create({ charge: chargeId, amount: 1000 }));
    expect(over).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      param: 'amount',
      message: 'Refund amount ($10.00) is greater than unrefunded amount on charge ($8.00)',
    });
    // The rest, by default.
    const rest = await stripe.refunds.create({ charge: chargeId });
    expect(rest.amount).toBe(800);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({
      amount_refunded: 2000,
      refunded: true,
    });

    const listed = await stripe.refunds.list({ charge: chargeId });
    expect(listed.data.map((refund) => refund.id)).toEqual([rest.id, second.id, first.id]);
    listed.data.forEach(conforms);
    const byIntent = await stripe.refunds
      .list({ payment_intent: intent.id, limit: 2 })
      .autoPagingToArray({ limit: 10 });
    expect(byIntent).toHaveLength(3);
    const expanded = conforms(await stripe.charges.retrieve(chargeId, { expand: ['refunds'] }));
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
      await stripe.refunds.create({ charge: chargeId, amount: first });
      const over = await caught(
        stripe.refunds.create({
          charge: chargeId,
          amount: currency === 'eur' ? 750 : amount - first + 100,
        }),
      );
      expect(over.message).toBe(message);
      expect(over.param).toBe('amount');
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
    const open = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const none = await caught(stripe.refunds.create({ payment_intent: open.id }));
    expect(none).toMatchObject({
      statusCode: 400,
      param: 'payment_intent',
      message: `This PaymentIntent (${open.id}) does not have a successful charge to refund.`,
    });

    const declined = await caught(
      stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    const failedIntent = (declined.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent;
    const byIntent = await caught(stripe.refunds.create({ payment_intent: failedIntent.id }));
    expect(byIntent.message).toContain('does not have a successful charge to refund');
    const byCharge = await caught(
      stripe.refunds.create({ charge: failedIntent.latest_charge as string }),
    );
    expect(byCharge.statusCode).toBe(400);

    const { intent: authorized } = await paid(100, 'usd', { capture_method: 'manual' });
    const uncaptured = await caught(stripe.refunds.create({ payment_intent: authorized.id }));
    expect(uncaptured).toMatchObject({ statusCode: 400, param: 'charge' });
    expect(uncaptured.message).toContain('has not been captured');
  });

  it('after a partial capture only the captured amount can be refunded', async () => {
    const { intent, chargeId } = await paid(2000, 'usd', { capture_method: 'manual' });
    await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1200 });
    const over = await caught(stripe.refunds.create({ charge: chargeId, amount: 1300 }));
    expect(over.message).toBe(
      'Refund amount ($13.00) is greater than unrefunded amount on charge ($12.00)',
    );
    const refund = await stripe.refunds.create({ charge: chargeId });
    expect(refund.amount).toBe(1200);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({
      amount_refunded: 2000,
      refunded: true,
    });
  });

  it('validates its parameters', async () => {
    const { intent, chargeId } = await paid(500);
    expect(await caught(stripe.refunds.create({}))).toMatchObject({ statusCode: 400 });
    expect(await caught(stripe.refunds.create({ charge: chargeId, amount: 0 }))).toMatchObject({
      param: 'amount',
    });
    expect(
      await caught(stripe.refunds.create({ charge: chargeId, reason: 'changed_mind' as never })),
    ).toMatchObject({ param: 'reason' });
    expect(await caught(stripe.refunds.create({ charge: 'ch_missing' }))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'charge',
    });
    expect(await caught(stripe.refunds.create({ payment_intent: 'pi_missing' }))).toMatchObject({
      statusCode: 404,
      param: 'payment_intent',
    });
    const other = await paid(500);
    const mismatch = await caught(
      stripe.refunds.create({ charge: chargeId, payment_intent: other.intent.id }),
    );
    expect(mismatch).toMatchObject({ statusCode: 400, param: 'charge' });
    expect(
      await caught(stripe.refunds.create({ charge: chargeId, instructions: 'x' } as never)),
    ).toMatchObject({
      code: 'parameter_unknown',
    });
    expect(
      (await stripe.refunds.create({ payment_intent: intent.id, charge: chargeId })).amount,
    ).toBe(500);
  });

  it('retrieves and updates a refund', async () => {
    const { chargeId } = await paid(900);
    const refund = await stripe.refunds.create({
      charge: chargeId,
      amount: 100,
      metadata: { a: '1' },
    });
    const fetched = conforms(await stripe.refunds.retrieve(refund.id, { expand: ['charge'] }));
    expect((fetched.charge as Stripe.Charge).id).toBe(chargeId);
    const updated = conforms(await stripe.refunds.update(refund.id, { metadata: { a: '2' } }));
    expect(updated.metadata).toEqual({ a: '2' });
    expect(await eventTypesFor(refund.id, chargeId)).toEqual([
      'charge.succeeded',
      'refund.created',
      'charge.refunded',
      'refund.updated',
    ]);
    const updatedEvent = (
      await stripe.events.list({ type: 'refund.updated', limit: 100 })
    ).data.find((event) => (event.data.object as Stripe.Refund).id === refund.id);
    expect(updatedEvent?.data.previous_attributes).toEqual({ metadata: { a: '1' } });
    expect(await caught(stripe.refunds.update(refund.id, { amount: 5 } as never))).toMatchObject({
      code: 'parameter_unknown',
    });
    expect(await caught(stripe.refunds.retrieve('re_missing'))).toMatchObject({
      statusCode: 404,
      message: "No such refund: 're_missing'",
    });
  });
});
