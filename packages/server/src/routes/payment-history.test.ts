/**
 * A payment's lines and a customer's own payment history, through HTTP with the typed client,
 * against the in-process sandbox: the lines kept from `POST` and `PATCH /payment-intents` and from
 * a Checkout page, whichever of the route and the webhooks writes first; and `GET /payments` for a
 * user (their own, paid or on its way, newest first, in pages, each with its receipt) and for an
 * admin (every payment), on both engines; and `GET /payments/:id` read with the PaymentIntent's
 * client secret, by a guest who just paid or by anyone holding it.
 */
import type { PaymentLine } from '@tillkit/protocol';
import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments } from '../storage/schema.js';
import {
  ENGINES,
  eventually,
  expectApiError,
  FRONTEND,
  hookedTestApp,
  startTestApp,
  type TestApp,
} from '../test-support/harness.js';

const T_SHIRT = 'Tillkit T-shirt';
const MUG = 'Tillkit Mug';

describe('the lines of a payment', () => {
  let app: TestApp;
  let alice: string;
  let admin: string;

  beforeAll(async () => {
    app = await startTestApp();
    [alice, admin] = await Promise.all([app.token('alice'), app.token('ada', 'admin')]);
  });
  afterAll(() => app?.close());

  const price = (key: string) => app.prices[key]?.id as string;
  const line = (key: string, productName: string, quantity: number, unitAmount: number) =>
    ({ price: price(key), productName, quantity, unitAmount }) satisfies PaymentLine;
  const storedRow = async (id: string) =>
    (await app.database.db.select().from(payments).where(eq(payments.id, id)))[0];

  it('are kept from the priced cart, and stay once a test card paid it and the webhook came', async () => {
    const intent = await app.client(alice).createPaymentIntent({
      items: [
        { price: price('tshirt'), quantity: 2 },
        { price: price('mug'), quantity: 1 },
      ],
    });
    const lines = [line('tshirt', T_SHIRT, 2, 2500), line('mug', MUG, 1, 1400)];
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      status: 'requires_payment_method',
      amount: 6400,
      lines,
    });
    // Stripe.js confirms with the client secret; payment_intent.succeeded then rewrites the row.
    await app.confirmPayment(intent.clientSecret);
    await app.sandbox.waitForWebhooks();
    const paid = await app.client(alice).getPayment(intent.id);
    expect(paid).toEqual({
      id: intent.id,
      status: 'succeeded',
      amount: 6400,
      amountRefunded: 0,
      // The route priced the cart: no discount.
      amountDiscount: 0,
      currency: 'usd',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      receiptUrl: expect.stringMatching(`${app.sandbox.url}/v1/_sandbox/receipts/`),
      lines,
    });
    expect((await app.client(alice).listPayments()).data).toContainEqual(paid);
    expect(await app.client(admin).getPayment(intent.id)).toEqual(paid);
  });

  it('follow a PATCH; a creation replayed afterwards does not bring the old cart back', async () => {
    const key = crypto.randomUUID();
    const body = { items: [{ price: price('tshirt'), quantity: 1 }] };
    const intent = await app.client(alice).createPaymentIntent(body, { idempotencyKey: key });
    await app.client(alice).updatePaymentIntent(intent.id, {
      items: [
        { price: price('tshirt'), quantity: 3 },
        { price: price('mug'), quantity: 2 },
      ],
    });
    const lines = [line('tshirt', T_SHIRT, 3, 2500), line('mug', MUG, 2, 1400)];
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({ amount: 10_300, lines });
    // A retry of the creation: Stripe answers it as it first did, with the old amount.
    const replayed = await app.client(alice).createPaymentIntent(body, { idempotencyKey: key });
    expect(replayed).toMatchObject({ id: intent.id, amount: 2500 });
    expect((await app.client(alice).getPayment(intent.id)).lines).toEqual(lines);
    await app.confirmPayment(intent.clientSecret);
    await app.sandbox.waitForWebhooks();
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      status: 'succeeded',
      amount: 10_300,
      lines,
    });
  });

  it('a PATCH whose write fails fails, and the same PATCH sent again stores the new cart', async () => {
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    // The database refuses any change to this payment's row, as a lost connection would.
    const run = (statement: string) => app.database.db.execute(sql.raw(statement));
    await run(`create function tillkit_test_refuse() returns trigger language plpgsql
      as $$ begin raise exception 'the database is gone'; end $$`);
    await run(`create trigger tillkit_test_refuse before update on tillkit_payments for each row
      when (old.id = '${intent.id}') execute function tillkit_test_refuse()`);
    const body = { items: [{ price: price('mug'), quantity: 2 }] };
    try {
      await expectApiError(
        app.client(alice).updatePaymentIntent(intent.id, body),
        500,
        'internal_error',
      );
    } finally {
      await run('drop trigger tillkit_test_refuse on tillkit_payments');
      await run('drop function tillkit_test_refuse()');
    }
    // Stripe took the new amount; the row kept the old cart, and the kit confirmed nothing.
    expect(await storedRow(intent.id)).toMatchObject({
      amount: 2500,
      lines: [line('tshirt', T_SHIRT, 1, 2500)],
    });
    // The kit's next submit sends the same PATCH, which stores what Stripe charges.
    await app.client(alice).updatePaymentIntent(intent.id, body);
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      amount: 2800,
      lines: [line('mug', MUG, 2, 1400)],
    });
  });

  it('zero-decimal yen: the stored row holds Stripe’s amounts, from the route and from Checkout', async () => {
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('mug_jpy'), quantity: 3 }] });
    await app.confirmPayment(intent.clientSecret);
    await app.sandbox.waitForWebhooks();
    const yen = [line('mug_jpy', MUG, 3, 1500)];
    expect(await storedRow(intent.id)).toMatchObject({
      status: 'succeeded',
      amount: 4500,
      currency: 'jpy',
      lines: yen,
    });

    // The Checkout page's line items become the lines, when checkout.session.completed comes.
    const session = await app.client(alice).createCheckoutSession({
      mode: 'payment',
      items: [{ price: price('mug_jpy'), quantity: 3 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    });
    await app.payCheckout(session.url);
    await app.sandbox.waitForWebhooks();
    const paid = (await app.sandbox.stripe.checkout.sessions.retrieve(session.id))
      .payment_intent as string;
    expect(await storedRow(paid)).toMatchObject({
      userId: 'alice',
      status: 'succeeded',
      amount: 4500,
      currency: 'jpy',
      lines: yen,
    });
    expect((await app.client(alice).getPayment(paid)).lines).toEqual(yen);
  });

  it('are empty for a payment made elsewhere, whose cart the server never saw', async () => {
    const foreign = await app.sandbox.stripe.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_visa',
      return_url: `${FRONTEND}/done`,
    });
    await app.sandbox.waitForWebhooks();
    expect(await app.client(admin).getPayment(foreign.id)).toMatchObject({
      status: 'succeeded',
      amount: 1200,
      lines: [],
    });
  });
});

