/**
 * Which handler stores what an event brings: one entry per event type. Events without a handler
 * are still recorded in the ledger and passed to the `onEvent` hook.
 */
import type Stripe from 'stripe';
import { handleChargeRefunded } from './charge-refunded.js';
import { handleCheckoutSessionCompleted } from './checkout-session-completed.js';
import type { WebhookHandler } from './context.js';
import { handleSubscriptionEvent } from './customer-subscription.js';
import { handleEntitlementSummaryUpdated } from './entitlements.js';
import { handleInvoiceEvent } from './invoice.js';
import { handlePaymentIntentEvent } from './payment-intent.js';
import { handlePaymentMethodEvent } from './payment-method.js';
import { handleSetupIntentSucceeded } from './setup-intent-succeeded.js';

export const WEBHOOK_HANDLERS: Partial<Record<Stripe.Event.Type, WebhookHandler>> = {
  'payment_intent.succeeded': handlePaymentIntentEvent,
  'payment_intent.payment_failed': handlePaymentIntentEvent,
  'payment_intent.canceled': handlePaymentIntentEvent,
  'payment_intent.processing': handlePaymentIntentEvent,
  'charge.refunded': handleChargeRefunded,
  'setup_intent.succeeded': handleSetupIntentSucceeded,
  'payment_method.attached': handlePaymentMethodEvent,
  'payment_method.detached': handlePaymentMethodEvent,
  'customer.subscription.created': handleSubscriptionEvent,
  'customer.subscription.updated': handleSubscriptionEvent,
  'customer.subscription.deleted': handleSubscriptionEvent,
  'customer.subscription.trial_will_end': handleSubscriptionEvent,
  'invoice.paid': handleInvoiceEvent,
  'invoice.payment_succeeded': handleInvoiceEvent,
  'invoice.payment_failed': handleInvoiceEvent,
  'invoice.payment_action_required': handleInvoiceEvent,
  'checkout.session.completed': handleCheckoutSessionCompleted,
  'entitlements.active_entitlement_summary.updated': handleEntitlementSummaryUpdated,
};
