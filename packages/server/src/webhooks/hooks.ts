/**
 * Host hooks, named after the events they follow. They run after the server stored the state an
 * event brought and before the event is marked handled: a hook that throws makes the delivery a
 * 5xx, so Stripe delivers the event again and every hook runs again. Hooks are therefore
 * at-least-once; use `context.eventId` to make their own effects idempotent.
 */
import type Stripe from 'stripe';
import type { Logger } from '../observability/logger.js';

export interface HookContext {
  /** The Stripe event id: the key for making a hook's effect idempotent. */
  eventId: string;
  stripe: Stripe;
  log: Logger;
}

type Hook<E> = (event: E, context: HookContext) => void | Promise<void>;

export interface TillkitHooks {
  onPaymentIntentSucceeded?: Hook<Stripe.PaymentIntentSucceededEvent>;
  onPaymentIntentPaymentFailed?: Hook<Stripe.PaymentIntentPaymentFailedEvent>;
  onPaymentIntentCanceled?: Hook<Stripe.PaymentIntentCanceledEvent>;
  onPaymentIntentProcessing?: Hook<Stripe.PaymentIntentProcessingEvent>;
  onChargeRefunded?: Hook<Stripe.ChargeRefundedEvent>;
  onSetupIntentSucceeded?: Hook<Stripe.SetupIntentSucceededEvent>;
  onPaymentMethodAttached?: Hook<Stripe.PaymentMethodAttachedEvent>;
  onPaymentMethodDetached?: Hook<Stripe.PaymentMethodDetachedEvent>;
  /** A subscription was created (usually `incomplete` until its first invoice is paid). */
  onSubscriptionCreated?: Hook<Stripe.CustomerSubscriptionCreatedEvent>;
  /** Its status, plan, period or cancellation changed (`data.previous_attributes` says what). */
  onSubscriptionUpdated?: Hook<Stripe.CustomerSubscriptionUpdatedEvent>;
  /** It ended (canceled now, at period end, or after the last failed retry). */
  onSubscriptionDeleted?: Hook<Stripe.CustomerSubscriptionDeletedEvent>;
  /** Its trial ends in three days (or sooner): a good time to remind the customer. */
  onSubscriptionTrialWillEnd?: Hook<Stripe.CustomerSubscriptionTrialWillEndEvent>;
  /** An invoice was paid (also a $0 one): fulfil or extend access here. */
  onInvoicePaid?: Hook<Stripe.InvoicePaidEvent>;
  onInvoicePaymentSucceeded?: Hook<Stripe.InvoicePaymentSucceededEvent>;
  /** An invoice's payment failed (the subscription is then usually `past_due`). */
  onInvoicePaymentFailed?: Hook<Stripe.InvoicePaymentFailedEvent>;
  /** An invoice's payment waits for the customer to authenticate (3D Secure). */
  onInvoicePaymentActionRequired?: Hook<Stripe.InvoicePaymentActionRequiredEvent>;
  /**
   * A Checkout page was completed (or its subscription started): fulfil the order here when its
   * `payment_status` is `paid` (or `no_payment_required`). A payment method that confirms later
   * (a bank debit) completes the page `unpaid`: its `checkout.session.async_payment_succeeded`
   * comes to `onEvent`.
   * @see https://docs.stripe.com/checkout/fulfillment
   */
  onCheckoutSessionCompleted?: Hook<Stripe.CheckoutSessionCompletedEvent>;
  /** Every verified event, handled or not, after the named hook. */
  onEvent?: Hook<Stripe.Event>;
}

/** Which named hook follows which event type. */
export const HOOK_FOR_EVENT = {
  'payment_intent.succeeded': 'onPaymentIntentSucceeded',
  'payment_intent.payment_failed': 'onPaymentIntentPaymentFailed',
  'payment_intent.canceled': 'onPaymentIntentCanceled',
  'payment_intent.processing': 'onPaymentIntentProcessing',
  'charge.refunded': 'onChargeRefunded',
  'setup_intent.succeeded': 'onSetupIntentSucceeded',
  'payment_method.attached': 'onPaymentMethodAttached',
  'payment_method.detached': 'onPaymentMethodDetached',
  'customer.subscription.created': 'onSubscriptionCreated',
  'customer.subscription.updated': 'onSubscriptionUpdated',
  'customer.subscription.deleted': 'onSubscriptionDeleted',
  'customer.subscription.trial_will_end': 'onSubscriptionTrialWillEnd',
  'invoice.paid': 'onInvoicePaid',
  'invoice.payment_succeeded': 'onInvoicePaymentSucceeded',
  'invoice.payment_failed': 'onInvoicePaymentFailed',
  'invoice.payment_action_required': 'onInvoicePaymentActionRequired',
  'checkout.session.completed': 'onCheckoutSessionCompleted',
} as const satisfies Partial<Record<Stripe.Event.Type, Exclude<keyof TillkitHooks, 'onEvent'>>>;

/** Runs the event's named hook, then `onEvent`. */
export async function runHooks(
  hooks: TillkitHooks,
  event: Stripe.Event,
  context: HookContext,
): Promise<void> {
  const name = (HOOK_FOR_EVENT as Partial<Record<string, keyof TillkitHooks>>)[event.type];
  const named = name ? (hooks[name] as Hook<Stripe.Event> | undefined) : undefined;
  if (named) await named(event, context);
  if (hooks.onEvent) await hooks.onEvent(event, context);
}
