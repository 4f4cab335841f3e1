import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { sandboxStripe } from '../index.js';
import { assertConforms } from '../test-support/conformance.js';
import {
  caught,
  conforms,
  createCardPaymentMethod,
  setUpSandboxWithWebhooks,
} from '../test-support/harness.js';
import { LIVE_CARD_ERROR, REAL_CARD_NUMBERS } from '../test-support/live-cards.js';
import { cardBehaviour } from './payment-methods.js';

const env = setUpSandboxWithWebhooks();

/** For a server-side confirmation that needs no return_url: no redirect-based payment methods. */
const CARD_ONLY = {
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const },
};

async function newCustomer(email = 'setup@example.com'): Promise<Stripe.Customer> {
  return env.stripe.customers.create({ email });
}

function pmId(value: string | Stripe.PaymentMethod | null): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}

/**
 * Posts the sandbox-only authentication answer, with the secret key. No outcome: the issuer
 * answers alone, as Stripe.js asks it before any challenge.
 */
async function authenticate(
  id: string,
  outcome: 'complete' | 'fail' | undefined,
): Promise<Response> {
  return fetch(`${env.sandbox.url}/v1/_sandbox/setup_intents/${id}/authenticate`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${env.sandbox.secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(outcome ? { outcome } : {}).toString(),
  });
}

/** The challenge page's form, read like a browser would: action and hidden fields. */
function parseChallengeForm(html: string): {
  action: string;
  hidden: Record<string, string>;
  outcomes: string[];
} {
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error(`no form in page:\n${html}`);
  const hidden: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    hidden[match[1] as string] = (match[2] as string).replaceAll('&amp;', '&');
  }
  const outcomes = [...html.matchAll(/name="outcome" value="([^"]+)"/g)].map(
    (match) => match[1] as string,
  );
  return { action, hidden, outcomes };
}

/** Submits the challenge page's form with one of its buttons, as a browser would (no API key). */
async function submitChallenge(pageUrl: string, outcome: 'complete' | 'fail'): Promise<Response> {
  const pageResponse = await fetch(pageUrl);
  expect(pageResponse.status).toBe(200);
  expect(pageResponse.headers.get('content-type')).toContain('text/html');
  const html = await pageResponse.text();
  const form = parseChallengeForm(html);
  expect(form.outcomes).toEqual(['complete', 'fail']);
  expect(html).toContain('Complete authentication');
  expect(html).toContain('Fail authentication');
  return fetch(new URL(form.action, pageUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.hidden, outcome }).toString(),
    redirect: 'manual',
  });
}

const RESTRICTED_FIELDS = [
  'automatic_payment_methods',
  'cancellation_reason',
  'client_secret',
  'created',
  'description',
  'id',
  'last_setup_error',
  'livemode',
  'next_action',
  'object',
  'payment_method',
  'payment_method_types',
  'status',
  'usage',
];

