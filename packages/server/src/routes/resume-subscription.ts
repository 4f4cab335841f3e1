/**
 * `POST /subscriptions/:id/resume` (user): undoes a cancellation at period end, or on a date
 * (`cancel_at`, set in the Dashboard, the API or the customer portal), so the subscription renews
 * again; a `paused` one (a trial that ended without a card, with
 * `missing_payment_method: pause`) is resumed and billed now.
 */
import { idParams, resumeSubscriptionBody } from '@tillkit/protocol';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import {
  assertNotEnded,
  ownSubscription,
  storeSubscription,
  toSubscription,
} from './subscription-shared.js';

export const resumeSubscription = defineRoute({
  name: 'resumeSubscription',
  params: idParams,
  body: resumeSubscriptionBody,
  async handle({ params, user, services, log }) {
    const { stripe } = services;
    const subscription = await ownSubscription(services, user, params.id);
    assertNotEnded(subscription, 'be resumed; subscribe again instead');
    if (subscription.status === 'paused') {
      await stripeCall(() => stripe.subscriptions.resume(subscription.id));
    } else if (subscription.cancel_at_period_end || subscription.cancel_at) {
      // `cancel_at_period_end: false` takes off only the period's end it set: a date set with
      // `cancel_at` stays until `cancel_at: ''` clears it.
      // https://docs.stripe.com/api/subscriptions/update#update_subscription-cancel_at
      await stripeCall(() =>
        stripe.subscriptions.update(
          subscription.id,
          subscription.cancel_at_period_end ? { cancel_at_period_end: false } : { cancel_at: '' },
        ),
      );
    } else {
      throw new TillkitError(
        'invalid_state',
        'This subscription is neither set to end nor paused: there is nothing to resume.',
      );
    }
    const row = await storeSubscription(services, log, subscription.id);
    return { body: await toSubscription(services, row) };
  },
});
