/**
 * Discounts: what redeeming a coupon or a promotion code makes, and the money they take off.
 * Used by subscriptions (`discounts` on create and update, `DELETE …/discount`), their invoices,
 * and Checkout Sessions (`discounts`, and codes typed on the hosted page).
 *
 * - Redemption checks, in Stripe's words where they are known: the coupon must be valid (not past
 *   `redeem_by`, `max_redemptions` left), an `amount_off` coupon in the purchase's currency; a
 *   promotion code active, not expired, with redemptions left, for this customer, its minimum met
 *   and, with `first_time_transaction`, for a customer who has not paid before.
 * - Amounts: discounts apply to the discountable lines (not prorations), limited to
 *   `applies_to.products` when set, one after another on what is left. A percentage is taken
 *   per line and rounded half up to what the currency is charged in (whole yen; tens of fils in
 *   KWD); an amount off is spread over the lines in proportion, to the unit, capped at what they
 *   come to.
 * - Durations: `forever` on every invoice; `repeating` on invoices made before the discount's
 *   `end` (its start plus `duration_in_months`); `once` on the first invoice that it takes money
 *   off, then the discount leaves the subscription.
 * @see https://docs.stripe.com/billing/subscriptions/coupons
 * @see https://docs.stripe.com/api/discounts
 */
import type Stripe from 'stripe';
import { addInterval, type Emit } from '../core/billing-time.js';
import { chargeableStep, formatAmount } from '../core/currencies.js';
import { invalidRequest, resourceMissing, type StripeApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { SandboxCore } from '../core/sandbox.js';
import {
  couponCollection,
  couponProducts,
  couponTermsOfDiscount,
  couponValidAt,
  keepCouponTerms,
} from './coupons.js';
import { idOf } from './payments-shared.js';
import {
  promotionCodeCollection,
  promotionCodeCoupon,
  refreshPromotionCode,
} from './promotion-codes.js';

/** One entry of a `discounts` parameter. */
export interface DiscountParam {
  coupon?: string | undefined;
  promotion_code?: string | undefined;
  discount?: string | undefined;
}

/** A discount to apply: a coupon, through a promotion code or not, or a discount kept as is. */
export interface ResolvedDiscount {
  coupon: Stripe.Coupon;
  promotionCode: Stripe.PromotionCode | null;
  /** A discount already on the object (`discounts[n][discount]`): kept, not redeemed again. */
  existing: Stripe.Discount | null;
}

export interface RedemptionContext {
  customer: string | null;
  currency: string;
  /** What a promotion code's `minimum_amount` is checked against; null on a subscription update. */
  amount: number | null;
  /** When the redemption happens (the customer's test clock time). */
  at: number;
  /** Discounts that `discounts[n][discount]` may name (those already on the object). */
  existing?: readonly string[];
  /** A Checkout guest who will have no Customer: first-time codes are refused for them. */
  guest?: boolean;
  /** `discounts` */
  param?: string;
}

export function discountCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Discount>('discounts');
}

/** At most this many discounts on one object. */
const MAX_DISCOUNTS = 20;

/** Whether the customer has paid before: a succeeded charge or a paid invoice with an amount. */
export function hasPriorTransactions(sandbox: SandboxCore, customerId: string): boolean {
  const charged = sandbox.store
    .collection<Stripe.Charge>('charges')
    .values()
    .some((charge) => idOf(charge.customer as string | null) === customerId && charge.paid);
  if (charged) return true;
  return sandbox.store
    .collection<Stripe.Invoice>('invoices')
    .values()
    .some(
      (invoice) =>
        idOf(invoice.customer as string | null) === customerId &&
        invoice.status === 'paid' &&
        invoice.amount_paid > 0,
    );
}

function couponError(coupon: Stripe.Coupon, at: number, param: string): StripeApiError | null {
  if (coupon.redeem_by !== null && at > coupon.redeem_by) {
    return invalidRequest(`Coupon expired: ${coupon.id}`, param, 'coupon_expired');
  }
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) {
    return invalidRequest(
      `Coupon expired: ${coupon.id} (it has been redeemed the maximum number of times).`,
      param,
      'coupon_expired',
    );
  }
  return null;
}

