/**
 * invoice.paid, .payment_succeeded, .payment_failed, .payment_action_required: an invoice of a
 * subscription changed what the subscription waits for (and often its status), so the
 * subscription is re-read from Stripe and stored, as for its own events. Invoices reach their
 * subscription through `parent.subscription_details` in this API version; invoices of no
 * subscription have nothing to store (their PaymentIntents have their own events).
 */
import type Stripe from 'stripe';
import { idOf, type WebhookHandler } from './context.js';
import { syncSubscription } from './customer-subscription.js';

export const handleInvoiceEvent: WebhookHandler = async (event, context) => {
  const invoice = event.data.object as Stripe.Invoice;
  const subscription = idOf(invoice.parent?.subscription_details?.subscription);
  if (subscription) await syncSubscription(context, subscription);
};
