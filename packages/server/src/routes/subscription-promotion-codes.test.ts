/**
 * Promotion codes on subscriptions made in place: `POST /subscriptions/preview` says what the
 * first invoice charges with a code, `POST /subscriptions` takes the same code, and Stripe (the
 * sandbox) decides whether it applies. Through HTTP with the typed client, each customer on its
 * own test clock.
 */
import { subscriptionPreview } from '@tillkit/protocol';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectApiError, startTestApp, type TestApp } from '../test-support/harness.js';
import { promotionCall } from './promotion-code-shared.js';

describe('promotion codes on subscriptions', () => {
  let app: TestApp;
  let closed: TestApp;

  beforeAll(async () => {
    [app, closed] = await Promise.all([
      startTestApp({ testClocks: true, router: { checkout: { allowPromotionCodes: true } } }),
      startTestApp(),
    ]);
  });
  afterAll(() => Promise.all([app?.close(), closed?.close()]));

  const price = (key: string) => app.prices[key]?.id as string;
  const stripe = () => app.sandbox.stripe;
  let users = 0;
  const newUser = (name: string, on = app) => on.token(`${name}-${++users}`);

  it('previews the first invoice with a code typed in any case, and creates nothing', async () => {
    const token = await newUser('pia');
    const client = app.client(token);
    expect(await client.previewSubscription({ price: price('starter_monthly') })).toEqual({
      currency: 'usd',
      trialDays: null,
      subtotal: 900,
      amountDiscount: 0,
      amountDue: 900,
      promotion: null,
    });
    const before = (await stripe().subscriptions.list({ status: 'all', limit: 100 })).data.length;
    const preview = subscriptionPreview.parse(
      await client.previewSubscription({
        price: price('starter_yearly'),
        quantity: 3,
        promotionCode: '  welcome10 ',
      }),
    );
    expect(preview).toEqual({
      currency: 'usd',
      trialDays: null,
      subtotal: 27_000,
      amountDiscount: 2_700,
      amountDue: 24_300,
      promotion: {
        code: 'WELCOME10',
        percentOff: 10,
        amountOff: null,
        duration: 'once',
        durationInMonths: null,
      },
    });
    expect((await stripe().subscriptions.list({ status: 'all', limit: 100 })).data.length).toBe(
      before,
    );
    const [code] = (await stripe().promotionCodes.list({ code: 'WELCOME10' })).data;
    expect(code?.times_redeemed).toBe(0);
  });

  it('subscribes with the code: the first invoice charges what the preview showed, the renewal the full price', async () => {
    const token = await newUser('sam');
    const client = app.client(token);
    const body = { price: price('starter_monthly'), promotionCode: 'WELCOME10' };
    const preview = await client.previewSubscription(body);
    expect(preview.amountDue).toBe(810);
    const created = await client.createSubscription(body);
    expect(created).toMatchObject({ status: 'incomplete', clientSecretType: 'payment' });
    const intent = await app.confirmPayment(created.clientSecret as string);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 810 });
    const subscription = await stripe().subscriptions.retrieve(created.id, {
      expand: ['latest_invoice'],
    });
    expect((subscription.latest_invoice as Stripe.Invoice).amount_paid).toBe(810);
    expect(subscription.metadata.tillkit_promotion_code).toMatch(/^promo_/);

    // `once`: the renewal is the full price.
    await client.sandboxAdvance({ days: 32 });
    const invoices = await stripe().invoices.list({ subscription: created.id, status: 'paid' });
    expect(invoices.data.map((invoice) => invoice.amount_paid).sort((a, b) => a - b)).toEqual([
      810, 900,
    ]);
  });

  it('a code typed after a first try without it replaces the unpaid subscription; the same code again answers the same one', async () => {
    const token = await newUser('dan');
    const client = app.client(token);
    const plain = await client.createSubscription({ price: price('starter_monthly') });
    const coded = await client.createSubscription({
      price: price('starter_monthly'),
      promotionCode: 'WELCOME10',
    });
    expect(coded.id).not.toBe(plain.id);
    expect((await stripe().subscriptions.retrieve(plain.id)).status).toBe('canceled');
    const again = await client.createSubscription({
      price: price('starter_monthly'),
      promotionCode: 'welcome10',
    });
    expect(again).toEqual(coded);
    const intent = await app.confirmPayment(again.clientSecret as string);
    expect(intent.amount).toBe(810);
  });

  it('a trial charges nothing today; the code takes its part off the first invoice after the trial', async () => {
    const token = await newUser('tia');
    const client = app.client(token);
    const body = { price: price('pro_monthly'), promotionCode: 'WELCOME10' };
    expect(await client.previewSubscription(body)).toMatchObject({
      trialDays: 14,
      subtotal: 0,
      amountDiscount: 0,
      amountDue: 0,
      promotion: { code: 'WELCOME10', percentOff: 10 },
    });
    const created = await client.createSubscription(body);
    expect(created).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    await app.confirmSetup(created.clientSecret as string);
    await app.sandbox.waitForWebhooks();
    await client.sandboxAdvance({ days: 15 });
    const invoices = await stripe().invoices.list({ subscription: created.id, status: 'paid' });
    expect(invoices.data.map((invoice) => invoice.amount_paid).sort((a, b) => a - b)).toEqual([
      0, 2610,
    ]);
  });

  it('refuses unknown and malformed codes, and codes Stripe will not apply, as promotion_code_invalid; nothing is made', async () => {
    const token = await newUser('ned');
    const client = app.client(token);
    const before = (await stripe().subscriptions.list({ status: 'all', limit: 100 })).data.length;
    for (const promotionCode of ['NOSUCHCODE', 'WELCOME-10', 'WELCOME10 OFF']) {
      for (const call of [client.previewSubscription, client.createSubscription]) {
        const error = await expectApiError(
          call({ price: price('starter_monthly'), promotionCode }),
          400,
          'promotion_code_invalid',
        );
        expect(error).toMatchObject({
          param: 'promotionCode',
          message: 'This promotion code is not valid. Check it and try again.',
        });
      }
    }

    // A code for first-time customers only, for a customer who paid before: Stripe's refusal.
    const paid = await client.createSubscription({ price: price('starter_monthly') });
    await app.confirmPayment(paid.clientSecret as string);
    await app.sandbox.waitForWebhooks();
    const coupon = await stripe().coupons.create({ percent_off: 50, duration: 'once' });
    await stripe().promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: `FIRST${users}`,
      restrictions: { first_time_transaction: true },
    });
    for (const call of [client.previewSubscription, client.createSubscription]) {
      const error = await expectApiError(
        call({ price: price('pro_monthly'), promotionCode: `first${users}` }),
        400,
        'promotion_code_invalid',
      );
      expect(error.param).toBe('promotionCode');
      expect(error.message).toMatch(/prior transactions/);
    }
    const after = (await stripe().subscriptions.list({ status: 'all', limit: 100 })).data;
    expect(after.length).toBe(before + 1);
  });

  it('a code used up by the subscription that took it still answers and previews that subscription while it is unpaid', async () => {
    const token = await newUser('uma');
    const client = app.client(token);
    const coupon = await stripe().coupons.create({ percent_off: 20, duration: 'once' });
    const code = `ONCE${users}`;
    await stripe().promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code,
      max_redemptions: 1,
    });
    const body = { price: price('starter_monthly'), promotionCode: code };
    const created = await client.createSubscription(body, { idempotencyKey: `k-${users}` });
    const [used] = (await stripe().promotionCodes.list({ code })).data;
    expect(used).toMatchObject({ active: false, times_redeemed: 1 });
    // A lost answer retried, and a reload that asks again: the same subscription, not a 400.
    expect(await client.createSubscription(body, { idempotencyKey: `k-${users}` })).toEqual(
      created,
    );
    expect(await client.createSubscription(body)).toEqual(created);
    // The form after a reload: the code typed again previews that subscription's invoice.
    expect(await client.previewSubscription(body)).toEqual({
      currency: 'usd',
      trialDays: null,
      subtotal: 900,
      amountDiscount: 180,
      amountDue: 720,
      promotion: {
        code,
        percentOff: 20,
        amountOff: null,
        duration: 'once',
        durationInMonths: null,
      },
    });
    expect((await app.confirmPayment(created.clientSecret as string)).amount).toBe(720);
    // Paid: a new subscription cannot take it any more.
    await expectApiError(client.previewSubscription(body), 400, 'promotion_code_invalid');
  });

  it('a single-use code on a trial that waits for its card still previews that trial', async () => {
    const client = app.client(await newUser('tess'));
    const coupon = await stripe().coupons.create({ percent_off: 20, duration: 'once' });
    const code = `TRIAL${users}`;
    await stripe().promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code,
      max_redemptions: 1,
    });
    const body = { price: price('pro_monthly'), promotionCode: code };
    const trial = await client.createSubscription(body);
    expect(trial).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    expect(await client.previewSubscription(body)).toMatchObject({
      trialDays: 14,
      amountDue: 0,
      promotion: { code, percentOff: 20 },
    });
    expect(await client.createSubscription(body)).toEqual(trial);
  });

  it('takes codes with dashes, and the one of several with the same text that this customer may use', async () => {
    const me = `dee-${++users}`;
    const them = `eve-${++users}`;
    const client = app.client(await app.token(me));
    const coupon = await stripe().coupons.create({ percent_off: 50, duration: 'once' });
    const mine = await stripe().coupons.create({ percent_off: 30, duration: 'once' });
    await stripe().promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: `SUMMER-${users}`,
    });
    expect(
      await client.previewSubscription({
        price: price('starter_monthly'),
        promotionCode: `summer-${users}`,
      }),
    ).toMatchObject({ amountDue: 450, promotion: { code: `SUMMER-${users}`, percentOff: 50 } });

    // Codes restricted to one customer each, with the same text: each gets their own.
    await app
      .client(await app.token(them))
      .previewSubscription({ price: price('starter_monthly') });
    const { data: customers } = await stripe().customers.list({ limit: 100 });
    const customerOf = (userId: string) =>
      customers.find((customer) => customer.metadata?.tillkit_user_id === userId)?.id as string;
    // Stripe lists the newest first: theirs, which the server must pass over.
    for (const [owner, off] of [
      [me, mine.id],
      [them, coupon.id],
    ] as const) {
      await stripe().promotionCodes.create({
        promotion: { type: 'coupon', coupon: off },
        code: `VIP${users}`,
        customer: customerOf(owner),
      });
    }
    expect(
      await client.previewSubscription({
        price: price('starter_monthly'),
        promotionCode: `vip${users}`,
      }),
    ).toMatchObject({ amountDue: 630, promotion: { percentOff: 30 } });
  });

  it('a code that takes all of the first invoice off: active at once, the card saved for renewals, and asked again answers the same', async () => {
    const token = await newUser('fay');
    const client = app.client(token);
    const coupon = await stripe().coupons.create({ percent_off: 100, duration: 'once' });
    const code = `FREE${users}`;
    await stripe().promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code,
    });
    const body = { price: price('starter_monthly'), promotionCode: code };
    expect(await client.previewSubscription(body)).toMatchObject({ amountDue: 0 });
    const created = await client.createSubscription(body);
    expect(created).toMatchObject({ status: 'active', clientSecretType: 'setup' });
    // Listed as waiting for its card, with the same SetupIntent's secret.
    expect((await client.listSubscriptions()).data).toMatchObject([
      { id: created.id, pendingAction: { type: 'save_card', clientSecret: created.clientSecret } },
    ]);
    // Reloaded before the card was saved: the same subscription and its SetupIntent.
    expect(await client.createSubscription(body)).toEqual(created);
    await app.confirmSetup(created.clientSecret as string);
    await app.sandbox.waitForWebhooks();
    expect((await client.listSubscriptions()).data).toMatchObject([
      { id: created.id, status: 'active', pendingAction: null },
    ]);
    await client.sandboxAdvance({ days: 32 });
    const invoices = await stripe().invoices.list({ subscription: created.id, status: 'paid' });
    expect(invoices.data.map((invoice) => invoice.amount_paid).sort((a, b) => a - b)).toEqual([
      0, 900,
    ]);
  });

  it('a code applied to a trial that waits for its card is put on that trial', async () => {
    const token = await newUser('tom');
    const client = app.client(token);
    const trial = await client.createSubscription({ price: price('pro_monthly') });
    expect(trial).toMatchObject({ status: 'trialing', clientSecretType: 'setup' });
    const body = { price: price('pro_monthly'), promotionCode: 'WELCOME10' };
    expect(await client.previewSubscription(body)).toMatchObject({ trialDays: 14, amountDue: 0 });
    expect(await client.createSubscription(body)).toEqual(trial);
    expect(
      (await stripe().subscriptions.retrieve(trial.id)).metadata.tillkit_promotion_code,
    ).toMatch(/^promo_/);
    await app.confirmSetup(trial.clientSecret as string);
    await app.sandbox.waitForWebhooks();
    await client.sandboxAdvance({ days: 15 });
    const invoices = await stripe().invoices.list({ subscription: trial.id, status: 'paid' });
    expect(invoices.data.map((invoice) => invoice.amount_paid).sort((a, b) => a - b)).toEqual([
      0, 2610,
    ]);
  });

  it('a code for other products takes nothing off this plan: refused', async () => {
    const token = await newUser('ola');
    const coupon = await stripe().coupons.create({
      percent_off: 10,
      duration: 'once',
      applies_to: { products: ['prod_tillkit_tshirt'] },
    });
    await stripe().promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: `SHIRTS${users}`,
    });
    const error = await expectApiError(
      app.client(token).previewSubscription({
        price: price('starter_monthly'),
        promotionCode: `SHIRTS${users}`,
      }),
      400,
      'promotion_code_invalid',
    );
    expect(error.message).toBe('This promotion code does not apply to this plan.');
  });

  it('a server that takes no codes refuses them, and previews without one', async () => {
    const token = await newUser('cy', closed);
    const client = closed.client(token);
    const starter = closed.prices.starter_monthly?.id as string;
    for (const call of [client.previewSubscription, client.createSubscription]) {
      const error = await expectApiError(
        call({ price: starter, promotionCode: 'WELCOME10' }),
        400,
        'promotion_code_invalid',
      );
      expect(error.message).toBe('This store does not take promotion codes.');
    }
    expect((await client.previewSubscription({ price: starter })).amountDue).toBe(900);
    expect((await closed.sandbox.stripe.subscriptions.list({ status: 'all' })).data).toEqual([]);
  });
});

describe('promotionCall', () => {
  const refusal = (message: string, param?: string) =>
    Promise.reject(
      new Stripe.errors.StripeInvalidRequestError({
        type: 'invalid_request_error',
        message,
        ...(param ? { param } : {}),
      }),
    );

  it("turns Stripe's refusals of the code into promotion_code_invalid, and nothing else", async () => {
    for (const [message, param] of [
      ['This promotion code has expired.', 'discounts[0][promotion_code]'],
      ['No such promotion code: promo_x', 'promotion_code'],
      ['This promotion code cannot be redeemed because it has been used up.', undefined],
      ['Coupon expired: SUMMER', undefined],
    ] as const) {
      await expect(promotionCall(() => refusal(message, param))).rejects.toMatchObject({
        code: 'promotion_code_invalid',
        param: 'promotionCode',
        message,
      });
    }
    for (const [message, param] of [
      ['Invalid integer: abc', 'items[0][quantity]'],
      ['This customer has no attached payment source.', undefined],
    ] as const) {
      await expect(promotionCall(() => refusal(message, param))).rejects.toMatchObject({
        code: 'stripe_invalid_request',
      });
    }
  });
});