function currencyError(
  coupon: Stripe.Coupon,
  currency: string,
  param: string,
): StripeApiError | null {
  if (coupon.amount_off === null || coupon.currency === currency) return null;
  return invalidRequest(
    `The coupon \`${coupon.id}\` takes ${formatAmount(coupon.amount_off, coupon.currency ?? currency)} off in ${coupon.currency}, so it cannot apply to a purchase in ${currency}. Use a coupon in ${currency} or a percent_off coupon.`,
    param,
  );
}

/** Why a promotion code cannot be redeemed here, in Stripe's words, or null if it can. */
export function promotionCodeError(
  sandbox: SandboxCore,
  code: Stripe.PromotionCode,
  context: RedemptionContext,
  param: string,
): StripeApiError | null {
  refreshPromotionCode(sandbox, code);
  const coupon = promotionCodeCoupon(sandbox, code);
  if (code.max_redemptions !== null && code.times_redeemed >= code.max_redemptions) {
    return invalidRequest(
      'This promotion code cannot be redeemed because it has been used the maximum number of times.',
      param,
    );
  }
  if (code.expires_at !== null && context.at >= code.expires_at) {
    return invalidRequest('This promotion code has expired.', param);
  }
  if (!coupon)
    return invalidRequest('This promotion code is no longer valid: its coupon was deleted.', param);
  const invalid = couponError(coupon, context.at, param);
  if (invalid) return invalid;
  if (!code.active) return invalidRequest('This promotion code is not active.', param);
  if (code.customer !== null && idOf(code.customer as string) !== context.customer) {
    return invalidRequest(
      'This promotion code cannot be redeemed because it is restricted to another customer.',
      param,
    );
  }
  if (code.restrictions.first_time_transaction) {
    const prior = context.customer
      ? hasPriorTransactions(sandbox, context.customer)
      : context.guest === true;
    if (prior) {
      return invalidRequest(
        'This promotion code cannot be redeemed because the associated customer has prior transactions.',
        param,
      );
    }
  }
  const minimum = code.restrictions.minimum_amount;
  if (minimum !== null) {
    if (context.amount === null) {
      return invalidRequest(
        'This promotion code cannot be redeemed on a subscription update because it uses the `minimum_amount` restriction and the amount may change.',
        param,
      );
    }
    const minimumCurrency = code.restrictions.minimum_amount_currency ?? context.currency;
    if (minimumCurrency !== context.currency || context.amount < minimum) {
      return invalidRequest(
        `This promotion code cannot be redeemed because the purchase is less than its minimum amount of ${formatAmount(minimum, minimumCurrency)}.`,
        param,
      );
    }
  }
  return currencyError(coupon, context.currency, param);
}

/**
 * Checks a `discounts` parameter and returns what it names, or throws the 400 (404 for a missing
 * coupon or code) Stripe answers. Nothing changes.
 */
