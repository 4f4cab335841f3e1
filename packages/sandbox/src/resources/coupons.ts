/**
 * coupons: create (`percent_off`, or `amount_off` with `currency`; `duration` once, repeating or
 * forever; `max_redemptions`, `redeem_by`, `applies_to[products]`), retrieve, update (`name`,
 * `metadata`), delete, list. `valid` follows `redeem_by` and `max_redemptions`; `times_redeemed`
 * counts redemptions (resources/discounts.ts). `applies_to` is returned only when expanded, as on
 * Stripe. A deleted coupon can no longer be redeemed, but the discounts made from it go on.
 * @see https://docs.stripe.com/api/coupons
 */
import type Stripe from 'stripe';
import { assertChargeableAmount, currencyParam } from '../core/currencies.js';
import {
  invalidRequest,
  missingParameter,
  resourceMissing,
  StripeApiError,
} from '../core/errors.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { int, listShape, metadata, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { idOf } from './payments-shared.js';
import { findProduct } from './products.js';

/** `redeem_by` can be at most five years ahead. */
const MAX_REDEEM_BY = 5 * 366 * 86_400;

const HINTS: Record<string, string> = {
  currency_options: 'The sandbox does not support multi-currency coupons.',
};

export function couponCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Coupon>('coupons');
}

/** A coupon that can be redeemed, or Stripe's 404. */
export function findCoupon(sandbox: SandboxCore, id: string, param = 'id'): Stripe.Coupon {
  const coupon = couponCollection(sandbox).get(id);
  if (!coupon) throw resourceMissing('coupon', id, param);
  return refreshCoupon(sandbox, coupon);
}

/** A coupon by id: the live one, or the last one deleted with that id. */
export function couponById(sandbox: SandboxCore, id: string): Stripe.Coupon | undefined {
  return (
    couponCollection(sandbox).get(id) ??
    sandbox.store.getInternal<Stripe.Coupon>(`deleted_coupon:${id}`)
  );
}

/** A coupon's terms as a discount keeps them: the coupon, and the products it is limited to. */
export interface CouponTerms {
  coupon: Stripe.Coupon;
  products: string[] | null;
}

/**
 * Keeps the terms of the coupon a discount is made from. A discount keeps its coupon even when
 * that coupon is deleted and its id reused for another one.
 */
export function keepCouponTerms(
  sandbox: SandboxCore,
  discountId: string,
  coupon: Stripe.Coupon,
): void {
  sandbox.store.setInternal<CouponTerms>(`discount_coupon:${discountId}`, {
    coupon: structuredClone(coupon),
    products: couponProducts(sandbox, coupon.id),
  });
}

/** The terms of the coupon a discount was made from, even if it was deleted (or its id reused). */
export function couponTermsOfDiscount(
  sandbox: SandboxCore,
  discount: Pick<Stripe.Discount, 'id' | 'source'>,
): CouponTerms | undefined {
  const kept = sandbox.store.getInternal<CouponTerms>(`discount_coupon:${discount.id}`);
  if (kept) return kept;
  // A discount not stored (an invoice preview's) or stored before terms were kept.
  const id = idOf(discount.source.coupon);
  const coupon = id ? couponById(sandbox, id) : undefined;
  return coupon ? { coupon, products: couponProducts(sandbox, coupon.id) } : undefined;
}

/**
 * Whether a promotion code's coupon was deleted: the code stays unusable even if a new coupon
 * takes the same id (a code belongs to the coupon it was made for).
 */
export function promotionCodeOrphaned(sandbox: SandboxCore, codeId: string): boolean {
  return sandbox.store.getInternal<boolean>(`promotion_code_coupon_deleted:${codeId}`) === true;
}

/** The products a coupon is limited to (`applies_to[products]`), or null for every product. */
export function couponProducts(sandbox: SandboxCore, couponId: string): string[] | null {
  return sandbox.store.getInternal<string[]>(`coupon_applies_to:${couponId}`) ?? null;
}

/** Whether a coupon can still be redeemed at `at`. */
export function couponValidAt(coupon: Stripe.Coupon, at: number): boolean {
  if (coupon.redeem_by !== null && at > coupon.redeem_by) return false;
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) {
    return false;
  }
  return true;
}

