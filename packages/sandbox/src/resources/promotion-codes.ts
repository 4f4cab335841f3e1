/**
 * promotion_codes: create, retrieve, update (`active`, `metadata`), list (`active`, `code`,
 * `coupon`, `customer`). In this API version the coupon sits at `promotion.coupon` (with
 * `promotion.type: coupon`). Codes match case-insensitively, as Stripe matches what customers type;
 * a code is `active` only while its coupon is valid, it has not expired and it has redemptions
 * left. The restrictions (`first_time_transaction`, `minimum_amount`) are checked when the code is
 * redeemed (resources/discounts.ts).
 * @see https://docs.stripe.com/api/promotion_codes
 */
import type Stripe from 'stripe';
import { currencyParam } from '../core/currencies.js';
import { invalidRequest, missingParameter, resourceMissing } from '../core/errors.js';
import { newId, randomString } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { bool, int, listShape, metadata, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { couponCollection, couponValidAt, findCoupon, promotionCodeOrphaned } from './coupons.js';
import { findCustomer } from './customers.js';
import { idOf } from './payments-shared.js';

const HINTS: Record<string, string> = {
  coupon: 'This API version moved it to promotion[coupon], with promotion[type]=coupon.',
  customer_account: 'The sandbox models customers, not Accounts v2.',
  'restrictions[currency_options]': 'The sandbox does not support multi-currency promotion codes.',
};

const CODE_PATTERN = /^[a-zA-Z0-9-]+$/;

export function promotionCodeCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.PromotionCode>('promotion_codes');
}

/** The id of a promotion code's coupon. */
export function promotionCouponId(code: Stripe.PromotionCode): string {
  return idOf(code.promotion.coupon as string | { id: string } | null) ?? '';
}

/**
 * The coupon a code was made for, or undefined once it was deleted: a coupon made later with the
 * same id is another coupon, and the code does not redeem it.
 */
export function promotionCodeCoupon(
  sandbox: SandboxCore,
  code: Stripe.PromotionCode,
): Stripe.Coupon | undefined {
  if (promotionCodeOrphaned(sandbox, code.id)) return undefined;
  return couponCollection(sandbox).get(promotionCouponId(code));
}

/** Whether a code (with its coupon) can be redeemed at `at`, ignoring its restrictions. */
export function promotionCodeUsableAt(
  sandbox: SandboxCore,
  code: Stripe.PromotionCode,
  at: number,
): boolean {
  const coupon = promotionCodeCoupon(sandbox, code);
  return (
    code.active &&
    (code.expires_at === null || at < code.expires_at) &&
    (code.max_redemptions === null || code.times_redeemed < code.max_redemptions) &&
    coupon !== undefined &&
    couponValidAt(coupon, at)
  );
}

/**
 * Brings `active` up to date: "a promotion code is only active if the coupon is also valid", and
 * an expired or used-up code is no longer active.
 */
export function refreshPromotionCode(
  sandbox: SandboxCore,
  code: Stripe.PromotionCode,
): Stripe.PromotionCode {
  if (code.active && !promotionCodeUsableAt(sandbox, code, sandbox.now())) code.active = false;
  return code;
}

export function findPromotionCode(
  sandbox: SandboxCore,
  id: string,
  param = 'id',
): Stripe.PromotionCode {
  const code = promotionCodeCollection(sandbox).get(id);
  if (!code) throw resourceMissing('promotion_code', id, param);
  return refreshPromotionCode(sandbox, code);
}

/**
 * The promotion code a customer typed: matched regardless of case, an active one first (codes are
 * unique among active codes only).
 */
export function findPromotionCodeByCode(
  sandbox: SandboxCore,
  typed: string,
): Stripe.PromotionCode | undefined {
  const wanted = typed.trim().toLowerCase();
  const matches = promotionCodeCollection(sandbox)
    .values()
    .filter((code) => code.code.toLowerCase() === wanted)
    .map((code) => refreshPromotionCode(sandbox, code));
  return matches.find((code) => code.active) ?? matches.at(-1);
}