describe('create and confirm', () => {
  it('sets up 4242 for a customer: succeeded, card attached, events in order', async () => {
    const customer = await newCustomer();
    const intent = conforms(
      await env.stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_card_visa',
        confirm: true,
        return_url: 'https://shop.example/saved',
        metadata: { order: '42' },
        description: 'Save card',
      }),
    );
    expect(intent.id).toMatch(/^seti_/);
    expect(intent.object).toBe('setup_intent');
    expect(intent.status).toBe('succeeded');
    expect(intent.client_secret).toMatch(new RegExp(`^${intent.id}_secret_\\w+$`));
    expect(intent.usage).toBe('off_session');
    expect(intent.customer).toBe(customer.id);
    expect(intent.latest_attempt).toBeNull();
    expect(intent.next_action).toBeNull();
    expect(intent.last_setup_error).toBeNull();
    expect(intent.metadata).toEqual({ order: '42' });
    expect(intent.description).toBe('Save card');
    expect(intent.payment_method_types).toEqual(['card']);
    expect(intent.automatic_payment_methods).toEqual({ allow_redirects: 'always', enabled: true });
    expect(intent.payment_method_options?.card?.request_three_d_secure).toBe('automatic');

    const paymentMethodId = pmId(intent.payment_method) as string;
    expect(paymentMethodId).toMatch(/^pm_/);
    const pm = conforms(await env.stripe.paymentMethods.retrieve(paymentMethodId));
    expect(pm.customer).toBe(customer.id);
    expect(pm.card?.last4).toBe('4242');
    const listed = await env.stripe.paymentMethods.list({ customer: customer.id });
    expect(listed.data.map((item) => item.id)).toEqual([paymentMethodId]);
    expect(cardBehaviour(env.sandbox.core, paymentMethodId)?.setUpForOffSession).toBe(true);

    const events = await env.verifiedEvents(intent.id, paymentMethodId);
    expect(events.map((event) => event.type)).toEqual([
      'setup_intent.created',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]);
    const [createdEvent, attachedEvent, succeededEvent] = events as [
      Stripe.SetupIntentCreatedEvent,
      Stripe.PaymentMethodAttachedEvent,
      Stripe.SetupIntentSucceededEvent,
    ];
    const created = createdEvent.data.object;
    expect(created.status).toBe('requires_confirmation');
    expect(attachedEvent.data.previous_attributes).toEqual({ customer: null });
    expect(succeededEvent.data.object.status).toBe('succeeded');
    expect(createdEvent.request?.id).toMatch(/^req_/);
  });

  it('creates without a payment method, then updates and confirms in separate steps', async () => {
    const customer = await newCustomer();
    const intent = conforms(
      await env.stripe.setupIntents.create({ ...CARD_ONLY, customer: customer.id }),
    );
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.payment_method).toBeNull();

    const updated = conforms(
      await env.stripe.setupIntents.update(intent.id, {
        payment_method: 'pm_card_mastercard',
        metadata: { step: 'two' },
      }),
    );
    expect(updated.status).toBe('requires_confirmation');
    expect(updated.metadata).toEqual({ step: 'two' });
    const unset = await env.stripe.setupIntents.update(intent.id, { metadata: { step: '' } });
    expect(unset.metadata).toEqual({});

    const confirmed = conforms(await env.stripe.setupIntents.confirm(intent.id));
    expect(confirmed.status).toBe('succeeded');
    const pm = await env.stripe.paymentMethods.retrieve(pmId(confirmed.payment_method) as string);
    expect(pm.customer).toBe(customer.id);
    expect(pm.card?.brand).toBe('mastercard');

    const again = await caught(env.stripe.setupIntents.confirm(intent.id));
    expect(again.type).toBe('StripeInvalidRequestError');
    expect(again.statusCode).toBe(400);
    expect(again.code).toBe('setup_intent_unexpected_state');
    expect(again.message).toMatch(/already succeeded/);

    // Metadata may still change after success; the payment method may not.
    const late = await env.stripe.setupIntents.update(intent.id, {
      metadata: { after: 'yes' },
    });
    expect(late.metadata).toEqual({ after: 'yes' });
    const refused = await caught(
      env.stripe.setupIntents.update(intent.id, { payment_method: 'pm_card_visa' }),
    );
    expect(refused.code).toBe('setup_intent_unexpected_state');

    expect(await env.eventTypes(intent.id)).toEqual([
      'setup_intent.created',
      'setup_intent.succeeded',
    ]);
  });

  it('sets up a card without a customer and does not attach it', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_amex',
      confirm: true,
    });
    expect(intent.status).toBe('succeeded');
    expect(intent.customer).toBeNull();
    const pm = await env.stripe.paymentMethods.retrieve(pmId(intent.payment_method) as string);
    expect(pm.customer).toBeNull();
  });

  it('sets up 4000000000000341 (declines only charges) and attaches it', async () => {
    const customer = await newCustomer();
    const intent = conforms(
      await env.stripe.setupIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: 'pm_card_chargeCustomerFail',
        confirm: true,
      }),
    );
    expect(intent.status).toBe('succeeded');
    const pm = await env.stripe.paymentMethods.retrieve(pmId(intent.payment_method) as string);
    expect(pm.customer).toBe(customer.id);
    expect(pm.card?.last4).toBe('0341');
  });

  it('sets up a card created from its number', async () => {
    const customer = await newCustomer();
    const pm = await env.stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4000056655665556', exp_month: 12, exp_year: 2040, cvc: '123' },
    });
    const intent = await env.stripe.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
    const confirmed = await env.stripe.setupIntents.confirm(intent.id, {
      payment_method: pm.id,
    });
    expect(confirmed.status).toBe('succeeded');
    expect(confirmed.payment_method).toBe(pm.id);
    expect((await env.stripe.paymentMethods.retrieve(pm.id)).customer).toBe(customer.id);
  });
});

