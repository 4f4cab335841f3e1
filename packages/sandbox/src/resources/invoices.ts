/**
 * invoices: what subscriptions bill. Routes: retrieve, list (`customer`, `subscription`,
 * `status`, `collection_method`), finalize, pay, void, and `GET /v1/invoices/:id/lines`.
 * Invoices are made by subscriptions (first invoice, renewals, updates); finalizing one that is
 * charged automatically creates its PaymentIntent and an InvoicePayment, and what happens to that
 * PaymentIntent (confirmed by Billing off-session, or by the customer with Stripe.js) pays the
 * invoice, through the reactions at the bottom of this file. `confirmation_secret` and `payments`
 * are returned only when expanded, as on Stripe. Previews (`POST /v1/invoices/create_preview`) are
 * in invoice-previews.ts, built by the same `buildInvoice`.
 * @see https://docs.stripe.com/api/invoices
 * @see https://docs.stripe.com/invoicing/overview#invoice-lifecycle
 */
import type Stripe from 'stripe';
import {
  billingSettings,
  customerNow,
  DAY,
  type Emit,
  emitter,
  HOUR,
} from '../core/billing-time.js';
import { minimumChargeAmount } from '../core/currencies.js';
import { invalidRequest, resourceMissing, StripeApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { bool, int, listShape, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { Reaction, SandboxCore } from '../core/sandbox.js';
import type { StoredObject } from '../core/store.js';
import { computeDiscountAmounts, type LineDiscount } from './discounts.js';
import {
  cancelInvoicePayment,
  createInvoicePayment,
  invoicePaymentsList,
  markInvoicePaymentPaid,
} from './invoice-payments.js';
import {
  cancelInvoicePaymentIntent,
  chargeInvoicePaymentIntent,
  createInvoicePaymentIntent,
  type InvoiceChargeOutcome,
  paymentIntentCollection,
} from './payment-intents.js';
import { attachPaymentMethod, cardError, resolvePaymentMethod } from './payment-methods.js';
import { idOf, SANDBOX_ACCOUNT_NAME } from './payments-shared.js';

/** How many lines an invoice object carries; the rest are at `GET /v1/invoices/:id/lines`. */
const LINES_ON_OBJECT = 10;

/** Renewal invoices stay drafts this long before Billing finalizes and charges them. */
export const DRAFT_PERIOD = HOUR;

const NO_PAYMENT_METHOD =
  'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.';

const INVOICE_REQUIRES_ACTION =
  'This payment requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with the invoice. For more details see: https://stripe.com/docs/billing/subscriptions/overview#requires-action';

export function invoiceCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Invoice>('invoices');
}

export function findInvoice(sandbox: SandboxCore, id: string, param = 'id'): Stripe.Invoice {
  const found = invoiceCollection(sandbox).get(id);
  if (!found) throw resourceMissing('invoice', id, param);
  return found;
}

/** The subscription an invoice bills, from its `parent`. */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const subscription = invoice.parent?.subscription_details?.subscription;
  return subscription ? idOf(subscription) : null;
}

/** The PaymentIntent an invoice is paid through (made when it is finalized), if any. */
export function invoicePaymentIntent(
  sandbox: SandboxCore,
  invoice: Stripe.Invoice,
): Stripe.PaymentIntent | undefined {
  const id = sandbox.store.getInternal<string>(`invoice_intent:${invoice.id}`);
  return id ? paymentIntentCollection(sandbox).get(id) : undefined;
}

function invoiceForIntent(sandbox: SandboxCore, intentId: string): Stripe.Invoice | undefined {
  const id = sandbox.store.getInternal<string>(`intent_invoice:${intentId}`);
  return id ? invoiceCollection(sandbox).get(id) : undefined;
}

// --- lines -------------------------------------------------------------------------------------

/** A line as the billing code drafts it, before it belongs to an invoice. */
export interface LineDraft {
  amount: number;
  description: string;
  period: { start: number; end: number };
  price: Stripe.Price;
  quantity: number;
  proration: boolean;
  subscription: string | null;
  subscriptionItem: string;
  /** The invoice item a proration is billed through (`ii_…`); null for a period's own line. */
  invoiceItem: string | null;
  /** For a credit: the invoice line that billed the time being credited. */
  creditedItems: { invoice: string; invoice_line_items: string[] } | null;
}

