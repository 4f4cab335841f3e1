import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

/** The sandbox's clock, moved forward to expire portal sessions. */
let offset = 0;
const clock = { now: () => Math.floor(Date.now() / 1000) + offset };

const env = setUpSandboxWithWebhooks({ clock });

const RETURN = 'https://shop.example/account';

// --- a browser's view of the page ---------------------------------------------------------------------

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
  /** The text of its submit button. */
  button: string;
}

function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const action = decode(/action="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '');
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
      const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1];
      if (name && value !== undefined) fields[name] = decode(value);
    }
    const button = decode(/<button[^>]*>([^<]*)<\/button>/.exec(match[2] ?? '')?.[1] ?? '');
    return { action, fields, button };
  });
}

async function open(portal: Stripe.BillingPortal.Session): Promise<string> {
  const response = await fetch(portal.url);
  expect(response.status).toBe(200);
  return response.text();
}

/** Presses a button of the portal page (filling `values` in its form); follows the redirect. */
async function press(
  portal: Stripe.BillingPortal.Session,
  button: string,
  values: Record<string, string> = {},
): Promise<{ response: Response; html: string }> {
  const form = formsOf(await open(portal)).find((candidate) => candidate.button === button);
  if (!form) throw new Error(`no "${button}" button on the portal page`);
  const response = await fetch(new URL(form.action, env.sandbox.url), {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...form.fields, ...values }),
  });
  if (response.status !== 303) return { response, html: await response.text() };
  const location = new URL(response.headers.get('location') as string, env.sandbox.url);
  if (!location.pathname.startsWith('/v1/_sandbox/billing_portal/')) {
    return { response, html: '' };
  }
  return { response, html: await (await fetch(location)).text() };
}

function statusOf(html: string): string | null {
  const match = /role="(?:status|alert)"[^>]*>([^<]*)</.exec(html);
  return match ? decode(match[1] ?? '') : null;
}

// --- fixtures -------------------------------------------------------------------------------------------

let pro: Stripe.Product;
let monthly: Stripe.Price;
let yearly: Stripe.Price;
let basic: Stripe.Price;

beforeAll(async () => {
  pro = await env.stripe.products.create({ name: 'Pro' });
  monthly = await env.stripe.prices.create({
    product: pro.id,
    currency: 'usd',
    unit_amount: 2900,
    recurring: { interval: 'month' },
  });
  yearly = await env.stripe.prices.create({
    product: pro.id,
    currency: 'usd',
    unit_amount: 29000,
    recurring: { interval: 'year' },
  });
  basic = await env.stripe.prices.create({
    currency: 'usd',
    unit_amount: 900,
    product_data: { name: 'Basic' },
    recurring: { interval: 'month' },
  });
});

/** A customer paying for Pro monthly with a saved Visa (its default). */
async function subscriber(email = 'sub@example.com') {
  const customer = await env.stripe.customers.create({ email, payment_method: 'pm_card_visa' });
  const [card] = (await env.stripe.paymentMethods.list({ customer: customer.id })).data;
  await env.stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: card?.id as string },
  });
  const subscription = await env.stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: monthly.id }],
  });
  expect(subscription.status).toBe('active');
  return { customer, card: card as Stripe.PaymentMethod, subscription };
}

async function switchingConfiguration(
  extra: Partial<Stripe.BillingPortal.ConfigurationCreateParams.Features> = {},
) {
  return env.stripe.billingPortal.configurations.create({
    features: {
      invoice_history: { enabled: true },
      payment_method_update: { enabled: true },
      subscription_cancel: { enabled: true, mode: 'at_period_end' },
      subscription_update: {
        enabled: true,
        default_allowed_updates: ['price'],
        proration_behavior: 'none',
        products: [{ product: pro.id, prices: [monthly.id, yearly.id] }],
      },
      ...extra,
    },
    default_return_url: RETURN,
  });
}

async function portalFor(customer: string, configuration?: string) {
  return env.stripe.billingPortal.sessions.create({
    customer,
    return_url: RETURN,
    ...(configuration ? { configuration } : {}),
  });
}

// --- configurations -------------------------------------------------------------------------------------

