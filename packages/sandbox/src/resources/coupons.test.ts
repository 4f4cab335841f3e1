import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

describe('coupons', () => {
  it('creates a percent-off coupon with every field Stripe returns, then retrieves it', async () => {
    const coupon = await env.stripe.coupons.create({
      percent_off: 12.5,
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 5,
      name: 'Spring',
      metadata: { campaign: 'spring' },
    });
    conforms(coupon);
    expect(coupon).toMatchObject({
      object: 'coupon',
      amount_off: null,
      currency: null,
      duration: 'repeating',
      duration_in_months: 3,
      livemode: false,
      max_redemptions: 5,
      metadata: { campaign: 'spring' },
      name: 'Spring',
      percent_off: 12.5,
      redeem_by: null,
      times_redeemed: 0,
      valid: true,
    });
    expect(coupon.id).toMatch(/^[A-Z0-9]{8}$/);
    expect(coupon).not.toHaveProperty('applies_to');
    expect(await env.stripe.coupons.retrieve(coupon.id)).toEqual(coupon);
    expect(await env.eventTypes(coupon.id)).toEqual(['coupon.created']);
  });

  it('takes a chosen id, amount_off with its currency, and applies_to (returned when expanded)', async () => {
    const product = await env.stripe.products.create({ name: 'Mug' });
    const coupon = await env.stripe.coupons.create({
      id: 'MUG5',
      amount_off: 500,
      currency: 'USD',
      applies_to: { products: [product.id] },
    });
    expect(coupon).toMatchObject({
      id: 'MUG5',
      amount_off: 500,
      currency: 'usd',
      duration: 'once',
    });
    const expanded = await env.stripe.coupons.retrieve('MUG5', { expand: ['applies_to'] });
    expect(expanded.applies_to).toEqual({ products: [product.id] });
    const again = await caught(env.stripe.coupons.create({ id: 'MUG5', percent_off: 5 }));
    expect(again).toMatchObject({ statusCode: 400, code: 'resource_already_exists' });
  });

  it('refuses what Stripe refuses, naming the parameter', async () => {
    const cases: Array<[Stripe.CouponCreateParams, string, number?]> = [
      [{ duration: 'once' }, 'percent_off'],
      [{ percent_off: 10, amount_off: 100, currency: 'usd' }, 'amount_off'],
      [{ amount_off: 100 }, 'currency'],
      [{ percent_off: 120 }, 'percent_off'],
      [{ percent_off: 10, duration: 'repeating' }, 'duration_in_months'],
      [{ percent_off: 10, duration_in_months: 2 }, 'duration_in_months'],
      [{ percent_off: 10, redeem_by: Math.floor(Date.now() / 1000) - 60 }, 'redeem_by'],
      [
        { percent_off: 10, applies_to: { products: ['prod_missing'] } },
        'applies_to[products][0]',
        404,
      ],
      // Three-decimal currencies are charged in tens: a coupon cannot take 5 fils off.
      [{ amount_off: 1005, currency: 'kwd' }, 'amount_off'],
      [{ percent_off: 10, currency_options: { eur: { amount_off: 5 } } }, 'currency_options'],
    ];
    for (const [params, param, status = 400] of cases) {
      const error = await caught(env.stripe.coupons.create(params));
      expect(error.statusCode, JSON.stringify(params)).toBe(status);
      expect(error.param, JSON.stringify(params)).toBe(param);
    }
  });

  it('updates name and metadata only (coupon.updated), and deletes (coupon.deleted)', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 20, metadata: { a: '1' } });
    const updated = await env.stripe.coupons.update(coupon.id, {
      name: 'Twenty',
      metadata: { a: '', b: '2' },
    });
    expect(updated).toMatchObject({ name: 'Twenty', metadata: { b: '2' }, percent_off: 20 });
    const refused = await caught(
      env.stripe.coupons.update(coupon.id, { percent_off: 30 } as Stripe.CouponUpdateParams),
    );
    expect(refused).toMatchObject({ statusCode: 400, code: 'parameter_unknown' });
    const deleted = await env.stripe.coupons.del(coupon.id);
    conforms(deleted);
    expect(deleted).toEqual({ id: coupon.id, object: 'coupon', deleted: true });
    const missing = await caught(env.stripe.coupons.retrieve(coupon.id));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const events = await env.verifiedEvents(coupon.id);
    expect(events.map((event) => event.type)).toEqual([
      'coupon.created',
      'coupon.updated',
      'coupon.deleted',
    ]);
    expect(events[1]?.data.previous_attributes).toEqual({ name: null, metadata: { a: '1' } });
  });

  it('lists coupons newest first with cursors', async () => {
    const first = await env.stripe.coupons.create({ percent_off: 1 });
    const second = await env.stripe.coupons.create({ percent_off: 2 });
    const page = await env.stripe.coupons.list({ limit: 2 });
    expect(page.data.map((coupon) => coupon.id)).toEqual([second.id, first.id]);
    expect(page.has_more).toBe(true);
    const next = await env.stripe.coupons.list({ limit: 1, starting_after: first.id });
    expect(next.data[0]?.id).not.toBe(first.id);
  });
});