describe('the payments of a subscription', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      testClocks: true,
      router: { checkout: { allowPromotionCodes: true } },
    });
  });
  afterAll(() => app?.close());

  const price = (key: string) => app.prices[key]?.id as string;

  it('have the plan’s line and its discount from the invoice; one paid in part by credit, or a plan change’s prorations, is listed as an amount alone', async () => {
    const token = await app.token('sub-history');
    const client = app.client(token);
    const created = await client.createSubscription({
      price: price('starter_monthly'),
      quantity: 2,
      promotionCode: 'WELCOME10',
    });
    await app.confirmPayment(created.clientSecret as string);
    await app.sandbox.waitForWebhooks();
    const starter = {
      price: price('starter_monthly'),
      productName: 'Starter',
      quantity: 2,
      unitAmount: 900,
    } satisfies PaymentLine;
    const first = await eventually(async () => {
      const { data } = await client.listPayments();
      expect(data).toHaveLength(1);
      expect(data[0]).toMatchObject({
        status: 'succeeded',
        amount: 1620,
        amountDiscount: 180,
        lines: [starter],
      });
      return data[0];
    });

    // The renewal: the `once` code is used up, the full price.
    await client.sandboxAdvance({ days: 32 });
    await app.sandbox.waitForWebhooks();
    await eventually(async () => {
      const { data } = await client.listPayments();
      expect(
        data.map(({ amount, amountDiscount, lines }) => ({ amount, amountDiscount, lines })),
      ).toEqual([
        { amount: 1800, amountDiscount: 0, lines: [starter] },
        { amount: 1620, amountDiscount: 180, lines: [starter] },
      ]);
    });

    // A renewal that a customer credit paid part of: the lines would not add up to the amount.
    const customer = (await app.sandbox.stripe.subscriptions.retrieve(created.id))
      .customer as string;
    await app.sandbox.stripe.customers.update(customer, { balance: -500 });
    await client.sandboxAdvance({ days: 31 });
    await app.sandbox.waitForWebhooks();
    await eventually(async () => {
      const { data } = await client.listPayments();
      expect(data).toHaveLength(3);
      expect(data[0]).toMatchObject({ amount: 1300, amountDiscount: 0, lines: [] });
    });

    // A plan change charges the rest of the period less the unused time: no price × quantity.
    await client.changeSubscription(created.id, { price: price('pro_monthly') });
    await app.sandbox.waitForWebhooks();
    await eventually(async () => {
      const { data } = await client.listPayments();
      expect(data).toHaveLength(4);
      expect(data[0]).toMatchObject({ status: 'succeeded', amountDiscount: 0, lines: [] });
      expect(data[0]?.amount).toBeGreaterThan(0);
    });
    expect(await client.getPayment(first?.id as string)).toMatchObject({ lines: [starter] });
  });
});

