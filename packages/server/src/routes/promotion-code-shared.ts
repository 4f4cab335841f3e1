/**
 * What the routes that take a promotion code share (`POST /subscriptions` and its preview): the
 * code the customer typed, found at Stripe, and Stripe's refusals of it in the protocol's words.
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

/** The 400 for a code that cannot be used: `param` is the body's `promotionCode`. */
export function invalidPromotionCode(message: string, cause?: unknown): TillkitError {
  return new TillkitError('promotion_code_invalid', message, { param: 'promotionCode', cause });
}

/**
 * The active promotion code `typed` names (Stripe matches codes regardless of case), with its
 * coupon. Refused as `promotion_code_invalid` when the server takes no codes, or there is no
 * active code by that name (an expired or used-up one is inactive). Whether it applies to this
 * customer and purchase is Stripe's answer to the call that uses it (`promotionCall`).
 */
export async function findPromotionCode(
  services: TillkitServices,
  typed: string,
): Promise<Stripe.PromotionCode> {
  if (!services.checkout.allowPromotionCodes) {
    throw invalidPromotionCode('This store does not take promotion codes.');
  }
  // Stripe's codes are letters and digits: anything else names none (and is not sent on).
  const found = /^[A-Za-z0-9]{1,500}$/.test(typed)
    ? await stripeCall(() =>
        services.stripe.promotionCodes.list({
          code: typed,
          active: true,
          limit: 1,
          expand: ['data.promotion.coupon'],
        }),
      )
    : { data: [] };
  const code = found.data[0];
  if (!code || typeof code.promotion.coupon !== 'object' || !code.promotion.coupon) {
    throw invalidPromotionCode('This promotion code is not valid. Check it and try again.');
  }
  return code;
}

/** The coupon of a code read by `findPromotionCode` (expanded there). */
function couponOf(code: Stripe.PromotionCode): Stripe.Coupon {
  return code.promotion.coupon as Stripe.Coupon;
}

/** What a code takes off, for the customer to see before they pay. */
export function promotionTerms(code: Stripe.PromotionCode): PromotionTerms {
  const coupon = couponOf(code);
  return {
    code: code.code,
    percentOff: coupon.percent_off,
    amountOff: coupon.amount_off,
    duration: coupon.duration as PromotionTerms['duration'],
    durationInMonths: coupon.duration_in_months,
  };
}

/**
 * Runs a Stripe call that passes a code as `discounts`: Stripe's refusal of the code (its
 * restrictions, a currency it is not in) becomes `promotion_code_invalid` with Stripe's message,
 * which is written for customers; any other error goes on as `stripeCall` makes it.
 */
export async function promotionCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await stripeCall(run);
  } catch (error) {
    if (
      error instanceof TillkitError &&
      (error.code === 'stripe_invalid_request' || error.code === 'not_found') &&
      error.param?.startsWith('discounts')
    ) {
      throw invalidPromotionCode(error.message, error);
    }
    throw error;
  }
}
