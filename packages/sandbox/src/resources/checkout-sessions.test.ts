import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

/** The sandbox's clock, moved forward by the expiry tests. */
let offset = 0;
const clock = { now: () => Math.floor(Date.now() / 1000) + offset };

const env = setUpSandboxWithWebhooks({
  clock,
  linkedBy: ['payment_intent', 'setup_intent', 'subscription'],
});

const SUCCESS = 'https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}';
const CANCEL = 'https://shop.example/cart';

// --- a browser's view of the pages ------------------------------------------------------------------

function decode(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

interface Form {
  action: string;
  fields: Record<string, string>;
}

/** Every form of a page: its action and the values its inputs carry (as a browser would send). */
function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const action = decode(/action="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '');
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
      const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1];
      if (name && value !== undefined) fields[name] = decode(value);
    }
    return { action, fields };
  });
}

function alertOf(html: string): string | null {
  const match = /role="alert"[^>]*>([^<]*)</.exec(html);
  return match ? decode(match[1] ?? '') : null;
}

async function submit(
  form: Form,
  values: Record<string, string> = {},
  base = env.sandbox.url,
): Promise<Response> {
  return fetch(new URL(form.action, base), {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...form.fields, ...values }),
  });
}

interface CardInput {
  number: string;
  email?: string;
  name?: string;
  expiry?: string;
  cvc?: string;
}

/** Opens the session's page and pays with a card, as a person would. Answers the raw response. */
async function pay(session: Stripe.Checkout.Session, card: CardInput): Promise<Response> {
  const page = await fetch(session.url as string);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = formsOf(html).find((candidate) => candidate.action.endsWith('/pay'));
  if (!form) throw new Error(`no payment form on the page:\n${html}`);
  return submit(form, {
    ...(card.email !== undefined ? { email: card.email } : {}),
    ...(card.name !== undefined ? { name: card.name } : {}),
    card_number: card.number,
    card_expiry: card.expiry ?? '12 / 34',
    card_cvc: card.cvc ?? '123',
  });
}

/** On the 3D Secure challenge page a redirect led to: press a button, follow back. */
async function authenticate(location: string, outcome: 'complete' | 'fail'): Promise<Response> {
  const challenge = await fetch(location);
  expect(challenge.status).toBe(200);
  const form = formsOf(await challenge.text())[0] as Form;
  const answered = await submit(form, { outcome }, location);
  expect(answered.status).toBe(303);
  return fetch(answered.headers.get('location') as string, { redirect: 'manual' });
}

function successUrl(session: { id: string }): string {
  return SUCCESS.replace('{CHECKOUT_SESSION_ID}', session.id);
}

// --- fixtures ---------------------------------------------------------------------------------------

interface Catalog {
  shirt: Stripe.Price;
  mugJpy: Stripe.Price;
  lampKwd: Stripe.Price;
  proMonthly: Stripe.Price;
  proYearly: Stripe.Price;
  teamMonthly: Stripe.Price;
  plusJpy: Stripe.Price;
}

let catalog: Catalog;

beforeAll(async () => {
  const { stripe } = env;
  const recurring = (interval: 'month' | 'year') => ({ interval });
  const pro = await stripe.products.create({ name: 'Pro' });
  catalog = {
    shirt: await stripe.prices.create({
      currency: 'usd',
      unit_amount: 2500,
      product_data: { name: 'T-shirt' },
    }),
    mugJpy: await stripe.prices.create({
      currency: 'jpy',
      unit_amount: 1500,
      product_data: { name: 'Mug' },
    }),
    lampKwd: await stripe.prices.create({
      currency: 'kwd',
      unit_amount: 7550,
      product_data: { name: 'Lamp' },
    }),
    proMonthly: await stripe.prices.create({
      currency: 'usd',
      unit_amount: 2900,
      product: pro.id,
      recurring: recurring('month'),
    }),
    proYearly: await stripe.prices.create({
      currency: 'usd',
      unit_amount: 29000,
      product: pro.id,
      recurring: recurring('year'),
    }),
    teamMonthly: await stripe.prices.create({
      currency: 'usd',
      unit_amount: 1000,
      product_data: { name: 'Seat' },
      recurring: recurring('month'),
    }),
    plusJpy: await stripe.prices.create({
      currency: 'jpy',
      unit_amount: 980,
      product_data: { name: 'Plus' },
      recurring: recurring('month'),
    }),
  };
});