describe('the route and the webhooks writing the same payment', () => {
  const hooked = hookedTestApp();
  const price = (key: string) => hooked.app.prices[key]?.id as string;
  let alice: string;
  beforeAll(async () => {
    alice = await hooked.app.token('alice');
  });

  it('a webhook stored first: the route’s later write adds the lines and keeps the status', async () => {
    const { app } = hooked;
    await app.sandbox.waitForWebhooks();
    let attempts = 0;
    let before: unknown;
    hooked.hook = async (method, path) => {
      if (method !== 'POST' || path !== '/v1/payment_intents') return;
      attempts += 1;
      if (attempts === 1) {
        // Stripe makes the intent but its answer is lost: stripe-node sends it again.
        app.sandbox.chaos.set({ api: { failNext: 1, failWhen: 'after', failWith: 'drop' } });
        return;
      }
      // Meanwhile the intent is paid and its webhook stored before the route writes anything.
      app.sandbox.chaos.reset();
      const [made] = (await app.sandbox.stripe.paymentIntents.list({ limit: 1 })).data;
      await app.pay(made?.id as string);
      await app.sandbox.waitForWebhooks();
      before = (
        await app.database.db
          .select()
          .from(payments)
          .where(eq(payments.id, made?.id as string))
      )[0];
    };
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 2 }] });
    expect(attempts).toBe(2);
    expect(before).toMatchObject({ id: intent.id, status: 'succeeded', lines: [] });
    // The route's copy is Stripe's first answer, replayed: still unpaid.
    expect(intent.status).toBe('requires_payment_method');
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      status: 'succeeded',
      amount: 5000,
      lines: [{ price: price('tshirt'), productName: T_SHIRT, quantity: 2, unitAmount: 2500 }],
    });
  });

  it('a PATCH overtaken by another re-pricing leaves the lines to the newer one', async () => {
    const { app } = hooked;
    const intent = await app
      .client(alice)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 1 }] });
    const path = `/v1/payment_intents/${intent.id}`;
    let updated = false;
    hooked.hook = async (method, requestPath) => {
      if (requestPath !== path) return;
      if (method === 'POST') updated = true;
      else if (updated) {
        updated = false;
        // Between this PATCH's update and its re-read, another tab's PATCH re-priced the intent.
        await app.sandbox.stripe.paymentIntents.update(intent.id, {
          amount: 4200,
          metadata: { tillkit_items: `${price('mug')}:3` },
        });
      }
    };
    await app
      .client(alice)
      .updatePaymentIntent(intent.id, { items: [{ price: price('tshirt'), quantity: 2 }] });
    // The amount is Stripe's; the lines are not this PATCH's, which would not add up to it.
    const stored = await app.client(alice).getPayment(intent.id);
    expect(stored.amount).toBe(4200);
    expect(stored.lines).toEqual([
      { price: price('tshirt'), productName: T_SHIRT, quantity: 1, unitAmount: 2500 },
    ]);
    // The other tab's request stores its own lines once it re-reads the intent.
    hooked.hook = undefined;
    await app
      .client(alice)
      .updatePaymentIntent(intent.id, { items: [{ price: price('mug'), quantity: 3 }] });
    expect(await app.client(alice).getPayment(intent.id)).toMatchObject({
      amount: 4200,
      lines: [{ price: price('mug'), productName: MUG, quantity: 3, unitAmount: 1400 }],
    });
  });
});

