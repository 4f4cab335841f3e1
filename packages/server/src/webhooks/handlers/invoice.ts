/**
 * invoice.paid, .payment_succeeded, .payment_failed, .payment_action_required: an invoice of a
 * subscription changed what the subscription waits for (and often its status), so the
 * subscription is re-read from Stripe and stored, as for its own events; a paid one also gives
 * its payment its lines (`storeInvoicePayment`). Invoices reach their subscription through
 * `parent.subscription_details` in this API version; invoices of no subscription have nothing to
 * store (their PaymentIntents have their own events).
 */
import type { PaymentLine } from '@tillkit/protocol';
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import { unlessMissing } from '../../errors.js';
import { discountTotal } from '../../routes/promotion-code-shared.js';
import { lockObject } from '../../storage/event-ledger.js';
import { setPaymentLines } from '../../storage/payments.js';
import { type HandlerContext, idOf, type WebhookHandler } from './context.js';
import { productOf, syncSubscription } from './customer-subscription.js';
import { expandable, objectData, stripeId } from './event-data.js';
import { syncPaymentIntent } from './payment-intent.js';

/**
 * What the handler reads: the invoice's subscription. Its id and customer (null for an invoice
 * billed to an account rather than a customer) must be there too: they are how the ledger and the
 * hooks (`onInvoicePaid`: fulfil or extend access) find what the invoice is about.
 */
export const invoiceEventData = objectData({
  id: stripeId,
  customer: z.nullable(expandable),
  parent: z.optional(
    z.nullable(
      z.looseObject({
        subscription_details: z.optional(
          z.nullable(z.looseObject({ subscription: z.optional(z.nullable(expandable)) })),
        ),
      }),
    ),
  ),
});

export const handleInvoiceEvent: WebhookHandler = async (event, context) => {
  const invoice = event.data.object as Stripe.Invoice;
  const subscription = idOf(invoice.parent?.subscription_details?.subscription);
  if (subscription) await syncSubscription(context, subscription);
  if (event.type === 'invoice.paid' && subscription) await storeInvoicePayment(context, invoice.id);
};

/**
 * A subscription's payment in the order history says what it paid for: the invoice is read again
 * from Stripe (under a lock on its id, then its payment's, as for Checkout pages), and the
 * PaymentIntent that paid it is stored with the plan's lines (price, product name, quantity, unit
 * amount) and what its discounts took off, as `checkout.session.completed` does for a page.
 * Only when they account for what was paid: a first invoice or a renewal, whose lines are prices
 * times quantities. An invoice with prorations (a plan change), a customer balance or tax keeps
 * its payment without lines (the history shows the amount alone) rather than lines that do not
 * add up to it.
 */
async function storeInvoicePayment(context: HandlerContext, id: string): Promise<void> {
  await lockObject(context.db, id);
  const invoice = await unlessMissing(context.stripe.invoices.retrieve(id));
  if (!invoice) return;
  if (invoice.status !== 'paid') return;
  const paid = await context.stripe.invoicePayments.list({
    invoice: id,
    status: 'paid',
    limit: 10,
  });
  const intentId = paid.data.map((payment) => idOf(payment.payment.payment_intent)).find(Boolean);
  if (!intentId) return;
  const intent = await syncPaymentIntent(context, intentId);
  if (!intent) return;
  const lines = await planLines(context, invoice);
  const discount = discountTotal(invoice);
  const listed = lines?.reduce((sum, line) => sum + line.unitAmount * line.quantity, 0);
  if (lines && listed === invoice.subtotal && listed - discount === intent.amount) {
    await setPaymentLines(context.db, intentId, lines, discount);
  }
}

/** The invoice's lines as a payment's, or null when one is not a plan's price × quantity. */
async function planLines(
  context: HandlerContext,
  invoice: Stripe.Invoice,
): Promise<PaymentLine[] | null> {
  const items = await context.stripe.invoices
    .listLineItems(invoice.id as string, { limit: 100 })
    .autoPagingToArray({ limit: 1000 });
  const names = new Map<string, Promise<string>>();
  const lines: PaymentLine[] = [];
  for (const line of items) {
    const details = line.pricing?.price_details;
    const unitAmount = Number(line.pricing?.unit_amount_decimal);
    const quantity = line.quantity ?? 1;
    if (
      !details?.price ||
      line.parent?.subscription_item_details?.proration !== false ||
      !Number.isInteger(unitAmount) ||
      quantity < 1 ||
      line.amount !== unitAmount * quantity
    ) {
      return null;
    }
    // The product's name at the time of the payment, read once per product.
    const product = details.product;
    let name = names.get(product);
    if (!name) {
      name = productOf(context.stripe, product).then((found) => found.name);
      names.set(product, name);
    }
    lines.push({
      price: idOf(details.price) as string,
      productName: await name,
      quantity,
      unitAmount,
    });
  }
  return lines.length ? lines : null;
}
