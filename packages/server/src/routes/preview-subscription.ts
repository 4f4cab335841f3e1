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
import { previewSubscriptionBody } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { defineRoute } from '../http/define-route.js';
import type { TillkitServices } from '../http/services.js';
import { idOf } from '../webhooks/handlers/context.js';
import {
  discountTotal,
  invalidPromotionCode,
  promotionCall,
  promotionCodesNamed,
  promotionTerms,
  usableCode,
} from './promotion-code-shared.js';
import { hadProductBefore, subscriptionsToProduct } from './subscription-shared.js';

export const previewSubscription = defineRoute({
  name: 'previewSubscription',
  body: previewSubscriptionBody,
  rateLimited: true,
  async handle({ body, user, services, res }) {
    res.setHeader('Cache-Control', 'private, no-store');
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    const customer = await services.customers.ensure(user);
    const code = body.promotionCode
      ? usableCode(await promotionCodesNamed(services, body.promotionCode, customer))
      : null;
    const productId = idOf(price.product as string | Stripe.Product) as string;
    const quantity = body.quantity ?? 1;
    const days = price.recurring?.trial_period_days ?? 0;
    // The same rule as `POST /subscriptions`: a price's trial, once per product; and a trial to
    // this price that still waits for its card goes on (subscribing answers it, code and all).
    const trialDays =
      days &&
      ((await waitingTrial(services, customer, productId, price.id, quantity)) ||
        !(await hadProductBefore(services, customer, productId)))
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
 * Whether the customer has a trial to `price` × `quantity` that still waits for its card (Stripe
 * clears `pending_setup_intent` once it is saved), which `POST /subscriptions` answers again.
 */
async function waitingTrial(
  services: TillkitServices,
  customer: string,
  productId: string,
  price: string,
  quantity: number,
): Promise<boolean> {
  return (await subscriptionsToProduct(services, customer, productId)).some((subscription) => {
    const [item, ...others] = subscription.items.data;
    return (
      subscription.status === 'trialing' &&
      subscription.pending_setup_intent !== null &&
      !subscription.cancel_at_period_end &&
      !others.length &&
      item?.price.id === price &&
      (item.quantity ?? 1) === quantity
    );
  });
}