/** Every line of an invoice, in order. */
export function invoiceLines(sandbox: SandboxCore, invoiceId: string): Stripe.InvoiceLineItem[] {
  return sandbox.store.getInternal<Stripe.InvoiceLineItem[]>(`invoice_lines:${invoiceId}`) ?? [];
}

function toLine(
  draft: LineDraft,
  invoiceId: string,
  currency: string,
  linePrefix: string,
): Stripe.InvoiceLineItem {
  const product = idOf(draft.price.product as string | { id: string }) ?? '';
  return {
    id: newId(linePrefix),
    object: 'line_item',
    amount: draft.amount,
    currency,
    description: draft.description,
    discount_amounts: [],
    // Stripe: "Always false for prorations."
    discountable: !draft.proration,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: draft.invoiceItem,
        proration: draft.proration,
        proration_details: { credited_items: draft.creditedItems },
        subscription: draft.subscription,
        subscription_item: draft.subscriptionItem,
      },
      type: 'subscription_item_details',
    },
    period: { ...draft.period },
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: draft.price.id, product },
      type: 'price_details',
      unit_amount_decimal: draft.price.unit_amount_decimal,
    },
    quantity: draft.quantity,
    quantity_decimal: String(
      draft.quantity,
    ) as unknown as Stripe.InvoiceLineItem['quantity_decimal'],
    subscription: draft.subscription,
    subtotal: draft.amount,
    taxes: [],
  };
}

/** A page of lines in invoice order (not newest first: lines keep their order on Stripe). */
function linesPage(
  lines: readonly Stripe.InvoiceLineItem[],
  options: {
    limit?: number | undefined;
    starting_after?: string | undefined;
    ending_before?: string | undefined;
  },
  url: string,
): Stripe.ApiList<Stripe.InvoiceLineItem> {
  const limit = options.limit ?? LINES_ON_OBJECT;
  if (options.starting_after && options.ending_before) {
    throw invalidRequest(
      'You may only specify one of these parameters: ending_before, starting_after.',
      'ending_before',
    );
  }
  let start = 0;
  let end = lines.length;
  if (options.starting_after) {
    const index = lines.findIndex((line) => line.id === options.starting_after);
    if (index === -1) throw resourceMissing('line_item', options.starting_after, 'starting_after');
    start = index + 1;
    end = Math.min(lines.length, start + limit);
  } else if (options.ending_before) {
    const index = lines.findIndex((line) => line.id === options.ending_before);
    if (index === -1) throw resourceMissing('line_item', options.ending_before, 'ending_before');
    end = index;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(lines.length, limit);
  }
  const hasMore = options.ending_before ? start > 0 : end < lines.length;
  return { object: 'list', data: lines.slice(start, end), has_more: hasMore, url };
}

// --- creation and finalization -----------------------------------------------------------------

export interface CreateInvoiceInput {
  /** A pre-chosen id, so a subscription can name its latest invoice before it exists. */
  id?: string | undefined;
  customer: string;
  /** The subscription it bills (only its id and metadata are read). */
  subscription: Pick<Stripe.Subscription, 'id' | 'metadata'> | null;
  billingReason: Stripe.Invoice.BillingReason;
  currency: string;
  lines: LineDraft[];
  periodStart: number;
  periodEnd: number;
  created: number;
  /** Billing finalizes and charges it on its own (`auto_advance`). */
  autoAdvance: boolean;
  /** When Billing finalizes a draft (renewals wait an hour), or null. */
  finalizesAt: number | null;
  /** The subscription's discounts that apply to this invoice, in order. */
  discounts?: LineDiscount[] | undefined;
}

/** Creates a draft invoice with its lines and emits `invoice.created`. */
export function createInvoice(
  sandbox: SandboxCore,
  input: CreateInvoiceInput,
  emit: Emit,
): Stripe.Invoice {
  const { invoice, lines } = buildInvoice(sandbox, input);
  invoiceCollection(sandbox).set(invoice);
  sandbox.store.setInternal(`invoice_lines:${invoice.id}`, lines);
  emit('invoice.created', invoice);
  return invoice;
}

/**
 * The draft invoice `input` describes, with all its lines, neither stored nor announced: what
 * `createInvoice` stores, and what `POST /v1/invoices/create_preview` answers (`preview: true`
 * gives it an `upcoming_in_…` id and `il_tmp_…` lines, as Stripe names previews).
 */