async function paymentSession(
  extra: Partial<Stripe.Checkout.SessionCreateParams> = {},
): Promise<Stripe.Checkout.Session> {
  return env.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: catalog.shirt.id, quantity: 2 }],
    success_url: SUCCESS,
    cancel_url: CANCEL,
    ...extra,
  });
}

/** What the webhook receiver got about a customer and a session, in order. */
async function typesAbout(customerId: string | null, sessionId: string): Promise<string[]> {
  const events = await env.verifiedEvents();
  return events
    .filter((event) => {
      const object = event.data.object as unknown as { id: string; customer?: unknown };
      return (
        object.id === sessionId ||
        (customerId !== null && (object.id === customerId || object.customer === customerId))
      );
    })
    .map((event) => event.type);
}

// --- creating ---------------------------------------------------------------------------------------

describe('create, retrieve, list', () => {
  it('creates a payment session with every field of Checkout.Session', async () => {
    const session = conforms(
      await env.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { price: catalog.shirt.id, quantity: 2 },
          {
            price_data: {
              currency: 'usd',
              unit_amount: 450,
              product_data: { name: 'Sticker pack' },
            },
            quantity: 3,
          },
        ],
        success_url: SUCCESS,
        cancel_url: CANCEL,
        customer_email: 'jenny@example.com',
        client_reference_id: 'order_42',
        metadata: { order: '42' },
        allowed_payment_method_types: ['card'],
        ui_mode: 'hosted_page',
      }),
    );
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: 2 * 2500 + 3 * 450,
      amount_total: 2 * 2500 + 3 * 450,
      currency: 'usd',
      customer: null,
      customer_email: 'jenny@example.com',
      customer_creation: 'if_required',
      client_reference_id: 'order_42',
      metadata: { order: '42' },
      allowed_payment_method_types: ['card'],
      payment_method_types: ['card'],
      payment_method_configuration_details: null,
      payment_intent: null,
      subscription: null,
      setup_intent: null,
      success_url: SUCCESS,
      cancel_url: CANCEL,
      ui_mode: 'hosted_page',
      livemode: false,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    });
    expect(session.id).toMatch(/^cs_test_\w+$/);
    expect(session.url).toBe(`${env.sandbox.url}/v1/_sandbox/checkout/${session.id}`);
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect(session).not.toHaveProperty('line_items');

    const retrieved = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['line_items'],
    });
    const items = retrieved.line_items?.data ?? [];
    expect(items.map((item) => [item.description, item.quantity, item.amount_total])).toEqual([
      ['T-shirt', 2, 5000],
      ['Sticker pack', 3, 1350],
    ]);
    expect(items[0]).toMatchObject({
      object: 'item',
      currency: 'usd',
      amount_subtotal: 5000,
      amount_tax: 0,
      amount_discount: 0,
      price: { id: catalog.shirt.id, object: 'price' },
    });
    expect(items[0]?.id).toMatch(/^li_/);
  });

  it('pages the line items in their order', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [1, 2, 3].map((count) => ({ price: catalog.shirt.id, quantity: count })),
      success_url: SUCCESS,
    });
    const first = await env.stripe.checkout.sessions.listLineItems(session.id, { limit: 2 });
    expect(first.data.map((item) => item.quantity)).toEqual([1, 2]);
    expect(first.has_more).toBe(true);
    const rest = await env.stripe.checkout.sessions.listLineItems(session.id, {
      limit: 2,
      starting_after: first.data[1]?.id as string,
    });
    expect(rest.data.map((item) => item.quantity)).toEqual([3]);
    expect(rest.has_more).toBe(false);
    const all = [];
    for await (const item of env.stripe.checkout.sessions.listLineItems(session.id)) all.push(item);
    expect(all).toHaveLength(3);
  });

  it('creates inline prices (and products) that GET /v1/prices does not list', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'eur', unit_amount: 990, product_data: { name: 'Inline thing' } },
          quantity: 1,
        },
      ],
      success_url: SUCCESS,
    });
    const items = await env.stripe.checkout.sessions.listLineItems(session.id);
    const price = items.data[0]?.price as Stripe.Price;
    expect(price.currency).toBe('eur');
    expect((await env.stripe.prices.retrieve(price.id)).unit_amount).toBe(990);
    const listed = await env.stripe.prices.list({ limit: 100, currency: 'eur' });
    expect(listed.data.map((listedPrice) => listedPrice.id)).not.toContain(price.id);
  });

  it('totals right in zero-decimal and three-decimal currencies', async () => {
    const jpy = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: catalog.mugJpy.id, quantity: 3 }],
      success_url: SUCCESS,
    });
    expect(jpy).toMatchObject({ currency: 'jpy', amount_subtotal: 4500, amount_total: 4500 });
    const jpyPage = await (await fetch(jpy.url as string)).text();
    expect(jpyPage).toContain('¥4,500');
    expect(jpyPage).toContain('Pay ¥4,500');

    const kwd = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: catalog.lampKwd.id, quantity: 2 }],
      success_url: SUCCESS,
    });
    expect(kwd).toMatchObject({ currency: 'kwd', amount_total: 15100 });
    expect(await (await fetch(kwd.url as string)).text()).toContain('KWD 15.100');

    const badKwd = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'kwd', unit_amount: 1005, product_data: { name: 'Odd' } },
            quantity: 1,
          },
        ],
        success_url: SUCCESS,
      }),
    );
    expect(badKwd.code).toBe('invalid_charge_amount');
    expect(badKwd.param).toBe('line_items[0][price_data][unit_amount]');
  });

  it('retrieves, updates metadata, and lists with filters', async () => {
    const a = await paymentSession({ metadata: { n: '1' } });
    const b = await paymentSession();
    const updated = await env.stripe.checkout.sessions.update(a.id, { metadata: { m: '2' } });
    expect(updated.metadata).toEqual({ n: '1', m: '2' });
    const list = await env.stripe.checkout.sessions.list({ limit: 2 });
    expect(list.data.map((session) => session.id)).toEqual([b.id, a.id]);
    const open = await env.stripe.checkout.sessions.list({ status: 'open', limit: 100 });
    expect(open.data.every((session) => session.status === 'open')).toBe(true);
    const missing = await caught(env.stripe.checkout.sessions.retrieve('cs_test_nope'));
    expect(missing.statusCode).toBe(404);
    expect(missing.message).toBe("No such checkout.session: 'cs_test_nope'");
  });

  it('refuses what Stripe refuses, naming the parameter', async () => {
    const cases: Array<[Partial<Stripe.Checkout.SessionCreateParams>, string, string | undefined]> =
      [
        [
          {
            line_items: [
              { price: catalog.shirt.id, quantity: 1 },
              { price: catalog.mugJpy.id, quantity: 1 },
            ],
          },
          'All line items must have the same currency',
          'line_items[1][price]',
        ],
        [
          { line_items: [{ price: catalog.proMonthly.id, quantity: 1 }] },
          'You specified `payment` mode but passed a recurring price.',
          'line_items[0][price]',
        ],
        [
          { line_items: [{ price: catalog.shirt.id }] },
          'Quantity is required. Add `quantity` to `line_items[0]`',
          'line_items[0][quantity]',
        ],
        [{ line_items: [] }, 'Missing required param: line_items.', 'line_items'],
        [
          { ui_mode: 'embedded_page' },
          'The sandbox serves only Stripe-hosted Checkout pages: ui_mode must be hosted_page (the default), not embedded_page.',
          'ui_mode',
        ],
        [{ success_url: 'not a url' }, 'Not a valid URL', 'success_url'],
        [
          { expires_at: Math.floor(Date.now() / 1000) + offset + 60 },
          'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.',
          'expires_at',
        ],
        [
          { expires_at: Math.floor(Date.now() / 1000) + offset + 25 * 3600 },
          'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.',
          'expires_at',
        ],
        [
          { subscription_data: { trial_period_days: 7 } },
          'You can only specify `subscription_data` in `subscription` mode.',
          'subscription_data',
        ],
      ];
    for (const [params, message, param] of cases) {
      const error = await caught(paymentSession(params));
      expect(error.statusCode, message).toBe(400);
      expect(error.message).toContain(message);
      expect(error.param).toBe(param);
    }

    const missing = await caught(paymentSession({ customer: 'cus_missing' }));
    expect([missing.statusCode, missing.message, missing.param]).toEqual([
      404,
      "No such customer: 'cus_missing'",
      'customer',
    ]);

    const removed = await caught(
      paymentSession({
        payment_method_types: ['card'],
      } as unknown as Partial<Stripe.Checkout.SessionCreateParams>),
    );
    expect(removed.message).toBe(
      'Received unknown parameter: payment_method_types. This API version replaced it with allowed_payment_method_types.',
    );

    const subscriptionOfOneTime = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: catalog.shirt.id, quantity: 1 }],
        success_url: SUCCESS,
      }),
    );
    expect(subscriptionOfOneTime.param).toBe('line_items[0][price]');

    const setupWithItems = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'setup',
        line_items: [{ price: catalog.shirt.id, quantity: 1 }],
        success_url: SUCCESS,
      }),
    );
    expect(setupWithItems.message).toBe('You cannot pass `line_items` in `setup` mode.');

    const both = await caught(
      paymentSession({
        customer: (await env.stripe.customers.create()).id,
        customer_email: 'x@y.z',
      }),
    );
    expect(both.message).toBe(
      'You may only specify one of these parameters: customer, customer_email.',
    );

    const badEmail = await caught(paymentSession({ customer_email: 'jenny@example' }));
    expect(badEmail).toMatchObject({
      statusCode: 400,
      code: 'email_invalid',
      param: 'customer_email',
      message: 'Invalid email address: jenny@example',
    });
    const badReceipt = await caught(
      paymentSession({ payment_intent_data: { receipt_email: 'jenny' } }),
    );
    expect(badReceipt).toMatchObject({
      code: 'email_invalid',
      param: 'payment_intent_data[receipt_email]',
    });
  });
});