export function resolveDiscounts(
  sandbox: SandboxCore,
  entries: readonly DiscountParam[],
  context: RedemptionContext,
): ResolvedDiscount[] {
  const base = context.param ?? 'discounts';
  if (entries.length > MAX_DISCOUNTS) {
    throw invalidRequest(`You can apply at most ${MAX_DISCOUNTS} discounts.`, base);
  }
  const resolved = entries.map((entry, index): ResolvedDiscount => {
    const at = (name: string) => `${base}[${index}][${name}]`;
    const given = (['coupon', 'promotion_code', 'discount'] as const).filter(
      (name) => entry[name] !== undefined,
    );
    if (given.length !== 1) {
      throw invalidRequest(
        `You must pass exactly one of \`coupon\`, \`promotion_code\` or \`discount\` in \`${base}[${index}]\`.`,
        `${base}[${index}]`,
      );
    }
    if (entry.discount !== undefined) {
      const existing = discountCollection(sandbox).get(entry.discount);
      if (!existing || !context.existing?.includes(existing.id)) {
        throw invalidRequest(
          `No such discount: '${entry.discount}'. Only a discount already on this object can be passed again.`,
          at('discount'),
          'resource_missing',
        );
      }
      const coupon = couponTermsOfDiscount(sandbox, existing)?.coupon as Stripe.Coupon;
      return { coupon, promotionCode: null, existing };
    }
    if (entry.promotion_code !== undefined) {
      const code = promotionCodeCollection(sandbox).get(entry.promotion_code);
      if (!code)
        throw resourceMissing('promotion code', entry.promotion_code, at('promotion_code'));
      const error = promotionCodeError(sandbox, code, context, at('promotion_code'));
      if (error) throw error;
      const coupon = promotionCodeCoupon(sandbox, code) as Stripe.Coupon;
      return { coupon, promotionCode: code, existing: null };
    }
    const coupon = couponCollection(sandbox).get(entry.coupon as string);
    if (!coupon) throw resourceMissing('coupon', entry.coupon as string, at('coupon'));
    const error =
      couponError(coupon, context.at, at('coupon')) ??
      currencyError(coupon, context.currency, at('coupon'));
    if (error) throw error;
    return { coupon, promotionCode: null, existing: null };
  });
  const seen = new Set<string>();
  resolved.forEach((discount, index) => {
    if (seen.has(discount.coupon.id)) {
      throw invalidRequest(
        `The coupon \`${discount.coupon.id}\` is already applied: a coupon can apply only once.`,
        `${base}[${index}]`,
      );
    }
    seen.add(discount.coupon.id);
  });
  return resolved;
}

/** Counts one redemption of the coupon (and promotion code). Stripe sends no event for it. */
export function countRedemption(sandbox: SandboxCore, discount: ResolvedDiscount): void {
  if (discount.existing) return;
  discount.coupon.times_redeemed += 1;
  discount.coupon.valid = couponValidAt(discount.coupon, sandbox.now());
  if (discount.promotionCode) {
    discount.promotionCode.times_redeemed += 1;
    refreshPromotionCode(sandbox, discount.promotionCode);
  }
}

export interface DiscountOwner {
  customer: string | null;
  subscription?: string | null;
  checkoutSession?: string | null;
  start: number;
}

/** Makes the Discount object of a redemption and counts the redemption. */
export function createDiscount(
  sandbox: SandboxCore,
  redeemed: ResolvedDiscount,
  owner: DiscountOwner,
): Stripe.Discount {
  if (redeemed.existing) return redeemed.existing;
  const discount = buildDiscount(redeemed, owner);
  discountCollection(sandbox).set(discount);
  keepCouponTerms(sandbox, discount.id, redeemed.coupon);
  countRedemption(sandbox, redeemed);
  return discount;
}

/**
 * The Discount object a redemption would make (`di_…`), neither stored nor counted: what
 * `createDiscount` stores, and what an invoice preview applies.
 */
export function buildDiscount(redeemed: ResolvedDiscount, owner: DiscountOwner): Stripe.Discount {
  if (redeemed.existing) return redeemed.existing;
  const { coupon } = redeemed;
  return {
    id: newId('di'),
    object: 'discount',
    checkout_session: owner.checkoutSession ?? null,
    customer: owner.customer,
    customer_account: null,
    end:
      coupon.duration === 'repeating' && coupon.duration_in_months
        ? addInterval(owner.start, 'month', coupon.duration_in_months)
        : null,
    invoice: null,
    invoice_item: null,
    promotion_code: redeemed.promotionCode?.id ?? null,
    source: { coupon: coupon.id, type: 'coupon' },
    start: owner.start,
    subscription: owner.subscription ?? null,
    subscription_item: null,
  };
}

/** The stub a removed discount answers with, and `customer.discount.deleted` carries. */
export function deletedDiscount(discount: Stripe.Discount): Stripe.DeletedDiscount {
  const { end: _end, ...rest } = discount;
  return { ...rest, deleted: true };
}

/** Removes a discount for good (`customer.discount.deleted`). */
export function removeDiscount(
  sandbox: SandboxCore,
  discount: Stripe.Discount,
  emit: Emit,
): Stripe.DeletedDiscount {
  discountCollection(sandbox).delete(discount.id);
  const stub = deletedDiscount(discount);
  emit('customer.discount.deleted', discount);
  return stub;
}