describe('declined cards', () => {
  const declines = [
    ['pm_card_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
    [
      'pm_card_chargeDeclinedInsufficientFunds',
      'card_declined',
      'insufficient_funds',
      'Your card has insufficient funds.',
    ],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'Your card has expired.'],
    [
      'pm_card_chargeDeclinedIncorrectCvc',
      'incorrect_cvc',
      'incorrect_cvc',
      "Your card's security code is incorrect.",
    ],
    [
      'pm_card_chargeDeclinedProcessingError',
      'processing_error',
      'processing_error',
      'An error occurred while processing your card. Try again in a little bit.',
    ],
    [
      'pm_card_visa_chargeDeclinedLostCard',
      'card_declined',
      'lost_card',
      'Your card was declined.',
    ],
    [
      'pm_card_visa_chargeDeclinedStolenCard',
      'card_declined',
      'stolen_card',
      'Your card was declined.',
    ],
    [
      'pm_card_visa_chargeDeclinedVelocityLimitExceeded',
      'card_declined',
      'card_velocity_exceeded',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    ],
    ['pm_card_radarBlock', 'card_declined', 'fraudulent', 'Your card was declined.'],
    // A real card: Stripe refuses it in test mode.
    [
      REAL_CARD_NUMBERS.amex,
      LIVE_CARD_ERROR.code,
      LIVE_CARD_ERROR.decline_code,
      LIVE_CARD_ERROR.message,
    ],
  ] as const;

  it.each(declines)(
    '%s fails the setup with %s / %s',
    async (pmOrNumber, code, declineCode, message) => {
      const customer = await newCustomer();
      const intent = await env.stripe.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
      // A test payment method id, or a card number made into a payment method first.
      const paymentMethod = pmOrNumber.startsWith('pm_')
        ? pmOrNumber
        : (
            await env.stripe.paymentMethods.create({
              type: 'card',
              card: { number: pmOrNumber, exp_month: 12, exp_year: 2040, cvc: '1234' },
            })
          ).id;
      const error = await caught(
        env.stripe.setupIntents.confirm(intent.id, { payment_method: paymentMethod }),
      );
      expect(error).toBeInstanceOf(env.stripe.errors.StripeCardError);
      expect(error.type).toBe('StripeCardError');
      expect(error.statusCode).toBe(402);
      expect(error.code).toBe(code);
      expect(error.decline_code).toBe(declineCode);
      expect(error.message).toBe(message);

      const inError = error.raw as {
        setup_intent?: Stripe.SetupIntent;
        payment_method?: Stripe.PaymentMethod;
      };
      expect(inError.setup_intent?.id).toBe(intent.id);
      expect(inError.setup_intent?.status).toBe('requires_payment_method');
      expect(error.setup_intent?.id).toBe(intent.id);
      assertConforms(JSON.parse(JSON.stringify(inError.setup_intent)));
      const failedPmId = inError.payment_method?.id;
      expect(failedPmId).toMatch(/^pm_/);

      const retrieved = conforms(await env.stripe.setupIntents.retrieve(intent.id));
      expect(retrieved.status).toBe('requires_payment_method');
      expect(retrieved.payment_method).toBeNull();
      const lastError = retrieved.last_setup_error;
      expect(lastError).toMatchObject({
        type: 'card_error',
        code,
        decline_code: declineCode,
        message,
      });
      expect(lastError?.payment_method?.id).toBe(failedPmId);
      expect(lastError?.doc_url).toMatch(/^https:\/\/stripe\.com\/docs\/error-codes\//);

      // Nothing was attached.
      const attached = await env.stripe.paymentMethods.list({ customer: customer.id });
      expect(attached.data).toEqual([]);

      expect(await env.eventTypes(intent.id, failedPmId as string)).toEqual([
        'setup_intent.created',
        'setup_intent.setup_failed',
      ]);
    },
  );

  it('answers 402 on create with confirm=true, and a later confirm with a good card succeeds', async () => {
    const customer = await newCustomer();
    const error = await caught(
      env.stripe.setupIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: 'pm_card_chargeDeclined',
        confirm: true,
      }),
    );
    expect(error.type).toBe('StripeCardError');
    const failed = error.setup_intent as Stripe.SetupIntent;
    expect(failed.status).toBe('requires_payment_method');
    expect(failed.last_setup_error?.code).toBe('card_declined');

    const retried = await env.stripe.setupIntents.confirm(failed.id, {
      payment_method: 'pm_card_visa',
    });
    expect(retried.status).toBe('succeeded');
    expect(retried.last_setup_error).toBeNull();
    expect(await env.eventTypes(failed.id)).toEqual([
      'setup_intent.created',
      'setup_intent.setup_failed',
      'setup_intent.succeeded',
    ]);
  });
});