// --- paying on the page -------------------------------------------------------------------------------

describe('the hosted page, payment mode', () => {
  it('shows the line items, the total, the card fields and a Cancel link', async () => {
    const session = await paymentSession();
    const response = await fetch(session.url as string);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('Tillkit Stripe sandbox');
    expect(html).toContain('T-shirt');
    expect(html).toContain('$50.00');
    for (const label of ['Email', 'Card number', 'Expiration date', 'Security code']) {
      expect(html).toMatch(new RegExp(`<label for="[\\w-]+">${label}</label>`));
    }
    expect(html).toContain('placeholder="MM / YY"');
    expect(html).toContain(`<a href="${CANCEL}">Cancel</a>`);
    expect(html).toContain('>Pay $50.00</button>');
  });

  it('pays with 4242: redirects to success_url, completes the session, payment intent succeeded', async () => {
    const session = await paymentSession();
    const response = await pay(session, {
      number: '4242 4242 4242 4242',
      email: 'ann@example.com',
      name: 'Ann',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(successUrl(session));

    const done = conforms(
      await env.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] }),
    );
    expect(done).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      url: null,
      customer: null,
      customer_details: { email: 'ann@example.com', name: 'Ann', tax_exempt: 'none' },
    });
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount: 5000,
      amount_received: 5000,
      currency: 'usd',
      payment_method_types: ['card'],
    });
    const paymentMethod = await env.stripe.paymentMethods.retrieve(intent.payment_method as string);
    expect(paymentMethod.card?.last4).toBe('4242');
    expect(paymentMethod.billing_details).toMatchObject({ email: 'ann@example.com', name: 'Ann' });

    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
    const completed = (await env.verifiedEvents(session.id)).find(
      (event) => event.type === 'checkout.session.completed',
    ) as Stripe.Event;
    expect((completed.data.object as Stripe.Checkout.Session).payment_status).toBe('paid');
    expect(completed.request).toEqual({ id: null, idempotency_key: null });

    // Paid: the page is gone, and paying again is not possible.
    const gone = await fetch(session.url as string);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('This Checkout Session is no longer available');
  });

  for (const [name, price, total, shown] of [
    ['JPY (zero-decimal)', 'mugJpy', 1500, '¥1,500'],
    ['KWD (three-decimal)', 'lampKwd', 7550, 'KWD 7.550'],
  ] as const) {
    it(`pays in ${name}: the intent's amount is the session's total`, async () => {
      const session = await env.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: catalog[price].id, quantity: 1 }],
        success_url: SUCCESS,
      });
      expect(await (await fetch(session.url as string)).text()).toContain(shown);
      const response = await pay(session, { number: '5555555555554444', email: 'k@example.com' });
      expect(response.status).toBe(303);
      const done = await env.stripe.checkout.sessions.retrieve(session.id, {
        expand: ['payment_intent'],
      });
      const intent = done.payment_intent as Stripe.PaymentIntent;
      expect([intent.amount, intent.currency, intent.status]).toEqual([
        total,
        done.currency,
        'succeeded',
      ]);
      expect(done.amount_total).toBe(total);
    });
  }

  it('shows a decline on the page, keeps the session open, then pays with another card', async () => {
    const session = await paymentSession();
    const declined = await pay(session, { number: '4000000000000002', email: 'd@example.com' });
    expect(declined.status).toBe(422);
    const html = await declined.text();
    expect(alertOf(html)).toBe('Your card was declined.');
    expect(html).toContain('value="d@example.com"');
    const open = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect(open.status).toBe('open');
    const intent = open.payment_intent as Stripe.PaymentIntent;
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.decline_code).toBe('generic_decline');

    const insufficient = await pay(session, { number: '4000000000009995', email: 'd@example.com' });
    expect(alertOf(await insufficient.text())).toBe('Your card has insufficient funds.');

    const paid = await pay(session, { number: '4242424242424242', email: 'd@example.com' });
    expect(paid.status).toBe(303);
    const done = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    // The same PaymentIntent, confirmed again.
    expect(done.payment_intent).toBe(intent.id);
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.failed',
      'payment_intent.payment_failed',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('checks the fields as Stripe does before anything is created', async () => {
    const session = await paymentSession();
    const cases: Array<[CardInput, string]> = [
      [{ number: '4242424242424242' }, 'Enter your email address.'],
      [{ number: '4242424242424242', email: 'nope' }, 'Your email address is invalid.'],
      // One the customers API would refuse (an empty label): the page says so, not a 500.
      [{ number: '4242424242424242', email: 'a@example..com' }, 'Your email address is invalid.'],
      [{ number: '', email: 'a@example.com' }, 'Your card number is incomplete.'],
      [{ number: '4242424242424241', email: 'a@example.com' }, 'Your card number is incorrect.'],
      [
        { number: '4242424242424242', email: 'a@example.com', expiry: '13' },
        "Your card's expiration date is incomplete.",
      ],
      [
        { number: '4242424242424242', email: 'a@example.com', expiry: '01 / 20' },
        "Your card's expiration year is invalid.",
      ],
      [
        { number: '4242424242424242', email: 'a@example.com', cvc: '' },
        "Your card's security code is incomplete.",
      ],
    ];
    for (const [card, message] of cases) {
      const response = await pay(session, card);
      expect(response.status, message).toBe(422);
      expect(alertOf(await response.text())).toBe(message);
    }
    const still = await env.stripe.checkout.sessions.retrieve(session.id);
    expect([still.status, still.payment_intent]).toEqual(['open', null]);
  });

  it('authenticates a 3D Secure card on the challenge page, then completes', async () => {
    const session = await paymentSession();
    const response = await pay(session, { number: '4000002760003184', email: 't@example.com' });
    expect(response.status).toBe(303);
    const challenge = response.headers.get('location') as string;
    expect(challenge).toContain(`${env.sandbox.url}/v1/_sandbox/3ds/pi_`);
    const open = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect(open.status).toBe('open');
    expect((open.payment_intent as Stripe.PaymentIntent).status).toBe('requires_action');

    const back = await authenticate(challenge, 'complete');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(successUrl(session));
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect(done.status).toBe('complete');
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent.status).toBe('succeeded');
    expect(await env.eventTypes(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.requires_action',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('comes back to the page with the reason when authentication fails', async () => {
    const session = await paymentSession();
    const response = await pay(session, { number: '4000002760003184', email: 'f@example.com' });
    const back = await authenticate(response.headers.get('location') as string, 'fail');
    expect(back.status).toBe(422);
    expect(alertOf(await back.text())).toBe(
      'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
    );
    expect((await env.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('creates a customer and saves the card with customer_creation=always and setup_future_usage', async () => {
    const session = await paymentSession({
      customer_creation: 'always',
      payment_intent_data: { setup_future_usage: 'off_session', metadata: { order: '7' } },
    });
    expect(session.customer_creation).toBe('always');
    const response = await pay(session, { number: '4242424242424242', email: 'save@example.com' });
    expect(response.status).toBe(303);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent', 'customer'],
    });
    const customer = done.customer as Stripe.Customer;
    expect(customer.email).toBe('save@example.com');
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({
      customer: customer.id,
      setup_future_usage: 'off_session',
      metadata: { order: '7' },
    });
    const cards = await env.stripe.paymentMethods.list({ customer: customer.id });
    expect(cards.data.map((pm) => pm.id)).toEqual([intent.payment_method]);
    expect(await typesAbout(customer.id, session.id)).toEqual([
      'customer.created',
      'payment_intent.created',
      'payment_method.attached',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('pays for an existing customer without asking for an email', async () => {
    const customer = await env.stripe.customers.create({ email: 'known@example.com' });
    const session = await paymentSession({ customer: customer.id });
    const html = await (await fetch(session.url as string)).text();
    expect(html).toContain('Paying as <strong>known@example.com</strong>');
    expect(html).not.toContain('name="email"');
    const response = await pay(session, { number: '4242424242424242' });
    expect(response.status).toBe(303);
    const done = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(done.customer).toBe(customer.id);
    expect(done.customer_details?.email).toBe('known@example.com');
    const intent = await env.stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(intent.customer).toBe(customer.id);
  });

  it('answers a page of its own without success_url, and a 404 page for an unknown session', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: catalog.shirt.id, quantity: 1 }],
    });
    const response = await pay(session, { number: '4242424242424242', email: 'n@example.com' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Your payment is complete.');
    const unknown = await fetch(`${env.sandbox.url}/v1/_sandbox/checkout/cs_test_unknown`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('This Checkout Session does not exist');
  });
});

describe('subscription mode', () => {
  it('creates the customer and an active subscription, the first invoice paid with the card', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.proMonthly.id, quantity: 1 }],
      success_url: SUCCESS,
      subscription_data: { metadata: { plan: 'pro' } },
    });
    expect(session).toMatchObject({
      amount_total: 2900,
      customer_creation: null,
      payment_method_collection: 'always',
      invoice_creation: null,
    });
    const html = await (await fetch(session.url as string)).text();
    expect(html).toContain('$29.00 / month');
    expect(html).toContain('>Subscribe</button>');

    const response = await pay(session, { number: '4242424242424242', email: 'sub@example.com' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(successUrl(session));
    const done = conforms(
      await env.stripe.checkout.sessions.retrieve(session.id, {
        expand: ['subscription', 'invoice'],
      }),
    );
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    const subscription = done.subscription as Stripe.Subscription;
    expect(subscription).toMatchObject({
      status: 'active',
      customer: done.customer,
      metadata: { plan: 'pro' },
    });
    expect(subscription.items.data[0]?.price.id).toBe(catalog.proMonthly.id);
    expect((done.invoice as Stripe.Invoice).status).toBe('paid');
    expect((done.invoice as Stripe.Invoice).id).toBe(subscription.latest_invoice);
    expect(subscription.default_payment_method).toEqual(expect.stringMatching(/^pm_/));

    const types = await typesAbout(done.customer as string, session.id);
    expect(types[0]).toBe('customer.created');
    expect(types.at(-1)).toBe('checkout.session.completed');
    for (const type of [
      'payment_method.attached',
      'customer.subscription.created',
      'invoice.finalized',
      'invoice.paid',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('customer.subscription.created')).toBeLessThan(
      types.indexOf('invoice.paid'),
    );
  });

  it('starts a trial: nothing due today, payment_status no_payment_required', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.teamMonthly.id, quantity: 3 }],
      success_url: SUCCESS,
      subscription_data: { trial_period_days: 14 },
    });
    expect([session.amount_subtotal, session.amount_total]).toEqual([0, 0]);
    const html = await (await fetch(session.url as string)).text();
    expect(html).toContain('14 days free, then $30.00 / month');
    expect(html).toContain('>Start trial</button>');
    expect(
      (await pay(session, { number: '4242424242424242', email: 'tr@example.com' })).status,
    ).toBe(303);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription'],
    });
    expect(done.payment_status).toBe('no_payment_required');
    const subscription = done.subscription as Stripe.Subscription;
    expect(subscription.status).toBe('trialing');
    expect(subscription.items.data[0]?.quantity).toBe(3);
  });

  it('authenticates the first payment with 3D Secure, then the subscription is active', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.plusJpy.id, quantity: 1 }],
      success_url: SUCCESS,
    });
    expect(session).toMatchObject({ currency: 'jpy', amount_total: 980 });
    const response = await pay(session, { number: '4000002760003184', email: 'sca@example.com' });
    expect(response.status).toBe(303);
    const challenge = response.headers.get('location') as string;
    expect(challenge).toContain('/v1/_sandbox/3ds/pi_');
    const pending = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription'],
    });
    expect((pending.subscription as Stripe.Subscription).status).toBe('incomplete');

    const back = await authenticate(challenge, 'complete');
    expect(back.headers.get('location')).toBe(successUrl(session));
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription'],
    });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect((done.subscription as Stripe.Subscription).status).toBe('active');
    const types = await env.eventTypes((done.subscription as Stripe.Subscription).id);
    expect(types.slice(-2)).toEqual([
      'customer.subscription.updated',
      'checkout.session.completed',
    ]);
  });

  it('shows a declined first payment, then pays the same subscription with another card', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: catalog.proMonthly.id, quantity: 1 }],
      success_url: SUCCESS,
    });
    // Attaches (the card check passes), then the charge fails.
    const declined = await pay(session, { number: '4000000000000341', email: 'x@example.com' });
    expect(declined.status).toBe(422);
    expect(alertOf(await declined.text())).toBe('Your card was declined.');
    const open = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription'],
    });
    const subscription = open.subscription as Stripe.Subscription;
    expect([open.status, subscription.status]).toEqual(['open', 'incomplete']);

    // Refused at the card check: nothing changes.
    const refused = await pay(session, { number: '4000000000000069', email: 'x@example.com' });
    expect(alertOf(await refused.text())).toBe('Your card has expired.');

    const paid = await pay(session, { number: '4242424242424242', email: 'x@example.com' });
    expect(paid.status).toBe(303);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription'],
    });
    expect(done.status).toBe('complete');
    expect((done.subscription as Stripe.Subscription).id).toBe(subscription.id);
    expect((done.subscription as Stripe.Subscription).status).toBe('active');
    const customers = await env.stripe.customers.list({ email: 'x@example.com' });
    expect(customers.data).toHaveLength(1);
  });
});

