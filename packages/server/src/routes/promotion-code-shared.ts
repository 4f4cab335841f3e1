/**
 * What the routes that take a promotion code share (`POST /subscriptions` and its preview): the
 * code the customer typed, found at Stripe among the codes this customer may use, and Stripe's
 * refusals of it in the protocol's words.
 * Codes are the merchant's choice: taken only with `checkout.allowPromotionCodes`, as on Checkout
 * pages. Stripe itself decides whether a code applies (expiry, redemptions, first-time customers,
 * minimum amounts, currencies, products): the routes pass it on as `discounts` and never work out
 * a discount of their own.
 * @see https://docs.stripe.com/billing/subscriptions/coupons#promotion-codes
 */
import type { PromotionTerms } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall, TillkitError } from '../errors.js';
import type { TillkitServices } from '../http/services.js';
import { idOf } from '../webhooks/handlers/context.js';

/** The 400 for a code that cannot be used: `param` is the body's `promotionCode`. */
export function invalidPromotionCode(message: string, cause?: unknown): TillkitError {
  return new TillkitError('promotion_code_invalid', message, { param: 'promotionCode', cause });
}

/** Where a subscription made here keeps the id of the promotion code it was made with. */
export const PROMOTION_CODE_KEY = 'tillkit_promotion_code';

const notValid = () =>
  invalidPromotionCode('This promotion code is not valid. Check it and try again.');

/**
 * The promotion codes named `typed` that `customer` may use, in any state, with their coupons:
 * Stripe's codes are letters, digits and dashes, matched regardless of case, and unique among
 * the active codes of each customer, so the same text may also name another customer's code,
 * which is left out. Refused as `promotion_code_invalid` when the server takes no codes or the
 * text cannot be a code. Inactive ones are kept: a subscription made with a code that is used
 * up since is still that code's (`PROMOTION_CODE_KEY`).
 */
export async function promotionCodesNamed(
  services: TillkitServices,
  typed: string,
  customer: string,
): Promise<Stripe.PromotionCode[]> {
  if (!services.checkout.allowPromotionCodes) {
    throw invalidPromotionCode('This store does not take promotion codes.');
  }
  if (!/^[A-Za-z0-9-]{1,500}$/.test(typed)) throw notValid();
  const found = await stripeCall(() =>
    services.stripe.promotionCodes
      .list({ code: typed, limit: 100, expand: ['data.promotion.coupon'] })
      .autoPagingToArray({ limit: 1000 }),
  );
  return found.filter((code) => {
    const owner = idOf(code.customer);
    return (owner === null || owner === customer) && typeof code.promotion.coupon === 'object';
  });
}

/**
 * The code of `codes` to apply: an active one, the customer's own before one for everyone;
 * refused as `promotion_code_invalid` when none is active (unknown, expired, used up). Whether it
 * applies to this purchase is Stripe's answer to the call that uses it (`promotionCall`).
 */
export function usableCode(codes: readonly Stripe.PromotionCode[]): Stripe.PromotionCode {
  const active = codes.filter((code) => code.active);
  const code = active.find((own) => own.customer !== null) ?? active[0];
  if (!code) throw notValid();
  return code;
}

/** What an invoice's discounts take off it, in its currency's smallest unit. */
export function discountTotal(invoice: Stripe.Invoice): number {
  return (invoice.total_discount_amounts ?? []).reduce((sum, taken) => sum + taken.amount, 0);
}

/** The coupon of a code read by `promotionCodesNamed` (expanded there). */
function couponOf(code: Stripe.PromotionCode): Stripe.Coupon {
  return code.promotion.coupon as Stripe.Coupon;
}

/**
 * What a code takes off, for the customer to see before they pay. An amount off in another
 * currency than the purchase's (a coupon's `currency_options`) is given as what it takes off
 * `invoice`, in the invoice's currency.
 */
export function promotionTerms(
  code: Stripe.PromotionCode,
  invoice: Stripe.Invoice,
): PromotionTerms {
  const coupon = couponOf(code);
  return {
    code: code.code,
    percentOff: coupon.percent_off,
    amountOff:
      coupon.amount_off === null || coupon.currency === invoice.currency
        ? coupon.amount_off
        : discountTotal(invoice),
    duration: coupon.duration as PromotionTerms['duration'],
    durationInMonths: coupon.duration_in_months,
  };
}

/**
 * Runs a Stripe call that passes a code as `discounts`: Stripe's refusal of the code (its
 * restrictions, a currency it is not in) becomes `promotion_code_invalid` with Stripe's message,
 * which is written for customers; any other error goes on as `stripeCall` makes it. A refusal is
 * known by the parameter Stripe names (`discounts[0][promotion_code]`), or, should it name none,
 * by its words: a request whose only discount is the code, refused for a promotion code or a
 * coupon, is refused for the code.
 */
export async function promotionCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await stripeCall(run);
  } catch (error) {
    if (
      error instanceof TillkitError &&
      (error.code === 'stripe_invalid_request' || error.code === 'not_found') &&
      (error.param?.startsWith('discounts') ||
        error.param === 'promotion_code' ||
        (!error.param && /promotion code|coupon/i.test(error.message)))
    ) {
      throw invalidPromotionCode(error.message, error);
    }
    throw error;
  }
}
