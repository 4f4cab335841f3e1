/**
 * Saving cards: setup intents, the list, the default card and removal, through HTTP with the
 * typed client against the in-process sandbox; and the cards kept in the database from webhooks.
 */
import { paymentMethodsResponse, setupIntentResponse } from '@tillkit/protocol';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentMethods } from '../storage/schema.js';
import { eventually, expectApiError, startTestApp, type TestApp } from '../test-support/harness.js';

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

/** Saves a card as the browser would: creates a setup intent, then confirms it in the sandbox. */
async function saveCard(token: string, card = 'pm_card_visa') {
  const intent = setupIntentResponse.parse(await app.client(token).createSetupIntent());
  const confirmed = await app.sandbox.stripe.setupIntents.confirm(intent.id, {
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