const createSchema = params({
  // Checked by hand, so that an old `coupon` parameter is named before a missing `promotion`.
  promotion: z.strictObject({ type: oneOf(['coupon']), coupon: str().optional() }).optional(),
  active: bool().optional(),
  code: str().optional(),
  customer: str().optional(),
  expires_at: int().optional(),
  max_redemptions: int().optional(),
  metadata: metadata().optional(),
  restrictions: z
    .strictObject({
      first_time_transaction: bool().optional(),
      minimum_amount: int().optional(),
      minimum_amount_currency: currencyParam().optional(),
    })
    .optional(),
});

export type PromotionCodeInput = z.output<typeof createSchema>;

/** Creates a promotion code (`promotion_code.created`), checking everything first. */
export function createPromotionCode(
  sandbox: SandboxCore,
  input: PromotionCodeInput,
  emit: (type: string, object: object) => void,
): Stripe.PromotionCode {
  if (!input.promotion) throw missingParameter('promotion');
  if (!input.promotion.coupon) throw missingParameter('promotion[coupon]');
  const coupon = findCoupon(sandbox, input.promotion.coupon, 'promotion[coupon]');
  if (input.customer !== undefined) findCustomer(sandbox, input.customer);
  const code = input.code ?? randomString(10);
  if (!CODE_PATTERN.test(code) || code.length > 500) {
    throw invalidRequest(
      'Invalid code: a promotion code can contain only letters (a-z, A-Z), digits (0-9) and dashes (-), at most 500 of them.',
      'code',
    );
  }
  const customer = input.customer ?? null;
  const taken = promotionCodeCollection(sandbox)
    .values()
    .some(
      (other) =>
        refreshPromotionCode(sandbox, other).active &&
        other.code.toLowerCase() === code.toLowerCase() &&
        (other.customer === null || customer === null || other.customer === customer),
    );
  if (taken && input.active !== false) {
    throw invalidRequest(
      `An active promotion code with the code \`${code}\` already exists. Codes are unique, regardless of case, among active promotion codes.`,
      'code',
    );
  }
  const now = sandbox.now();
  if (input.expires_at !== undefined) {
    if (input.expires_at <= now) {
      throw invalidRequest(
        'Invalid timestamp: must be an integer Unix timestamp in the future.',
        'expires_at',
      );
    }
    if (coupon.redeem_by !== null && input.expires_at > coupon.redeem_by) {
      throw invalidRequest(
        "The promotion code's `expires_at` cannot be after its coupon's `redeem_by`.",
        'expires_at',
      );
    }
  }
  if (input.max_redemptions !== undefined && input.max_redemptions < 1) {
    throw invalidRequest(
      'This value must be greater than or equal to 1.',
      'max_redemptions',
      'parameter_invalid_integer',
    );
  }
  // "If the coupon has specified a max_redemptions, then this value cannot be greater than the
  // coupon's max_redemptions." @see https://docs.stripe.com/api/promotion_codes/create
  if (
    input.max_redemptions !== undefined &&
    coupon.max_redemptions !== null &&
    input.max_redemptions > coupon.max_redemptions
  ) {
    throw invalidRequest(
      `The promotion code's \`max_redemptions\` (${input.max_redemptions}) cannot be greater than its coupon's \`max_redemptions\` (${coupon.max_redemptions}).`,
      'max_redemptions',
    );
  }
  const restrictions = input.restrictions ?? {};
  if (restrictions.minimum_amount !== undefined) {
    if (restrictions.minimum_amount < 1) {
      throw invalidRequest(
        'This value must be greater than or equal to 1.',
        'restrictions[minimum_amount]',
        'parameter_invalid_integer',
      );
    }
    if (restrictions.minimum_amount_currency === undefined) {
      throw invalidRequest(
        'You must pass `restrictions[minimum_amount_currency]` when passing `restrictions[minimum_amount]`.',
        'restrictions[minimum_amount_currency]',
        'parameter_missing',
      );
    }
  } else if (restrictions.minimum_amount_currency !== undefined) {
    throw invalidRequest(
      'You must pass `restrictions[minimum_amount]` when passing `restrictions[minimum_amount_currency]`.',
      'restrictions[minimum_amount]',
      'parameter_missing',
    );
  }
  const promotionCode: Stripe.PromotionCode = {
    id: newId('promo'),
    object: 'promotion_code',
    active: input.active ?? true,
    code,
    created: now,
    customer,
    customer_account: null,
    expires_at: input.expires_at ?? null,
    livemode: false,
    max_redemptions: input.max_redemptions ?? null,
    metadata: initialMetadata(input.metadata),
    promotion: { coupon: coupon.id, type: 'coupon' },
    restrictions: {
      first_time_transaction: restrictions.first_time_transaction ?? false,
      minimum_amount: restrictions.minimum_amount ?? null,
      minimum_amount_currency: restrictions.minimum_amount_currency ?? null,
    },
    times_redeemed: 0,
  };
  promotionCodeCollection(sandbox).set(promotionCode);
  emit('promotion_code.created', promotionCode);
  return promotionCode;
}