describe('setup mode', () => {
  it('saves a card for an existing customer: SetupIntent succeeded, card attached', async () => {
    const customer = await env.stripe.customers.create({ email: 'setup@example.com' });
    const session = conforms(
      await env.stripe.checkout.sessions.create({
        mode: 'setup',
        customer: customer.id,
        currency: 'eur',
        success_url: SUCCESS,
        setup_intent_data: { metadata: { why: 'later' } },
      }),
    );
    expect(session).toMatchObject({
      amount_total: null,
      currency: 'eur',
      payment_status: 'no_payment_required',
      total_details: null,
    });
    const html = await (await fetch(session.url as string)).text();
    expect(html).toContain('>Save card</button>');
    const response = await pay(session, { number: '4000002500003155' });
    // This card asks for 3D Secure when it is set up.
    expect(response.status).toBe(303);
    const back = await authenticate(response.headers.get('location') as string, 'complete');
    expect(back.headers.get('location')).toBe(successUrl(session));
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['setup_intent'],
    });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'no_payment_required' });
    const intent = done.setup_intent as Stripe.SetupIntent;
    expect(intent).toMatchObject({
      status: 'succeeded',
      customer: customer.id,
      usage: 'off_session',
      metadata: { why: 'later' },
    });
    const cards = await env.stripe.paymentMethods.list({ customer: customer.id });
    expect(cards.data.map((pm) => pm.id)).toEqual([intent.payment_method]);
    expect(await env.eventTypes(intent.id)).toEqual([
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.succeeded',
      'checkout.session.completed',
    ]);
  });

  it('refuses a declining card at setup', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'setup',
      success_url: SUCCESS,
    });
    const response = await pay(session, { number: '4000000000000002', email: 's@example.com' });
    expect(response.status).toBe(422);
    expect(alertOf(await response.text())).toBe('Your card was declined.');
    const ok = await pay(session, { number: '4242424242424242', email: 's@example.com' });
    expect(ok.status).toBe(303);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['setup_intent'],
    });
    expect((done.setup_intent as Stripe.SetupIntent).status).toBe('succeeded');
    expect(done.customer).toBeNull();
  });
});