describe.each(ENGINES)('GET /payments on %s', (engine) => {
  /** Seconds the sandbox's clock is ahead: each payment is made in a later second. */
  let ahead = 0;
  let app: TestApp;
  let carol: string;
  let dave: string;
  let admin: string;
  /** Carol's payments by what happened to them, oldest first. */
  const made: Record<string, string> = {};
  let daves: string;
  let guests: string;
  /** What `GET /payments/:id` answered for the refunded payment before its refund. */
  let receiptBeforeRefund: string | null;

  const price = (key: string) => app.prices[key]?.id as string;
  async function create(token: string | undefined, key: string, quantity = 1) {
    ahead += 1;
    return app.client(token).createPaymentIntent({ items: [{ price: price(key), quantity }] });
  }

  beforeAll(async () => {
    app = await startTestApp({
      engine,
      clock: { now: () => Math.floor(Date.now() / 1000) + ahead },
    });
    [carol, dave, admin] = await Promise.all([
      app.token('carol'),
      app.token('dave'),
      app.token('ada', 'admin'),
    ]);
    const paid = await create(carol, 'tshirt');
    await app.pay(paid.id);
    made.paid = paid.id;
    made.unpaid = (await create(carol, 'mug')).id;
    const declined = await create(carol, 'tshirt', 2);
    await app.pay(declined.id, 'pm_card_chargeDeclined').catch(() => {});
    made.declined = declined.id;
    const refunded = await create(carol, 'mug', 2);
    await app.pay(refunded.id);
    await app.sandbox.waitForWebhooks();
    receiptBeforeRefund = (await app.client(carol).getPayment(refunded.id)).receiptUrl;
    await app.client(admin).createRefund({ paymentIntent: refunded.id });
    made.refunded = refunded.id;
    const canceled = await create(carol, 'tshirt');
    await app.sandbox.stripe.paymentIntents.cancel(canceled.id);
    made.canceled = canceled.id;
    made.processing = (await create(carol, 'tshirt', 3)).id;
    const latest = await create(carol, 'mug');
    await app.pay(latest.id);
    made.latest = latest.id;
    const other = await create(dave, 'tshirt');
    await app.pay(other.id);
    daves = other.id;
    const guest = await create(undefined, 'mug');
    await app.pay(guest.id);
    guests = guest.id;
    await app.sandbox.waitForWebhooks();
    // The sandbox pays cards only, which never wait; a bank debit's payment_intent.processing
    // would store this.
    await app.database.db
      .update(payments)
      .set({ status: 'processing' })
      .where(eq(payments.id, made.processing));
  });
  afterAll(() => app?.close());

  it('a user lists only their own paid and processing payments, newest first, refunds included', async () => {
    const { data, hasMore } = await app.client(carol).listPayments({ limit: 100 });
    expect(hasMore).toBe(false);
    expect(data.map((payment) => [payment.id, payment.status])).toEqual([
      [made.latest, 'succeeded'],
      [made.processing, 'processing'],
      [made.refunded, 'succeeded'],
      [made.paid, 'succeeded'],
    ]);
    expect(data[2]).toMatchObject({
      amount: 2800,
      amountRefunded: 2800,
      lines: [{ price: price('mug'), productName: MUG, quantity: 2, unitAmount: 1400 }],
    });
    expect((await app.client(dave).listPayments()).data.map((payment) => payment.id)).toEqual([
      daves,
    ]);
    expect((await app.client(await app.token('erin')).listPayments()).data).toEqual([]);
    await expectApiError(app.client().listPayments(), 401, 'unauthenticated');
  });

  it('pages with limit and startingAfter; a cursor that is not the caller’s own payment is a 400', async () => {
    const first = await app.client(carol).listPayments({ limit: 2 });
    expect(first.data.map((payment) => payment.id)).toEqual([made.latest, made.processing]);
    expect(first.hasMore).toBe(true);
    const second = await app
      .client(carol)
      .listPayments({ limit: 2, startingAfter: first.data[1]?.id });
    expect(second.data.map((payment) => payment.id)).toEqual([made.refunded, made.paid]);
    expect(second.hasMore).toBe(false);
    // One of Carol's own that the history does not show still places the page.
    const afterCanceled = await app
      .client(carol)
      .listPayments({ limit: 2, startingAfter: made.canceled });
    expect(afterCanceled.data.map((payment) => payment.id)).toEqual([made.refunded, made.paid]);
    // Someone else's payment, a guest's and an unknown id are refused alike.
    for (const startingAfter of [daves, guests, 'pi_nothere']) {
      const error = await expectApiError(
        app.client(carol).listPayments({ limit: 2, startingAfter }),
        400,
        'invalid_request',
      );
      expect(error.param).toBe('startingAfter');
    }
  });

  it('a payment that leaves the history between two pages still places the next one', async () => {
    const first = await app.client(carol).listPayments({ limit: 2 });
    expect(first.data.map((payment) => payment.id)).toEqual([made.latest, made.processing]);
    const setStatus = (status: string) =>
      app.database.db
        .update(payments)
        .set({ status })
        .where(eq(payments.id, made.processing as string));
    // The bank debit failed meanwhile (payment_intent.payment_failed would store this).
    await setStatus('requires_payment_method');
    try {
      const second = await app
        .client(carol)
        .listPayments({ limit: 2, startingAfter: first.data[1]?.id });
      expect(second.data.map((payment) => payment.id)).toEqual([made.refunded, made.paid]);
      expect(second.hasMore).toBe(false);
    } finally {
      await setStatus('processing');
    }
  });

  it('a payment made with a test card answers the receipt Stripe made, which the sandbox serves', async () => {
    const paid = made.paid as string;
    const { data } = await app.client(carol).listPayments({ limit: 100 });
    const receiptUrl = data.find((payment) => payment.id === paid)?.receiptUrl;
    const intent = await app.sandbox.stripe.paymentIntents.retrieve(paid, {
      expand: ['latest_charge'],
    });
    expect(receiptUrl).toBe((intent.latest_charge as Stripe.Charge).receipt_url);
    expect(receiptUrl).toMatch(`${app.sandbox.url}/v1/_sandbox/receipts/`);
    expect((await app.client(carol).getPayment(paid)).receiptUrl).toBe(receiptUrl);
    const page = await fetch(receiptUrl as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<dt>Amount paid</dt><dd>$25.00</dd>');
  });

  it('a payment declined and left unpaid, or never paid, has no receipt', async () => {
    const listed = (await app.client(carol).listPayments({ limit: 100 })).data.map(
      (payment) => payment.id,
    );
    expect(listed).not.toContain(made.declined);
    expect(await app.client(admin).getPayment(made.declined as string)).toMatchObject({
      status: 'requires_payment_method',
      receiptUrl: null,
    });
    for (const id of [made.unpaid, made.canceled, made.processing] as string[]) {
      expect((await app.client(admin).getPayment(id)).receiptUrl).toBeNull();
    }
  });

  it('a refund keeps the receipt, whose page then shows the refund and the net', async () => {
    expect(receiptBeforeRefund).toMatch(`${app.sandbox.url}/v1/_sandbox/receipts/`);
    const refunded = await app.client(carol).getPayment(made.refunded as string);
    expect(refunded).toMatchObject({ amountRefunded: 2800, receiptUrl: receiptBeforeRefund });
    const html = await (await fetch(refunded.receiptUrl as string)).text();
    expect(html).toContain('<th scope="row">Amount refunded</th><td class="amount">$28.00</td>');
    expect(html).toContain('<th scope="row">Net</th><td class="amount">$0.00</td>');
  });

  it('an admin still lists every payment, whoever made it and whatever its status', async () => {
    const { data } = await app.client(admin).listPayments({ limit: 100 });
    expect(data.map((payment) => payment.id)).toEqual([
      guests,
      daves,
      made.latest,
      made.processing,
      made.canceled,
      made.refunded,
      made.declined,
      made.unpaid,
      made.paid,
    ]);
    expect(data.find((payment) => payment.id === made.canceled)?.status).toBe('canceled');
    const after = await app.client(admin).listPayments({ limit: 2, startingAfter: made.canceled });
    expect(after.data.map((payment) => payment.id)).toEqual([made.refunded, made.declined]);
    // An unknown cursor is an empty page for an admin, as it always was.
    expect(await app.client(admin).listPayments({ startingAfter: 'pi_nothere' })).toEqual({
      data: [],
      hasMore: false,
    });
  });
});

describe.each(ENGINES)('GET /payments/:id with the client secret on %s', (engine) => {
  let app: TestApp;
  let erin: string;
  let frank: string;
  let admin: string;
  /** A guest's payment, paid through the route with a test card, and its intent. */
  let guest: { id: string; clientSecret: string };
  /** Another guest's intent, paid too. */
  let other: { id: string; clientSecret: string };
  let erins: { id: string; clientSecret: string };

  const price = (key: string) => app.prices[key]?.id as string;
  /** Every secret given in these tests, none of which may reach the logs. */
  const secrets = () => [guest.clientSecret, other.clientSecret, erins.clientSecret];

  beforeAll(async () => {
    app = await startTestApp({ engine });
    [erin, frank, admin] = await Promise.all([
      app.token('erin'),
      app.token('frank'),
      app.token('ada', 'admin'),
    ]);
    guest = await app.client().createPaymentIntent({
      items: [
        { price: price('tshirt'), quantity: 1 },
        { price: price('mug'), quantity: 2 },
      ],
    });
    other = await app
      .client()
      .createPaymentIntent({ items: [{ price: price('mug'), quantity: 1 }] });
    erins = await app
      .client(erin)
      .createPaymentIntent({ items: [{ price: price('tshirt'), quantity: 2 }] });
    // Stripe.js in each browser confirms with the client secret.
    for (const intent of [guest, other, erins]) await app.confirmPayment(intent.clientSecret);
  });
  afterAll(() => app?.close());

  it('a guest who paid reads the payment, its lines and its receipt, once the webhook stored it', async () => {
    const paid = await eventually(async () => {
      const payment = await app.client().getPayment(guest.id, { clientSecret: guest.clientSecret });
      expect(payment.receiptUrl).toMatch(`${app.sandbox.url}/v1/_sandbox/receipts/`);
      return payment;
    });
    expect(paid).toEqual({
      id: guest.id,
      status: 'succeeded',
      amount: 5300,
      amountRefunded: 0,
      amountDiscount: 0,
      currency: 'usd',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      receiptUrl: expect.any(String),
      lines: [
        { price: price('tshirt'), productName: T_SHIRT, quantity: 1, unitAmount: 2500 },
        { price: price('mug'), productName: MUG, quantity: 2, unitAmount: 1400 },
      ],
    });
    const receipt = await fetch(paid.receiptUrl as string);
    expect(await receipt.text()).toContain('<dt>Amount paid</dt><dd>$53.00</dd>');
    expect(await app.client(admin).getPayment(guest.id)).toEqual(paid);
  });

  it('without the secret, with a wrong one or another intent’s, the same 404 as an unknown id', async () => {
    await app.sandbox.waitForWebhooks();
    const unknown = await expectApiError(
      app.client().getPayment('pi_nothere', { clientSecret: guest.clientSecret }),
      404,
      'not_found',
    );
    const wrongByOne = `${guest.clientSecret.slice(0, -1)}${guest.clientSecret.endsWith('a') ? 'b' : 'a'}`;
    for (const query of [
      undefined,
      { clientSecret: '' },
      { clientSecret: wrongByOne },
      { clientSecret: `${guest.id}_secret_guessed` },
      { clientSecret: other.clientSecret },
    ]) {
      for (const token of [undefined, frank]) {
        const error = await expectApiError(
          app.client(token).getPayment(guest.id, query),
          404,
          'not_found',
        );
        expect(error.message).toBe(unknown.message.replace('pi_nothere', guest.id));
      }
    }
    // A secret too long for any intent is refused before Stripe is asked.
    const tooLong = await expectApiError(
      app.client().getPayment(guest.id, { clientSecret: 'x'.repeat(501) }),
      400,
      'invalid_request',
    );
    expect(tooLong.param).toBe('clientSecret');
  });

  it('a user reads their own without a secret, and someone else’s only with its secret', async () => {
    await app.sandbox.waitForWebhooks();
    const own = await app.client(erin).getPayment(erins.id);
    expect(own).toMatchObject({ id: erins.id, status: 'succeeded', amount: 5000 });
    await expectApiError(app.client(frank).getPayment(erins.id), 404, 'not_found');
    expect(
      await app.client(frank).getPayment(erins.id, { clientSecret: erins.clientSecret }),
    ).toEqual(own);
    await expectApiError(
      app.client(frank).getPayment(erins.id, { clientSecret: guest.clientSecret }),
      404,
      'not_found',
    );
    // A guest's payment, read by a signed-in user who holds its secret (paid, then signed in).
    expect(
      await app.client(erin).getPayment(other.id, { clientSecret: other.clientSecret }),
    ).toMatchObject({ id: other.id, amount: 1400 });
    await expectApiError(app.client(erin).getPayment(other.id), 404, 'not_found');
  });

  it('a payment Stripe has but whose webhook has not come is a 404 until it is stored', async () => {
    // Made elsewhere: nothing is stored until payment_intent.succeeded comes.
    const elsewhere = await app.sandbox.stripe.paymentIntents.create({
      amount: 1200,
      currency: 'usd',
    });
    const clientSecret = elsewhere.client_secret as string;
    await expectApiError(app.client().getPayment(elsewhere.id, { clientSecret }), 404, 'not_found');
    await app.confirmPayment(clientSecret);
    const stored = await eventually(() => app.client().getPayment(elsewhere.id, { clientSecret }));
    expect(stored).toMatchObject({ id: elsewhere.id, status: 'succeeded', lines: [] });
  });

  it('never logs a client secret, given or compared', async () => {
    await app.client().getPayment(guest.id, { clientSecret: guest.clientSecret });
    await app
      .client()
      .getPayment(guest.id, { clientSecret: other.clientSecret })
      .catch(() => {});
    const text = app.logs.text();
    expect(text).toContain('GET /payments/:id 200');
    expect(text).toContain('GET /payments/:id 404');
    for (const secret of secrets()) expect(text).not.toContain(secret);
    expect(text).not.toContain('_secret_');
  });
});
