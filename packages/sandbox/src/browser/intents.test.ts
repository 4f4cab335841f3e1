import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_CARD_ERROR, REAL_CARD_NUMBERS } from '../test-support/live-cards.js';
import { startTestSandbox, type TestSandbox } from '../test-support/test-sandbox.js';
import { createApi, type SandboxApi } from './api.js';
import { confirmIntent, type IntentKind } from './intents.js';
import { de } from './locales.js';

let sandbox: TestSandbox;
let api: SandboxApi;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  api = createApi(sandbox.url, sandbox.publishableKey);
});

afterAll(async () => {
  await sandbox.close();
});

/**
 * What the element frame and `stripe.confirmPayment()` / `confirmSetup()` do with a card the
 * customer typed: the payment method from the publishable key, then the confirmation with the
 * client secret, in `locale`.
 */
async function confirmTypedCard(kind: IntentKind, number: string, locale: string) {
  const intent =
    kind === 'payment'
      ? await sandbox.stripe.paymentIntents.create({
          amount: 2000,
          currency: 'usd',
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
        })
      : await sandbox.stripe.setupIntents.create({});
  const created = await api.post<{ id: string }>('/v1/payment_methods', {
    type: 'card',
    card: { number, exp_month: 12, exp_year: 2040, cvc: '123' },
  });
  if (!created.ok) throw new Error(`creating the payment method failed: ${created.error.message}`);
  return confirmIntent(
    api,
    kind,
    intent.client_secret as string,
    { payment_method: created.body.id },
    { handleActions: true, locale },
  );
}

describe('confirming a real card number (Stripe.js)', () => {
  it.each(['payment', 'setup'] as const)(
    'a %s resolves to the test_mode_live_card error, worded in German for de',
    async (kind) => {
      const result = await confirmTypedCard(kind, REAL_CARD_NUMBERS.visa, 'de-DE');
      expect(result.paymentIntent ?? result.setupIntent).toBeUndefined();
      expect(result.error).toMatchObject({
        type: LIVE_CARD_ERROR.type,
        code: LIVE_CARD_ERROR.code,
        decline_code: LIVE_CARD_ERROR.decline_code,
        message: de.testModeLiveCard,
      });
      expect(result.error?.[`${kind}_intent`]).toMatchObject({
        status: 'requires_payment_method',
      });
    },
  );

  it("keeps Stripe's whole English message, and falls back to it for locales it does not speak", async () => {
    for (const locale of ['en', 'fr-FR']) {
      const result = await confirmTypedCard('payment', REAL_CARD_NUMBERS.visa, locale);
      expect(result.error, locale).toMatchObject(LIVE_CARD_ERROR);
    }
  });
});

describe('confirming an intent that already went through (Stripe.js)', () => {
  it.each(['payment', 'setup'] as const)(
    'a %s resolves to …_unexpected_state with the succeeded intent attached, as Stripe.js does',
    async (kind) => {
      // As after a confirmation whose answer was lost: the customer presses pay again.
      const params = {
        payment_method: 'pm_card_visa',
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const },
        confirm: true,
      };
      const intent =
        kind === 'payment'
          ? await sandbox.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', ...params })
          : await sandbox.stripe.setupIntents.create(params);
      expect(intent.status).toBe('succeeded');
      const again = await confirmIntent(
        api,
        kind,
        intent.client_secret as string,
        { payment_method: 'pm_card_visa' },
        { handleActions: true, locale: 'en' },
      );
      expect(again.paymentIntent ?? again.setupIntent).toBeUndefined();
      expect(again.error).toMatchObject({
        type: 'invalid_request_error',
        code: `${kind}_intent_unexpected_state`,
        [`${kind}_intent`]: { id: intent.id, status: 'succeeded' },
      });
    },
  );
});

describe('3D Secure without a challenge (Stripe.js)', () => {
  it.each(['payment', 'setup'] as const)(
    'a %s with 4000000032200000 goes through requires_action and succeeds with no dialog',
    async (kind) => {
      // No DOM here: a dialog could not even open.
      expect(typeof document).toBe('undefined');
      const result = await confirmTypedCard(kind, '4000000032200000', 'en');
      expect(result.error).toBeUndefined();
      const intent = result.paymentIntent ?? result.setupIntent;
      expect(intent).toMatchObject({ status: 'succeeded', next_action: null });
      const events = sandbox.core.store
        .collection<Stripe.Event>('events')
        .values()
        .filter((event) => (event.data.object as { id: string }).id === intent?.id)
        .map((event) => event.type);
      expect(events).toEqual([
        `${kind}_intent.created`,
        `${kind}_intent.requires_action`,
        `${kind}_intent.succeeded`,
      ]);
    },
  );
});