export function buildInvoice(
  sandbox: SandboxCore,
  input: CreateInvoiceInput & { preview?: boolean },
): { invoice: Stripe.Invoice; lines: Stripe.InvoiceLineItem[] } {
  const id = input.id ?? newId(input.preview ? 'upcoming_in' : 'in');
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(input.customer);
  const linePrefix = input.preview ? 'il_tmp' : 'il';
  const lines = input.lines.map((draft) => toLine(draft, id, input.currency, linePrefix));
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const discounts = input.discounts ?? [];
  const amounts = computeDiscountAmounts(
    sandbox,
    input.lines.map((draft, index) => ({
      amount: draft.amount,
      discountable: lines[index]?.discountable ?? false,
      product: idOf(draft.price.product as string | { id: string }),
    })),
    discounts,
    input.currency,
  );
  lines.forEach((line, index) => {
    const row = amounts.perLine[index] ?? [];
    line.discount_amounts = line.discountable
      ? discounts.map((discount, d) => ({ amount: row[d] ?? 0, discount: discount.id }))
      : [];
    line.pretax_credit_amounts = discounts
      .map((discount, d) => ({ amount: row[d] ?? 0, discount: discount.id, type: 'discount' }))
      .filter((credit) => credit.amount > 0);
  });
  // Invoice-level discounts: `subtotal` is before them, `total` after.
  const total = subtotal - amounts.total;
  const subscription = input.subscription;
  const invoice: Stripe.Invoice = {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: SANDBOX_ACCOUNT_NAME,
    account_tax_ids: null,
    amount_due: Math.max(0, total),
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: Math.max(0, total),
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: input.autoAdvance,
    automatic_tax: {
      disabled_reason: null,
      enabled: false,
      liability: null,
      provider: null,
      status: null,
    },
    automatically_finalizes_at: input.finalizesAt,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created: input.created,
    currency: input.currency,
    custom_fields: null,
    customer: input.customer,
    customer_account: null,
    customer_address: customer?.address ?? null,
    customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null,
    customer_phone: customer?.phone ?? null,
    customer_shipping: customer?.shipping ? structuredClone(customer.shipping) : null,
    customer_tax_exempt: customer?.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: discounts.map((discount) => discount.id),
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: linesPage(lines, {}, `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: subscription
      ? {
          quote_details: null,
          subscription_details: {
            metadata: { ...subscription.metadata },
            subscription: subscription.id,
          },
          type: 'subscription_details',
        }
      : null,
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: input.periodEnd,
    period_start: input.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: {
      finalized_at: null,
      marked_uncollectible_at: null,
      paid_at: null,
      voided_at: null,
    },
    subtotal,
    subtotal_excluding_tax: subtotal,
    test_clock: customer?.test_clock ?? null,
    total,
    total_discount_amounts: discounts.map((discount, d) => ({
      amount: amounts.totals[d] ?? 0,
      discount: discount.id,
    })),
    total_excluding_tax: total,
    total_pretax_credit_amounts: discounts
      .map((discount, d) => ({
        amount: amounts.totals[d] ?? 0,
        discount: discount.id,
        type: 'discount' as const,
      }))
      .filter((credit) => credit.amount > 0),
    total_taxes: [],
    webhooks_delivered_at: null,
  };
  return { invoice, lines };
}

const INTENT_DESCRIPTIONS: Partial<Record<string, string>> = {
  subscription_create: 'Subscription creation',
  subscription_cycle: 'Subscription cycle',
  subscription_update: 'Subscription update',
};

/** What finalizing makes of an invoice's total: the amount charged, and the customer's balance after. */
export interface InvoiceSettlement {
  /** What is charged: 0 when nothing is (a credit covers it, or it is below the minimum). */
  amountDue: number;
  /** The customer's balance after the invoice: negative is credit, positive a debit. */
  endingBalance: number;
}

/**
 * What finalizing makes of an invoice's `total` with the customer's `balance`, as Stripe does: a
 * credit (negative balance) lowers the amount due and a debit raises it; what falls below zero
 * stays credit; and an amount due above zero but below the currency's minimum charge
 * (`minimumChargeAmount`: $0.50, £0.30, ¥50…) is not charged: the invoice is paid with nothing
 * due and the amount becomes a debit on the balance, which the next invoice carries. Every
 * invoice here is a subscription's, charged automatically.
 * @see https://docs.stripe.com/billing/customer/balance
 * @see https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
 */
export function settleInvoiceTotal(
  total: number,
  balance: number,
  currency: string,
): InvoiceSettlement {
  const due = total + balance;
  if (due < 0 || (due > 0 && due < minimumChargeAmount(currency))) {
    return { amountDue: 0, endingBalance: due };
  }
  return { amountDue: due, endingBalance: 0 };
}

/** Applies the customer's balance and the minimum charge at finalization (`settleInvoiceTotal`). */
function applyCustomerBalance(sandbox: SandboxCore, invoice: Stripe.Invoice, emit: Emit): void {
  const customer = sandbox.store
    .collection<Stripe.Customer>('customers')
    .get(idOf(invoice.customer as string) ?? '');
  const balance = customer?.balance ?? 0;
  const { amountDue: due, endingBalance: ending } = settleInvoiceTotal(
    invoice.total,
    balance,
    invoice.currency,
  );
  invoice.starting_balance = balance;
  invoice.ending_balance = ending;
  invoice.amount_due = due;
  invoice.amount_remaining = due;
  if (customer && customer.balance !== ending) {
    const previous = trackChanges(customer, (c) => {
      c.balance = ending;
    });
    emit('customer.updated', customer, previous);
  }
}

/** The invoice's payment method as Billing picks it: the subscription's default, else the customer's. */
export function defaultPaymentMethodForInvoice(
  sandbox: SandboxCore,
  invoice: Stripe.Invoice,
): string | null {
  const subscriptionId = invoiceSubscriptionId(invoice);
  const subscription = subscriptionId
    ? sandbox.store.collection<Stripe.Subscription>('subscriptions').get(subscriptionId)
    : undefined;
  const fromSubscription = idOf(subscription?.default_payment_method as string | null);
  if (fromSubscription) return fromSubscription;
  const customer = sandbox.store
    .collection<Stripe.Customer>('customers')
    .get(idOf(invoice.customer as string) ?? '');
  return idOf(customer?.invoice_settings.default_payment_method as string | null);
}

/**
 * Finalizes a draft: number, customer balance, and for an amount due a PaymentIntent and an open
 * InvoicePayment (`payment_intent.created`, `invoice.finalized`). An invoice with nothing due
 * (credit covers it, or what is left is below the currency's minimum charge and moves to the
 * customer's balance) is paid at once (`invoice.paid`, `invoice.payment_succeeded`).
 */
export function finalizeInvoice(
  sandbox: SandboxCore,
  invoice: Stripe.Invoice,
  emit: Emit,
): Stripe.Invoice {
  const customerId = idOf(invoice.customer as string) as string;
  const now = customerNow(sandbox, customerId);
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(customerId);
  applyCustomerBalance(sandbox, invoice, emit);
  if (customer) {
    const sequence = customer.next_invoice_sequence ?? 1;
    invoice.number = `${customer.invoice_prefix ?? 'SANDBOX'}-${String(sequence).padStart(4, '0')}`;
    customer.next_invoice_sequence = sequence + 1;
  }
  invoice.status = 'open';
  invoice.automatically_finalizes_at = null;
  invoice.effective_at = now;
  invoice.status_transitions = { ...invoice.status_transitions, finalized_at: now };
  if (invoice.amount_due > 0) {
    const intent = createInvoicePaymentIntent(
      sandbox,
      {
        amount: invoice.amount_due,
        currency: invoice.currency,
        customer: customerId,
        description: INTENT_DESCRIPTIONS[invoice.billing_reason ?? ''] ?? 'Payment for Invoice',
        created: now,
      },
      emit,
    );
    sandbox.store.setInternal(`invoice_intent:${invoice.id}`, intent.id);
    sandbox.store.setInternal(`intent_invoice:${intent.id}`, invoice.id);
    createInvoicePayment(sandbox, { invoice, paymentIntent: intent, created: now });
  }
  emit('invoice.finalized', invoice);
  if (invoice.amount_due === 0) markInvoicePaid(sandbox, invoice, null, emit);
  return invoice;
}

/** Marks an invoice paid: `invoice_payment.paid` (through a PaymentIntent), `invoice.paid`, `invoice.payment_succeeded`. */
function markInvoicePaid(
  sandbox: SandboxCore,
  invoice: Stripe.Invoice,
  intent: Stripe.PaymentIntent | null,
  emit: Emit,
): void {
  const now = customerNow(sandbox, idOf(invoice.customer as string));
  invoice.status = 'paid';
  invoice.attempted = true;
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions = { ...invoice.status_transitions, paid_at: now };
  if (intent) markInvoicePaymentPaid(sandbox, intent, now, emit);
  emit('invoice.paid', invoice);
  emit('invoice.payment_succeeded', invoice);
}

/** When Billing tries again after a failed attempt, per the retry settings; null for none. */
function nextAttempt(sandbox: SandboxCore, invoice: Stripe.Invoice, now: number): number | null {
  // A subscription's first invoice is never retried: the subscription stays incomplete, then expires.
  if (invoice.billing_reason === 'subscription_create') return null;
  const days = billingSettings(sandbox).retryDays[invoice.attempt_count - 1];
  return days === undefined ? null : now + days * DAY;
}

/** Whether every retry the settings allow has been made. */
export function retriesExhausted(sandbox: SandboxCore, invoice: Stripe.Invoice): boolean {
  return (
    invoice.status === 'open' &&
    invoice.next_payment_attempt === null &&
    invoice.attempt_count > billingSettings(sandbox).retryDays.length
  );
}

const awaitingKey = (invoice: Stripe.Invoice) => `invoice_awaiting_action:${invoice.id}`;

/** A failed attempt: `invoice.payment_failed`, with the next retry scheduled. */
function recordFailure(
  sandbox: SandboxCore,
  invoice: Stripe.Invoice,
  kind: 'failed' | 'action_required',
  emit: Emit,
): void {
  const now = customerNow(sandbox, idOf(invoice.customer as string));
  const continuesAttempt = sandbox.store.getInternal<boolean>(awaitingKey(invoice)) === true;
  invoice.attempted = true;
  if (!continuesAttempt || kind === 'action_required') {
    invoice.attempt_count += 1;
    invoice.next_payment_attempt = nextAttempt(sandbox, invoice, now);
  }
  sandbox.store.setInternal(awaitingKey(invoice), kind === 'action_required');
  emit(kind === 'failed' ? 'invoice.payment_failed' : 'invoice.payment_action_required', invoice);
}

export type InvoicePaymentOutcome =
  | InvoiceChargeOutcome
  | { status: 'no_payment_method' }
  /** Not open, or its PaymentIntent can no longer be confirmed. */
  | { status: 'not_payable' };

/**
 * One payment attempt by Billing (or `POST /v1/invoices/:id/pay`): charges the invoice's
 * PaymentIntent with `paymentMethodId`, or records a failure when there is no payment method.
 * The invoice (and its subscription) follow through the reactions below.
 */
export function attemptInvoicePayment(
  sandbox: SandboxCore,
  invoice: Stripe.Invoice,
  paymentMethodId: string | null,
  options: { emit: Emit; origin: string },
): InvoicePaymentOutcome {
  const intent = invoicePaymentIntent(sandbox, invoice);
  const payable: readonly string[] = [
    'requires_payment_method',
    'requires_confirmation',
    'requires_action',
  ];
  if (invoice.status !== 'open' || !intent || !payable.includes(intent.status)) {
    return { status: 'not_payable' };
  }
  sandbox.store.setInternal(awaitingKey(invoice), false);
  const paymentMethod = paymentMethodId
    ? sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(paymentMethodId)
    : undefined;
  if (!paymentMethod) {
    recordFailure(sandbox, invoice, 'failed', options.emit);
    return { status: 'no_payment_method' };
  }
  return chargeInvoicePaymentIntent(sandbox, intent, paymentMethod, {
    emit: options.emit,
    origin: options.origin,
    created: customerNow(sandbox, idOf(invoice.customer as string)),
  });
}

/** Voids an open invoice: its PaymentIntent is canceled, then `invoice.voided`. */
export function voidInvoiceNow(sandbox: SandboxCore, invoice: Stripe.Invoice, emit: Emit): void {
  const now = customerNow(sandbox, idOf(invoice.customer as string));
  const intent = invoicePaymentIntent(sandbox, invoice);
  if (intent) {
    cancelInvoicePaymentIntent(sandbox, intent, { emit, created: now });
    cancelInvoicePayment(sandbox, intent.id, now);
  }
  invoice.status = 'void';
  invoice.next_payment_attempt = null;
  invoice.automatically_finalizes_at = null;
  invoice.status_transitions = { ...invoice.status_transitions, voided_at: now };
  emit('invoice.voided', invoice);
}

/** Where 3D Secure pages are for payments Billing makes in the background. */
export function billingOrigin(sandbox: SandboxCore): string {
  return sandbox.store.getInternal<string>('billing_origin') ?? 'http://127.0.0.1';
}

/** Remembers the origin requests come to, for the `next_action` of background payments. */
export function rememberOrigin(ctx: RequestContext): void {
  ctx.sandbox.store.setInternal('billing_origin', ctx.origin);
}

/** `expand[]=confirmation_secret` and `expand[]=payments` (also `latest_invoice.…`). */
export function registerInvoiceIncludables(sandbox: SandboxCore): void {
  sandbox.registerIncludable('invoice', 'confirmation_secret', (invoice) => {
    const intent = invoicePaymentIntent(sandbox, invoice as unknown as Stripe.Invoice);
    return intent?.client_secret
      ? { client_secret: intent.client_secret, type: 'payment_intent' }
      : null;
  });
  sandbox.registerIncludable('invoice', 'payments', (invoice) =>
    invoicePaymentsList(sandbox, String(invoice.id)),
  );
}

// --- routes ------------------------------------------------------------------------------------

const listSchema = params({
  ...listShape,
  customer: str().optional(),
  subscription: str().optional(),
  status: oneOf(['draft', 'open', 'paid', 'uncollectible', 'void']).optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Invoice> {
  const input = ctx.parse(listSchema);
  const items = invoiceCollection(ctx.sandbox)
    .values()
    .filter(
      (invoice) =>
        (!input.customer || idOf(invoice.customer as string) === input.customer) &&
        (!input.subscription || invoiceSubscriptionId(invoice) === input.subscription) &&
        (!input.status || invoice.status === input.status) &&
        (!input.collection_method || invoice.collection_method === input.collection_method),
    );
  return paginate(items, input, ctx.url.pathname, 'invoice');
}

function retrieve(ctx: RequestContext): Stripe.Invoice {
  ctx.parse(params({}));
  return findInvoice(ctx.sandbox, ctx.path.id as string);
}

function lines(ctx: RequestContext): Stripe.ApiList<Stripe.InvoiceLineItem> {
  const input = ctx.parse(
    params({
      limit: int().pipe(z.number().min(1).max(100)).optional(),
      starting_after: str().optional(),
      ending_before: str().optional(),
    }),
  );
  const invoice = findInvoice(ctx.sandbox, ctx.path.id as string);
  return linesPage(invoiceLines(ctx.sandbox, invoice.id), input, ctx.url.pathname);
}

function finalize(ctx: RequestContext): Stripe.Invoice {
  const input = ctx.parse(params({ auto_advance: bool().optional() }));
  const { sandbox } = ctx;
  const invoice = findInvoice(sandbox, ctx.path.id as string);
  if (invoice.status !== 'draft') {
    throw invalidRequest(
      "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
      undefined,
      'invoice_not_editable',
    );
  }
  rememberOrigin(ctx);
  if (input.auto_advance !== undefined) invoice.auto_advance = input.auto_advance;
  finalizeInvoice(sandbox, invoice, ctx.emit);
  // Automatic collection: Billing attempts the payment once the invoice is finalized.
  if (invoice.status === 'open' && invoice.auto_advance) {
    attemptInvoicePayment(sandbox, invoice, defaultPaymentMethodForInvoice(sandbox, invoice), {
      emit: ctx.emit,
      origin: ctx.origin,
    });
  }
  return invoice;
}

const paySchema = params({
  payment_method: str().optional(),
  off_session: bool().optional(),
});

function pay(ctx: RequestContext): Stripe.Invoice {
  const input = ctx.parse(paySchema);
  const { sandbox } = ctx;
  const invoice = findInvoice(sandbox, ctx.path.id as string);
  if (invoice.status === 'paid') {
    throw invalidRequest('Invoice is already paid', undefined, 'invoice_already_paid');
  }
  if (invoice.status === 'void' || invoice.status === 'uncollectible') {
    throw invalidRequest(
      `This invoice can no longer be paid: its status is ${invoice.status}.`,
      undefined,
      'invoice_not_editable',
    );
  }
  const customerId = idOf(invoice.customer as string) as string;
  let paymentMethodId = defaultPaymentMethodForInvoice(sandbox, invoice);
  if (input.payment_method) {
    const paymentMethod = resolvePaymentMethod(sandbox, input.payment_method);
    const owner = idOf(paymentMethod.customer as string | null);
    if (owner && owner !== customerId) {
      throw invalidRequest(
        `The PaymentMethod provided (${paymentMethod.id}) does not belong to the Customer (${customerId}) associated with this invoice.`,
        'payment_method',
      );
    }
    // A card not saved yet is attached first (its card check may decline, as on Stripe).
    if (!owner) attachPaymentMethod(sandbox, paymentMethod, customerId, ctx.emit);
    paymentMethodId = paymentMethod.id;
  }
  if (!paymentMethodId) throw invalidRequest(NO_PAYMENT_METHOD, 'payment_method');
  rememberOrigin(ctx);
  if (invoice.status === 'draft') finalizeInvoice(sandbox, invoice, ctx.emit);
  if (invoice.status !== 'open') return invoice;
  const outcome = attemptInvoicePayment(sandbox, invoice, paymentMethodId, {
    emit: ctx.emit,
    origin: ctx.origin,
  });
  if (outcome.status === 'failed') {
    throw cardError(outcome.decline, {
      charge: outcome.charge.id,
      payment_method: structuredClone(
        sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(paymentMethodId),
      ),
    });
  }
  if (outcome.status === 'requires_action') {
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'invoice_payment_intent_requires_action',
      message: INVOICE_REQUIRES_ACTION,
    });
  }
  return invoice;
}

function voidInvoice(ctx: RequestContext): Stripe.Invoice {
  ctx.parse(params({}));
  const invoice = findInvoice(ctx.sandbox, ctx.path.id as string);
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
    throw invalidRequest(
      `You can only void an open or uncollectible invoice; this one is ${invoice.status}.`,
      undefined,
      'invoice_not_editable',
    );
  }
  voidInvoiceNow(ctx.sandbox, invoice, ctx.emit);
  return invoice;
}

export const invoiceRoutes: Route[] = [
  { method: 'GET', path: '/v1/invoices', handler: list },
  { method: 'GET', path: '/v1/invoices/:id', handler: retrieve },
  { method: 'GET', path: '/v1/invoices/:id/lines', handler: lines },
  { method: 'POST', path: '/v1/invoices/:id/finalize', handler: finalize },
  { method: 'POST', path: '/v1/invoices/:id/pay', handler: pay },
  { method: 'POST', path: '/v1/invoices/:id/void', handler: voidInvoice },
];

// --- reactions: what the invoice's PaymentIntent does to the invoice --------------------------------

function onIntent(
  handle: (
    sandbox: SandboxCore,
    invoice: Stripe.Invoice,
    intent: Stripe.PaymentIntent,
    emit: Emit,
  ) => void,
): Reaction['run'] {
  return (sandbox: SandboxCore, object: StoredObject, options) => {
    const intent = object as unknown as Stripe.PaymentIntent;
    const invoice = invoiceForIntent(sandbox, intent.id);
    if (invoice?.status !== 'open') return;
    handle(sandbox, invoice, intent, emitter(sandbox, options.request));
  };
}

export const invoiceReactions: Reaction[] = [
  {
    event: 'payment_intent.succeeded',
    run: onIntent((sandbox, invoice, intent, emit) => {
      // Finishing an authentication is the same attempt; anything else is a new one.
      if (sandbox.store.getInternal<boolean>(awaitingKey(invoice)) !== true) {
        invoice.attempt_count += 1;
      }
      sandbox.store.setInternal(awaitingKey(invoice), false);
      markInvoicePaid(sandbox, invoice, intent, emit);
    }),
  },
  {
    event: 'payment_intent.payment_failed',
    run: onIntent((sandbox, invoice, _intent, emit) => {
      recordFailure(sandbox, invoice, 'failed', emit);
    }),
  },
  {
    event: 'payment_intent.requires_action',
    run: onIntent((sandbox, invoice, _intent, emit) => {
      recordFailure(sandbox, invoice, 'action_required', emit);
    }),
  },
];
