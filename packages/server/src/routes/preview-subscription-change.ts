/**
 * `POST /subscriptions/:id/change-preview` (user) `{ price }`: what `POST /subscriptions/:id/change`
 * to `price` would charge, read from Stripe's invoice preview of the same update
 * (`always_invoice`), without changing anything: `amountDue` now (0 when the unused time is worth
 * more: `credit` then says what the customer's next invoices get), then `nextAmount` on
 * `nextPaymentDate`. `prorationDate` is the time the preview prorated at: the change sent with it
 * prorates at that time too, so the charge is the amount shown. Refused as the change is (the
 * same checks, `planChange`); rate limited like the routes that create things, as each call asks
 * Stripe to work out an invoice.
 * @see https://docs.stripe.com/billing/subscriptions/prorations#preview-proration
 */
import { idParams, previewSubscriptionChangeBody } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { billingNow, planChange } from './plan-change-shared.js';

export const previewSubscriptionChange = defineRoute({
  name: 'previewSubscriptionChange',
  params: idParams,
  body: previewSubscriptionChangeBody,
  rateLimited: true,
  async handle({ params, body, user, services, res }) {
    res.setHeader('Cache-Control', 'private, no-store');
    const { subscription, price, item, customer } = await planChange(
      services,
      user,
      params.id,
      body.price,
    );
    if (!item) {
      throw new TillkitError(
        'invalid_request',
        `The subscription is on price ${price.id} already: there is no change to preview.`,
        { param: 'price' },
      );
    }
    const quantity = item.quantity ?? 1;
    const invoice = await stripeCall(() =>
      services.stripe.invoices.createPreview({
        customer,
        subscription: subscription.id,
        subscription_details: {
          // The very items and behaviour `POST /subscriptions/:id/change` sends.
          items: [{ id: item.id, price: price.id, quantity }],
          proration_behavior: 'always_invoice',
        },
      }),
    );
    // Invoiced now (`subscription_update`), or, without prorations (a trial), the next renewal.
    const now = invoice.billing_reason === 'subscription_update';
    const balance = invoice.starting_balance ?? 0;
    // The new price's line that is not a proration: the new period a new interval starts now, or
    // the renewal's; without one, the period goes on as it is.
    const cycle = invoice.lines.data.find(
      (line) =>
        line.pricing?.price_details?.price === price.id &&
        !line.parent?.subscription_item_details?.proration,
    );
    const nextPaymentDate =
      (now ? cycle?.period.end : cycle?.period.start) ?? periodEnd(subscription, item);
    return {
      body: {
        currency: invoice.currency,
        amountDue: now ? invoice.amount_due : 0,
        credit: Math.max(0, -(balance + (now ? invoice.total : 0))),
        prorationDate:
          invoice.parent?.subscription_details?.subscription_proration_date ??
          (await billingNow(services, subscription)),
        nextAmount: (price.unit_amount ?? 0) * quantity,
        nextPaymentDate: new Date(nextPaymentDate * 1000).toISOString(),
      },
    };
  },
});

/** When the subscription's current period (or trial) ends. */
function periodEnd(subscription: Stripe.Subscription, item: Stripe.SubscriptionItem): number {
  return subscription.status === 'trialing' && subscription.trial_end
    ? subscription.trial_end
    : item.current_period_end;
}
