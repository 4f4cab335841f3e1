/**
 * `POST /subscriptions/:id/change` (user) `{ price }`: moves the subscription to another
 * recurring price, prorated to the second: the unused time of the old price is credited and the
 * rest of the period on the new one charged now (`proration_behavior: always_invoice`), so an
 * upgrade is paid when it is granted, and a downgrade becomes credit for the next invoices. A
 * price with another interval starts a new billing period now. A charge that fails or needs 3D
 * Secure leaves the subscription `past_due` with a `pendingAction`, as a failed renewal does.
 * @see https://docs.stripe.com/billing/subscriptions/prorations
 */
import { changeSubscriptionBody, idParams } from '@tillkit/protocol';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import {
  assertNotEnded,
  ownSubscription,
  storeSubscription,
  toSubscription,
} from './subscription-shared.js';

const CHANGEABLE = ['active', 'trialing', 'past_due'];

export const changeSubscription = defineRoute({
  name: 'changeSubscription',
  params: idParams,
  body: changeSubscriptionBody,
  async handle({ params, body, user, services, log }) {
    const { stripe } = services;
    const subscription = await ownSubscription(services, user, params.id);
    assertNotEnded(subscription, 'change plan; subscribe again instead');
    if (!CHANGEABLE.includes(subscription.status)) {
      throw new TillkitError(
        'invalid_state',
        subscription.status === 'incomplete'
          ? 'This subscription’s first payment has not been made: pay for it (or cancel it) before changing plan.'
          : `A ${subscription.status} subscription cannot change plan; resume it first.`,
      );
    }
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    if (price.currency !== subscription.currency) {
      throw new TillkitError(
        'currency_mismatch',
        `Price ${price.id} is in ${price.currency.toUpperCase()} but this subscription is billed in ${subscription.currency.toUpperCase()}.`,
        { param: 'price' },
      );
    }
    const item = subscription.items.data[0];
    if (item && item.price.id !== price.id) {
      await stripeCall(() =>
        stripe.subscriptions.update(subscription.id, {
          items: [{ id: item.id, price: price.id, quantity: item.quantity ?? 1 }],
          proration_behavior: 'always_invoice',
        }),
      );
    }
    const row = await storeSubscription(services, log, subscription.id);
    return { body: await toSubscription(services, row) };
  },
});
