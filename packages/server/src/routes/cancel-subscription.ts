/**
 * `POST /subscriptions/:id/cancel` (user) `{ atPeriodEnd = true }`: at the end of the period paid
 * for (the customer keeps what they paid for; `resume` undoes it), or now. One already set to end
 * by then (on a date, `cancel_at`) is left to end on that date; one set to end on a later date
 * ends at the period's end instead. An `incomplete`
 * subscription (never paid) always ends now, its open invoice voided.
 */
import { cancelSubscriptionBody, idParams } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { endsBy } from '../stripe/subscription-state.js';
import {
  assertNotEnded,
  currentPeriodEnd,
  ownSubscription,
  storeSubscription,
  toSubscription,
} from './subscription-shared.js';

export const cancelSubscription = defineRoute({
  name: 'cancelSubscription',
  params: idParams,
  body: cancelSubscriptionBody,
  async handle({ params, body, user, services, log }) {
    const { stripe } = services;
    const subscription = await ownSubscription(services, user, params.id);
    assertNotEnded(subscription, 'be canceled again');
    const atPeriodEnd = (body.atPeriodEnd ?? true) && subscription.status !== 'incomplete';
    if (!atPeriodEnd) {
      await stripeCall(() => stripe.subscriptions.cancel(subscription.id));
    } else if (!endsBy(subscription, currentPeriodEnd(subscription))) {
      await stripeCall(() =>
        stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }),
      );
    }
    const row = await storeSubscription(services, log, subscription.id);
    return { body: await toSubscription(services, row) };
  },
});
