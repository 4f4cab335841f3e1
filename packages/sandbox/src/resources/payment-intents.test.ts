import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { type Decline, TEST_CARDS, TEST_PAYMENT_METHOD_IDS, type TestCard } from '../core/cards.js';
import { sandboxStripe } from '../index.js';
import {
  caught,
  conforms,
  createCardPaymentMethod,
  setUpSandboxWithWebhooks,
} from '../test-support/harness.js';
import { LIVE_CARD_ERROR, REAL_CARD_NUMBERS } from '../test-support/live-cards.js';

const env = setUpSandboxWithWebhooks({ linkedBy: ['payment_intent'] });

/** Parameters for a server-side confirmation that needs no return_url. */
const CARD_ONLY = {
  amount: 2000,
  currency: 'usd',
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const },
};

function cardPaymentMethod(number: string, cvc?: string): Promise<Stripe.PaymentMethod> {
  return createCardPaymentMethod(env.stripe, number, cvc);
}

/** A payment the customer is not there for, confirmed at once with a saved card. */
function chargeOffSession(
  customer: string,
  paymentMethod: string,
  amount: number,
): Promise<Stripe.PaymentIntent> {
  return env.stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    customer,
    payment_method: paymentMethod,
    off_session: true,
    confirm: true,
  });
}

function rawError(error: Stripe.errors.StripeError): {
  payment_intent?: Stripe.PaymentIntent;
  payment_method?: Stripe.PaymentMethod;
  charge?: string;
} {
  return error.raw as never;
}

/**
 * POSTs the sandbox-only authentication answer for a PaymentIntent (or a SetupIntent) as a test
 * (JSON back), with the secret key. No outcome: the issuer answers alone, as Stripe.js asks it
 * before any challenge.
 */
async function authenticate(
  intent: Stripe.PaymentIntent | Stripe.SetupIntent,
  outcome: 'complete' | 'fail' | undefined,
  auth: 'secret' | 'client_secret' = 'secret',
): Promise<Response> {
  const body = new URLSearchParams(outcome ? { outcome } : {});
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (auth === 'secret') headers.Authorization = `Bearer ${env.sandbox.secretKey}`;
  else body.set('client_secret', intent.client_secret ?? '');
  const collection = intent.object === 'setup_intent' ? 'setup_intents' : 'payment_intents';
  return fetch(`${env.sandbox.url}/v1/_sandbox/${collection}/${intent.id}/authenticate`, {
    method: 'POST',
    headers,
    body,
  });
}

// --- test cards ----------------------------------------------------------------------------------

type Expected =
  | { kind: 'succeeded' }
  | { kind: 'requires_action' }
  | { kind: 'declined'; decline: Decline };

/**
 * What confirming on session comes to. A CVC is always there to check (`cardPaymentMethod` gives
 * one, and `pm_card_cvcCheckFail` comes with one); a charge decline comes after 3D Secure.
 */
function expectedOnSession(card: TestCard): Expected {
  const decline = card.decline ?? card.cvcDecline;
  if (decline) return { kind: 'declined', decline };
  if (card.threeDSecure !== 'none') return { kind: 'requires_action' };
  if (card.chargeDecline) return { kind: 'declined', decline: card.chargeDecline };
  return { kind: 'succeeded' };
}

async function checkOnSessionPayment(paymentMethod: string, card: TestCard): Promise<void> {
  const expected = expectedOnSession(card);
  const attempt = env.stripe.paymentIntents.create({
    ...CARD_ONLY,
    payment_method: paymentMethod,
    confirm: true,
  });
  if (expected.kind === 'declined') {
    const error = await caught(attempt);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe(expected.decline.code);
    expect(error.decline_code).toBe(expected.decline.declineCode);
    expect(error.message).toBe(expected.decline.message);
    const raw = rawError(error);
    const intent = conforms(raw.payment_intent as Stripe.PaymentIntent);
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.payment_method).toBeNull();
    expect(intent.last_payment_error).toMatchObject({
      type: 'card_error',
      code: expected.decline.code,
      decline_code: expected.decline.declineCode,
      message: expected.decline.message,
      charge: raw.charge,
    });
    expect(intent.last_payment_error?.payment_method?.card?.last4).toBe(card.number.slice(-4));
    const charge = conforms(await env.stripe.charges.retrieve(intent.latest_charge as string));
    expect(charge).toMatchObject({
      status: 'failed',
      paid: false,
      captured: false,
      failure_code: expected.decline.code,
      failure_message: expected.decline.message,
      outcome: { type: 'issuer_declined', reason: expected.decline.declineCode },
    });
    return;
  }
  const intent = conforms(await attempt);
  if (expected.kind === 'requires_action') {
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('use_stripe_sdk');
    expect(intent.latest_charge).toBeNull();
    return;
  }
  expect(intent.status).toBe('succeeded');
  expect(intent.amount_received).toBe(2000);
  const charge = conforms(await env.stripe.charges.retrieve(intent.latest_charge as string));
  expect(charge).toMatchObject({
    status: 'succeeded',
    paid: true,
    captured: true,
    amount_captured: 2000,
  });
  expect(charge.payment_method_details?.card).toMatchObject({
    brand: card.brand,
    last4: card.number.slice(-4),
    funding: card.funding,
    country: card.country,
  });
}