describe('configurations', () => {
  it('makes a default configuration on first use, with Stripe defaults', async () => {
    const { customer } = await subscriber('default@example.com');
    const portal = conforms(await portalFor(customer.id));
    const configuration = conforms(
      await env.stripe.billingPortal.configurations.retrieve(portal.configuration as string),
    );
    expect(configuration).toMatchObject({
      object: 'billing_portal.configuration',
      is_default: true,
      active: true,
      login_page: { enabled: false, url: null },
      features: {
        invoice_history: { enabled: true },
        payment_method_update: { enabled: true },
        subscription_cancel: { enabled: true, mode: 'at_period_end', proration_behavior: 'none' },
        subscription_update: { enabled: false },
      },
    });
    const second = await portalFor(customer.id);
    expect(second.configuration).toBe(configuration.id);
    expect(await env.eventTypes(configuration.id)).toEqual([
      'billing_portal.configuration.created',
    ]);
    const defaults = await env.stripe.billingPortal.configurations.list({ is_default: true });
    expect(defaults.data.map((c) => c.id)).toEqual([configuration.id]);
    const refused = await caught(
      env.stripe.billingPortal.configurations.update(configuration.id, { active: false }),
    );
    expect(refused.message).toBe('You cannot deactivate the default configuration.');
  });

  it('creates, updates (with previous_attributes) and lists configurations', async () => {
    const configuration = conforms(await switchingConfiguration());
    expect(configuration).toMatchObject({
      is_default: false,
      default_return_url: RETURN,
      features: {
        subscription_update: {
          enabled: true,
          proration_behavior: 'none',
          default_allowed_updates: ['price'],
          products: [{ product: pro.id, prices: [monthly.id, yearly.id] }],
        },
      },
    });
    const updated = conforms(
      await env.stripe.billingPortal.configurations.update(configuration.id, {
        features: { subscription_cancel: { mode: 'immediately' } },
        business_profile: { headline: 'Tillkit billing' },
        metadata: { team: 'billing' },
      }),
    );
    expect(updated.features.subscription_cancel.mode).toBe('immediately');
    expect(updated.business_profile.headline).toBe('Tillkit billing');
    const events = await env.verifiedEvents(configuration.id);
    expect(events.map((event) => event.type)).toEqual([
      'billing_portal.configuration.created',
      'billing_portal.configuration.updated',
    ]);
    const previous = events[1]?.data
      .previous_attributes as Partial<Stripe.BillingPortal.Configuration>;
    expect(previous.features?.subscription_cancel.mode).toBe('at_period_end');
    expect(previous.metadata).toEqual({});

    const deactivated = await env.stripe.billingPortal.configurations.update(configuration.id, {
      active: false,
    });
    expect(deactivated.active).toBe(false);
    const inactive = await env.stripe.billingPortal.configurations.list({ active: false });
    expect(inactive.data.map((c) => c.id)).toContain(configuration.id);
    const { customer } = await subscriber('inactive@example.com');
    const refused = await caught(portalFor(customer.id, configuration.id));
    expect(refused.param).toBe('configuration');
  });

  it('checks the products and prices customers may switch to', async () => {
    const withoutProducts = await caught(
      env.stripe.billingPortal.configurations.create({
        features: { subscription_update: { enabled: true, default_allowed_updates: ['price'] } },
      }),
    );
    expect(withoutProducts.message).toBe(
      'Missing required param: features[subscription_update][products].',
    );
    const wrongProduct = await caught(
      env.stripe.billingPortal.configurations.create({
        features: {
          subscription_update: {
            enabled: true,
            products: [{ product: pro.id, prices: [basic.id] }],
          },
        },
      }),
    );
    expect(wrongProduct.param).toBe('features[subscription_update][products][0][prices][0]');
    const login = await caught(
      env.stripe.billingPortal.configurations.create({
        features: { invoice_history: { enabled: true } },
        login_page: { enabled: true },
      }),
    );
    expect(login.param).toBe('login_page[enabled]');
    const missing = await caught(env.stripe.billingPortal.configurations.retrieve('bpc_missing'));
    expect(missing.statusCode).toBe(404);
  });
});

// --- sessions -------------------------------------------------------------------------------------------

