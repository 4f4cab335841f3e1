import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoCatalog, seedDemoCatalog } from '../index.js';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();
const SUCCESS = 'https://shop.example/thanks?session_id={CHECKOUT_SESSION_ID}';
let catalog: DemoCatalog;

beforeAll(async () => {
  catalog = seedDemoCatalog(env.sandbox.core);
  await env.verifiedEvents();
});

function price(lookupKey: string): string {
  const found = catalog.prices.find((candidate) => candidate.lookup_key === lookupKey);
  if (!found) throw new Error(`no demo price ${lookupKey}`);
  return found.id;
}

// --- a browser's view of the page -------------------------------------------------------------

interface Form {
  action: string;
  fields: Record<string, string>;
}

/** A Checkout Session for `quantity` of price `lookupKey` whose page takes promotion codes. */
function pageTakingCodes(mode: 'payment' | 'subscription', lookupKey: string, quantity = 1) {
  return env.stripe.checkout.sessions.create({
    mode,
    line_items: [{ price: price(lookupKey), quantity }],
    allow_promotion_codes: true,
    success_url: SUCCESS,
  });
}

function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((match) => {
    const action = (/action="([^"]*)"/.exec(match[1] ?? '')?.[1] ?? '').replaceAll('&amp;', '&');
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
      const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
      const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1];
      if (name && value !== undefined) fields[name] = value;
    }
    return { action, fields };
  });
}

async function open(session: Stripe.Checkout.Session): Promise<string> {
  const page = await fetch(session.url as string);
  expect(page.status).toBe(200);
  return page.text();
}

async function submit(html: string, ending: string, values: Record<string, string> = {}) {
  const form = formsOf(html).find((candidate) => candidate.action.endsWith(ending));
  if (!form) throw new Error(`no form ending ${ending} on the page:\n${html}`);
  return fetch(new URL(form.action, env.sandbox.url), {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...form.fields, ...values }),
  });
}

async function payOnPage(session: Stripe.Checkout.Session, email = 'buyer@example.com') {
  const paid = await submit(await open(session), '/pay', {
    email,
    card_number: '4242 4242 4242 4242',
    card_expiry: '12 / 34',
    card_cvc: '123',
  });
  expect(paid.status).toBe(303);
}

function totalOf(html: string): string | undefined {
  return /id="checkout-total">([^<]*)</.exec(html)?.[1];
}

function thenOf(html: string): string | undefined {
  return /id="checkout-then">([^<]*)</.exec(html)?.[1];
}

const CARD = { email: 'buyer@example.com', card_expiry: '12 / 34', card_cvc: '123' };
const LOCKED = 'This order’s payment has started: its code can no longer change.';

/** Pays on the page with a 3D Secure card: the answer redirects to the challenge page. */
async function startThreeDSecure(session: Stripe.Checkout.Session): Promise<string> {
  const attempt = await submit(await open(session), '/pay', {
    ...CARD,
    card_number: '4000 0027 6000 3184',
  });
  expect(attempt.status).toBe(303);
  const challenge = attempt.headers.get('location') as string;
  expect(challenge).toContain('/v1/_sandbox/3ds/');
  return challenge;
}

/** The challenge page's "Complete authentication", followed back to where it leads. */
async function completeChallenge(location: string): Promise<void> {
  const page = await (await fetch(location)).text();
  const form = formsOf(page)[0] as Form;
  const answered = await fetch(new URL(form.action, location), {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...form.fields, outcome: 'complete' }),
  });
  expect(answered.status).toBe(303);
}

// --- the API ----------------------------------------------------------------------------------

