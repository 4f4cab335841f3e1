/**
 * Saving cards: setup intents, the list, the default card and removal, through HTTP with the
 * typed client against the in-process sandbox; and the cards kept in the database from webhooks.
 */
import { paymentMethodsResponse, setupIntentResponse } from '@tillkit/protocol';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentMethods } from '../storage/schema.js';
import {
  eventually,
  expectApiError,
  hookedTestApp,
  startTestApp,
  type TestApp,
} from '../test-support/harness.js';

let app: TestApp;
let carol: string;
let dave: string;

beforeAll(async () => {
  app = await startTestApp();
  [carol, dave] = await Promise.all([
    app.token('carol', 'user', 'carol@example.com'),
    app.token('dave'),
  ]);
});
afterAll(() => app?.close());

/**
 * Saves a card as the browser would: creates a setup intent (in `on`, the file's app unless
 * another), then confirms it in the sandbox.
 */
async function saveCard(token: string, card = 'pm_card_visa', on: TestApp = app) {
  const intent = setupIntentResponse.parse(await on.client(token).createSetupIntent());
  const confirmed = await on.sandbox.stripe.setupIntents.confirm(intent.id, {
    payment_method: card,
    return_url: 'http://localhost:5173/done',
  });
  return confirmed.payment_method as string;
}

describe('POST /setup-intents', () => {
  it('answers 201 with a client secret for the caller’s customer; guests get a 401', async () => {
    const intent = await app.client(carol).createSetupIntent();
    expect(intent).toEqual({
      id: expect.stringMatching(/^seti_/),
      clientSecret: expect.stringContaining('_secret_'),
    });
    const stripeIntent = await app.sandbox.stripe.setupIntents.retrieve(intent.id);
    expect(stripeIntent.usage).toBe('off_session');
    const customer = await app.sandbox.stripe.customers.retrieve(stripeIntent.customer as string);
    expect((customer as { metadata: Record<string, string> }).metadata.tillkit_user_id).toBe(
      'carol',
    );
    await expectApiError(app.client().createSetupIntent(), 401, 'unauthenticated');
  });
});