describe('3D Secure', () => {
  const authCards = [
    ['pm_card_authenticationRequiredOnSetup', '3155'],
    ['pm_card_authenticationRequired', '3184'],
    ['pm_card_threeDSecure2Required', '3220'],
    // Their issuers decline charges, not setups.
    ['pm_card_threeDSecureRequiredChargeDeclined', '1629'],
    ['pm_card_authenticationRequiredChargeDeclinedInsufficientFunds', '3178'],
  ] as const;

  it.each(authCards)('%s (…%s) needs authentication; complete succeeds', async (testPm, last4) => {
    const customer = await newCustomer();
    const intent = conforms(
      await env.stripe.setupIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: testPm,
        confirm: true,
        return_url: 'https://shop.example/return',
      }),
    );
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('redirect_to_url');
    expect(intent.next_action?.redirect_to_url?.return_url).toBe('https://shop.example/return');
    expect(intent.next_action?.redirect_to_url?.url).toBe(
      `${env.sandbox.url}/v1/_sandbox/3ds/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`,
    );
    const paymentMethodId = pmId(intent.payment_method) as string;
    expect((await env.stripe.paymentMethods.retrieve(paymentMethodId)).card?.last4).toBe(last4);
    // Not attached until authenticated.
    expect((await env.stripe.paymentMethods.retrieve(paymentMethodId)).customer).toBeNull();

    const response = await authenticate(intent.id, 'complete');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Stripe.SetupIntent;
    assertConforms(body);
    expect(body.status).toBe('succeeded');
    expect(body.next_action).toBeNull();
    expect((await env.stripe.paymentMethods.retrieve(paymentMethodId)).customer).toBe(customer.id);

    const events = await env.verifiedEvents(intent.id, paymentMethodId);
    expect(events.map((event) => event.type)).toEqual([
      'setup_intent.created',
      'setup_intent.requires_action',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]);
    // The cardholder's answer is not an API request.
    expect(events[3]?.request?.id).toBeNull();
    expect(events[1]?.request?.id).toMatch(/^req_/);
  });

  it.each(authCards)(
    '%s (…%s): failed authentication returns to requires_payment_method',
    async (testPm) => {
      const customer = await newCustomer();
      const intent = await env.stripe.setupIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: testPm,
        confirm: true,
      });
      expect(intent.status).toBe('requires_action');
      expect(intent.next_action?.type).toBe('use_stripe_sdk');
      const paymentMethodId = pmId(intent.payment_method) as string;

      const response = await authenticate(intent.id, 'fail');
      expect(response.status).toBe(200);
      const body = (await response.json()) as Stripe.SetupIntent;
      assertConforms(body);
      expect(body.status).toBe('requires_payment_method');
      expect(body.payment_method).toBeNull();
      expect(body.last_setup_error).toMatchObject({
        code: 'setup_intent_authentication_failure',
        message:
          'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
      });
      expect(body.last_setup_error?.payment_method?.id).toBe(paymentMethodId);
      expect((await env.stripe.paymentMethods.retrieve(paymentMethodId)).customer).toBeNull();
      expect(cardBehaviour(env.sandbox.core, paymentMethodId)?.setUpForOffSession).toBe(false);

      expect(await env.eventTypes(intent.id, paymentMethodId)).toEqual([
        'setup_intent.created',
        'setup_intent.requires_action',
        'setup_intent.setup_failed',
      ]);
    },
  );

  it('4000000032200000 goes through requires_action; the issuer authenticates it with no challenge', async () => {
    const customer = await newCustomer();
    const paymentMethod = await createCardPaymentMethod(env.stripe, '4000000032200000');
    const intent = conforms(
      await env.stripe.setupIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        payment_method: paymentMethod.id,
        confirm: true,
      }),
    );
    expect(intent.status).toBe('requires_action');
    expect(intent.next_action?.type).toBe('use_stripe_sdk');

    const response = await authenticate(intent.id, undefined);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Stripe.SetupIntent;
    assertConforms(body);
    expect(body).toMatchObject({ status: 'succeeded', next_action: null });
    expect((await env.stripe.paymentMethods.retrieve(paymentMethod.id)).customer).toBe(customer.id);
    expect(cardBehaviour(env.sandbox.core, paymentMethod.id)?.setUpForOffSession).toBe(true);
    // The same events as a challenge the cardholder completed.
    const events = await env.verifiedEvents(intent.id, paymentMethod.id);
    expect(events.map((event) => event.type)).toEqual([
      'setup_intent.created',
      'setup_intent.requires_action',
      'payment_method.attached',
      'setup_intent.succeeded',
    ]);
    expect(events[3]?.request?.id).toBeNull();

    // "Required on all transactions, regardless of how the card is set up": off session too.
    const error = await caught(
      env.stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        customer: customer.id,
        payment_method: paymentMethod.id,
        off_session: true,
        confirm: true,
      }),
    );
    expect(error.code).toBe('authentication_required');
  });

  it('the challenge page of 4000000032200000 shows nothing and goes straight to return_url', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: (await createCardPaymentMethod(env.stripe, '4000000032200000')).id,
      confirm: true,
      return_url: 'https://shop.example/return?order=8',
    });
    expect(intent.next_action?.type).toBe('redirect_to_url');
    const response = await fetch(intent.next_action?.redirect_to_url?.url as string, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example/return');
    expect(location.searchParams.get('order')).toBe('8');
    expect(location.searchParams.get('setup_intent')).toBe(intent.id);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await env.stripe.setupIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it.each(authCards)(
    '%s (…%s): the issuer alone leaves it waiting for the cardholder',
    async (testPm) => {
      const intent = await env.stripe.setupIntents.create({
        ...CARD_ONLY,
        payment_method: testPm,
        confirm: true,
      });
      const response = await authenticate(intent.id, undefined);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'requires_action' });
      expect(await env.eventTypes(intent.id)).toEqual([
        'setup_intent.created',
        'setup_intent.requires_action',
      ]);
    },
  );

  it('uses use_stripe_sdk when asked even with a return_url', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/return',
      use_stripe_sdk: true,
    });
    expect(intent.next_action?.type).toBe('use_stripe_sdk');
    expect(intent.next_action?.use_stripe_sdk?.stripe_js).toContain(
      `/v1/_sandbox/3ds/${intent.id}`,
    );
  });

  it('completes through the HTML challenge page and redirects to return_url', async () => {
    const customer = await newCustomer();
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
      return_url: 'https://shop.example/return?order=7',
    });
    const pageUrl = intent.next_action?.redirect_to_url?.url as string;
    const response = await submitChallenge(pageUrl, 'complete');
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example/return');
    expect(location.searchParams.get('order')).toBe('7');
    expect(location.searchParams.get('setup_intent')).toBe(intent.id);
    expect(location.searchParams.get('setup_intent_client_secret')).toBe(intent.client_secret);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');

    const after = await env.stripe.setupIntents.retrieve(intent.id);
    expect(after.status).toBe('succeeded');
    const pm = await env.stripe.paymentMethods.retrieve(pmId(after.payment_method) as string);
    expect(pm.customer).toBe(customer.id);

    // The page is done with once answered.
    const stale = await fetch(pageUrl);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('no longer pending');
  });

  it('fails through the HTML challenge page and redirects with redirect_status=failed', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    const response = await submitChallenge(
      intent.next_action?.redirect_to_url?.url as string,
      'fail',
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('setup_intent')).toBe(intent.id);
    expect(location.searchParams.get('setup_intent_client_secret')).toBe(intent.client_secret);
    expect(location.searchParams.get('redirect_status')).toBe('failed');
    const after = await env.stripe.setupIntents.retrieve(intent.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_setup_error?.code).toBe('setup_intent_authentication_failure');
  });

  it('without a return_url the page answers with a "you can close this window" page', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const pageUrl = intent.next_action?.use_stripe_sdk?.stripe_js as string;
    expect(pageUrl).toBe(
      `${env.sandbox.url}/v1/_sandbox/3ds/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret ?? '')}`,
    );
    const response = await submitChallenge(pageUrl, 'complete');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('Authentication complete');
    expect(html).toContain('close this window');
    expect((await env.stripe.setupIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('refuses the authentication without a key or the right client secret', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const post = (body: Record<string, string>) =>
      fetch(`${env.sandbox.url}/v1/_sandbox/setup_intents/${intent.id}/authenticate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const noSecret = await post({ outcome: 'complete' });
    expect(noSecret.status).toBe(404);
    const wrongSecret = await post({
      outcome: 'complete',
      client_secret: `${intent.id}_secret_nope`,
    });
    expect(wrongSecret.status).toBe(404);
    const badOutcome = await post({
      outcome: 'maybe',
      client_secret: intent.client_secret as string,
    });
    expect(badOutcome.status).toBe(400);
    expect(((await badOutcome.json()) as { error: { param: string } }).error.param).toBe('outcome');
    expect((await env.stripe.setupIntents.retrieve(intent.id)).status).toBe('requires_action');

    const wrongPage = await fetch(
      `${env.sandbox.url}/v1/_sandbox/3ds/${intent.id}?client_secret=nope`,
    );
    expect(wrongPage.status).toBe(400);

    // With the client secret (as the page posts it) it works, and JSON answers without redirect.
    const ok = await post({ outcome: 'complete', client_secret: intent.client_secret as string });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Stripe.SetupIntent).status).toBe('succeeded');
    // Not pending any more.
    const twice = await authenticate(intent.id, 'complete');
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: { code: string } }).error.code).toBe(
      'setup_intent_unexpected_state',
    );
  });

  it('keeps the return_url of the latest confirmation only', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/first',
    });
    expect(intent.next_action?.type).toBe('redirect_to_url');
    await authenticate(intent.id, 'fail');
    const again = await env.stripe.setupIntents.confirm(intent.id, {
      payment_method: 'pm_card_authenticationRequired',
    });
    expect(again.status).toBe('requires_action');
    expect(again.next_action?.type).toBe('use_stripe_sdk');
    const response = await submitChallenge(
      again.next_action?.use_stripe_sdk?.stripe_js as string,
      'complete',
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('close this window');
  });

  it('can be confirmed again with another card while requires_action', async () => {
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    expect(intent.status).toBe('requires_action');
    const updated = await env.stripe.setupIntents.update(intent.id, {
      payment_method: 'pm_card_visa',
    });
    expect(updated.status).toBe('requires_confirmation');
    expect(updated.next_action).toBeNull();
    const confirmed = await env.stripe.setupIntents.confirm(intent.id);
    expect(confirmed.status).toBe('succeeded');
  });
});

describe('usage', () => {
  it('off_session (the default) marks the card as set up; on_session does not', async () => {
    const customer = await newCustomer();
    const offSession = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    expect(offSession.usage).toBe('off_session');
    const offPm = pmId(offSession.payment_method) as string;
    expect(cardBehaviour(env.sandbox.core, offPm)?.setUpForOffSession).toBe(false);
    await authenticate(offSession.id, 'complete');
    expect(cardBehaviour(env.sandbox.core, offPm)?.setUpForOffSession).toBe(true);

    const onSession = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_visa',
      usage: 'on_session',
      confirm: true,
    });
    expect(onSession.usage).toBe('on_session');
    expect(onSession.status).toBe('succeeded');
    expect(
      cardBehaviour(env.sandbox.core, pmId(onSession.payment_method) as string)?.setUpForOffSession,
    ).toBe(false);

    const invalid = await caught(
      env.stripe.setupIntents.create({ ...CARD_ONLY, usage: 'sometimes' as 'on_session' }),
    );
    expect(invalid.param).toBe('usage');
    expect(invalid.message).toBe('Invalid usage: must be one of on_session, or off_session');
  });
});

describe('off-session payments after setup', () => {
  it('charges a 3155 card set up off_session without authentication', async () => {
    const customer = await newCustomer();
    const setup = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    expect(setup.status).toBe('requires_action');
    expect((await authenticate(setup.id, 'complete')).status).toBe(200);
    const paymentMethod = pmId(setup.payment_method) as string;

    const payment = await env.stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      payment_method: paymentMethod,
      off_session: true,
      confirm: true,
    });
    expect(payment.status).toBe('succeeded');
    expect(payment.next_action).toBeNull();
  });

  it('still needs authentication off session when the card was set up on_session', async () => {
    const customer = await newCustomer();
    const setup = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      usage: 'on_session',
      confirm: true,
    });
    await authenticate(setup.id, 'complete');
    const error = await caught(
      env.stripe.paymentIntents.create({
        amount: 2500,
        currency: 'usd',
        customer: customer.id,
        payment_method: pmId(setup.payment_method) as string,
        off_session: true,
        confirm: true,
      }),
    );
    expect(error.type).toBe('StripeCardError');
    expect(error.code).toBe('authentication_required');
  });
});

describe('cancel', () => {
  it('cancels from requires_payment_method and requires_action, not from final statuses', async () => {
    const open = await env.stripe.setupIntents.create(CARD_ONLY);
    const canceled = conforms(
      await env.stripe.setupIntents.cancel(open.id, {
        cancellation_reason: 'requested_by_customer',
      }),
    );
    expect(canceled.status).toBe('canceled');
    expect(canceled.cancellation_reason).toBe('requested_by_customer');

    const confirmCanceled = await caught(
      env.stripe.setupIntents.confirm(open.id, { payment_method: 'pm_card_visa' }),
    );
    expect(confirmCanceled.code).toBe('setup_intent_unexpected_state');
    const cancelTwice = await caught(env.stripe.setupIntents.cancel(open.id));
    expect(cancelTwice.code).toBe('setup_intent_unexpected_state');
    expect(cancelTwice.message).toMatch(/status of canceled/);

    const pending = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
    });
    const canceledPending = await env.stripe.setupIntents.cancel(pending.id);
    expect(canceledPending.status).toBe('canceled');
    expect(canceledPending.cancellation_reason).toBeNull();
    expect(canceledPending.next_action).toBeNull();

    const done = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const cancelSucceeded = await caught(env.stripe.setupIntents.cancel(done.id));
    expect(cancelSucceeded.code).toBe('setup_intent_unexpected_state');
    expect(cancelSucceeded.message).toMatch(/status of succeeded/);

    const badReason = await caught(
      env.stripe.setupIntents.cancel(done.id, { cancellation_reason: 'bored' }),
    );
    expect(badReason.param).toBe('cancellation_reason');

    expect(await env.eventTypes(open.id)).toEqual([
      'setup_intent.created',
      'setup_intent.canceled',
    ]);
    expect(await env.eventTypes(pending.id)).toEqual([
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.canceled',
    ]);
  });
});

describe('list', () => {
  it('lists newest first with filters and pagination', async () => {
    const customer = await newCustomer('list@example.com');
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const intent = await env.stripe.setupIntents.create({
        ...CARD_ONLY,
        customer: customer.id,
        metadata: { index: String(index) },
      });
      ids.push(intent.id);
    }
    await env.stripe.setupIntents.create(CARD_ONLY);
    const newestFirst = [...ids].reverse();

    const first = conforms(await env.stripe.setupIntents.list({ customer: customer.id, limit: 2 }));
    expect(first.object).toBe('list');
    expect(first.url).toBe('/v1/setup_intents');
    expect(first.data.map((item) => item.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);

    const next = await env.stripe.setupIntents.list({
      customer: customer.id,
      limit: 2,
      starting_after: first.data[1]?.id as string,
    });
    expect(next.data.map((item) => item.id)).toEqual(newestFirst.slice(2, 4));
    expect(next.has_more).toBe(true);

    const previous = await env.stripe.setupIntents.list({
      customer: customer.id,
      limit: 2,
      ending_before: next.data[0]?.id as string,
    });
    expect(previous.data.map((item) => item.id)).toEqual(newestFirst.slice(0, 2));

    const all = await env.stripe.setupIntents
      .list({ customer: customer.id, limit: 2 })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((item) => item.id)).toEqual(newestFirst);

    const created = (await env.stripe.setupIntents.retrieve(ids[0] as string)).created;
    const inRange = await env.stripe.setupIntents.list({
      customer: customer.id,
      created: { gte: created },
      limit: 100,
    });
    expect(inRange.data).toHaveLength(5);
    const outOfRange = await env.stripe.setupIntents.list({
      customer: customer.id,
      created: { gt: created + 3600 },
    });
    expect(outOfRange.data).toEqual([]);

    const confirmed = await env.stripe.setupIntents.confirm(ids[2] as string, {
      payment_method: 'pm_card_visa',
    });
    const byPm = await env.stripe.setupIntents.list({
      payment_method: pmId(confirmed.payment_method) as string,
    });
    expect(byPm.data.map((item) => item.id)).toEqual([ids[2]]);

    const missingCursor = await caught(
      env.stripe.setupIntents.list({ starting_after: 'seti_missing' }),
    );
    expect(missingCursor.code).toBe('resource_missing');
  });
});

describe('return_url', () => {
  const RETURN_URL_REQUIRED =
    /^A `return_url` must be specified because this Setup Intent is configured to automatically accept the payment methods enabled in the Dashboard/;

  it('wants a return_url for a server-side confirmation when automatic payment methods may redirect', async () => {
    const customer = await newCustomer();
    const created = await caught(
      env.stripe.setupIntents.create({
        customer: customer.id,
        payment_method: 'pm_card_visa',
        confirm: true,
      }),
    );
    expect(created).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      param: 'return_url',
    });
    expect(created.message).toMatch(RETURN_URL_REQUIRED);
    // Refused before anything is created, as Stripe does.
    expect((await env.stripe.setupIntents.list({ customer: customer.id })).data).toEqual([]);

    const intent = await env.stripe.setupIntents.create({ customer: customer.id });
    const confirmed = await caught(
      env.stripe.setupIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
    );
    expect(confirmed).toMatchObject({ statusCode: 400, param: 'return_url' });
    expect(confirmed.message).toMatch(RETURN_URL_REQUIRED);
    expect((await env.stripe.setupIntents.retrieve(intent.id)).status).toBe(
      'requires_payment_method',
    );
  });

  it('needs none with a return_url, with use_stripe_sdk, without redirects, or card only', async () => {
    const customer = await newCustomer();
    const withUrl = await env.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      return_url: 'https://shop.example/saved',
      confirm: true,
    });
    expect(withUrl.status).toBe('succeeded');
    const sdk = await env.stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      use_stripe_sdk: true,
      confirm: true,
    });
    expect(sdk.status).toBe('succeeded');
    const noRedirects = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(noRedirects.status).toBe('succeeded');
    const intent = await env.stripe.setupIntents.create({ customer: customer.id });
    const cardOnly = await env.stripe.setupIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
    });
    expect(cardOnly.status).toBe('succeeded');
  });

  it('needs none from Stripe.js (a publishable key), which handles redirects itself', async () => {
    const intent = await env.stripe.setupIntents.create({});
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);
    const confirmed = await browser.setupIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      client_secret: intent.client_secret,
    } as Stripe.SetupIntentConfirmParams);
    expect(confirmed.status).toBe('succeeded');
  });
});

describe('publishable key (Stripe.js)', () => {
  it('retrieves with the client secret, seeing only the fields Stripe.js sees', async () => {
    const customer = await newCustomer();
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      metadata: { secret: 'yes' },
    });
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);
    const seen = await browser.setupIntents.retrieve(intent.id, {
      client_secret: intent.client_secret as string,
    });
    expect(Object.keys(JSON.parse(JSON.stringify(seen))).sort()).toEqual(RESTRICTED_FIELDS);
    expect(seen.id).toBe(intent.id);
    expect(seen.status).toBe('requires_payment_method');
    expect(seen.client_secret).toBe(intent.client_secret);

    const noSecret = await caught(browser.setupIntents.retrieve(intent.id));
    expect(noSecret.type).toBe('StripeInvalidRequestError');
    expect(noSecret.code).toBe('resource_missing');
    const wrongSecret = await caught(
      browser.setupIntents.retrieve(intent.id, { client_secret: `${intent.id}_secret_wrong` }),
    );
    expect(wrongSecret.code).toBe('resource_missing');

    // A secret key sees everything.
    const full = await env.stripe.setupIntents.retrieve(intent.id);
    expect(full.metadata).toEqual({ secret: 'yes' });
    expect(full.customer).toBe(customer.id);

    // The `key` parameter works as Stripe.js sends it.
    const viaKeyParam = await fetch(
      `${env.sandbox.url}/v1/setup_intents/${intent.id}?key=${env.sandbox.publishableKey}&client_secret=${encodeURIComponent(intent.client_secret as string)}`,
    );
    expect(viaKeyParam.status).toBe(200);
    expect(((await viaKeyParam.json()) as { metadata?: unknown }).metadata).toBeUndefined();
  });

  it('confirms with the client secret; other calls need a secret key', async () => {
    const customer = await newCustomer();
    const intent = await env.stripe.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
    const browser = sandboxStripe(env.sandbox.url, env.sandbox.publishableKey);

    const withoutSecret = await caught(
      browser.setupIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
    );
    expect(withoutSecret.code).toBe('resource_missing');

    const confirmed = await browser.setupIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      client_secret: intent.client_secret,
    } as Stripe.SetupIntentConfirmParams);
    expect(confirmed.status).toBe('succeeded');
    expect(Object.keys(JSON.parse(JSON.stringify(confirmed))).sort()).toEqual(RESTRICTED_FIELDS);

    const declined = await env.stripe.setupIntents.create({ ...CARD_ONLY, customer: customer.id });
    const error = await caught(
      browser.setupIntents.confirm(declined.id, {
        payment_method: 'pm_card_chargeDeclined',
        client_secret: declined.client_secret,
      } as Stripe.SetupIntentConfirmParams),
    );
    expect(error.type).toBe('StripeCardError');
    expect((error.setup_intent as Stripe.SetupIntent).status).toBe('requires_payment_method');
    expect((error.setup_intent as Stripe.SetupIntent).metadata).toBeUndefined();

    // Errors show the publishable caller the restricted view too.
    const twice = await caught(
      browser.setupIntents.confirm(intent.id, {
        payment_method: 'pm_card_visa',
        client_secret: intent.client_secret,
      } as Stripe.SetupIntentConfirmParams),
    );
    expect(twice.code).toBe('setup_intent_unexpected_state');
    expect(Object.keys(twice.setup_intent ?? {}).sort()).toEqual(RESTRICTED_FIELDS);

    const create = await caught(browser.setupIntents.create({}));
    expect(create.type).toBe('StripeAuthenticationError');
    const update = await caught(browser.setupIntents.update(intent.id, { description: 'x' }));
    expect(update.type).toBe('StripeAuthenticationError');
    const list = await caught(browser.setupIntents.list());
    expect(list.type).toBe('StripeAuthenticationError');

    // client_secret is a parameter of retrieve and confirm only.
    const onCreate = await caught(
      env.stripe.setupIntents.create({ client_secret: 'x' } as Stripe.SetupIntentCreateParams),
    );
    expect(onCreate.message).toBe('Received unknown parameter: client_secret');
  });
});

describe('parameters and errors', () => {
  it('refuses payment_method_types, which this API version replaced', async () => {
    const error = await caught(
      env.stripe.setupIntents.create({
        ...CARD_ONLY,
        payment_method_types: ['card'],
      } as Stripe.SetupIntentCreateParams),
    );
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.statusCode).toBe(400);
    expect(error.param).toBe('payment_method_types');
    expect(error.code).toBe('parameter_unknown');
    expect(error.message).toBe(
      'Received unknown parameter: payment_method_types. This API version replaced it with allowed_payment_method_types.',
    );
    const onUpdate = await caught(
      env.stripe.setupIntents.update('seti_whatever', {
        payment_method_types: ['card'],
      } as Stripe.SetupIntentUpdateParams),
    );
    expect(onUpdate.param).toBe('payment_method_types');
  });

  it('takes allowed_payment_method_types (card only) instead of automatic payment methods', async () => {
    const intent = conforms(
      await env.stripe.setupIntents.create({ allowed_payment_method_types: ['card'] }),
    );
    expect(intent.allowed_payment_method_types).toEqual(['card']);
    expect(intent.automatic_payment_methods).toBeNull();
    expect(intent.payment_method_types).toEqual(['card']);

    const ideal = await caught(
      env.stripe.setupIntents.create({ allowed_payment_method_types: ['ideal'] }),
    );
    expect(ideal.param).toBe('allowed_payment_method_types[0]');
    const both = await caught(
      env.stripe.setupIntents.create({
        allowed_payment_method_types: ['card'],
        automatic_payment_methods: { enabled: true },
      }),
    );
    expect(both.message).toMatch(/only specify one of/);

    const noRedirects = await env.stripe.setupIntents.create({
      automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
    });
    expect(noRedirects.automatic_payment_methods).toEqual({
      enabled: true,
      allow_redirects: 'never',
    });
  });

  it('names unknown parameters and missing resources', async () => {
    const unknown = await caught(env.stripe.setupIntents.create({ attach_to_self: true }));
    expect(unknown.message).toBe('Received unknown parameter: attach_to_self');

    const missing = await caught(env.stripe.setupIntents.retrieve('seti_missing'));
    expect(missing.type).toBe('StripeInvalidRequestError');
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('resource_missing');
    expect(missing.message).toBe("No such setup_intent: 'seti_missing'");

    const noCustomer = await caught(
      env.stripe.setupIntents.create({ ...CARD_ONLY, customer: 'cus_missing' }),
    );
    expect(noCustomer.code).toBe('resource_missing');
    expect(noCustomer.param).toBe('customer');

    const noPm = await caught(
      env.stripe.setupIntents.create({ ...CARD_ONLY, payment_method: 'pm_missing' }),
    );
    expect(noPm.code).toBe('resource_missing');
    expect(noPm.param).toBe('payment_method');

    const confirmMissing = await caught(env.stripe.setupIntents.confirm('seti_missing'));
    expect(confirmMissing.code).toBe('resource_missing');
  });

  it('refuses to confirm without a payment method, and return_url without confirm', async () => {
    const intent = await env.stripe.setupIntents.create(CARD_ONLY);
    const error = await caught(env.stripe.setupIntents.confirm(intent.id));
    expect(error.code).toBe('setup_intent_unexpected_state');
    expect(error.message).toMatch(/missing a payment method/);

    const returnUrl = await caught(
      env.stripe.setupIntents.create({ ...CARD_ONLY, return_url: 'https://shop.example/return' }),
    );
    expect(returnUrl.param).toBe('return_url');
    const badUrl = await caught(
      env.stripe.setupIntents.create({ ...CARD_ONLY, confirm: true, return_url: 'not a url' }),
    );
    expect(badUrl.param).toBe('return_url');
  });

  it("refuses another customer's payment method", async () => {
    const owner = await newCustomer();
    const other = await newCustomer();
    const pm = await env.stripe.paymentMethods.attach('pm_card_visa', { customer: owner.id });
    const intent = await env.stripe.setupIntents.create({ ...CARD_ONLY, customer: other.id });
    const error = await caught(
      env.stripe.setupIntents.confirm(intent.id, { payment_method: pm.id }),
    );
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.param).toBe('payment_method');
    expect((await env.stripe.setupIntents.retrieve(intent.id)).status).toBe(
      'requires_payment_method',
    );

    // The owner's own SetupIntent may use it (already attached: no second attached event).
    const own = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: owner.id,
      payment_method: pm.id,
      confirm: true,
    });
    expect(own.status).toBe('succeeded');
    expect(await env.eventTypes(pm.id)).toEqual(['payment_method.attached']);
  });

  it('expands customer and payment_method', async () => {
    const customer = await newCustomer();
    const intent = await env.stripe.setupIntents.create({
      ...CARD_ONLY,
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      expand: ['customer', 'payment_method'],
    });
    conforms(intent);
    expect((intent.customer as Stripe.Customer).email).toBe('setup@example.com');
    expect((intent.payment_method as Stripe.PaymentMethod).customer).toBe(customer.id);
  });
});
