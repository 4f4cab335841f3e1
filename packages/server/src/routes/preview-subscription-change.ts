/**
 * `POST /subscriptions/:id/change-preview` (user) `{ price }`: what `POST /subscriptions/:id/change`
 * to `price` would charge, read from Stripe's invoice preview of the same update
 * (`always_invoice`), without changing anything: `amountDue` now (0 when the unused time is worth
 * more: `credit` then says what the customer's next invoices get), then `nextAmount` on
 * `nextPaymentDate`: what the next regular invoice charges for the new plan, its discounts taken
 * off (0 when the subscription ends before it: canceling at the period's end). `prorationDate` is
 * the time the preview prorated at: the change sent with it prorates at that time too, so the
 * charge is the amount shown. Refused as the change is (the same checks, `planChange`); rate
 * limited like the routes that create things, as each call asks Stripe to work out an invoice
 * (two, when the change is invoiced now within the same period: the renewal after it is a second
 * preview).
 * @see https://docs.stripe.com/billing/subscriptions/prorations#preview-proration
 */
import { idParams, previewSubscriptionChangeBody } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { endsBy } from '../stripe/subscription-state.js';
import { idOf } from '../webhooks/handlers/context.js';
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
    /** Stripe's preview of the change with `behaviour`; null when no invoice would come. */
    const preview = (behaviour: 'always_invoice' | 'none') =>
      stripeCall(() =>
        services.stripe.invoices
          .createPreview({
            customer,
            subscription: subscription.id,
            subscription_details: {
              // The very items (and, first, behaviour) `POST /subscriptions/:id/change` sends.
              items: [{ id: item.id, price: price.id, quantity }],
              proration_behavior: behaviour,
            },
            // What a discount is (a `once` coupon's is used by the invoice it takes money off).
            expand: ['discounts.source.coupon'],
          })
          .catch((error: { code?: string }) => {
            // A trial set to end by its end (at its end, or on a date): no invoice will come.
            if (error.code === 'invoice_upcoming_none') return null;
            throw error;
          }),
      );
    const invoice = await preview('always_invoice');
    const ends = subscription.cancel_at ?? periodEnd(subscription, item);
    if (!invoice) {
      // Nothing now (a trial is not prorated) and nothing after: the change itself goes through.
      return {
        body: {
          currency: subscription.currency,
          amountDue: 0,
          credit: 0,
          prorationDate: await billingNow(services, subscription),
          nextAmount: 0,
          nextPaymentDate: new Date(ends * 1000).toISOString(),
        },
      };
    }
    // Invoiced now (`subscription_update`), or, without prorations (a trial), the next renewal.
    const now = invoice.billing_reason === 'subscription_update';
    const balance = invoice.starting_balance ?? 0;
    const cycle = cycleLine(invoice, price.id);
    // The next regular invoice: after a new period invoiced now (a new interval), that period's
    // renewal, with the discounts that will still apply then; the renewal this preview is; or,
    // after prorations invoiced now, the renewal at the new price (a second preview, without
    // prorations), unless the subscription ends at the period's end.
    let next: { amount: number; date: number } | null = null;
    if (cycle && now) {
      next = { amount: renewalAmount(invoice, cycle), date: cycle.period.end };
    } else if (cycle) {
      next = { amount: netAmount(cycle), date: cycle.period.start };
    } else if (!endsBy(subscription, periodEnd(subscription, item))) {
      const renewal = await preview('none');
      const line = renewal && cycleLine(renewal, price.id);
      if (line) next = { amount: netAmount(line), date: line.period.start };
    }
    const ending = endsBy(subscription, next?.date ?? null);
    return {
      body: {
        currency: invoice.currency,
        amountDue: now ? invoice.amount_due : 0,
        credit: Math.max(0, -(balance + (now ? invoice.total : 0))),
        prorationDate:
          invoice.parent?.subscription_details?.subscription_proration_date ??
          (await billingNow(services, subscription)),
        nextAmount: next && !ending ? next.amount : 0,
        nextPaymentDate: new Date((next?.date ?? ends) * 1000).toISOString(),
      },
    };
  },
});

/**
 * The new price's line that is not a proration: the new period a new interval starts now, or the
 * renewal's; without one (prorations invoiced now), the period goes on as it is.
 */
function cycleLine(invoice: Stripe.Invoice, price: string): Stripe.InvoiceLineItem | undefined {
  return invoice.lines.data.find(
    (line) =>
      line.pricing?.price_details?.price === price &&
      !line.parent?.subscription_item_details?.proration,
  );
}

/** What a line charges, its discounts taken off. */
function netAmount(line: Stripe.InvoiceLineItem, kept = (_discount: string) => true): number {
  const off = (line.discount_amounts ?? [])
    .filter((taken) => kept(idOf(taken.discount) as string))
    .reduce((sum, taken) => sum + taken.amount, 0);
  return line.amount - off;
}

/**
 * What the period `cycle` starts will charge again when it ends: its line, less the discounts
 * that still apply then: not a `once` coupon's (this invoice uses it), nor a repeating one's
 * that has ended by then.
 * @see https://docs.stripe.com/billing/subscriptions/coupons#coupon-duration
 */
function renewalAmount(invoice: Stripe.Invoice, cycle: Stripe.InvoiceLineItem): number {
  const at = cycle.period.end;
  const discounts = new Map(
    (invoice.discounts ?? []).flatMap((discount) =>
      typeof discount === 'string' || 'deleted' in discount ? [] : [[discount.id, discount]],
    ),
  );
  return netAmount(cycle, (id) => {
    const discount = discounts.get(id);
    if (!discount) return true;
    const coupon = discount.source.coupon;
    if (typeof coupon === 'object' && coupon?.duration === 'once') return false;
    return discount.end === null || at < discount.end;
  });
}

/** When the subscription's current period (or trial) ends. */
function periodEnd(subscription: Stripe.Subscription, item: Stripe.SubscriptionItem): number {
  return subscription.status === 'trialing' && subscription.trial_end
    ? subscription.trial_end
    : item.current_period_end;
}
