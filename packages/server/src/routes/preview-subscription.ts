/**
 * `POST /subscriptions/preview` (user) `{ price, quantity?, promotionCode? }`: what
 * `POST /subscriptions` with the same body would charge today, read from Stripe's preview of the
 * subscription's first invoice (the promotion code passed as `discounts`, so Stripe checks its
 * restrictions for this customer and works out the discount), and the code's terms. Nothing is
 * made at Stripe but the caller's customer (which subscribing needs anyway). A trial charges
 * nothing today: its amounts are 0 and the code, checked against the first invoice that will
 * charge, applies from there. Rate limited like the routes that create things: each call asks
 * Stripe to work out an invoice.
 * @see https://docs.stripe.com/api/invoices/create_preview
 */
import { previewSubscriptionBody, type SubscriptionPreview } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import type { TillkitServices } from '../http/services.js';
import { endsBy } from '../stripe/subscription-state.js';
import { idOf } from '../webhooks/handlers/context.js';
import {
  discountTotal,
  invalidPromotionCode,
  PROMOTION_CODE_KEY,
  promotionCall,
  promotionCodesNamed,
  promotionTerms,
  usableCode,
} from './promotion-code-shared.js';
import { hadProductBefore, isOnlyPrice, rivalSubscriptions } from './subscription-shared.js';

export const previewSubscription = defineRoute({
  name: 'previewSubscription',
  body: previewSubscriptionBody,
  rateLimited: true,
  async handle({ body, user, services, res }) {
    res.setHeader('Cache-Control', 'private, no-store');
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    const customer = await services.customers.ensure(user);
    const named = body.promotionCode
      ? await promotionCodesNamed(services, body.promotionCode, customer)
      : null;
    const productId = idOf(price.product as string | Stripe.Product) as string;
    const quantity = body.quantity ?? 1;
    const days = price.recurring?.trial_period_days ?? 0;
    // The caller's subscriptions to this very price and quantity, read once if needed.
    let listed: Promise<Stripe.Subscription[]> | undefined;
    const samePlan = () => {
      listed ??= rivalSubscriptions(services, customer, productId).then((all) =>
        all.filter((subscription) => isOnlyPrice(subscription, price.id, quantity)),
      );
      return listed;
    };
    if (named && !named.some((code) => code.active)) {
      // Used up or expired since the caller's own unpaid subscription took it (a single-use code,
      // a declined card, a reload): subscribing answers that subscription, so this is its invoice.
      const held = await heldCode(services, await samePlan(), named, days);
      if (held) return { body: held };
    }
    const code = named ? usableCode(named) : null;
    // The same rule as `POST /subscriptions`: a price's trial, once per product; and a trial to
    // this price that still waits for its card goes on (subscribing answers it, code and all).
    const trialDays =
      days &&
      (waitsForCard(await samePlan()) || !(await hadProductBefore(services, customer, productId)))
        ? days
        : null;
    const invoice = await promotionCall(() =>
      services.stripe.invoices.createPreview({
        customer,
        subscription_details: { items: [{ price: price.id, quantity }] },
        ...(code ? { discounts: [{ promotion_code: code.id }] } : {}),
      }),
    );
    const discount = discountTotal(invoice);
    // A coupon for other products (`applies_to`) takes nothing off this plan.
    if (code && !discount) {
      throw invalidPromotionCode('This promotion code does not apply to this plan.');
    }
    return {
      body: {
        currency: invoice.currency,
        trialDays,
        subtotal: trialDays ? 0 : invoice.subtotal,
        amountDiscount: trialDays ? 0 : discount,
        amountDue: trialDays ? 0 : invoice.amount_due,
        promotion: code && promotionTerms(code, invoice),
      },
    };
  },
});

/**
 * Whether one of `subscriptions` is a trial that still waits for its card (Stripe clears
 * `pending_setup_intent` once it is saved), which `POST /subscriptions` answers again.
 */
function waitsForCard(subscriptions: readonly Stripe.Subscription[]): boolean {
  return subscriptions.some(
    (subscription) =>
      subscription.status === 'trialing' &&
      subscription.pending_setup_intent !== null &&
      !endsBy(subscription, subscription.trial_end),
  );
}

/**
 * The first invoice of the one of `subscriptions` (the caller's, to the price and quantity asked
 * about) that took one of `named` (`PROMOTION_CODE_KEY`) and still waits for its first step: its
 * payment (an `incomplete` one's open invoice) or its card (a trial: nothing today). Null when
 * there is none.
 */
async function heldCode(
  services: TillkitServices,
  subscriptions: readonly Stripe.Subscription[],
  named: readonly Stripe.PromotionCode[],
  trialDays: number,
): Promise<SubscriptionPreview | null> {
  const codes = new Map(named.map((code) => [code.id, code]));
  for (const listed of subscriptions) {
    const code = codes.get(listed.metadata?.[PROMOTION_CODE_KEY] ?? '');
    if (!code) continue;
    const subscription = await stripeCall(() =>
      services.stripe.subscriptions.retrieve(listed.id, { expand: ['latest_invoice'] }),
    );
    const invoice = subscription.latest_invoice as Stripe.Invoice | null;
    if (!invoice) continue;
    const promotion = promotionTerms(code, invoice);
    if (
      subscription.status === 'incomplete' &&
      invoice.status === 'open' &&
      invoice.amount_remaining > 0
    ) {
      const amountDiscount = discountTotal(invoice);
      return {
        currency: invoice.currency,
        trialDays: null,
        subtotal: invoice.subtotal,
        amountDiscount,
        amountDue: invoice.amount_due,
        promotion,
      };
    }
    if (subscription.status === 'trialing' && subscription.pending_setup_intent !== null) {
      const none = { subtotal: 0, amountDiscount: 0, amountDue: 0 };
      return { currency: invoice.currency, trialDays: trialDays || null, ...none, promotion };
    }
  }
  return null;
}