describe('test cards', () => {
  const byId = Object.entries(TEST_PAYMENT_METHOD_IDS).map(([id, number]) => ({
    label: id,
    id,
    card: TEST_CARDS.get(number) as TestCard,
  }));
  it.each(byId)('$label by test payment method id', async ({ id, card }) => {
    await checkOnSessionPayment(id, card);
  });

  const byNumber = [...TEST_CARDS.values()].map((card) => ({ label: card.number, card }));
  it.each(byNumber)('$label by card number', async ({ card }) => {
    const paymentMethod = await cardPaymentMethod(card.number);
    await checkOnSessionPayment(paymentMethod.id, card);
  });

  it.each([
    ['4000000000000002', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      '4000000000009995',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    ['4000000000000069', 'expired_card', 'expired_card', 'Your card has expired.'],
    [
      '4000000000000127',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
    ],
    [
      '4000000000000119',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ],
    ['4000000000009987', 'card_declined', 'lost_card', 'Your card was declined.'],
    ['4000000000009979', 'card_declined', 'stolen_card', 'Your card was declined.'],
    [
      '4000000000006975',
      'card_declined',
      'card_velocity_exceeded',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    ],
    // Always blocked by Radar.
    ['4100000000000019', 'card_declined', 'fraudulent', 'Your card was declined.'],
    // The CVC check fails (a CVC is given), and Radar's default rules block the payment.
    [
      '4000000000000101',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
    ],
    [
      '4000058400307872',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
    ],
  ])('%s is declined with %s / %s', async (number, code, declineCode, message) => {
    const paymentMethod = await cardPaymentMethod(number);
    const error = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        payment_method: paymentMethod.id,
        confirm: true,
      }),
    );
    expect(error.type).toBe('StripeCardError');
    expect(error).toMatchObject({ code, decline_code: declineCode, message });
    const charge = await env.stripe.charges.retrieve(rawError(error).charge as string);
    expect(charge.payment_method_details?.card?.checks?.cvc_check).toBe(
      code === 'incorrect_cvc' ? 'fail' : 'pass',
    );
  });

  it('a declined confirm raises StripeCardError carrying the intent, as stripe-node expects', async () => {
    const intent = await env.stripe.paymentIntents.create(CARD_ONLY);
    const error = await caught(
      env.stripe.paymentIntents.confirm(intent.id, {
        payment_method: 'pm_card_chargeDeclinedInsufficientFunds',
      }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((error as Stripe.errors.StripeCardError).decline_code).toBe('insufficient_funds');
    const raw = rawError(error);
    expect(raw.payment_intent?.id).toBe(intent.id);
    expect(error.payment_intent?.id).toBe(intent.id);
    expect(raw.payment_method?.object).toBe('payment_method');
    expect(error.doc_url).toBe('https://stripe.com/docs/error-codes/card-declined');
    const after = await env.stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.decline_code).toBe('insufficient_funds');
    // A new card can be tried on the same intent.
    const retried = conforms(
      await env.stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
    );
    expect(retried.status).toBe('succeeded');
    expect(retried.last_payment_error).toBeNull();
  });

  it('4000000000000341 attaches to a customer but every charge fails', async () => {
    const customer = await env.stripe.customers.create();
    const paymentMethod = await cardPaymentMethod('4000000000000341');
    await env.stripe.paymentMethods.attach(paymentMethod.id, { customer: customer.id });
    const error = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: paymentMethod.id,
        confirm: true,
      }),
    );
    expect(error).toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    const intentId = rawError(error).payment_intent?.id as string;
    const charges = await env.stripe.charges.list({ payment_intent: intentId });
    expect(charges.data.map((charge) => charge.status)).toEqual(['failed']);
    expect(await env.eventTypes(intentId)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
  });
  it('4000000000000101 succeeds when no CVC is given: there is nothing to check', async () => {
    const paymentMethod = await env.stripe.paymentMethods.create({
      type: 'card',
      card: {
        number: '4000000000000101',
        exp_month: 12,
        exp_year: new Date().getUTCFullYear() + 2,
      },
    });
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        payment_method: paymentMethod.id,
        confirm: true,
      }),
    );
    expect(intent.status).toBe('succeeded');
    const charge = await env.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge.payment_method_details?.card?.checks?.cvc_check).toBeNull();
    // The test id comes with a CVC, so its check fails.
    const error = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        payment_method: 'pm_card_cvcCheckFail',
        confirm: true,
      }),
    );
    expect(error).toMatchObject({ code: 'incorrect_cvc', decline_code: 'incorrect_cvc' });
  });

  it('any other valid Visa number starting with 4000 is a test card that pays (as a US card)', async () => {
    // Stripe's cards by country and its other 4000 cards are too many to list; this one is in no
    // table of the sandbox's.
    const number = '4000123456789017';
    expect(TEST_CARDS.has(number)).toBe(false);
    const paymentMethod = conforms(await cardPaymentMethod(number));
    expect(paymentMethod.card).toMatchObject({ brand: 'visa', country: 'US', last4: '9017' });
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        payment_method: paymentMethod.id,
        confirm: true,
      }),
    );
    expect(intent.status).toBe('succeeded');
    expect(intent.last_payment_error).toBeNull();
  });
});

// --- real card numbers ---------------------------------------------------------------------------

describe('real card numbers', () => {
  // Stripe refuses real cards in test mode; the expectation is written out, not the sandbox's.
  const liveCard: Decline = {
    code: LIVE_CARD_ERROR.code,
    declineCode: LIVE_CARD_ERROR.decline_code,
    message: LIVE_CARD_ERROR.message,
  };

  it.each(Object.entries(REAL_CARD_NUMBERS))(
    'a real %s number is declined with test_mode_live_card (failed charge, intent back to requires_payment_method)',
    async (brand, number) => {
      const paymentMethod = await cardPaymentMethod(number);
      expect(paymentMethod.card?.brand).toBe(brand);
      await checkOnSessionPayment(paymentMethod.id, {
        number,
        brand: brand as TestCard['brand'],
        funding: 'credit',
        country: 'US',
        threeDSecure: 'none',
        decline: liveCard,
      });
    },
  );

  it("answers creating and confirming with a real card with a 402 card_error in Stripe's shape", async () => {
    const response = await fetch(`${env.sandbox.url}/v1/payment_intents`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${env.sandbox.secretKey}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        amount: '2000',
        currency: 'usd',
        confirm: 'true',
        'automatic_payment_methods[enabled]': 'true',
        'automatic_payment_methods[allow_redirects]': 'never',
        'payment_method_data[type]': 'card',
        'payment_method_data[card][number]': REAL_CARD_NUMBERS.visa,
        'payment_method_data[card][exp_month]': '12',
        'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 2),
      }),
    });
    expect(response.status).toBe(402);
    const { error } = (await response.json()) as {
      error: Record<string, unknown> & { payment_intent: Stripe.PaymentIntent };
    };
    expect(Object.keys(error).sort()).toEqual([
      'charge',
      'code',
      'decline_code',
      'doc_url',
      'message',
      'payment_intent',
      'payment_method',
      'request_log_url',
      'type',
    ]);
    expect(error).toMatchObject({
      ...LIVE_CARD_ERROR,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      charge: expect.stringMatching(/^ch_/),
      payment_method: {
        object: 'payment_method',
        card: { last4: REAL_CARD_NUMBERS.visa.slice(-4) },
      },
    });
    const intent = conforms(error.payment_intent);
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error).toMatchObject(LIVE_CARD_ERROR);
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
  });
});

// --- 3D Secure -----------------------------------------------------------------------------------

