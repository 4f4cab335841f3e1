/**
 * Which handler stores what an event brings: one entry per event type, with what the handler reads
 * of `event.data` (checked by `checkEvent()` before it runs). Events without a handler are still
 * recorded in the ledger and passed to the `onEvent` hook.
 */
import type Stripe from 'stripe';
import type * as z from 'zod/mini';
import { handleRefundEvent, refundEventData } from './charge-refunded.js';
import {
  checkoutSessionCompletedEventData,
  handleCheckoutSessionCompleted,
} from './checkout-session-completed.js';
import type { WebhookHandler } from './context.js';
import { handleSubscriptionEvent, subscriptionEventData } from './customer-subscription.js';
import { entitlementSummaryEventData, handleEntitlementSummaryUpdated } from './entitlements.js';
import { handleInvoiceEvent, invoiceEventData } from './invoice.js';
import { handlePaymentIntentEvent, paymentIntentEventData } from './payment-intent.js';
import { handlePaymentMethodEvent, paymentMethodEventData } from './payment-method.js';
import {
  handleSetupIntentSucceeded,
  setupIntentSucceededEventData,
} from './setup-intent-succeeded.js';

export interface EventHandler {
  handle: WebhookHandler;
  /** What `handle` reads of `event.data`; loose, so that Stripe's other fields pass. */
  data: z.ZodMiniType;
}

const paymentIntent: EventHandler = {
  handle: handlePaymentIntentEvent,
  data: paymentIntentEventData,
};
const paymentMethod: EventHandler = {
  handle: handlePaymentMethodEvent,
  data: paymentMethodEventData,
};
const subscription: EventHandler = { handle: handleSubscriptionEvent, data: subscriptionEventData };
const invoice: EventHandler = { handle: handleInvoiceEvent, data: invoiceEventData };
const refund: EventHandler = { handle: handleRefundEvent, data: refundEventData };

export const WEBHOOK_HANDLERS: Partial<Record<Stripe.Event.Type, EventHandler>> = {
  'payment_intent.succeeded': paymentIntent,
  'payment_intent.payment_failed': paymentIntent,
  'payment_intent.canceled': paymentIntent,
  'payment_intent.processing': paymentIntent,
  'charge.refunded': refund,
  'refund.updated': refund,
  'refund.failed': refund,
  'setup_intent.succeeded': {
    handle: handleSetupIntentSucceeded,
    data: setupIntentSucceededEventData,
  },
  'payment_method.attached': paymentMethod,
  'payment_method.detached': paymentMethod,
  'customer.subscription.created': subscription,
  'customer.subscription.updated': subscription,
  'customer.subscription.deleted': subscription,
  'customer.subscription.trial_will_end': subscription,
  'invoice.paid': invoice,
  'invoice.payment_succeeded': invoice,
  'invoice.payment_failed': invoice,
  'invoice.payment_action_required': invoice,
  'checkout.session.completed': {
    handle: handleCheckoutSessionCompleted,
    data: checkoutSessionCompletedEventData,
  },
  'entitlements.active_entitlement_summary.updated': {
    handle: handleEntitlementSummaryUpdated,
    data: entitlementSummaryEventData,
  },
};

/**
 * The handler of an event type, if it has one. Own entries only: a type such as `constructor` or
 * `__defineGetter__` must not find what every object inherits.
 */
export function handlerFor(type: string): EventHandler | undefined {
  return Object.hasOwn(WEBHOOK_HANDLERS, type)
    ? WEBHOOK_HANDLERS[type as Stripe.Event.Type]
    : undefined;
}
