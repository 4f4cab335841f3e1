/**
 * `POST /v1/invoices/create_preview` (`stripe.invoices.createPreview`): the invoice billing would
 * make, without making anything. Three cases, as on Stripe:
 *
 * - `subscription`: its next invoice (the renewal: next period, its discounts as they will
 *   apply), or with `subscription_details` (`items`, `proration_behavior`, `proration_date`,
 *   `cancel_at_period_end`, `trial_end`) the invoice that change would lead to: the renewal with
 *   the change's prorations (`create_prorations`), the invoice made at once (`always_invoice`, a
 *   new interval, `trial_end=now`), or the renewal at the new prices without prorations (`none`).
 *   The prorations come from `update`'s own plan, so an update at the same `proration_date`
 *   bills the same amounts.
 * - `customer` with `subscription_details[items]`: the first invoice of a new subscription (its
 *   trial's $0 invoice with `trial_end`), `discounts` checked as on create.
 * - `customer` alone: the next invoice among the customer's subscriptions.
 *
 * `discounts` replaces the subscription's (`""`: none). The answer is an Invoice with an
 * `upcoming_in_…` id and `il_tmp_…` lines; nothing is stored, no event is sent, no redemption is
 * counted, and `amount_due` counts the customer's balance as finalizing would (not the minimum
 * charge, which finalizing applies to an invoice it pays: see `settleInvoiceTotal`).
 * @see https://docs.stripe.com/api/invoices/create_preview
 * @see https://docs.stripe.com/billing/subscriptions/prorations#preview-proration
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../core/errors.js';
import { bool, emptyable, int, metadata, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { findCustomer } from './customers.js';
import type { DiscountParam } from './discounts.js';
import {
  buildDraftInvoice,
  customerSubscriptions,
  discountShape,
  findSubscription,
  previewNewSubscription,
  previewSubscriptionChange,
  type SubscriptionInvoiceDraft,
  subscriptionCustomer,
  upcomingNone,
  updateItemShape,
} from './subscriptions.js';

/** Stripe parameters the sandbox does not model: refused by name rather than ignored. */
const UNSUPPORTED = {
  currency: 'previews are in the currency of the prices billed',
  customer_account: 'Accounts v2 customers are not modelled',
  customer_details: 'it does not calculate tax, so customer details change nothing',
  invoice_items: 'invoice items are not modelled',
  issuer: 'Connect is not modelled',
  on_behalf_of: 'Connect is not modelled',
  preview_mode: 'it previews the next invoice only',
  schedule: 'subscription schedules are not modelled',
  schedule_details: 'subscription schedules are not modelled',
} as const;

const UNSUPPORTED_DETAILS = {
  billing_cycle_anchor: 'the billing cycle is anchored at the start or the trial end',
  billing_schedules: 'billing schedules are not modelled',
  cancel_at: 'use cancel_at_period_end',
  cancel_now: 'preview the cancellation with DELETE /v1/subscriptions/:id instead',
  default_tax_rates: 'it does not calculate tax',
  pause: 'pausing collection is not modelled',
  resume_at: 'resuming is not previewed',
  start_date: 'backdated subscriptions are not modelled',
} as const;

const unsupported = <T extends Record<string, string>>(table: T) =>
  Object.fromEntries(Object.keys(table).map((key) => [key, z.unknown().optional()])) as {
    [K in keyof T]: z.ZodOptional<z.ZodUnknown>;
  };

const previewSchema = params({
  customer: str().optional(),
  subscription: str().optional(),
  discounts: emptyable(z.array(discountShape)).optional(),
  automatic_tax: z.strictObject({ enabled: bool(), liability: z.unknown().optional() }).optional(),
  subscription_details: z
    .strictObject({
      items: z.array(updateItemShape).optional(),
      proration_behavior: oneOf(['always_invoice', 'create_prorations', 'none']).optional(),
      proration_date: int().optional(),
      cancel_at_period_end: bool().optional(),
      trial_end: z.union([z.literal('now'), int()]).optional(),
      metadata: metadata().optional(),
      // Accepted and ignored: the sandbox bills both modes alike.
      billing_mode: z.unknown().optional(),
      ...unsupported(UNSUPPORTED_DETAILS),
    })
    .optional(),
  ...unsupported(UNSUPPORTED),
});

type PreviewInput = z.output<typeof previewSchema>;