describe('3D Secure', () => {
  it('4000002500003155 needs authentication on session, and none off session once set up', async () => {
    const customer = await env.stripe.customers.create();
    const paymentMethod = await cardPaymentMethod('4000002500003155');

    // Off session before it was set up: the issuer asks for authentication.
    const notSetUp = await caught(
      chargeOffSession(customer.id, (await cardPaymentMethod('4000002500003155')).id, 500),
    );
    expect(notSetUp).toMatchObject({
      type: 'StripeCardError',
      code: 'authentication_required',
      decline_code: 'authentication_required',
      message: 'Your card was declined. This transaction requires authentication.',
    });
    expect(rawError(notSetUp).payment_intent?.status).toBe('requires_payment_method');
    expect(rawError(notSetUp).payment_intent?.last_payment_error?.code).toBe(
      'authentication_required',
    );

    // On session, saving it for later: 3D Secure, then the card is attached and set up.
    const first = conforms(
      await env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: paymentMethod.id,
        setup_future_usage: 'off_session',
        confirm: true,
      }),
    );
    expect(first.status).toBe('requires_action');
    const response = await authenticate(first, 'complete');
    expect(response.status).toBe(200);
    const done = conforms(await env.stripe.paymentIntents.retrieve(first.id));
    expect(done.status).toBe('succeeded');
    const attached = await env.stripe.paymentMethods.retrieve(paymentMethod.id);
    expect(attached.customer).toBe(customer.id);

    // Off session now: no authentication.
    const later = conforms(await chargeOffSession(customer.id, paymentMethod.id, 700));
    expect(later.status).toBe('succeeded');
    expect(await env.eventTypes(first.id, paymentMethod.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_method.attached',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
  });

  it('4000002760003184 needs authentication every time, off session too', async () => {
    const customer = await env.stripe.customers.create();
    const paymentMethod = await cardPaymentMethod('4000002760003184');
    const first = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: paymentMethod.id,
      setup_future_usage: 'off_session',
      confirm: true,
    });
    expect(first.status).toBe('requires_action');
    expect((await authenticate(first, 'complete')).status).toBe(200);
    expect((await env.stripe.paymentIntents.retrieve(first.id)).status).toBe('succeeded');

    const onSession = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: paymentMethod.id,
      confirm: true,
    });
    expect(onSession.status).toBe('requires_action');

    const offSession = await caught(chargeOffSession(customer.id, paymentMethod.id, 700));
    expect(offSession).toMatchObject({
      code: 'authentication_required',
      decline_code: 'authentication_required',
    });
    const intentId = rawError(offSession).payment_intent?.id as string;
    const charge = await env.stripe.charges.retrieve(rawError(offSession).charge as string);
    expect(charge).toMatchObject({ status: 'failed', failure_code: 'authentication_required' });
    expect(await env.eventTypes(intentId)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
    ]);
  });

  it('4000000000003220: complete authentication through the sandbox route', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action).toMatchObject({
      type: 'use_stripe_sdk',
      use_stripe_sdk: { type: 'three_d_secure_redirect' },
    });

    // The client secret is enough (that is how Stripe.js's iframe would do it).
    const response = await authenticate(intent, 'complete', 'client_secret');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.status).toBe('succeeded');
    expect(body).not.toHaveProperty('metadata');

    const done = conforms(
      await env.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] }),
    );
    expect(done.status).toBe('succeeded');
    const charge = done.latest_charge as Stripe.Charge;
    expect(charge.payment_method_details?.card?.three_d_secure).toMatchObject({
      result: 'authenticated',
      authentication_flow: 'challenge',
    });
    const events = await env.eventTypes(intent.id);
    expect(events).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    const stored = await env.stripe.events.list({ type: 'payment_intent.succeeded', limit: 100 });
    const succeeded = stored.data.find(
      (event) => (event.data.object as Stripe.PaymentIntent).id === intent.id,
    );
    // The cardholder finished it, not an API request.
    expect(succeeded?.request).toEqual({ id: null, idempotency_key: null });
  });

  it('failed authentication sends the intent back to requires_payment_method', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const response = await authenticate(intent, 'fail');
    expect(response.status).toBe(200);
    const failed = conforms(await env.stripe.paymentIntents.retrieve(intent.id));
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.payment_method).toBeNull();
    expect(failed.latest_charge).toBeNull();
    expect(failed.last_payment_error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message:
        'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    });
    expect(failed.last_payment_error?.payment_method?.card?.last4).toBe('3184');
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.payment_failed',
    ]);

    // Authenticating again is refused: nothing is pending.
    const again = await authenticate(intent, 'complete');
    expect(again.status).toBe(400);
    const error = (await again.json()) as { error: { code: string } };
    expect(error.error.code).toBe('payment_intent_unexpected_state');
  });

  it('the authenticate route wants the secret key or the matching client secret', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const response = await fetch(
      `${env.sandbox.url}/v1/_sandbox/payment_intents/${intent.id}/authenticate`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          outcome: 'complete',
          client_secret: `${intent.id}_secret_wrong`,
        }),
      },
    );
    expect(response.status).toBe(404);
    expect((await env.stripe.paymentIntents.retrieve(intent.id)).status).toBe('requires_action');
  });

  it('manual capture after authentication authorizes the amount', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      capture_method: 'manual',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    expect((await authenticate(intent, 'complete')).status).toBe(200);
    const authorized = await env.stripe.paymentIntents.retrieve(intent.id);
    expect(authorized.status).toBe('requires_capture');
    expect(authorized.amount_capturable).toBe(2000);
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
    ]);
  });

  it.each([
    // 3D Secure required, then declined (pm_card_threeDSecureRequiredChargeDeclined).
    ['4000008400001629', 'card_declined', 'generic_decline', 'Your card was declined.'],
    // Authentication required, then declined for insufficient funds.
    [
      '4000008260003178',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
  ])(
    '%s asks for 3D Secure, then the issuer declines the authenticated charge (%s / %s)',
    async (number, code, declineCode, message) => {
      const paymentMethod = await cardPaymentMethod(number);
      const intent = conforms(
        await env.stripe.paymentIntents.create({
          ...CARD_ONLY,
          payment_method: paymentMethod.id,
          confirm: true,
        }),
      );
      expect(intent.status).toBe('requires_action');
      expect(intent.next_action?.type).toBe('use_stripe_sdk');
      expect(intent.latest_charge).toBeNull();

      expect((await authenticate(intent, 'complete')).status).toBe(200);
      const failed = conforms(
        await env.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] }),
      );
      expect(failed.status).toBe('requires_payment_method');
      expect(failed.payment_method).toBeNull();
      expect(failed.next_action).toBeNull();
      const charge = failed.latest_charge as Stripe.Charge;
      expect(failed.last_payment_error).toMatchObject({
        type: 'card_error',
        code,
        decline_code: declineCode,
        message,
        charge: charge.id,
      });
      expect(failed.last_payment_error?.payment_method?.id).toBe(paymentMethod.id);
      expect(charge).toMatchObject({
        status: 'failed',
        failure_code: code,
        failure_message: message,
      });
      expect(charge.payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
      expect(await env.eventTypes(intent.id)).toEqual([
        'payment_intent.created',
        'payment_intent.requires_action',
        'charge.failed',
        'payment_intent.payment_failed',
      ]);
    },
  );

  it('4000008260003178, once set up, is declined off session for insufficient funds, not for authentication', async () => {
    const customer = await env.stripe.customers.create();
    const setup = await env.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: (await cardPaymentMethod('4000008260003178')).id,
      confirm: true,
      usage: 'off_session',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(setup.status).toBe('requires_action');
    expect((await authenticate(setup, 'complete')).status).toBe(200);
    expect((await env.stripe.setupIntents.retrieve(setup.id)).status).toBe('succeeded');

    const error = await caught(chargeOffSession(customer.id, setup.payment_method as string, 700));
    expect(error).toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
    expect(rawError(error).payment_intent?.status).toBe('requires_payment_method');
  });

  it('error_on_requires_action fails instead of asking for authentication', async () => {
    const error = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        payment_method: 'pm_card_threeDSecure2Required',
        error_on_requires_action: true,
        confirm: true,
      }),
    );
    expect(error).toMatchObject({ type: 'StripeCardError', code: 'authentication_required' });
    expect(rawError(error).payment_intent?.status).toBe('requires_payment_method');
  });

  it('the challenge page completes and redirects to return_url as a browser would', async () => {
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        amount: 4200,
        currency: 'eur',
        payment_method: 'pm_card_threeDSecure2Required',
        return_url: 'https://shop.example/checkout/done?order=42',
        confirm: true,
      }),
    );
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('redirect_to_url');
    const url = intent.next_action?.redirect_to_url?.url as string;
    expect(intent.next_action?.redirect_to_url?.return_url).toBe(
      'https://shop.example/checkout/done?order=42',
    );

    const challenge = await fetch(url);
    expect(challenge.status).toBe(200);
    expect(challenge.headers.get('content-type')).toContain('text/html');
    const html = await challenge.text();
    expect(html).toContain('value="complete"');
    expect(html).toContain('Complete authentication');
    expect(html).toContain('value="fail"');
    expect(html).toContain('Fail authentication');
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] as string;
    const clientSecret = /name="client_secret" value="([^"]+)"/.exec(html)?.[1] as string;
    expect(action).toBe(`/v1/_sandbox/payment_intents/${intent.id}/authenticate`);

    const submitted = await fetch(new URL(action, env.sandbox.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_secret: clientSecret,
        redirect: 'true',
        outcome: 'complete',
      }),
    });
    expect(submitted.status).toBe(303);
    const location = new URL(submitted.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example/checkout/done');
    expect(location.searchParams.get('order')).toBe('42');
    expect(location.searchParams.get('payment_intent')).toBe(intent.id);
    expect(location.searchParams.get('payment_intent_client_secret')).toBe(intent.client_secret);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await env.stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');

    // The page is no longer pending.
    expect((await fetch(url)).status).toBe(409);
  });

  it('the challenge page can fail the authentication', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      return_url: 'myapp://payment-result',
      confirm: true,
    });
    const url = intent.next_action?.redirect_to_url?.url as string;
    const html = await (await fetch(url)).text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] as string;
    const submitted = await fetch(new URL(action, env.sandbox.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_secret: intent.client_secret as string,
        redirect: 'true',
        outcome: 'fail',
      }),
    });
    expect(submitted.status).toBe(303);
    const location = new URL(submitted.headers.get('location') as string);
    expect(location.protocol).toBe('myapp:');
    expect(location.searchParams.get('redirect_status')).toBe('failed');
    expect(location.searchParams.get('payment_intent')).toBe(intent.id);
    expect((await env.stripe.paymentIntents.retrieve(intent.id)).status).toBe(
      'requires_payment_method',
    );
  });

  it('without a return_url the redirect answer is a page saying the window can be closed', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const response = await fetch(
      `${env.sandbox.url}/v1/_sandbox/payment_intents/${intent.id}/authenticate`,
      {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_secret: intent.client_secret as string,
          redirect: 'true',
          outcome: 'complete',
        }),
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('Authentication complete');
    expect(html).toContain('close this window');
  });

  it.each([
    ['automatic', 'succeeded', 'payment_intent.succeeded'],
    ['manual', 'requires_capture', 'payment_intent.amount_capturable_updated'],
  ] as const)(
    '4000000032200000 (capture %s): requires_action, then the issuer authenticates with no challenge: %s',
    async (captureMethod, status, lastEvent) => {
      const intent = conforms(
        await env.stripe.paymentIntents.create({
          ...CARD_ONLY,
          capture_method: captureMethod,
          payment_method: (await cardPaymentMethod('4000000032200000')).id,
          confirm: true,
        }),
      );
      // As on Stripe: the 3D Secure next action, whatever the issuer will answer.
      expect(intent.status).toBe('requires_action');
      expect(intent.next_action).toMatchObject({
        type: 'use_stripe_sdk',
        use_stripe_sdk: { type: 'three_d_secure_redirect' },
      });
      expect(intent.latest_charge).toBeNull();

      // Stripe.js asks the issuer first, with the client secret and no cardholder answer.
      const response = await authenticate(intent, undefined, 'client_secret');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { status: string }).status).toBe(status);
      const done = conforms(
        await env.stripe.paymentIntents.retrieve(intent.id, { expand: ['latest_charge'] }),
      );
      expect(done).toMatchObject({
        status,
        next_action: null,
        amount_capturable: status === 'requires_capture' ? 2000 : 0,
      });
      expect(
        (done.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure,
      ).toMatchObject({
        result: 'authenticated',
        authentication_flow: 'frictionless',
      });
      // The same events as a challenge the cardholder completed.
      expect(await env.eventTypes(intent.id)).toEqual([
        'payment_intent.created',
        'payment_intent.requires_action',
        'charge.succeeded',
        lastEvent,
      ]);
    },
  );

  it.each([
    '4000000000003220',
    '4000008400000027',
    '4000000000003063',
    '4000002760003184',
    '4000002500003155',
    '4000000000003238',
    '4000582600000094',
  ])('%s needs the cardholder: the issuer alone leaves it in requires_action', async (number) => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: (await cardPaymentMethod(number)).id,
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    const response = await authenticate(intent, undefined, 'client_secret');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'requires_action' });

    // A browser sent there goes on to the challenge page, which still asks.
    const redirected = await fetch(
      `${env.sandbox.url}/v1/_sandbox/payment_intents/${intent.id}/authenticate`,
      {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_secret: intent.client_secret ?? '', redirect: 'true' }),
      },
    );
    expect(redirected.status).toBe(303);
    const challenge = redirected.headers.get('location') as string;
    expect(challenge).toBe(
      `${env.sandbox.url}/v1/_sandbox/3ds/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`,
    );
    expect(await (await fetch(challenge)).text()).toContain('Complete authentication');
    const after = await env.stripe.paymentIntents.retrieve(intent.id);
    expect(after).toMatchObject({ status: 'requires_action', latest_charge: null });
  });

  it('the challenge page of 4000000032200000 shows nothing and goes straight to return_url', async () => {
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        amount: 4200,
        currency: 'eur',
        payment_method: (await cardPaymentMethod('4000000032200000')).id,
        return_url: 'https://shop.example/checkout/done?order=43',
        confirm: true,
      }),
    );
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('redirect_to_url');
    const url = intent.next_action?.redirect_to_url?.url as string;

    const visited = await fetch(url, { redirect: 'manual' });
    expect(visited.status).toBe(303);
    const location = new URL(visited.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example/checkout/done');
    expect(location.searchParams.get('order')).toBe('43');
    expect(location.searchParams.get('payment_intent')).toBe(intent.id);
    expect(location.searchParams.get('payment_intent_client_secret')).toBe(intent.client_secret);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await env.stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    // Done with: the page is no longer pending.
    expect((await fetch(url)).status).toBe(409);
  });

  it('4000000032200000 saved without a challenge still fails off session with authentication_required', async () => {
    const customer = await env.stripe.customers.create();
    const paymentMethod = await cardPaymentMethod('4000000032200000');
    const first = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: paymentMethod.id,
      setup_future_usage: 'off_session',
      confirm: true,
    });
    expect(first.status).toBe('requires_action');
    expect((await authenticate(first, undefined)).status).toBe(200);
    expect((await env.stripe.paymentIntents.retrieve(first.id)).status).toBe('succeeded');
    expect((await env.stripe.paymentMethods.retrieve(paymentMethod.id)).customer).toBe(customer.id);

    // "Required on all transactions, regardless of how the card is set up": off session nobody
    // is there, and the issuer's soft decline comes back.
    const offSession = await caught(chargeOffSession(customer.id, paymentMethod.id, 700));
    expect(offSession).toMatchObject({
      code: 'authentication_required',
      decline_code: 'authentication_required',
    });
    expect(rawError(offSession).payment_intent?.status).toBe('requires_payment_method');
  });

  it('manual confirmation: after authentication the server confirms again', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      confirmation_method: 'manual',
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    expect((await authenticate(intent, 'complete')).status).toBe(200);
    const waiting = await env.stripe.paymentIntents.retrieve(intent.id);
    expect(waiting.status).toBe('requires_confirmation');
    const confirmed = conforms(await env.stripe.paymentIntents.confirm(intent.id));
    expect(confirmed.status).toBe('succeeded');
    const charge = await env.stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge.payment_method_details?.card?.three_d_secure?.result).toBe('authenticated');
  });
});