describe('sessions', () => {
  it('creates a session whose url is the portal page, with billing_portal.session.created', async () => {
    const { customer } = await subscriber('session@example.com');
    const configuration = await switchingConfiguration();
    const portal = conforms(
      await env.stripe.billingPortal.sessions.create({
        customer: customer.id,
        configuration: configuration.id,
      }),
    );
    expect(portal).toMatchObject({
      object: 'billing_portal.session',
      customer: customer.id,
      configuration: configuration.id,
      return_url: RETURN,
      flow: null,
      livemode: false,
    });
    expect(portal.id).toMatch(/^bps_\w{24}$/);
    expect(portal.url).toBe(`${env.sandbox.url}/v1/_sandbox/billing_portal/${portal.id}`);
    expect(await env.eventTypes(portal.id)).toEqual(['billing_portal.session.created']);

    const missing = await caught(env.stripe.billingPortal.sessions.create({}));
    expect(missing.message).toBe('Missing required param: customer.');
    const unknown = await caught(env.stripe.billingPortal.sessions.create({ customer: 'cus_x' }));
    expect(unknown.statusCode).toBe(404);
    const flow = await caught(
      env.stripe.billingPortal.sessions.create({
        customer: customer.id,
        flow_data: { type: 'payment_method_update' },
      }),
    );
    expect(flow.param).toBe('flow_data');
  });

  it('expires after an hour', async () => {
    const { customer } = await subscriber('late@example.com');
    const portal = await portalFor(customer.id);
    offset += 3601;
    try {
      const response = await fetch(portal.url);
      expect(response.status).toBe(410);
      const html = await response.text();
      expect(html).toContain('This portal session has expired');
      expect(html).toContain(`href="${RETURN}"`);
    } finally {
      offset -= 3601;
    }
  });
});

// --- the page -------------------------------------------------------------------------------------------