describe('payment methods', () => {
  it('a caller with no customer yet has no cards (and the read creates no customer)', async () => {
    const before = (await app.sandbox.stripe.customers.list({ limit: 100 })).data.length;
    expect(await app.client(await app.token('erin')).listPaymentMethods()).toEqual({ data: [] });
    expect((await app.sandbox.stripe.customers.list({ limit: 100 })).data.length).toBe(before);
  });

  it('lists saved cards, sets the default, removes one; webhooks keep them in the database', async () => {
    const visa = await saveCard(carol);
    const mastercard = await saveCard(carol, 'pm_card_mastercard');
    const list = paymentMethodsResponse.parse(await app.client(carol).listPaymentMethods());
    expect(list.data.map((card) => [card.brand, card.last4, card.isDefault]).sort()).toEqual([
      ['mastercard', '4444', false],
      ['visa', '4242', false],
    ]);
    expect(list.data[0]).toMatchObject({
      expMonth: expect.any(Number),
      expYear: expect.any(Number),
    });

    const chosen = await app.client(carol).setDefaultPaymentMethod(mastercard);
    expect(chosen).toMatchObject({ id: mastercard, isDefault: true });
    const after = await app.client(carol).listPaymentMethods();
    expect(after.data.find((card) => card.id === mastercard)?.isDefault).toBe(true);
    expect(after.data.find((card) => card.id === visa)?.isDefault).toBe(false);

    expect(await app.client(carol).deletePaymentMethod(visa)).toEqual({ id: visa, deleted: true });
    expect((await app.client(carol).listPaymentMethods()).data.map((card) => card.id)).toEqual([
      mastercard,
    ]);

    // Kept from setup_intent.succeeded, payment_method.attached and .detached.
    await app.sandbox.waitForWebhooks();
    await eventually(async () => {
      const rows = await app.database.db
        .select()
        .from(paymentMethods)
        .where(eq(paymentMethods.id, visa));
      expect(rows[0]).toMatchObject({ brand: 'visa', last4: '4242', stripeCustomerId: null });
    });
    const [kept] = await app.database.db
      .select()
      .from(paymentMethods)
      .where(eq(paymentMethods.id, mastercard));
    expect(kept?.stripeCustomerId).toMatch(/^cus_/);
  });

  it('someone else’s card is a 404 for default and delete, and stays untouched', async () => {
    const card = await saveCard(carol);
    await app.client(dave).createSetupIntent(); // Dave has a customer too.
    await expectApiError(app.client(dave).setDefaultPaymentMethod(card), 404, 'not_found');
    await expectApiError(app.client(dave).deletePaymentMethod(card), 404, 'not_found');
    await expectApiError(app.client(dave).deletePaymentMethod('pm_doesnotexist'), 404, 'not_found');
    // A caller with no customer at all.
    await expectApiError(
      app.client(await app.token('frank')).deletePaymentMethod(card),
      404,
      'not_found',
    );
    const pm = await app.sandbox.stripe.paymentMethods.retrieve(card);
    expect(pm.customer).toMatch(/^cus_/);
    expect((await app.client(carol).listPaymentMethods()).data.map((c) => c.id)).toContain(card);
    await expectApiError(app.client().listPaymentMethods(), 401, 'unauthenticated');
  });

  it('a card saved while paying (savePaymentMethod) shows up in the list', async () => {
    const intent = await app.client(dave).createPaymentIntent({
      items: [{ price: app.prices.tshirt?.id as string, quantity: 1 }],
      savePaymentMethod: true,
    });
    const stripeIntent = await app.sandbox.stripe.paymentIntents.retrieve(intent.id);
    expect(stripeIntent.setup_future_usage).toBe('off_session');
    await app.pay(intent.id);
    const cards = await app.client(dave).listPaymentMethods();
    expect(cards.data).toHaveLength(1);
    expect(cards.data[0]?.last4).toBe('4242');
  });
});