/** Brings `valid` up to date (time passes: `redeem_by`). */
export function refreshCoupon(sandbox: SandboxCore, coupon: Stripe.Coupon): Stripe.Coupon {
  coupon.valid = couponValidAt(coupon, sandbox.now());
  return coupon;
}

/** `expand[]=applies_to`: Stripe includes it only when asked. */
export function registerCouponIncludables(sandbox: SandboxCore): void {
  sandbox.registerIncludable('coupon', 'applies_to', (coupon) => {
    const products = couponProducts(sandbox, String(coupon.id));
    return { products: products ?? [] };
  });
}

/** Stripe-generated coupon ids: eight characters, upper case letters and digits. */
function newCouponId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** A positive number that may have decimals (`percent_off=12.5`); form bodies send strings. */
const decimalNumber = () =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : value),
    z.number({ error: (issue) => `Invalid decimal: ${String(issue.input)}` }),
  );

const createSchema = params({
  id: str().min(1).optional(),
  percent_off: decimalNumber().optional(),
  amount_off: int().optional(),
  currency: currencyParam().optional(),
  duration: oneOf(['forever', 'once', 'repeating']).optional(),
  duration_in_months: int().optional(),
  max_redemptions: int().optional(),
  redeem_by: int().optional(),
  applies_to: z.strictObject({ products: z.array(str()).optional() }).optional(),
  name: str().max(40, { error: 'Invalid name: must be at most 40 characters' }).optional(),
  metadata: metadata().optional(),
});

export type CouponInput = z.output<typeof createSchema>;

/** Creates a coupon (`coupon.created`), checking everything first, as Stripe does. */
export function createCoupon(
  sandbox: SandboxCore,
  input: CouponInput,
  emit: (type: string, object: object) => void,
): Stripe.Coupon {
  if (input.id !== undefined && couponCollection(sandbox).has(input.id)) {
    throw new StripeApiError(400, {
      type: 'invalid_request_error',
      code: 'resource_already_exists',
      message: 'Coupon already exists.',
      param: 'id',
    });
  }
  if (input.percent_off !== undefined && input.amount_off !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: amount_off, percent_off.',
      'amount_off',
    );
  }
  if (input.percent_off === undefined && input.amount_off === undefined) {
    throw invalidRequest(
      'You must pass either `percent_off` or `amount_off` to create a coupon.',
      'percent_off',
      'parameter_missing',
    );
  }
  if (input.percent_off !== undefined && !(input.percent_off > 0 && input.percent_off <= 100)) {
    throw invalidRequest(
      'Invalid percent_off: must be greater than 0 and less than or equal to 100.',
      'percent_off',
    );
  }
  if (input.amount_off !== undefined) {
    if (input.amount_off < 1) {
      throw invalidRequest(
        'This value must be greater than or equal to 1.',
        'amount_off',
        'parameter_invalid_integer',
      );
    }
    if (input.currency === undefined) {
      throw invalidRequest(
        'You must pass `currency` when passing `amount_off`.',
        'currency',
        'parameter_missing',
      );
    }
    // What a coupon takes off must leave an amount the currency can be charged in (KWD: 10s).
    assertChargeableAmount(input.amount_off, input.currency, 'amount_off');
  } else if (input.currency !== undefined) {
    throw invalidRequest(
      '`currency` is the currency of `amount_off`: pass it only with `amount_off`.',
      'currency',
    );
  }
  const duration = input.duration ?? 'once';
  if (duration === 'repeating') {
    if (input.duration_in_months === undefined) throw missingParameter('duration_in_months');
    if (input.duration_in_months < 1) {
      throw invalidRequest(
        'This value must be greater than or equal to 1.',
        'duration_in_months',
        'parameter_invalid_integer',
      );
    }
  } else if (input.duration_in_months !== undefined) {
    throw invalidRequest(
      'You can only pass `duration_in_months` when `duration` is `repeating`.',
      'duration_in_months',
    );
  }
  if (input.max_redemptions !== undefined && input.max_redemptions < 1) {
    throw invalidRequest(
      'This value must be greater than or equal to 1.',
      'max_redemptions',
      'parameter_invalid_integer',
    );
  }
  const now = sandbox.now();
  if (input.redeem_by !== undefined) {
    if (input.redeem_by <= now) {
      throw invalidRequest(
        'Invalid timestamp: must be an integer Unix timestamp in the future.',
        'redeem_by',
      );
    }
    if (input.redeem_by > now + MAX_REDEEM_BY) {
      throw invalidRequest(
        'Invalid timestamp: can be no more than five years in the future.',
        'redeem_by',
      );
    }
  }
  const products = input.applies_to?.products;
  products?.forEach((product, index) => {
    findProduct(sandbox, product, `applies_to[products][${index}]`);
  });
  const coupon: Stripe.Coupon = {
    id: input.id ?? newCouponId(),
    object: 'coupon',
    amount_off: input.amount_off ?? null,
    created: now,
    currency: input.amount_off !== undefined ? (input.currency ?? null) : null,
    duration,
    duration_in_months: duration === 'repeating' ? (input.duration_in_months ?? null) : null,
    livemode: false,
    max_redemptions: input.max_redemptions ?? null,
    metadata: initialMetadata(input.metadata),
    name: input.name || null,
    percent_off: input.percent_off ?? null,
    redeem_by: input.redeem_by ?? null,
    times_redeemed: 0,
    valid: true,
  };
  couponCollection(sandbox).set(coupon);
  // Set or cleared: a coupon that reuses a deleted one's id does not inherit its products.
  sandbox.store.setInternal(
    `coupon_applies_to:${coupon.id}`,
    products?.length ? [...new Set(products)] : undefined,
  );
  emit('coupon.created', coupon);
  return coupon;
}