describe('Checkout Sessions with discounts', () => {
  it('payment mode: the session shows the discount and the PaymentIntent charges the rest', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10, name: 'Ten' });
    const session = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price('tshirt'), quantity: 2 }],
      discounts: [{ coupon: coupon.id }],
      success_url: SUCCESS,
    });
    conforms(session);
    expect(session).toMatchObject({
      allow_promotion_codes: null,
      amount_subtotal: 5000,
      amount_total: 4500,
      discounts: [{ coupon: coupon.id, promotion_code: null }],
      total_details: { amount_discount: 500, amount_shipping: 0, amount_tax: 0 },
    });
    const items = await env.stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data[0]).toMatchObject({
      amount_subtotal: 5000,
      amount_discount: 500,
      amount_total: 4500,
    });
    const html = await open(session);
    expect(html).toContain('Discount (Ten)');
    expect(totalOf(html)).toBe('$45.00');
    expect((await env.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(0);
    await payOnPage(session);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect(done.status).toBe('complete');
    expect((done.payment_intent as Stripe.PaymentIntent).amount).toBe(4500);
    expect((await env.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });

  it('takes the discount off in three-decimal currencies in tens of fils', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 15 });
    const session = await env.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price('tshirt_kwd'), quantity: 1 }],
      discounts: [{ coupon: coupon.id }],
      success_url: SUCCESS,
    });
    expect(session).toMatchObject({ amount_subtotal: 7500, amount_total: 6370 });
  });

  it('refuses discounts with allow_promotion_codes, in setup mode, and codes that cannot apply', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10 });
    const base = {
      mode: 'payment' as const,
      line_items: [{ price: price('tshirt'), quantity: 1 }],
      success_url: SUCCESS,
    };
    const both = await caught(
      env.stripe.checkout.sessions.create({
        ...base,
        discounts: [{ coupon: coupon.id }],
        allow_promotion_codes: true,
      }),
    );
    expect(both).toMatchObject({ statusCode: 400, param: 'discounts' });
    const setup = await caught(
      env.stripe.checkout.sessions.create({
        mode: 'setup',
        currency: 'usd',
        success_url: SUCCESS,
        discounts: [{ coupon: coupon.id }],
      }),
    );
    expect(setup).toMatchObject({ statusCode: 400, param: 'discounts' });
    const firstTime = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      restrictions: { first_time_transaction: true },
    });
    // A guest who gets no Customer cannot use a first-time code.
    const guest = await caught(
      env.stripe.checkout.sessions.create({
        ...base,
        discounts: [{ promotion_code: firstTime.id }],
      }),
    );
    expect(guest).toMatchObject({ statusCode: 400, param: 'discounts[0][promotion_code]' });
  });

  it('subscription mode: the discount carries to the subscription and its first invoice, redeemed once', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const code = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
    });
    const session = await env.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price('pro_monthly'), quantity: 1 }],
      discounts: [{ promotion_code: code.id }],
      success_url: SUCCESS,
    });
    expect(session).toMatchObject({
      amount_subtotal: 2900,
      amount_total: 2175,
      discounts: [{ coupon: null, promotion_code: code.id }],
      total_details: { amount_discount: 725 },
    });
    await payOnPage(session, 'subscriber@example.com');
    const done = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    const subscription = await env.stripe.subscriptions.retrieve(done.subscription as string, {
      expand: ['discounts', 'latest_invoice'],
    });
    const discount = subscription.discounts[0] as Stripe.Discount;
    expect(discount).toMatchObject({
      checkout_session: session.id,
      promotion_code: code.id,
      source: { coupon: coupon.id, type: 'coupon' },
    });
    // The event that announces the discount already names the session.
    const [created] = await env.verifiedEvents(discount.id);
    expect(created?.type).toBe('customer.discount.created');
    expect(created?.data.object).toMatchObject({
      id: discount.id,
      checkout_session: session.id,
      subscription: subscription.id,
    });
    expect(subscription.latest_invoice).toMatchObject({ subtotal: 2900, total: 2175 });
    expect((await env.stripe.promotionCodes.retrieve(code.id)).times_redeemed).toBe(1);
    expect((await env.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
  });
});

// --- the hosted page's promotion code field ---------------------------------------------------