describe('the portal page', () => {
  it('lists the subscription, the cards and the invoices, with a link back', async () => {
    const { customer, subscription } = await subscriber('page@example.com');
    const portal = await portalFor(customer.id, (await switchingConfiguration()).id);
    const html = await open(portal);
    expect(html).toContain('Tillkit Stripe sandbox');
    expect(html).toContain('page@example.com');
    expect(html).toContain('<h3 id="subscription-');
    expect(html).toContain('$29.00 / month');
    expect(html).toContain('>Active</span>');
    const end = subscription.items.data[0]?.current_period_end as number;
    const date = new Date(end * 1000);
    expect(html).toContain(
      `Renews on ${date.getUTCDate()} ${date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${date.getUTCFullYear()}`,
    );
    expect(html).toMatch(
      /Visa ending in 4242 · Expires 12\/\d{4}<\/span> <span class="badge">Default/,
    );
    const invoice = await env.stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(html).toContain(`<td>${invoice.number}</td><td>$29.00</td><td>Paid</td>`);
    expect(html).toContain(`<a href="${RETURN}">Return to shop.example</a>`);
    const buttons = formsOf(html).map((form) => form.button);
    expect(buttons).toEqual(['Cancel subscription', 'Switch plan', 'Add card']);
  });

  it('shows only what the configuration enables', async () => {
    const { customer } = await subscriber('readonly@example.com');
    const configuration = await env.stripe.billingPortal.configurations.create({
      features: {
        invoice_history: { enabled: false },
        payment_method_update: { enabled: false },
        subscription_cancel: { enabled: false },
      },
    });
    const html = await open(await portalFor(customer.id, configuration.id));
    expect(html).toContain('$29.00 / month');
    expect(formsOf(html)).toEqual([]);
    expect(html).not.toContain('Invoice history');
    expect(html).not.toContain('Payment methods');
  });

  it('cancels at period end, then renews: customer.subscription.updated each time', async () => {
    const { customer, subscription } = await subscriber('cancel@example.com');
    const portal = await portalFor(customer.id);
    const canceled = await press(portal, 'Cancel subscription');
    expect(canceled.response.status).toBe(303);
    expect(canceled.response.headers.get('location')).toBe(
      `/v1/_sandbox/billing_portal/${portal.id}`,
    );
    const after = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(after).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(after.cancel_at).toBe(after.items.data[0]?.current_period_end);
    expect(statusOf(canceled.html)).toMatch(
      /^Your subscription will be canceled on \d+ \w+ \d{4}\.$/,
    );
    expect(canceled.html).toContain('Cancels on ');
    // The message shows once.
    expect(statusOf(await open(portal))).toBeNull();

    const renewed = await press(portal, 'Renew subscription');
    expect(statusOf(renewed.html)).toBe('Your subscription will renew.');
    expect((await env.stripe.subscriptions.retrieve(subscription.id)).cancel_at_period_end).toBe(
      false,
    );
    const events = await env.verifiedEvents(subscription.id);
    const updates = events.filter((event) => event.type === 'customer.subscription.updated');
    expect(updates.map((event) => event.data.previous_attributes?.cancel_at_period_end)).toEqual([
      false,
      true,
    ]);
    expect(updates[0]?.request).toEqual({ id: null, idempotency_key: null });
  });

  it('offers to renew a subscription set to end on a date (cancel_at), and renewing clears the date', async () => {
    const { customer, subscription } = await subscriber('dated@example.com');
    const period = subscription.items.data[0]?.current_period_end as number;
    const date = period - 7 * 86_400;
    await env.stripe.subscriptions.update(subscription.id, { cancel_at: date });
    const portal = await portalFor(customer.id);
    const html = await open(portal);
    expect(html).toContain('Cancels on ');
    expect(formsOf(html).map((form) => form.button)).toEqual(['Renew subscription', 'Add card']);
    const renewed = await press(portal, 'Renew subscription');
    expect(statusOf(renewed.html)).toBe('Your subscription will renew.');
    expect(await env.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({
      cancel_at: null,
      cancel_at_period_end: false,
      status: 'active',
    });
  });

  it('cancels immediately with the reason given when the configuration says so', async () => {
    const { customer, subscription } = await subscriber('now@example.com');
    const configuration = await env.stripe.billingPortal.configurations.create({
      features: {
        subscription_cancel: {
          enabled: true,
          mode: 'immediately',
          cancellation_reason: { enabled: true, options: ['too_expensive', 'unused'] },
        },
      },
    });
    const portal = await portalFor(customer.id, configuration.id);
    const html = await open(portal);
    expect(html).toContain('<option value="too_expensive">');
    const { html: after } = await press(portal, 'Cancel subscription now', {
      cancellation_reason: 'too_expensive',
    });
    expect(statusOf(after)).toBe('Your subscription has been canceled.');
    const ended = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe('canceled');
    expect(ended.cancellation_details?.feedback).toBe('too_expensive');
    expect(await env.eventTypes(subscription.id)).toContain('customer.subscription.deleted');
    expect(after).toContain('No current subscriptions.');
  });

  it('switches plan among the configured prices', async () => {
    const { customer, subscription } = await subscriber('switch@example.com');
    const portal = await portalFor(customer.id, (await switchingConfiguration()).id);
    const html = await open(portal);
    expect(html).toContain(`<option value="${yearly.id}">Pro, $290.00 / year</option>`);
    expect(html).not.toContain(`<option value="${monthly.id}">`);
    const { html: after } = await press(portal, 'Switch plan', { price: yearly.id });
    expect(statusOf(after)).toBe('Your plan has been updated.');
    const switched = await env.stripe.subscriptions.retrieve(subscription.id);
    expect(switched.items.data[0]?.price.id).toBe(yearly.id);
    expect(after).toContain('$290.00 / year');
    const update = (await env.verifiedEvents(subscription.id)).find(
      (event) => event.type === 'customer.subscription.updated',
    );
    const previous = update?.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0]?.price.id).toBe(monthly.id);

    const refused = await press(portal, 'Switch plan', { price: basic.id });
    expect(statusOf(refused.html)).toBe('That plan is not available.');
    expect((await env.stripe.subscriptions.retrieve(subscription.id)).items.data[0]?.price.id).toBe(
      yearly.id,
    );
  });

  it('adds a card (the new default), makes the old one removable, and removes it', async () => {
    const { customer, card, subscription } = await subscriber('cards@example.com');
    const portal = await portalFor(customer.id);
    const before = await open(portal);
    expect(before).not.toContain('aria-label="Remove Visa ending in 4242"');

    const added = await press(portal, 'Add card', {
      card_number: '5555 5555 5555 4444',
      card_expiry: '10 / 31',
      card_cvc: '321',
    });
    expect(statusOf(added.html)).toBe('Your card has been added and is now the default.');
    const cards = await env.stripe.paymentMethods.list({ customer: customer.id });
    const newCard = cards.data.find((pm) => pm.card?.last4 === '4444') as Stripe.PaymentMethod;
    expect(newCard.card).toMatchObject({ exp_month: 10, exp_year: 2031, brand: 'mastercard' });
    const updatedCustomer = await env.stripe.customers.retrieve(customer.id);
    expect((updatedCustomer as Stripe.Customer).invoice_settings.default_payment_method).toBe(
      newCard.id,
    );
    expect(added.html).toMatch(
      /Mastercard ending in 4444 · Expires 10\/2031<\/span> <span class="badge">Default/,
    );

    const removed = await press(portal, 'Remove');
    expect(statusOf(removed.html)).toBe('The card has been removed.');
    expect((await env.stripe.paymentMethods.retrieve(card.id)).customer).toBeNull();
    expect(removed.html).not.toContain('Visa ending in 4242');

    const types = (await env.verifiedEvents())
      .filter((event) => {
        const object = event.data.object as unknown as { id: string; customer?: unknown };
        return [customer.id, card.id].includes(object.id) || object.customer === customer.id;
      })
      .map((event) => event.type);
    const tail = types.slice(types.indexOf('setup_intent.created'));
    expect(tail).toEqual([
      'setup_intent.created',
      'payment_method.attached',
      'setup_intent.succeeded',
      'customer.updated',
      'payment_method.detached',
    ]);
    expect(subscription.default_payment_method).toBeNull();
  });

  it('makes another card the default, also for subscriptions that have their own', async () => {
    const { customer, card } = await subscriber('default-card@example.com');
    const other = await env.stripe.paymentMethods.attach('pm_card_mastercard', {
      customer: customer.id,
    });
    const own = await env.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id }],
      default_payment_method: card.id,
    });
    const portal = await portalFor(customer.id);
    const { html } = await press(portal, 'Make default');
    expect(statusOf(html)).toBe('Your default card has been updated.');
    const after = (await env.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBe(other.id);
    expect((await env.stripe.subscriptions.retrieve(own.id)).default_payment_method).toBe(other.id);
    const types = await env.eventTypes(own.id, customer.id);
    expect(types.slice(-2)).toEqual(['customer.updated', 'customer.subscription.updated']);
  });

  it('adds a 3D Secure card through the challenge page', async () => {
    const { customer } = await subscriber('sca-card@example.com');
    const portal = await portalFor(customer.id);
    const { response } = await press(portal, 'Add card', {
      card_number: '4000002760003184',
      card_expiry: '12 / 34',
      card_cvc: '123',
    });
    expect(response.status).toBe(303);
    const challengeUrl = response.headers.get('location') as string;
    expect(challengeUrl).toContain('/v1/_sandbox/3ds/seti_');
    const challenge = await (await fetch(challengeUrl)).text();
    const form = formsOf(challenge)[0] as Form;
    const answered = await fetch(new URL(form.action, env.sandbox.url), {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ ...form.fields, outcome: 'complete' }),
    });
    const back = answered.headers.get('location') as string;
    expect(back).toContain(`/v1/_sandbox/billing_portal/${portal.id}/card_added?`);
    const returned = await fetch(back, { redirect: 'manual' });
    expect(returned.status).toBe(303);
    const html = await open(portal);
    expect(statusOf(html)).toBe('Your card has been added and is now the default.');
    expect(html).toMatch(
      /Visa ending in 3184 · Expires 12\/2034<\/span> <span class="badge">Default/,
    );
  });

  it('shows a declined card and refuses what is not the customer’s', async () => {
    const { customer } = await subscriber('declined@example.com');
    const stranger = await subscriber('stranger@example.com');
    const portal = await portalFor(customer.id);
    const declined = await press(portal, 'Add card', {
      card_number: '4000000000000002',
      card_expiry: '12 / 34',
      card_cvc: '123',
    });
    expect(statusOf(declined.html)).toBe('Your card was declined.');
    expect(declined.html).toContain('role="alert"');
    expect((await env.stripe.paymentMethods.list({ customer: customer.id })).data).toHaveLength(1);

    const foreign = await press(portal, 'Cancel subscription', {
      subscription: stranger.subscription.id,
    });
    expect(statusOf(foreign.html)).toBe('That subscription was not found.');
    expect(
      (await env.stripe.subscriptions.retrieve(stranger.subscription.id)).cancel_at_period_end,
    ).toBe(false);
  });
});
