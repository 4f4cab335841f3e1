/**
 * invoice.paid, .payment_succeeded, .payment_failed, .payment_action_required: an invoice of a
 * subscription changed what the subscription waits for (and often its status), so the
 * subscription is re-read from Stripe and stored, as for its own events. Invoices reach their
 * subscription through `parent.subscription_details` in this API version; invoices of no
 * subscription have nothing to store (their PaymentIntents have their own events).
 */
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import { idOf, type WebhookHandler } from './context.js';
import { syncSubscription } from './customer-subscription.js';
import { expandable, objectData, stripeId } from './event-data.js';

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
};