// --- money -------------------------------------------------------------------------------------

/** A line as discounts see it. */
export interface DiscountableLine {
  amount: number;
  /** Prorations are not discounted. */
  discountable: boolean;
  /** The line's product, for `applies_to.products`. */
  product: string | null;
}

/** A discount to apply to lines, with the coupon that sets its terms. */
export interface LineDiscount {
  id: string;
  coupon: Stripe.Coupon;
  /** The products it is limited to, as kept with the discount; the coupon's when absent. */
  products?: string[] | null;
}

export interface DiscountAmounts {
  /** `perLine[line][discount]`: what each discount takes off each line. */
  perLine: number[][];
  /** What each discount takes off in all. */
  totals: number[];
  total: number;
}

/** `amount × percent / 100`, rounded half up to a multiple of `step`, exactly (no float error). */
export function percentOf(amount: number, percent: number, step = 1): number {
  const [whole = '0', fraction = ''] = percent.toFixed(8).split('.');
  const numerator = BigInt(amount) * BigInt(`${whole}${fraction}`);
  const denominator = 100n * 10n ** BigInt(fraction.length) * BigInt(step);
  const units = (2n * numerator + denominator) / (2n * denominator);
  return Number(units) * step;
}

/** Splits `total` over `weights` in proportion, in units of `step`, the remainders to the largest. */
function spread(total: number, weights: number[], step: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const units = Math.round(total / step);
  const exact = weights.map((weight) => (units * weight) / sum);
  const shares = exact.map(Math.floor);
  let left = units - shares.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    shares[index] = (shares[index] ?? 0) + 1;
    left -= 1;
  }
  return shares.map((share) => share * step);
}

/**
 * What each discount takes off each line, applied one after another on what is left, in the
 * currency's chargeable steps. Amounts are integers in minor units.
 */
export function computeDiscountAmounts(
  sandbox: SandboxCore,
  lines: readonly DiscountableLine[],
  discounts: readonly LineDiscount[],
  currency: string,
): DiscountAmounts {
  const step = chargeableStep(currency);
  const left = lines.map((line) => (line.discountable ? Math.max(0, line.amount) : 0));
  const perLine = lines.map(() => discounts.map(() => 0));
  const totals = discounts.map((discount, d) => {
    const products =
      discount.products !== undefined
        ? discount.products
        : couponProducts(sandbox, discount.coupon.id);
    const eligible = lines.map(
      (line, index) =>
        (left[index] ?? 0) > 0 &&
        (products === null || (line.product !== null && products.includes(line.product))),
    );
    let taken: number[];
    const { coupon } = discount;
    if (coupon.percent_off !== null) {
      taken = left.map((amount, index) =>
        eligible[index] ? percentOf(amount, coupon.percent_off as number, step) : 0,
      );
    } else {
      const base = left.map((amount, index) => (eligible[index] ? amount : 0));
      const off = Math.min(
        coupon.amount_off ?? 0,
        base.reduce((a, b) => a + b, 0),
      );
      taken = spread(off, base, step);
    }
    taken.forEach((amount, index) => {
      const capped = Math.min(amount, left[index] ?? 0);
      left[index] = (left[index] ?? 0) - capped;
      (perLine[index] as number[])[d] = capped;
    });
    return perLine.reduce((sum, row) => sum + (row[d] ?? 0), 0);
  });
  return { perLine, totals, total: totals.reduce((a, b) => a + b, 0) };
}

/** The discounts an object lists (`subscription.discounts`), as objects, in order. */
export function discountsOf(
  sandbox: SandboxCore,
  ids: ReadonlyArray<string | { id: string }>,
): Stripe.Discount[] {
  return ids
    .map((id) => discountCollection(sandbox).get(idOf(id) ?? ''))
    .filter((discount): discount is Stripe.Discount => discount !== undefined);
}

/** A discount with its coupon, for `computeDiscountAmounts`. */
export function lineDiscount(sandbox: SandboxCore, discount: Stripe.Discount): LineDiscount | null {
  const terms = couponTermsOfDiscount(sandbox, discount);
  return terms ? { id: discount.id, coupon: terms.coupon, products: terms.products } : null;
}
