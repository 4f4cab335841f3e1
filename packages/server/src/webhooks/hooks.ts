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