// --- routes ----------------------------------------------------------------------------------

function create(ctx: RequestContext): Stripe.Coupon {
  const input = ctx.parse(createSchema, HINTS);
  return createCoupon(ctx.sandbox, input, ctx.emit);
}

function retrieve(ctx: RequestContext): Stripe.Coupon {
  ctx.parse(params({}));
  return findCoupon(ctx.sandbox, ctx.path.id as string);
}

const updateSchema = params({
  name: z.union([z.literal('').transform(() => null), str().max(40)]).optional(),
  metadata: metadata().optional(),
});

function update(ctx: RequestContext): Stripe.Coupon {
  const input = ctx.parse(updateSchema, {
    ...HINTS,
    percent_off:
      'Other coupon details (currency, duration, amount_off) are, by design, not editable.',
    amount_off:
      'Other coupon details (currency, duration, amount_off) are, by design, not editable.',
    duration: 'Other coupon details (currency, duration, amount_off) are, by design, not editable.',
  });
  const coupon = findCoupon(ctx.sandbox, ctx.path.id as string);
  const previous = trackChanges(coupon, (c) => {
    if (input.name !== undefined) c.name = input.name;
    c.metadata = mergeMetadata(c.metadata ?? {}, input.metadata);
  });
  if (Object.keys(previous).length) ctx.emit('coupon.updated', coupon, previous);
  return coupon;
}

function remove(ctx: RequestContext): Stripe.DeletedCoupon {
  ctx.parse(params({}));
  const { sandbox } = ctx;
  const coupon = findCoupon(sandbox, ctx.path.id as string);
  couponCollection(sandbox).delete(coupon.id);
  // Discounts made from it go on (Stripe: deleting a coupon does not affect customers who
  // already applied it), so its terms are kept.
  sandbox.store.setInternal(`deleted_coupon:${coupon.id}`, coupon);
  // Its promotion codes die with it, even if another coupon takes its id later.
  for (const code of sandbox.store.collection<Stripe.PromotionCode>('promotion_codes').values()) {
    const couponId = idOf(code.promotion.coupon);
    if (couponId === coupon.id) {
      sandbox.store.setInternal(`promotion_code_coupon_deleted:${code.id}`, true);
    }
  }
  ctx.emit('coupon.deleted', coupon);
  return { id: coupon.id, object: 'coupon', deleted: true };
}

const listSchema = params({ ...listShape });

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Coupon> {
  const input = ctx.parse(listSchema);
  const items = couponCollection(ctx.sandbox)
    .values()
    .map((coupon) => refreshCoupon(ctx.sandbox, coupon));
  return paginate(items, input, ctx.url.pathname, 'coupon');
}

export const couponRoutes: Route[] = [
  { method: 'POST', path: '/v1/coupons', handler: create },
  { method: 'GET', path: '/v1/coupons', handler: list },
  { method: 'GET', path: '/v1/coupons/:id', handler: retrieve },
  { method: 'POST', path: '/v1/coupons/:id', handler: update },
  { method: 'DELETE', path: '/v1/coupons/:id', handler: remove },
];
