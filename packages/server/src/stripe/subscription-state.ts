/**
 * What a subscription read from Stripe says of itself, which the routes and the webhook handlers
 * both decide on: whether it is set to end, and whether it still waits for the card its renewals
 * will charge. Kept here, below both, because the routes import the webhook handlers.
 */
import type Stripe from 'stripe';

/**
 * Whether the subscription is set to end by `at` (Unix seconds): at its period's end
 * (`cancel_at_period_end`, which sets `cancel_at` to that end too) or on a date (`cancel_at`, set
 * in the Dashboard, the API or the customer portal).
 * @see https://docs.stripe.com/api/subscriptions/object#subscription_object-cancel_at
 */
export function endsBy(subscription: Stripe.Subscription, at: number | null): boolean {
  if (subscription.cancel_at_period_end) return true;
  return subscription.cancel_at !== null && at !== null && subscription.cancel_at <= at;
}

/** SetupIntent statuses after which its secret is of no more use. */
const SETUP_DONE: readonly Stripe.SetupIntent.Status[] = ['succeeded', 'canceled'];

/**
 * The SetupIntent (`pending_setup_intent`) a subscription still waits on for the card its
 * renewals will charge, or null: a trial, or one a promotion code made free (`active` at once),
 * with no `default_payment_method` (one given elsewhere meanwhile, in the customer portal or the
 * Dashboard, is that card), whose SetupIntent has not succeeded yet (Stripe clears the field once
 * the card is saved) nor been canceled. A trial set to end by its end (at its end, or on an
 * earlier date) waits for nothing: it is resumed from the subscriptions instead.
 *
 * The subscription must be read with `pending_setup_intent` expanded: its status decides.
 * @see https://docs.stripe.com/billing/subscriptions/deferred-payment
 */
export function waitingSetupIntent(subscription: Stripe.Subscription): Stripe.SetupIntent | null {
  const intent = subscription.pending_setup_intent;
  if (!intent) return null;
  if (typeof intent === 'string') {
    throw new Error(
      `waitingSetupIntent() needs subscription ${subscription.id} read with expand: ['pending_setup_intent'].`,
    );
  }
  if (SETUP_DONE.includes(intent.status)) return null;
  if (subscription.default_payment_method) return null;
  const waits =
    (subscription.status === 'trialing' && !endsBy(subscription, subscription.trial_end)) ||
    subscription.status === 'active';
  return waits ? intent : null;
}
