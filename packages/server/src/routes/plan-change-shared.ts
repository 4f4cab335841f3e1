/**
 * What `POST /subscriptions/:id/change` and its preview (`…/change-preview`) share, so that a
 * preview is refused exactly when the change would be: the caller's subscription, in a state that
 * can change plan, a recurring price for sale in its currency, and no other live subscription to
 * the new price's product. Reading only: what the change then ends (unpaid subscriptions, open
 * Checkout pages) is the change route's.
 */
import { PRORATION_DATE_MAX_AGE } from '@tillkit/protocol';
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { stripeCall, TillkitError } from '../errors.js';
import type { TillkitServices } from '../http/services.js';
import { idOf } from '../webhooks/handlers/context.js';
import {
  assertNotEnded,
  assertNotSubscribed,
  isTo,
  ownSubscription,
  rivalSubscriptions,
} from './subscription-shared.js';

const CHANGEABLE = ['active', 'trialing', 'past_due'];

/** How far in the future a `prorationDate` may be (clock skew between the server's machines). */
const SKEW = 60;

export interface PlanChange {
  subscription: Stripe.Subscription;
  price: Stripe.Price;
  /** The item moved to `price`; undefined when the subscription is on it already. */
  item: Stripe.SubscriptionItem | undefined;
  customer: string;
  productId: string;
  /**
   * The caller's other subscriptions that have not ended and that the changed one would stand
   * beside (`rivalSubscriptions`: to `productId`, or to any product with
   * `subscriptions.onePerCustomer`); none of those to `productId` is live.
   */
  others: Stripe.Subscription[];
}

/** The checks of a plan change of the caller's subscription `id` to price `priceId`. */
export async function planChange(
  services: TillkitServices,
  user: Identity,
  id: string,
  priceId: string,
): Promise<PlanChange> {
  const subscription = await ownSubscription(services, user, id);
  assertNotEnded(subscription, 'change plan; subscribe again instead');
  if (!CHANGEABLE.includes(subscription.status)) {
    throw new TillkitError(
      'invalid_state',
      subscription.status === 'incomplete'
        ? 'This subscription’s first payment has not been made: pay for it (or cancel it) before changing plan.'
        : `A ${subscription.status} subscription cannot change plan; resume it first.`,
    );
  }
  const price = await services.catalog.subscriptionPrice(priceId, 'price');
  if (price.currency !== subscription.currency) {
    throw new TillkitError(
      'currency_mismatch',
      `Price ${price.id} is in ${price.currency.toUpperCase()} but this subscription is billed in ${subscription.currency.toUpperCase()}.`,
      { param: 'price' },
    );
  }
  const customer = idOf(subscription.customer) as string;
  const productId = idOf(price.product as string | Stripe.Product) as string;
  const first = subscription.items.data[0];
  const item = first && first.price.id !== price.id ? first : undefined;
  // One subscription per product, as `POST /subscriptions` keeps it: a live one to the new
  // price's product (besides this one) is refused. A change adds no subscription, so one to
  // another product (made before `onePerCustomer` was on) does not stop it.
  const others = item
    ? (await rivalSubscriptions(services, customer, productId)).filter(
        (other) => other.id !== subscription.id,
      )
    : [];
  assertNotSubscribed(others.filter((other) => isTo(other, productId)));
  return { subscription, price, item, customer, productId, others };
}

/**
 * Now in Unix seconds as billing sees it: the subscription's test clock's time when it is on one
 * (the sandbox's demo customers are), the server's otherwise.
 */
export async function billingNow(
  services: TillkitServices,
  subscription: Stripe.Subscription,
): Promise<number> {
  const clock = idOf(subscription.test_clock ?? null);
  if (!clock) return Math.floor(Date.now() / 1000);
  const { frozen_time } = await stripeCall(() =>
    services.stripe.testHelpers.testClocks.retrieve(clock),
  );
  return frozen_time;
}

/**
 * Refuses a `prorationDate` (a preview's) from the future, older than a preview stays valid, or
 * from before the subscription's current period (it renewed, or its trial ended, since the
 * preview): the customer confirms what they saw a moment ago, not a price from hours before or
 * the prorations of a period that is over (Stripe refuses a `proration_date` outside the current
 * period). Reading only, so that the change route runs it before anything is ended.
 */
export async function assertProrationDate(
  services: TillkitServices,
  subscription: Stripe.Subscription,
  prorationDate: number,
): Promise<void> {
  const now = await billingNow(services, subscription);
  if (prorationDate > now + SKEW) {
    throw new TillkitError('invalid_request', 'prorationDate must not be in the future.', {
      param: 'prorationDate',
    });
  }
  const again = `preview the change again (POST /subscriptions/${subscription.id}/change-preview) and confirm the amount it shows.`;
  if (prorationDate < now - PRORATION_DATE_MAX_AGE) {
    throw new TillkitError(
      'preview_expired',
      `This preview is more than ${PRORATION_DATE_MAX_AGE / 60} minutes old: ${again}`,
      { param: 'prorationDate' },
    );
  }
  const periodStart = subscription.items.data[0]?.current_period_start;
  const trialEnded =
    subscription.status !== 'trialing' &&
    subscription.trial_end !== null &&
    prorationDate < subscription.trial_end;
  if ((periodStart !== undefined && prorationDate < periodStart) || trialEnded) {
    throw new TillkitError(
      'preview_expired',
      `This preview was made in a billing period that has ended (the subscription renewed or its trial ended since): ${again}`,
      { param: 'prorationDate' },
    );
  }
}