// --- lifecycle -----------------------------------------------------------------------------------

describe('create, confirm, retrieve', () => {
  it('creates an intent with every field stripe-node declares', async () => {
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        amount: 1999,
        currency: 'USD',
        description: 'Order 17',
        metadata: { order: '17' },
        receipt_email: 'buyer@example.com',
        statement_descriptor_suffix: 'ORDER 17',
        shipping: { name: 'Ada', address: { line1: '1 Main St', city: 'Paris', country: 'FR' } },
      }),
    );
    expect(intent).toMatchObject({
      object: 'payment_intent',
      amount: 1999,
      currency: 'usd',
      status: 'requires_payment_method',
      capture_method: 'automatic_async',
      confirmation_method: 'automatic',
      automatic_payment_methods: { enabled: true, allow_redirects: 'always' },
      allowed_payment_method_types: null,
      payment_method_types: ['card'],
      amount_received: 0,
      amount_capturable: 0,
      latest_charge: null,
      canceled_at: null,
      description: 'Order 17',
      metadata: { order: '17' },
      receipt_email: 'buyer@example.com',
      livemode: false,
    });
    expect(intent.id).toMatch(/^pi_\w{24}$/);
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_\\w+$`));
    expect(intent.shipping?.address?.city).toBe('Paris');
    expect(intent.payment_method_configuration_details?.id).toMatch(/^pmc_/);
  });

  it('validates amount and currency', async () => {
    expect(
      await caught(env.stripe.paymentIntents.create({ amount: 0, currency: 'usd' })),
    ).toMatchObject({
      statusCode: 400,
      param: 'amount',
      message: 'This value must be greater than or equal to 1.',
    });
    expect(
      await caught(env.stripe.paymentIntents.create({ amount: 10.5, currency: 'usd' })),
    ).toMatchObject({
      param: 'amount',
    });
    const badCurrency = await caught(
      env.stripe.paymentIntents.create({ amount: 100, currency: 'xyz' }),
    );
    expect(badCurrency).toMatchObject({ statusCode: 400, param: 'currency' });
    expect(badCurrency.message).toMatch(/^Invalid currency: xyz\./);
    expect(
      await caught(env.stripe.paymentIntents.create({ currency: 'usd' } as never)),
    ).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
  });

  it('refuses payment_method_types, removed in this API version, and unknown parameters', async () => {
    const removed = await caught(
      env.stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        payment_method_types: ['card'],
      } as never),
    );
    expect(removed).toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'payment_method_types',
    });
    expect(removed.message).toBe(
      'Received unknown parameter: payment_method_types. This API version replaced it with allowed_payment_method_types.',
    );
    const intent = await env.stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const onUpdate = await caught(
      env.stripe.paymentIntents.update(intent.id, { payment_method_types: ['card'] } as never),
    );
    expect(onUpdate.message).toContain('replaced it with allowed_payment_method_types');
    const unknown = await caught(
      env.stripe.paymentIntents.create({ amount: 100, currency: 'usd', colour: 'blue' } as never),
    );
    expect(unknown).toMatchObject({
      code: 'parameter_unknown',
      message: 'Received unknown parameter: colour',
    });
    const nested = await caught(
      env.stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        automatic_payment_methods: { enabled: true, sometimes: true },
      } as never),
    );
    expect(nested.message).toBe('Received unknown parameter: automatic_payment_methods[sometimes]');
  });

  it('allowed_payment_method_types takes card only', async () => {
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
      }),
    );
    expect(intent.allowed_payment_method_types).toEqual(['card']);
    expect(intent.automatic_payment_methods).toBeNull();
    // No redirect-based methods: a server-side confirmation needs no return_url.
    const confirmed = await env.stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
    });
    expect(confirmed.status).toBe('succeeded');

    const refused = await caught(
      env.stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        allowed_payment_method_types: ['card', 'ideal'],
      }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'allowed_payment_method_types[1]' });
    expect(refused.message).toContain('"ideal"');
  });

  it('wants a return_url when automatic payment methods may redirect', async () => {
    const error = await caught(
      env.stripe.paymentIntents.create({
        amount: 100,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'return_url' });
    expect(error.message).toMatch(/^A `return_url` must be specified because this Payment Intent/);
    const withUrl = await env.stripe.paymentIntents.create({
      amount: 100,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      return_url: 'https://shop.example/done',
      confirm: true,
    });
    expect(withUrl.status).toBe('succeeded');
  });

  it('confirming without a payment method, or a succeeded intent, is refused', async () => {
    const intent = await env.stripe.paymentIntents.create(CARD_ONLY);
    const missing = await caught(env.stripe.paymentIntents.confirm(intent.id));
    expect(missing).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(missing.message).toMatch(
      /^You cannot confirm this PaymentIntent because it's missing a payment method\./,
    );

    const done = await env.stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_mastercard',
    });
    expect(done.status).toBe('succeeded');
    const again = await caught(env.stripe.paymentIntents.confirm(intent.id));
    expect(again).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
      message:
        'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
    });
    expect(rawError(again).payment_intent?.id).toBe(intent.id);

    const canceled = await env.stripe.paymentIntents.create(CARD_ONLY);
    await env.stripe.paymentIntents.cancel(canceled.id);
    const onCanceled = await caught(
      env.stripe.paymentIntents.confirm(canceled.id, { payment_method: 'pm_card_visa' }),
    );
    expect(onCanceled.message).toBe(
      'You cannot confirm this PaymentIntent because it has a status of canceled. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.',
    );
  });

  it('a payment method given at creation waits for confirmation', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_amex',
    });
    expect(intent.status).toBe('requires_confirmation');
    const confirmed = conforms(await env.stripe.paymentIntents.confirm(intent.id));
    expect(confirmed.status).toBe('succeeded');
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    const created = (
      await env.stripe.events.list({ type: 'payment_intent.created', limit: 100 })
    ).data.find((event) => (event.data.object as Stripe.PaymentIntent).id === intent.id);
    expect(created?.request?.id).toMatch(/^req_/);
  });

  it('a successful charge carries the card, billing details and the intent metadata', async () => {
    const paymentMethod = await env.stripe.paymentMethods.create({
      type: 'card',
      card: {
        number: '5555555555554444',
        exp_month: 4,
        exp_year: new Date().getUTCFullYear() + 4,
        cvc: '314',
      },
      billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: paymentMethod.id,
      description: 'Tea',
      metadata: { order: '9' },
      confirm: true,
      expand: ['latest_charge'],
    });
    const charge = conforms(intent.latest_charge as Stripe.Charge);
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 2000,
      amount_captured: 2000,
      amount_refunded: 0,
      refunded: false,
      captured: true,
      paid: true,
      status: 'succeeded',
      payment_intent: intent.id,
      payment_method: paymentMethod.id,
      description: 'Tea',
      metadata: { order: '9' },
      billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' },
      outcome: {
        network_status: 'approved_by_network',
        type: 'authorized',
        seller_message: 'Payment complete.',
      },
      failure_code: null,
    });
    expect(charge.id).toMatch(/^ch_/);
    expect(charge.payment_method_details?.card).toMatchObject({
      brand: 'mastercard',
      last4: '4444',
      exp_month: 4,
      funding: 'credit',
      checks: { cvc_check: 'pass' },
      three_d_secure: null,
    });
  });

  it('payment_method_data makes the card on the fly', async () => {
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        confirm: true,
        payment_method_data: {
          type: 'card',
          card: {
            number: '4242424242424242',
            exp_month: 1,
            exp_year: new Date().getUTCFullYear() + 1,
          },
          billing_details: { name: 'Grace' },
        } as never,
      }),
    );
    expect(intent.status).toBe('succeeded');
    const paymentMethod = await env.stripe.paymentMethods.retrieve(intent.payment_method as string);
    expect(paymentMethod.billing_details.name).toBe('Grace');
    expect(paymentMethod.card?.last4).toBe('4242');
  });

  it('a card used without a customer cannot be used again', async () => {
    const paymentMethod = await cardPaymentMethod('4242424242424242');
    await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: paymentMethod.id,
      confirm: true,
    });
    const reused = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        payment_method: paymentMethod.id,
        confirm: true,
      }),
    );
    expect(reused).toMatchObject({ statusCode: 400, param: 'payment_method' });
    expect(reused.message).toMatch(
      /^The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment/,
    );
  });

  it('setup_future_usage attaches the card to the customer on success', async () => {
    const customer = await env.stripe.customers.create();
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_visa',
      setup_future_usage: 'on_session',
      confirm: true,
    });
    expect(intent.status).toBe('succeeded');
    const methods = await env.stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
    expect(methods.data.map((pm) => pm.id)).toEqual([intent.payment_method]);
    expect(await env.eventTypes(intent.id, intent.payment_method as string)).toEqual([
      'payment_intent.created',
      'payment_method.attached',
      'charge.succeeded',
      'payment_intent.succeeded',
    ]);
    // A card saved to one customer cannot pay for another.
    const other = await env.stripe.customers.create();
    const refused = await caught(
      env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        customer: other.id,
        payment_method: intent.payment_method as string,
        confirm: true,
      }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'payment_method' });
  });

  it('idempotency keys replay a confirmation instead of charging twice', async () => {
    const intent = await env.stripe.paymentIntents.create(CARD_ONLY);
    const first = await env.stripe.paymentIntents.confirm(
      intent.id,
      { payment_method: 'pm_card_visa' },
      { idempotencyKey: `confirm-${intent.id}` },
    );
    const second = await env.stripe.paymentIntents.confirm(
      intent.id,
      { payment_method: 'pm_card_visa' },
      { idempotencyKey: `confirm-${intent.id}` },
    );
    expect(second.latest_charge).toBe(first.latest_charge);
    expect((await env.stripe.charges.list({ payment_intent: intent.id })).data).toHaveLength(1);
  });
});

describe('amount limits', () => {
  // https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
  it.each([
    [1, 'usd', 'Amount must be at least $0.50 usd'],
    [49, 'usd', 'Amount must be at least $0.50 usd'],
    [10, 'jpy', 'Amount must be at least ¥50 jpy'],
    [29, 'gbp', 'Amount must be at least £0.30 gbp'],
    [17499, 'huf', 'Amount must be at least HUF 175.00 huf'],
    [40, 'kwd', 'Amount must be at least KWD 0.050 kwd'],
  ])('refuses %i %s as amount_too_small', async (amount, currency, message) => {
    const error = await caught(env.stripe.paymentIntents.create({ amount, currency }));
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'amount_too_small',
      param: 'amount',
      message,
    });
  });

  it("takes each currency's minimum itself, and eight digits at most", async () => {
    for (const [amount, currency] of [
      [50, 'usd'],
      [50, 'jpy'],
      [30, 'gbp'],
      [99_999_999, 'usd'],
    ] as const) {
      const intent = await env.stripe.paymentIntents.create({ amount, currency });
      expect(intent).toMatchObject({ amount, currency });
    }
  });

  it('refuses more than eight digits as amount_too_large', async () => {
    const error = await caught(
      env.stripe.paymentIntents.create({ amount: 100_000_000, currency: 'usd' }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
      param: 'amount',
      message: 'Amount must be no more than $999,999.99',
    });
  });

  it('refuses an amount of 0', async () => {
    const error = await caught(env.stripe.paymentIntents.create({ amount: 0, currency: 'usd' }));
    expect(error).toMatchObject({ statusCode: 400, param: 'amount' });
  });

  it('holds the limits on update, for a new amount or a new currency', async () => {
    const intent = await env.stripe.paymentIntents.create({ amount: 40, currency: 'gbp' });
    const tooSmall = await caught(env.stripe.paymentIntents.update(intent.id, { amount: 10 }));
    expect(tooSmall).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    // 40 pence is enough; 40 yen is not.
    const inYen = await caught(env.stripe.paymentIntents.update(intent.id, { currency: 'jpy' }));
    expect(inYen).toMatchObject({ code: 'amount_too_small', message: /¥50 jpy/ });
    const tooLarge = await caught(
      env.stripe.paymentIntents.update(intent.id, { amount: 123_456_789 }),
    );
    expect(tooLarge).toMatchObject({ code: 'amount_too_large', param: 'amount' });
    expect(await env.stripe.paymentIntents.retrieve(intent.id)).toMatchObject({
      amount: 40,
      currency: 'gbp',
    });
  });

  it('refuses amounts a three-decimal currency, ISK or UGX cannot be charged in', async () => {
    const kwd = await caught(env.stripe.paymentIntents.create({ amount: 7505, currency: 'kwd' }));
    expect(kwd).toMatchObject({
      statusCode: 400,
      code: 'invalid_charge_amount',
      param: 'amount',
      message: /^Invalid amount\. Currency KWD is a three-decimal currency/,
    });
    const isk = await caught(env.stripe.paymentIntents.create({ amount: 15050, currency: 'isk' }));
    expect(isk).toMatchObject({ code: 'invalid_charge_amount_no_decimal_compatible' });
    const intent = await env.stripe.paymentIntents.create({ amount: 7500, currency: 'kwd' });
    const updated = await caught(env.stripe.paymentIntents.update(intent.id, { amount: 7501 }));
    expect(updated).toMatchObject({ code: 'invalid_charge_amount', param: 'amount' });
  });

  it('refuses an amount_to_capture the currency cannot be charged in', async () => {
    const intent = await env.stripe.paymentIntents.create({
      amount: 7500,
      currency: 'kwd',
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const error = await caught(
      env.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 5005 }),
    );
    expect(error).toMatchObject({ code: 'invalid_charge_amount', param: 'amount_to_capture' });
    const captured = await env.stripe.paymentIntents.capture(intent.id, {
      amount_to_capture: 5000,
    });
    expect(captured.amount_received).toBe(5000);
  });
});

describe('publishable key (Stripe.js)', () => {
  it('retrieves with the client secret, in the restricted view, and is refused without it', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      metadata: { secret: 'yes' },
    });
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);
    const seen = await browser.paymentIntents.retrieve(intent.id, {
      client_secret: intent.client_secret as string,
    });
    expect(seen).toMatchObject({
      id: intent.id,
      status: 'requires_payment_method',
      amount: 2000,
      currency: 'usd',
    });
    expect(seen.client_secret).toBe(intent.client_secret);
    expect(seen).not.toHaveProperty('metadata');
    expect(seen).not.toHaveProperty('customer');
    expect(seen).not.toHaveProperty('latest_charge');

    const without = await caught(browser.paymentIntents.retrieve(intent.id));
    expect(without).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const wrong = await caught(
      browser.paymentIntents.retrieve(intent.id, { client_secret: `${intent.id}_secret_nope` }),
    );
    expect(wrong.statusCode).toBe(404);
    // Secret-key-only routes stay closed.
    const update = await caught(browser.paymentIntents.update(intent.id, { description: 'x' }));
    expect(update.type).toBe('StripeAuthenticationError');
  });

  it('confirms with the client secret and sees a decline as Stripe.js does', async () => {
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);
    const intent = await env.stripe.paymentIntents.create(CARD_ONLY);
    const declined = await caught(
      browser.paymentIntents.confirm(intent.id, {
        client_secret: intent.client_secret,
        payment_method: 'pm_card_chargeDeclined',
      } as never),
    );
    expect(declined.type).toBe('StripeCardError');
    const seenIntent = rawError(declined).payment_intent as unknown as Record<string, unknown>;
    expect(seenIntent.id).toBe(intent.id);
    expect(seenIntent).not.toHaveProperty('metadata');

    const confirmed = await browser.paymentIntents.confirm(intent.id, {
      client_secret: intent.client_secret,
      payment_method: 'pm_card_visa',
    } as never);
    expect(confirmed.status).toBe('succeeded');
    expect(typeof confirmed.payment_method).toBe('string');
    expect(confirmed).not.toHaveProperty('latest_charge');

    const noSecret = await caught(
      browser.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
    );
    expect(noSecret.statusCode).toBe(404);
  });

  it('may raise setup_future_usage to off_session, but not clear or lower what the server set', async () => {
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);
    const customer = await env.stripe.customers.create();
    const confirmWith = (intent: Stripe.PaymentIntent, usage: '' | 'on_session' | 'off_session') =>
      browser.paymentIntents.confirm(intent.id, {
        client_secret: intent.client_secret,
        payment_method: 'pm_card_visa',
        setup_future_usage: usage,
      } as never);

    const saving = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    for (const usage of ['', 'on_session'] as const) {
      const refused = await caught(confirmWith(saving, usage));
      expect(refused).toMatchObject({ statusCode: 400, param: 'setup_future_usage' });
    }
    // Nothing was charged or saved by the refused confirmations.
    const unchanged = await env.stripe.paymentIntents.retrieve(saving.id);
    expect(unchanged).toMatchObject({
      status: 'requires_payment_method',
      setup_future_usage: 'off_session',
      latest_charge: null,
    });
    expect((await confirmWith(saving, 'off_session')).status).toBe('succeeded');

    const onSession = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      setup_future_usage: 'on_session',
    });
    expect((await confirmWith(onSession, 'off_session')).status).toBe('succeeded');
    expect((await env.stripe.paymentIntents.retrieve(onSession.id)).setup_future_usage).toBe(
      'off_session',
    );

    // The server's secret key may change it either way.
    const server = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    const cleared = await env.stripe.paymentIntents.confirm(server.id, {
      payment_method: 'pm_card_visa',
      setup_future_usage: '',
    });
    expect(cleared).toMatchObject({ status: 'succeeded', setup_future_usage: null });
  });
});

describe('capture', () => {
  it('captures a manual intent in full', async () => {
    const intent = conforms(
      await env.stripe.paymentIntents.create({
        ...CARD_ONLY,
        capture_method: 'manual',
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    expect(intent).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 2000,
      amount_received: 0,
    });
    const authorized = await env.stripe.charges.retrieve(intent.latest_charge as string);
    expect(authorized).toMatchObject({
      status: 'succeeded',
      captured: false,
      amount_captured: 0,
      paid: true,
    });

    const captured = conforms(await env.stripe.paymentIntents.capture(intent.id));
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount_capturable: 0,
      amount_received: 2000,
    });
    const charge = await env.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ captured: true, amount_captured: 2000, amount_refunded: 0 });
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
      'charge.captured',
      'payment_intent.succeeded',
    ]);

    const twice = await caught(env.stripe.paymentIntents.capture(intent.id));
    expect(twice).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
      message:
        'This PaymentIntent could not be captured because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.',
    });
  });

  it('captures part of it and releases the rest', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const tooMuch = await caught(
      env.stripe.paymentIntents.capture(intent.id, { amount_to_capture: 2001 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount_to_capture' });

    const captured = await env.stripe.paymentIntents.capture(intent.id, {
      amount_to_capture: 1500,
    });
    expect(captured).toMatchObject({
      status: 'succeeded',
      amount_received: 1500,
      amount_capturable: 0,
    });
    const charge = conforms(await env.stripe.charges.retrieve(intent.latest_charge as string));
    expect(charge).toMatchObject({
      captured: true,
      amount_captured: 1500,
      amount_refunded: 500,
      refunded: false,
    });
  });
});

describe('cancel', () => {
  it('cancels an open intent with a reason', async () => {
    const intent = await env.stripe.paymentIntents.create(CARD_ONLY);
    const canceled = conforms(
      await env.stripe.paymentIntents.cancel(intent.id, {
        cancellation_reason: 'requested_by_customer',
      }),
    );
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled.canceled_at).toBeGreaterThan(0);
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.canceled',
    ]);
    const again = await caught(env.stripe.paymentIntents.cancel(intent.id));
    expect(again.code).toBe('payment_intent_unexpected_state');
  });

  it('cancels one waiting for 3D Secure', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const canceled = await env.stripe.paymentIntents.cancel(intent.id, {
      cancellation_reason: 'abandoned',
    });
    expect(canceled).toMatchObject({ status: 'canceled', next_action: null });
  });

  it('canceling an authorized intent releases its charge', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const canceled = await env.stripe.paymentIntents.cancel(intent.id);
    expect(canceled).toMatchObject({ status: 'canceled', amount_capturable: 0 });
    const charge = await env.stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ captured: false, refunded: true, amount_refunded: 2000 });
  });

  it('refuses to cancel a succeeded intent', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const error = await caught(env.stripe.paymentIntents.cancel(intent.id));
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'payment_intent_unexpected_state',
      message:
        'You cannot cancel this PaymentIntent because it has a status of succeeded. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.',
    });
    const invalid = await caught(
      env.stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'bored' as never }),
    );
    expect(invalid.param).toBe('cancellation_reason');
  });
});

describe('update', () => {
  it('updates an open intent', async () => {
    const customer = await env.stripe.customers.create();
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      metadata: { a: '1', b: '2' },
    });
    const updated = conforms(
      await env.stripe.paymentIntents.update(intent.id, {
        amount: 3100,
        currency: 'gbp',
        customer: customer.id,
        description: 'Bigger order',
        metadata: { a: '', c: '3' },
        receipt_email: 'r@example.com',
        setup_future_usage: 'off_session',
        payment_method: 'pm_card_visa',
      }),
    );
    expect(updated).toMatchObject({
      amount: 3100,
      currency: 'gbp',
      customer: customer.id,
      description: 'Bigger order',
      metadata: { b: '2', c: '3' },
      receipt_email: 'r@example.com',
      setup_future_usage: 'off_session',
      status: 'requires_confirmation',
    });
    const cleared = await env.stripe.paymentIntents.update(intent.id, {
      description: '',
      receipt_email: '',
    });
    expect(cleared.description).toBeNull();
    expect(cleared.receipt_email).toBeNull();
    const confirmed = await env.stripe.paymentIntents.confirm(intent.id);
    expect(confirmed).toMatchObject({ status: 'succeeded', amount_received: 3100 });
    const charge = await env.stripe.charges.retrieve(confirmed.latest_charge as string);
    expect(charge).toMatchObject({ amount: 3100, currency: 'gbp', customer: customer.id });
  });

  it('refuses a receipt_email Stripe refuses, on create, update and confirm', async () => {
    const expected = {
      statusCode: 400,
      code: 'email_invalid',
      param: 'receipt_email',
      message: 'Invalid email address: buyer@localhost',
    };
    expect(
      await caught(
        env.stripe.paymentIntents.create({ ...CARD_ONLY, receipt_email: 'buyer@localhost' }),
      ),
    ).toMatchObject(expected);
    const intent = await env.stripe.paymentIntents.create(CARD_ONLY);
    expect(
      await caught(
        env.stripe.paymentIntents.update(intent.id, { receipt_email: 'buyer@localhost' }),
      ),
    ).toMatchObject(expected);
    expect(
      await caught(
        env.stripe.paymentIntents.confirm(intent.id, {
          payment_method: 'pm_card_visa',
          receipt_email: 'buyer@localhost',
        }),
      ),
    ).toMatchObject(expected);
    expect((await env.stripe.paymentIntents.retrieve(intent.id)).status).toBe(
      'requires_payment_method',
    );
  });

  it('refuses amount changes once succeeded but still takes metadata', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const error = await caught(env.stripe.paymentIntents.update(intent.id, { amount: 5000 }));
    expect(error).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    expect(error.message).toMatch(
      /^This PaymentIntent's amount could not be updated because it has a status of succeeded\./,
    );
    const updated = await env.stripe.paymentIntents.update(intent.id, {
      metadata: { shipped: 'yes' },
    });
    expect(updated.metadata).toEqual({ shipped: 'yes' });
    expect(updated.amount).toBe(2000);

    const canceled = await env.stripe.paymentIntents.create(CARD_ONLY);
    await env.stripe.paymentIntents.cancel(canceled.id);
    const onCanceled = await caught(env.stripe.paymentIntents.update(canceled.id, { amount: 10 }));
    expect(onCanceled.code).toBe('payment_intent_unexpected_state');
  });

  it('a new amount voids a pending authentication', async () => {
    const intent = await env.stripe.paymentIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const updated = await env.stripe.paymentIntents.update(intent.id, { amount: 2500 });
    expect(updated).toMatchObject({ status: 'requires_confirmation', next_action: null });
  });

  it('retrieving a missing intent is a 404', async () => {
    const error = await caught(env.stripe.paymentIntents.retrieve('pi_missing'));
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such payment_intent: 'pi_missing'",
    });
  });
});

describe('list', () => {
  it('pages through a customer intents with autoPagingToArray', async () => {
    const customer = await env.stripe.customers.create();
    const ids: string[] = [];
    for (let index = 0; index < 7; index++) {
      ids.push(
        (
          await env.stripe.paymentIntents.create({
            ...CARD_ONLY,
            amount: 100 + index,
            customer: customer.id,
          })
        ).id,
      );
    }
    await env.stripe.paymentIntents.create(CARD_ONLY);
    const all = await env.stripe.paymentIntents
      .list({ customer: customer.id, limit: 3 })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((intent) => intent.id)).toEqual([...ids].reverse());
    all.forEach(conforms);
    const page = await env.stripe.paymentIntents.list({ customer: customer.id, limit: 3 });
    expect(page.has_more).toBe(true);
    expect(page.data).toHaveLength(3);
    const first = await env.stripe.paymentIntents.retrieve(ids[0] as string);
    const none = await env.stripe.paymentIntents.list({
      customer: customer.id,
      created: { lt: first.created },
    });
    expect(none.data).toEqual([]);
    const recent = await env.stripe.paymentIntents.list({
      customer: customer.id,
      created: { gte: first.created },
    });
    expect(recent.data).toHaveLength(7);
  });
});