function refuseUnsupported(input: PreviewInput): void {
  for (const [name, reason] of Object.entries(UNSUPPORTED)) {
    if (input[name as keyof typeof UNSUPPORTED] !== undefined) {
      throw invalidRequest(
        `${name} is not supported by the sandbox's invoice previews: ${reason}.`,
        name,
      );
    }
  }
  const details = input.subscription_details ?? {};
  for (const [name, reason] of Object.entries(UNSUPPORTED_DETAILS)) {
    if (details[name as keyof typeof UNSUPPORTED_DETAILS] !== undefined) {
      const param = `subscription_details[${name}]`;
      throw invalidRequest(
        `${param} is not supported by the sandbox's invoice previews: ${reason}.`,
        param,
      );
    }
  }
  if (input.automatic_tax?.enabled) {
    throw invalidRequest(
      'automatic_tax[enabled]=true is not supported by the sandbox: it does not calculate tax.',
      'automatic_tax[enabled]',
    );
  }
}

/** The draft made into the Invoice Stripe answers, with the customer's balance counted. */
function previewInvoice(sandbox: SandboxCore, draft: SubscriptionInvoiceDraft): Stripe.Invoice {
  const invoice = buildDraftInvoice(sandbox, draft);
  // What finalizing will do: a credit lowers the amount due, a debit raises it.
  const balance =
    sandbox.store.collection<Stripe.Customer>('customers').get(draft.customer)?.balance ?? 0;
  const due = Math.max(0, invoice.total + balance);
  invoice.starting_balance = balance;
  invoice.amount_due = due;
  invoice.amount_remaining = due;
  const details = invoice.parent?.subscription_details;
  if (details && draft.prorationDate !== null) {
    details.subscription_proration_date = draft.prorationDate;
  }
  return invoice;
}

function createPreview(ctx: RequestContext): Stripe.Invoice {
  const input = ctx.parse(previewSchema);
  const { sandbox } = ctx;
  refuseUnsupported(input);
  const details = input.subscription_details ?? {};
  const discounts = input.discounts as DiscountParam[] | null | undefined;
  if (details.proration_date !== undefined) {
    if (!input.subscription || (details.items === undefined && details.trial_end === undefined)) {
      throw invalidRequest(
        'When `subscription_details[proration_date]` is set, `subscription` and one of `subscription_details[items]` or `subscription_details[trial_end]` are required.',
        'subscription_details[proration_date]',
      );
    }
    if (details.proration_behavior === 'none') {
      throw invalidRequest(
        '`subscription_details[proration_date]` cannot be set when `subscription_details[proration_behavior]` is `none`.',
        'subscription_details[proration_behavior]',
      );
    }
  }
  if (input.subscription) {
    const subscription = findSubscription(sandbox, input.subscription, 'subscription');
    const owner = subscriptionCustomer(subscription);
    if (input.customer && input.customer !== owner) {
      throw invalidRequest(
        `The subscription ${subscription.id} does not belong to the customer ${input.customer}.`,
        'subscription',
      );
    }
    return previewInvoice(
      sandbox,
      previewSubscriptionChange(sandbox, subscription, { ...details, discounts }),
    );
  }
  if (!input.customer) {
    throw invalidRequest(
      'You must pass at least one of `customer` or `subscription` (the sandbox does not model `schedule`).',
      'customer',
    );
  }
  const customer = findCustomer(sandbox, input.customer, 'customer');
  if (details.items?.length) {
    const items = details.items.map((item, index) => {
      if (item.id !== undefined || item.deleted !== undefined) {
        const param = `subscription_details[items][${index}][${item.id !== undefined ? 'id' : 'deleted'}]`;
        throw invalidRequest(
          'A new subscription has no items to change or delete: pass `subscription` to preview changing one.',
          param,
        );
      }
      return item;
    });
    return previewInvoice(
      sandbox,
      previewNewSubscription(sandbox, customer, {
        items,
        trial_end: details.trial_end,
        discounts,
        metadata: details.metadata,
      }),
    );
  }
  // The customer's next invoice, whichever subscription makes it first.
  const drafts = customerSubscriptions(sandbox, customer.id).flatMap((subscription) => {
    try {
      return [previewSubscriptionChange(sandbox, subscription, { discounts })];
    } catch (error) {
      if ((error as { body?: { code?: string } }).body?.code === 'invoice_upcoming_none') return [];
      throw error;
    }
  });
  const first = drafts.sort((a, b) => a.created - b.created)[0];
  if (!first) throw upcomingNone(`customer: ${customer.id}`);
  return previewInvoice(sandbox, first);
}

export const invoicePreviewRoutes: Route[] = [
  { method: 'POST', path: '/v1/invoices/create_preview', handler: createPreview },
];