describe('the default card and subscriptions', () => {
  let clocked: TestApp;
  beforeAll(async () => {
    clocked = await startTestApp({ testClocks: true });
  });
  afterAll(() => clocked?.close());

  const price = (key: string) => clocked.prices[key]?.id as string;
  const stripe = () => clocked.sandbox.stripe;

  /** Subscribes to Starter monthly, paying its first invoice with `card`; answers its id and the card. */
  async function subscribe(token: string, card: string) {
    const created = await clocked
      .client(token)
      .createSubscription({ price: price('starter_monthly') });
    const intent = await clocked.confirmPayment(created.clientSecret as string, card);
    await eventually(async () => {
      const { data } = await clocked.client(token).listSubscriptions();
      expect(data).toEqual([expect.objectContaining({ id: created.id, status: 'active' })]);
    });
    return { id: created.id, card: intent.payment_method as string };
  }

  /** The card that paid the subscription's renewal, once the caller's clock is past it. */
  async function renewalCard(token: string, subscription: string) {
    await clocked.sandbox.waitForWebhooks();
    await clocked.client(token).sandboxAdvance({ days: 32 });
    const invoices = await stripe().invoices.list({ subscription });
    const renewal = invoices.data.find(
      (invoice) => invoice.billing_reason === 'subscription_cycle',
    );
    expect(renewal?.status).toBe('paid');
    const [payment] = (await stripe().invoicePayments.list({ invoice: renewal?.id as string }))
      .data;
    const intent = await stripe().paymentIntents.retrieve(
      payment?.payment.payment_intent as string,
    );
    return intent.payment_method;
  }

  it('the card a subscription was paid with is marked default; making another the default moves the renewals to it', async () => {
    const token = await clocked.token('gwen');
    const subscription = await subscribe(token, 'pm_card_visa');
    // The card is kept on the subscription (on_subscription), and it is what renews.
    const listed = await clocked.client(token).listPaymentMethods();
    expect(listed.data).toEqual([
      expect.objectContaining({ id: subscription.card, isDefault: true }),
    ]);

    const mastercard = await saveCard(token, 'pm_card_mastercard', clocked);
    await clocked.client(token).setDefaultPaymentMethod(mastercard);
    const after = await clocked.client(token).listPaymentMethods();
    expect(after.data.map((card) => [card.id, card.isDefault]).sort()).toEqual(
      [
        [mastercard, true],
        [subscription.card, false],
      ].sort(),
    );
    expect((await stripe().subscriptions.retrieve(subscription.id)).default_payment_method).toBe(
      mastercard,
    );
    expect(await renewalCard(token, subscription.id)).toBe(mastercard);
  });

  it('removing the card a subscription pays with moves it to the default card, or leaves it none', async () => {
    const token = await clocked.token('hugo');
    const visa = await saveCard(token, 'pm_card_visa', clocked);
    await clocked.client(token).setDefaultPaymentMethod(visa);
    // Paid with another card, which the subscription keeps for itself.
    const subscription = await subscribe(token, 'pm_card_mastercard');
    expect((await stripe().subscriptions.retrieve(subscription.id)).default_payment_method).toBe(
      subscription.card,
    );

    await clocked.client(token).deletePaymentMethod(subscription.card);
    expect((await stripe().subscriptions.retrieve(subscription.id)).default_payment_method).toBe(
      visa,
    );
    expect(await renewalCard(token, subscription.id)).toBe(visa);

    // The default card removed too: nothing is left for the subscription to point at.
    await clocked.client(token).deletePaymentMethod(visa);
    expect(
      (await stripe().subscriptions.retrieve(subscription.id)).default_payment_method,
    ).toBeNull();
    expect(await clocked.client(token).listPaymentMethods()).toEqual({ data: [] });
  });

  it('with no default chosen, removing the card a subscription pays with moves it to another saved card', async () => {
    const token = await clocked.token('ines');
    const subscription = await subscribe(token, 'pm_card_visa');
    const mastercard = await saveCard(token, 'pm_card_mastercard', clocked);
    // The subscription's card is the one marked default; the customer never chose one.
    expect(
      (await clocked.client(token).listPaymentMethods()).data.find((card) => card.isDefault)?.id,
    ).toBe(subscription.card);

    await clocked.client(token).deletePaymentMethod(subscription.card);
    expect((await stripe().subscriptions.retrieve(subscription.id)).default_payment_method).toBe(
      mastercard,
    );
    expect(await renewalCard(token, subscription.id)).toBe(mastercard);
  });
});

describe('two removals at once', () => {
  const hooked = hookedTestApp({});

  it('a subscription moved onto a card while it is being removed is moved off it again', async () => {
    const tabs = hooked.app;
    const token = await tabs.token('twotabs');
    const client = tabs.client(token);
    const visa = await saveCard(token, 'pm_card_visa', tabs);
    const mastercard = await saveCard(token, 'pm_card_mastercard', tabs);
    const created = await client.createSubscription({
      price: tabs.prices.starter_monthly?.id as string,
    });
    const paid = await tabs.confirmPayment(created.clientSecret as string, visa);
    expect(paid.status).toBe('succeeded');
    const stripe = tabs.sandbox.stripe;
    // Another tab removes the Visa: its request moves the subscription to the Mastercard just
    // as this request, removing the Mastercard, has looked (nothing on it) and detaches it.
    hooked.hook = async (method, path) => {
      if (method === 'POST' && path === `/v1/payment_methods/${mastercard}/detach`) {
        hooked.hook = undefined;
        await stripe.subscriptions.update(created.id, { default_payment_method: mastercard });
      }
    };
    await client.deletePaymentMethod(mastercard);
    // The other tab's move happened (the hook clears itself when it runs).
    expect(hooked.hook).toBeUndefined();
    const subscription = await stripe.subscriptions.retrieve(created.id);
    expect(subscription.default_payment_method).toBe(visa);
  });
});
