/**
 * invoice_payments: one per PaymentIntent an invoice is paid through (`payment.type:
 * payment_intent`), `open` until it succeeds (`paid`, `invoice_payment.paid`) or the invoice is
 * voided (`canceled`). Routes: retrieve and list (`invoice`, `payment[…]`, `status`). They are
 * created by invoices when they are finalized.
 * @see https://docs.stripe.com/api/invoice-payment
 */
import type Stripe from 'stripe';
import type { Emit } from '../core/billing-time.js';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { paginate } from '../core/pagination.js';
import { listShape, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { idOf } from './payments-shared.js';

export function invoicePaymentCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.InvoicePayment>('invoice_payments');
}

/** Records the payment an invoice expects through a PaymentIntent (status `open`). */
export function createInvoicePayment(
  sandbox: SandboxCore,
  input: { invoice: Stripe.Invoice; paymentIntent: Stripe.PaymentIntent; created: number },
): Stripe.InvoicePayment {
  const payment: Stripe.InvoicePayment = {
    id: newId('inpay'),
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: input.paymentIntent.amount,
    created: input.created,
    currency: input.invoice.currency,
    invoice: input.invoice.id,
    is_default: true,
    livemode: false,
    payment: { payment_intent: input.paymentIntent.id, type: 'payment_intent' },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
  invoicePaymentCollection(sandbox).set(payment);
  return payment;
}

/** The invoice's payments, oldest first. */
export function paymentsOfInvoice(
  sandbox: SandboxCore,
  invoiceId: string,
): Stripe.InvoicePayment[] {
  return invoicePaymentCollection(sandbox)
    .values()
    .filter((payment) => idOf(payment.invoice) === invoiceId);
}

/** `invoice.payments` (returned only when expanded): the invoice's payments as a list. */
export function invoicePaymentsList(
  sandbox: SandboxCore,
  invoiceId: string,
): Stripe.ApiList<Stripe.InvoicePayment> {
  return paginate(
    paymentsOfInvoice(sandbox, invoiceId),
    { limit: 100 },
    `/v1/invoice_payments?invoice=${invoiceId}`,
    'invoice_payment',
  );
}

/** The open payment through a PaymentIntent, if any. */
function openPaymentFor(
  sandbox: SandboxCore,
  paymentIntentId: string,
): Stripe.InvoicePayment | undefined {
  return invoicePaymentCollection(sandbox)
    .values()
    .find(
      (payment) =>
        payment.status === 'open' && idOf(payment.payment.payment_intent) === paymentIntentId,
    );
}

/** The PaymentIntent succeeded: the payment is `paid` (`invoice_payment.paid`). */
export function markInvoicePaymentPaid(
  sandbox: SandboxCore,
  paymentIntent: Stripe.PaymentIntent,
  paidAt: number,
  emit: Emit,
): Stripe.InvoicePayment | undefined {
  const payment = openPaymentFor(sandbox, paymentIntent.id);
  if (!payment) return undefined;
  payment.status = 'paid';
  payment.amount_paid = paymentIntent.amount_received || paymentIntent.amount;
  payment.status_transitions = { ...payment.status_transitions, paid_at: paidAt };
  emit('invoice_payment.paid', payment);
  return payment;
}

/** The invoice was voided: its open payment is `canceled` (Stripe sends no event for it). */
export function cancelInvoicePayment(
  sandbox: SandboxCore,
  paymentIntentId: string,
  canceledAt: number,
): void {
  const payment = openPaymentFor(sandbox, paymentIntentId);
  if (!payment) return;
  payment.status = 'canceled';
  payment.status_transitions = { ...payment.status_transitions, canceled_at: canceledAt };
}

const listSchema = params({
  ...listShape,
  invoice: str().optional(),
  payment: z
    .strictObject({
      type: oneOf(['payment_intent', 'payment_record']),
      payment_intent: str().optional(),
      payment_record: str().optional(),
    })
    .optional(),
  status: oneOf(['canceled', 'open', 'paid']).optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.InvoicePayment> {
  const input = ctx.parse(listSchema);
  if (input.payment?.type === 'payment_record') {
    throw invalidRequest(
      'The sandbox has no payment records: invoices are paid through PaymentIntents.',
      'payment[type]',
    );
  }
  const items = invoicePaymentCollection(ctx.sandbox)
    .values()
    .filter(
      (payment) =>
        (!input.invoice || idOf(payment.invoice) === input.invoice) &&
        (!input.payment?.payment_intent ||
          idOf(payment.payment.payment_intent) === input.payment.payment_intent) &&
        (!input.status || payment.status === input.status),
    );
  return paginate(items, input, ctx.url.pathname, 'invoice_payment');
}

function retrieve(ctx: RequestContext): Stripe.InvoicePayment {
  ctx.parse(params({}));
  const id = ctx.path.id as string;
  const found = invoicePaymentCollection(ctx.sandbox).get(id);
  if (!found) throw resourceMissing('invoice_payment', id);
  return found;
}

export const invoicePaymentRoutes: Route[] = [
  { method: 'GET', path: '/v1/invoice_payments', handler: list },
  { method: 'GET', path: '/v1/invoice_payments/:id', handler: retrieve },
];
