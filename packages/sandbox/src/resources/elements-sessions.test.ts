import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

const PK = 'pk_test_elements_session';

interface Answer {
  status: number;
  body: {
    customer?: { payment_methods: Stripe.PaymentMethod[]; customer_session: { customer: string } };
    error?: { code?: string; param?: string; message: string };
  };
}

async function elementsSession(params: Record<string, string>, key = PK): Promise<Answer> {
  const query = new URLSearchParams({ ...(key ? { key } : {}), ...params });
  const response = await fetch(`${env.sandbox.url}/v1/elements/sessions?${query}`);
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function saveCard(
  customer: string,
  card: string,
  allowRedisplay: Stripe.PaymentMethodUpdateParams.AllowRedisplay,
): Promise<Stripe.PaymentMethod> {
  const pm = await env.stripe.paymentMethods.attach(card, { customer });
  return env.stripe.paymentMethods.update(pm.id, { allow_redisplay: allowRedisplay });
}

function sessionFor(
  customer: string,
  features: Stripe.CustomerSessionCreateParams.Components.PaymentElement.Features = {
    payment_method_redisplay: 'enabled',
  },
) {
  return env.stripe.customerSessions.create({
    customer,
    components: { payment_element: { enabled: true, features } },
  });
}

const ids = (answer: Answer) => answer.body.customer?.payment_methods.map((pm) => pm.id);

describe('GET /v1/elements/sessions (sandbox-internal)', () => {
  it("lists the customer's redisplayable cards, newest first, up to the limit", async () => {
    const customer = await env.stripe.customers.create({});
    const other = await env.stripe.customers.create({});
    const always1 = await saveCard(customer.id, 'pm_card_visa', 'always');
    const limited = await saveCard(customer.id, 'pm_card_mastercard', 'limited');
    const always2 = await saveCard(customer.id, 'pm_card_amex', 'always');
    const unspecified = (
      await env.stripe.paymentMethods.attach('pm_card_discover', { customer: customer.id })
    ).id;
    const always3 = await saveCard(customer.id, 'pm_card_jcb', 'always');
    const detached = await saveCard(customer.id, 'pm_card_visa_debit', 'always');
    await env.stripe.paymentMethods.detach(detached.id);
    const othersCard = await saveCard(other.id, 'pm_card_visa', 'always');

    const defaults = await elementsSession({
      customer_session_client_secret: (await sessionFor(customer.id)).client_secret,
    });
    expect(defaults.status).toBe(200);
    // Default filter ['always'], default limit 3, newest first.
    expect(ids(defaults)).toEqual([always3.id, always2.id, always1.id]);
    expect(defaults.body.customer?.customer_session.customer).toBe(customer.id);
    expect(defaults.body.customer?.payment_methods[0]?.card).toEqual(always3.card);

    const everything = await elementsSession({
      customer_session_client_secret: (
        await sessionFor(customer.id, {
          payment_method_redisplay: 'enabled',
          payment_method_allow_redisplay_filters: ['always', 'limited', 'unspecified'],
          payment_method_redisplay_limit: 10,
        })
      ).client_secret,
    });
    expect(ids(everything)).toEqual([always3.id, unspecified, always2.id, limited.id, always1.id]);
    expect(ids(everything)).not.toContain(othersCard.id);
    expect(ids(everything)).not.toContain(detached.id);

    const limitedOnly = await elementsSession({
      customer_session_client_secret: (
        await sessionFor(customer.id, {
          payment_method_redisplay: 'enabled',
          payment_method_allow_redisplay_filters: ['limited'],
          payment_method_redisplay_limit: 1,
        })
      ).client_secret,
    });
    expect(ids(limitedOnly)).toEqual([limited.id]);

    // The other customer's session sees only its own card.
    const theirs = await elementsSession({
      customer_session_client_secret: (await sessionFor(other.id)).client_secret,
    });
    expect(ids(theirs)).toEqual([othersCard.id]);
  });

  it('lists nothing unless the session enables the Payment Element with redisplay', async () => {
    const customer = await env.stripe.customers.create({});
    await saveCard(customer.id, 'pm_card_visa', 'always');
    const disabled = await sessionFor(customer.id, { payment_method_redisplay: 'disabled' });
    expect(
      ids(await elementsSession({ customer_session_client_secret: disabled.client_secret })),
    ).toEqual([]);
    const byDefault = await sessionFor(customer.id, {});
    expect(
      ids(await elementsSession({ customer_session_client_secret: byDefault.client_secret })),
    ).toEqual([]);
    const pricingTable = await env.stripe.customerSessions.create({
      customer: customer.id,
      components: { pricing_table: { enabled: true } },
    });
    expect(
      ids(await elementsSession({ customer_session_client_secret: pricingTable.client_secret })),
    ).toEqual([]);
  });

  it('refuses an unknown or expired secret, and callers without a key', async () => {
    const unknown = await elementsSession({ customer_session_client_secret: 'cuss_secret_nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.code).toBe('resource_missing');
    expect(unknown.body.error?.param).toBe('customer_session_client_secret');

    const customer = await env.stripe.customers.create({});
    await saveCard(customer.id, 'pm_card_visa', 'always');
    const session = await sessionFor(customer.id);
    const stored = env.sandbox.core.store.getInternal<{ expires_at: number }>(
      `customer_session:${session.client_secret}`,
    );
    expect(stored?.expires_at).toBe(session.expires_at);
    if (stored) stored.expires_at = env.sandbox.core.now();
    const expired = await elementsSession({
      customer_session_client_secret: session.client_secret,
    });
    expect(expired.status).toBe(400);
    expect(expired.body.error?.code).toBe('customer_session_expired');
    expect(expired.body.customer).toBeUndefined();

    const missing = await elementsSession({});
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('parameter_missing');

    const noKey = await elementsSession({ customer_session_client_secret: 'cuss_secret_x' }, '');
    expect(noKey.status).toBe(401);
  });

  it('forgets a session a day after it expired, when the next one is made', async () => {
    const customer = await env.stripe.customers.create({});
    const old = await sessionFor(customer.id);
    const recent = await sessionFor(customer.id);
    const stored = (secret: string) =>
      env.sandbox.core.store.getInternal<{ expires_at: number }>(`customer_session:${secret}`);
    const now = env.sandbox.core.now();
    // One expired a day and a second ago, one expired just now: only the first is forgotten.
    (stored(old.client_secret) as { expires_at: number }).expires_at = now - 24 * 60 * 60 - 1;
    (stored(recent.client_secret) as { expires_at: number }).expires_at = now;
    await sessionFor(customer.id);
    expect(stored(old.client_secret)).toBeUndefined();
    const gone = await elementsSession({ customer_session_client_secret: old.client_secret });
    expect(gone.body.error?.code).toBe('resource_missing');
    const expired = await elementsSession({ customer_session_client_secret: recent.client_secret });
    expect(expired.body.error?.code).toBe('customer_session_expired');
  });

  it("refuses an intent of another customer than the session's", async () => {
    const customer = await env.stripe.customers.create({});
    const other = await env.stripe.customers.create({});
    const card = await saveCard(customer.id, 'pm_card_visa', 'always');
    const session = await sessionFor(customer.id);
    const own = await env.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
    });
    const ok = await elementsSession({
      customer_session_client_secret: session.client_secret,
      client_secret: own.client_secret as string,
      type: 'payment_intent',
    });
    expect(ids(ok)).toEqual([card.id]);

    for (const intent of [
      await env.stripe.paymentIntents.create({ amount: 1000, currency: 'usd', customer: other.id }),
      await env.stripe.setupIntents.create({}),
    ]) {
      const refused = await elementsSession({
        customer_session_client_secret: session.client_secret,
        client_secret: intent.client_secret as string,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toContain(
        `does not match the Customer Session's customer (${customer.id})`,
      );
    }
  });
});

describe('paying with a saved card', () => {
  it("confirms only an intent of the card's customer, as Stripe does", async () => {
    const customer = await env.stripe.customers.create({});
    const other = await env.stripe.customers.create({});
    const card = await saveCard(customer.id, 'pm_card_visa', 'always');

    // Confirmed as Stripe.js confirms: the intent first, then `payment_method` on confirm.
    const intentFor = (owner?: string) =>
      env.stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        ...(owner ? { customer: owner } : {}),
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      });
    const paid = await env.stripe.paymentIntents.confirm((await intentFor(customer.id)).id, {
      payment_method: card.id,
    });
    expect(paid.status).toBe('succeeded');

    const noCustomer = await caught(
      env.stripe.paymentIntents.confirm((await intentFor()).id, { payment_method: card.id }),
    );
    expect(noCustomer.message).toBe(
      `The provided PaymentMethod is attached to a Customer (${customer.id}). To use it with this PaymentIntent, set the PaymentIntent's customer to that Customer.`,
    );
    const otherCustomer = await caught(
      env.stripe.paymentIntents.confirm((await intentFor(other.id)).id, {
        payment_method: card.id,
      }),
    );
    expect(otherCustomer.param).toBe('payment_method');
    expect(otherCustomer.message).toContain('belongs to a different Customer');
  });
});