describe('expiry', () => {
  it('expires on request: status expired, checkout.session.expired, page gone, intent canceled', async () => {
    const session = await paymentSession();
    await pay(session, { number: '4000000000000002', email: 'e@example.com' });
    const expired = conforms(await env.stripe.checkout.sessions.expire(session.id));
    expect(expired).toMatchObject({ status: 'expired', url: null, payment_status: 'unpaid' });
    const intent = await env.stripe.paymentIntents.retrieve(expired.payment_intent as string);
    expect([intent.status, intent.cancellation_reason]).toEqual(['canceled', 'abandoned']);
    expect((await env.eventTypes(session.id)).at(-1)).toBe('checkout.session.expired');

    const page = await fetch(session.url as string);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This Checkout Session is no longer available');
    const form = { action: `/v1/_sandbox/checkout/${session.id}/pay`, fields: {} };
    const paying = await submit(form, {
      email: 'e@example.com',
      card_number: '4242424242424242',
      card_expiry: '12/34',
      card_cvc: '123',
    });
    expect(paying.status).toBe(410);

    const again = await caught(env.stripe.checkout.sessions.expire(session.id));
    expect(again.message).toBe(
      'Only Checkout Sessions with a status of `open` can be expired. This Checkout Session has a status of `expired`.',
    );
  });

  it('expires by itself at expires_at', async () => {
    const now = clock.now();
    const session = await paymentSession({ expires_at: now + 3600 });
    expect(session.expires_at).toBe(now + 3600);
    offset += 3601;
    try {
      const page = await fetch(session.url as string);
      expect(page.status).toBe(410);
      const retrieved = await env.stripe.checkout.sessions.retrieve(session.id);
      expect(retrieved.status).toBe('expired');
      const events = await env.eventTypes(session.id);
      expect(events).toEqual(['checkout.session.expired']);
    } finally {
      offset -= 3601;
    }
  });
});

describe('minimum and maximum totals', () => {
  const sticker = (currency: string, unit_amount: number) => ({
    price_data: { currency, unit_amount, product_data: { name: 'Sticker' } },
    quantity: 1,
  });

  it("refuses a payment-mode total under the currency's minimum", async () => {
    const error = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [sticker('usd', 10)],
        success_url: SUCCESS,
      }),
    );
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'amount_too_small',
      message: "The Checkout Session's total amount due must be at least $0.50 usd",
    });
    const yen = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [sticker('jpy', 20)],
        success_url: SUCCESS,
      }),
    );
    expect(yen).toMatchObject({ code: 'amount_too_small', message: /¥50 jpy$/ });
  });

  it('counts the whole total: two items under the minimum may reach it together', async () => {
    const session = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ ...sticker('usd', 25), quantity: 2 }],
      success_url: SUCCESS,
    });
    expect(session.amount_total).toBe(50);
  });

  it('refuses a total over eight digits', async () => {
    const error = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ ...sticker('usd', 60_000_000), quantity: 2 }],
        success_url: SUCCESS,
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'amount_too_large' });
  });
});
