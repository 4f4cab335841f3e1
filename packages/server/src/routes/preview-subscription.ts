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
import { idOf } from '../webhooks/handlers/context.js';
import { findPromotionCode, promotionCall, promotionTerms } from './promotion-code-shared.js';
import { hadProductBefore } from './subscription-shared.js';

export const previewSubscription = defineRoute({
  name: 'previewSubscription',
  body: previewSubscriptionBody,
  rateLimited: true,
  async handle({ body, user, services, res }) {
    res.setHeader('Cache-Control', 'private, no-store');
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    const code = body.promotionCode ? await findPromotionCode(services, body.promotionCode) : null;
    const customer = await services.customers.ensure(user);
    const productId = idOf(price.product as string | Stripe.Product) as string;
    const days = price.recurring?.trial_period_days ?? 0;
    // The same rule as `POST /subscriptions`: a price's trial, once per product.
    const trialDays =
      days && !(await hadProductBefore(services, customer, productId)) ? days : null;
    const invoice = await promotionCall(() =>
      services.stripe.invoices.createPreview({
        customer,
        subscription_details: { items: [{ price: price.id, quantity: body.quantity ?? 1 }] },
        ...(code ? { discounts: [{ promotion_code: code.id }] } : {}),
      }),
    );
    const discount = (invoice.total_discount_amounts ?? []).reduce(
      (sum, taken) => sum + taken.amount,
      0,
    );
    return {
      body: {
        currency: invoice.currency,
        trialDays,
        subtotal: trialDays ? 0 : invoice.subtotal,
        amountDiscount: trialDays ? 0 : discount,
        amountDue: trialDays ? 0 : invoice.amount_due,
        promotion: code && promotionTerms(code),
      },
    };
  },
});