describe('the hosted page with allow_promotion_codes', () => {
  it('applies a typed code in any case, shows the discount and new total, and removes it', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10 });
    await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'PAGE10',
    });
    const session = await pageTakingCodes('payment', 'mug');
    expect(session.allow_promotion_codes).toBe(true);
    const html = await open(session);
    expect(html).toContain('<summary>Add promotion code</summary>');
    expect(html).toContain('<label for="promotion-code">Promotion code</label>');
    expect(totalOf(html)).toBe('$14.00');

    const wrong = await submit(html, '/promotion_code', { code: 'NOPE' });
    expect(wrong.status).toBe(422);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('role="alert" id="promotion-code-error">This code is invalid.<');
    expect(wrongHtml).toContain('aria-describedby="promotion-code-error"');
    expect(wrongHtml).toContain('<details class="promo" open>');

    const applied = await submit(html, '/promotion_code', { code: 'page10' });
    expect(applied.status).toBe(303);
    const after = await open(session);
    expect(after).toContain('Discount (PAGE10)');
    expect(totalOf(after)).toBe('$12.60');
    expect(after).toContain('<strong>PAGE10</strong> applied');
    const retrieved = await env.stripe.checkout.sessions.retrieve(session.id);
    expect(retrieved).toMatchObject({
      amount_total: 1260,
      total_details: { amount_discount: 140 },
    });

    const removed = await submit(after, '/promotion_code/remove');
    expect(removed.status).toBe(303);
    const back = await open(session);
    expect(totalOf(back)).toBe('$14.00');
    expect(back).not.toContain('Discount (');

    await submit(back, '/promotion_code', { code: 'PAGE10' });
    await payOnPage(session);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect((done.payment_intent as Stripe.PaymentIntent).amount).toBe(1260);
  });

  it('a code typed for a subscription: the Discount names the session from its first event', async () => {
    const session = await pageTakingCodes('subscription', 'pro_monthly');
    expect(
      (await submit(await open(session), '/promotion_code', { code: 'welcome10' })).status,
    ).toBe(303);
    await payOnPage(session, 'typed-code@example.com');
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription.discounts'],
    });
    expect(done.status).toBe('complete');
    const subscription = done.subscription as Stripe.Subscription;
    const discount = subscription.discounts[0] as Stripe.Discount;
    expect(discount.checkout_session).toBe(session.id);
    const events = await env.verifiedEvents(discount.id);
    expect(events.map((event) => event.type)).toEqual(['customer.discount.created']);
    expect(events[0]?.data.object).toMatchObject({
      checkout_session: session.id,
      subscription: subscription.id,
      promotion_code: expect.stringMatching(/^promo_/),
    });
  });

  it('refuses a code once the subscription exists (3D Secure pending): what is shown is what is charged', async () => {
    const session = await pageTakingCodes('subscription', 'pro_monthly');
    await startThreeDSecure(session);
    // Back on the page without authenticating: the subscription is incomplete, its invoice $29.
    const refused = await submit(await open(session), '/promotion_code', { code: 'WELCOME10' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(`role="alert" id="promotion-code-error">${LOCKED}<`);
    expect(html).toContain('aria-describedby="promotion-code-error"');
    expect(totalOf(html)).toBe('$29.00');
    expect(await env.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      amount_total: 2900,
      discounts: [],
    });
    await payOnPage(session);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription.latest_invoice'],
    });
    const subscription = done.subscription as Stripe.Subscription;
    expect(done).toMatchObject({ status: 'complete', amount_total: 2900 });
    expect(subscription.discounts).toEqual([]);
    expect(subscription.latest_invoice).toMatchObject({ status: 'paid', amount_paid: 2900 });
  });

  it('refuses to remove a code once the subscription exists, and charges the discounted total shown', async () => {
    const session = await pageTakingCodes('subscription', 'pro_monthly');
    expect(
      (await submit(await open(session), '/promotion_code', { code: 'welcome10' })).status,
    ).toBe(303);
    await startThreeDSecure(session);
    const refused = await submit(await open(session), '/promotion_code/remove');
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(`role="alert" id="promotion-code-error">${LOCKED}<`);
    expect(html).toContain(
      'aria-label="Remove promotion code WELCOME10" aria-describedby="promotion-code-error"',
    );
    expect(totalOf(html)).toBe('$26.10');
    await payOnPage(session);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription.latest_invoice'],
    });
    expect(done).toMatchObject({ status: 'complete', amount_total: 2610 });
    const subscription = done.subscription as Stripe.Subscription;
    expect(subscription.discounts).toHaveLength(1);
    expect(subscription.latest_invoice).toMatchObject({ status: 'paid', amount_paid: 2610 });
  });

  it('payment mode: refuses a code while 3D Secure is pending (another tab), allows it after a failed attempt', async () => {
    const session = await pageTakingCodes('payment', 'tshirt', 2);
    const challenge = await startThreeDSecure(session);
    const refused = await submit(await open(session), '/promotion_code', { code: 'WELCOME10' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(`id="promotion-code-error">${LOCKED}<`);
    await completeChallenge(challenge);
    const done = await env.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect(done).toMatchObject({ status: 'complete', amount_total: 5000, discounts: [] });
    expect((done.payment_intent as Stripe.PaymentIntent).amount).toBe(5000);

    // A declined attempt leaves the intent open to a new amount: the code applies, and is charged.
    const second = await pageTakingCodes('payment', 'tshirt', 2);
    const declined = await submit(await open(second), '/pay', {
      ...CARD,
      card_number: '4000 0000 0000 0002',
    });
    expect(declined.status).toBe(422);
    expect(
      (await submit(await open(second), '/promotion_code', { code: 'WELCOME10' })).status,
    ).toBe(303);
    await payOnPage(second);
    const paid = await env.stripe.checkout.sessions.retrieve(second.id, {
      expand: ['payment_intent'],
    });
    expect(paid).toMatchObject({ status: 'complete', amount_total: 4500 });
    expect((paid.payment_intent as Stripe.PaymentIntent).amount).toBe(4500);
  });

  it('says what the subscription costs after today for each coupon duration', async () => {
    const forever = await env.stripe.coupons.create({ percent_off: 25, duration: 'forever' });
    const repeating = await env.stripe.coupons.create({
      percent_off: 10,
      duration: 'repeating',
      duration_in_months: 3,
    });
    await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: forever.id },
      code: 'ALWAYS25',
    });
    await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: repeating.id },
      code: 'THREEMONTHS',
    });
    const thenWith = async (code: string | null, trial?: number) => {
      const session = await env.stripe.checkout.sessions.create({
        mode: 'subscription',
        line_items: [{ price: price('pro_monthly'), quantity: 1 }],
        allow_promotion_codes: true,
        success_url: SUCCESS,
        ...(trial ? { subscription_data: { trial_period_days: trial } } : {}),
      });
      if (code) {
        const applied = await submit(await open(session), '/promotion_code', { code });
        expect(applied.status).toBe(303);
      }
      return thenOf(await open(session));
    };
    expect(await thenWith(null)).toBe('Then $29.00 / month.');
    // WELCOME10 is `once`: the first invoice only.
    expect(await thenWith('WELCOME10')).toBe('Then $29.00 / month.');
    expect(await thenWith('WELCOME10', 14)).toBe(
      '14 days free, then $26.10 for the first payment, then $29.00 / month.',
    );
    expect(await thenWith('ALWAYS25')).toBe('Then $21.75 / month.');
    expect(await thenWith('THREEMONTHS')).toBe(
      '$26.10 / month for the first 3 months, then $29.00 / month.',
    );
    expect(await thenWith('THREEMONTHS', 14)).toBe(
      '14 days free, then $26.10 / month until 3 months from today, then $29.00 / month.',
    );
  });

  it('refuses a code that would leave too little to charge, keeping the code applied before', async () => {
    const ten = await env.stripe.coupons.create({ percent_off: 10 });
    const kept = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: ten.id },
      code: 'KEEP10',
    });
    const nearly = await env.stripe.coupons.create({ amount_off: 1380, currency: 'usd' });
    await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: nearly.id },
      code: 'NEARLYFREE',
    });
    const session = await pageTakingCodes('payment', 'mug');
    expect((await submit(await open(session), '/promotion_code', { code: 'KEEP10' })).status).toBe(
      303,
    );
    // The applied code is switched off meanwhile: it stays on the session, as on Stripe. Another
    // is then posted over it (the page offers Remove only, but its route takes a code).
    await env.stripe.promotionCodes.update(kept.id, { active: false });
    const refused = await fetch(`${session.url}/promotion_code`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ code: 'NEARLYFREE' }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('This code cannot be applied to this order.');
    const after = await open(session);
    expect(totalOf(after)).toBe('$12.60');
    expect(after).toContain('<strong>KEEP10</strong> applied');
    expect(await env.stripe.checkout.sessions.retrieve(session.id)).toMatchObject({
      amount_total: 1260,
    });
  });

  it('says why a code with a minimum cannot apply', async () => {
    const coupon = await env.stripe.coupons.create({ amount_off: 500, currency: 'usd' });
    await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'BIGORDER',
      restrictions: { minimum_amount: 5000, minimum_amount_currency: 'usd' },
    });
    const session = await pageTakingCodes('payment', 'mug');
    const response = await submit(await open(session), '/promotion_code', { code: 'BIGORDER' });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('This code requires an order of at least $50.00.');
  });
});