describe('promotion codes', () => {
  it('creates a code for a coupon in this API version shape (promotion.coupon)', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10 });
    const code = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'Summer10',
      max_redemptions: 3,
      restrictions: { minimum_amount: 5000, minimum_amount_currency: 'USD' },
      metadata: { channel: 'newsletter' },
    });
    conforms(code);
    expect(code).toMatchObject({
      object: 'promotion_code',
      active: true,
      code: 'Summer10',
      customer: null,
      customer_account: null,
      expires_at: null,
      max_redemptions: 3,
      metadata: { channel: 'newsletter' },
      promotion: { coupon: coupon.id, type: 'coupon' },
      restrictions: {
        first_time_transaction: false,
        minimum_amount: 5000,
        minimum_amount_currency: 'usd',
      },
      times_redeemed: 0,
    });
    expect(code.id).toMatch(/^promo_\w{24}$/);
    const expanded = await env.stripe.promotionCodes.retrieve(code.id, {
      expand: ['promotion.coupon'],
    });
    expect((expanded.promotion.coupon as Stripe.Coupon).percent_off).toBe(10);
    expect(await env.eventTypes(code.id)).toEqual(['promotion_code.created']);
  });

  it('refuses a second active code that differs only in case, and the old coupon parameter', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10 });
    await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'UNIQUE1',
    });
    const taken = await caught(
      env.stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        code: 'unique1',
      }),
    );
    expect(taken).toMatchObject({ statusCode: 400, param: 'code' });
    const old = await caught(
      env.stripe.promotionCodes.create({
        coupon: coupon.id,
      } as unknown as Stripe.PromotionCodeCreateParams),
    );
    expect(old.message).toContain('promotion[coupon]');
    const noCurrency = await caught(
      env.stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        restrictions: { minimum_amount: 100 },
      }),
    );
    expect(noCurrency.param).toBe('restrictions[minimum_amount_currency]');
    const missingCoupon = await caught(
      env.stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: 'NOPE' } }),
    );
    expect(missingCoupon).toMatchObject({ statusCode: 404, param: 'promotion[coupon]' });
  });

  it("refuses a max_redemptions above its coupon's, and takes one up to it", async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10, max_redemptions: 3 });
    const over = await caught(
      env.stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        max_redemptions: 4,
      }),
    );
    expect(over).toMatchObject({ statusCode: 400, param: 'max_redemptions' });
    expect((await env.stripe.promotionCodes.list({ coupon: coupon.id })).data).toEqual([]);
    const upTo = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      max_redemptions: 3,
    });
    expect(upTo.max_redemptions).toBe(3);
    const unlimited = await env.stripe.coupons.create({ percent_off: 10 });
    const any = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: unlimited.id },
      max_redemptions: 1000,
    });
    expect(any.max_redemptions).toBe(1000);
  });

  it('takes letters, digits and dashes in a code, and refuses anything else', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 10 });
    const dashed = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SUMMER-20',
    });
    expect(dashed.code).toBe('SUMMER-20');
    expect((await env.stripe.promotionCodes.list({ code: 'summer-20' })).data).toHaveLength(1);
    for (const code of ['SUMMER 20', 'SUMMER_20', 'SOMMER€']) {
      const refused = await caught(
        env.stripe.promotionCodes.create({
          promotion: { type: 'coupon', coupon: coupon.id },
          code,
        }),
      );
      expect(refused).toMatchObject({ statusCode: 400, param: 'code' });
    }
  });

  it('updates active and metadata (promotion_code.updated) and lists by code, coupon, customer', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 15 });
    const customer = await env.stripe.customers.create({ email: 'promo@example.com' });
    const mine = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'LISTME',
      customer: customer.id,
    });
    const other = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
    });
    const off = await env.stripe.promotionCodes.update(mine.id, {
      active: false,
      metadata: { why: 'paused' },
    });
    expect(off).toMatchObject({ active: false, metadata: { why: 'paused' } });
    const byCode = await env.stripe.promotionCodes.list({ code: 'listme' });
    expect(byCode.data.map((code) => code.id)).toEqual([mine.id]);
    const byCoupon = await env.stripe.promotionCodes.list({ coupon: coupon.id });
    expect(byCoupon.data.map((code) => code.id)).toEqual([other.id, mine.id]);
    const active = await env.stripe.promotionCodes.list({ coupon: coupon.id, active: true });
    expect(active.data.map((code) => code.id)).toEqual([other.id]);
    const byCustomer = await env.stripe.promotionCodes.list({ customer: customer.id });
    expect(byCustomer.data.map((code) => code.id)).toEqual([mine.id]);
    const events = await env.verifiedEvents(mine.id);
    expect(events.map((event) => event.type)).toEqual([
      'promotion_code.created',
      'promotion_code.updated',
    ]);
    expect(events[1]?.data.previous_attributes).toEqual({ active: true, metadata: {} });
  });

  it('is no longer active once its coupon is deleted', async () => {
    const coupon = await env.stripe.coupons.create({ percent_off: 5 });
    const code = await env.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
    });
    await env.stripe.coupons.del(coupon.id);
    expect((await env.stripe.promotionCodes.retrieve(code.id)).active).toBe(false);
    const back = await caught(env.stripe.promotionCodes.update(code.id, { active: true }));
    expect(back).toMatchObject({ statusCode: 400, param: 'active' });
  });
});