// --- routes ----------------------------------------------------------------------------------

function create(ctx: RequestContext): Stripe.PromotionCode {
  const input = ctx.parse(createSchema, HINTS);
  return createPromotionCode(ctx.sandbox, input, ctx.emit);
}

function retrieve(ctx: RequestContext): Stripe.PromotionCode {
  ctx.parse(params({}));
  return findPromotionCode(ctx.sandbox, ctx.path.id as string);
}

const updateSchema = params({
  active: bool().optional(),
  metadata: metadata().optional(),
  restrictions: z.strictObject({}).optional(),
});

function update(ctx: RequestContext): Stripe.PromotionCode {
  const input = ctx.parse(updateSchema, HINTS);
  const { sandbox } = ctx;
  const code = findPromotionCode(sandbox, ctx.path.id as string);
  if (input.active === true && !code.active) {
    const reactivated = { ...code, active: true };
    if (!promotionCodeUsableAt(sandbox, reactivated, sandbox.now())) {
      throw invalidRequest(
        'This promotion code cannot be reactivated: it has expired, reached its max_redemptions, or its coupon is no longer valid.',
        'active',
      );
    }
  }
  const previous = trackChanges(code, (c) => {
    if (input.active !== undefined) c.active = input.active;
    c.metadata = mergeMetadata(c.metadata ?? {}, input.metadata);
  });
  if (Object.keys(previous).length) ctx.emit('promotion_code.updated', code, previous);
  return code;
}

const listSchema = params({
  ...listShape,
  active: bool().optional(),
  code: str().optional(),
  coupon: str().optional(),
  customer: str().optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.PromotionCode> {
  const input = ctx.parse(listSchema, { customer_account: HINTS.customer_account as string });
  const { sandbox } = ctx;
  const code = input.code?.toLowerCase();
  const items = promotionCodeCollection(sandbox)
    .values()
    .map((promotionCode) => refreshPromotionCode(sandbox, promotionCode))
    .filter(
      (promotionCode) =>
        (input.active === undefined || promotionCode.active === input.active) &&
        (code === undefined || promotionCode.code.toLowerCase() === code) &&
        (input.coupon === undefined || promotionCouponId(promotionCode) === input.coupon) &&
        (input.customer === undefined || promotionCode.customer === input.customer),
    );
  return paginate(items, input, ctx.url.pathname, 'promotion_code');
}

export const promotionCodeRoutes: Route[] = [
  { method: 'POST', path: '/v1/promotion_codes', handler: create },
  { method: 'GET', path: '/v1/promotion_codes', handler: list },
  { method: 'GET', path: '/v1/promotion_codes/:id', handler: retrieve },
  { method: 'POST', path: '/v1/promotion_codes/:id', handler: update },
];
