/**
 * `POST /_sandbox/advance` (user, sandbox mode only) `{ days }`: moves the caller's own test clock
 * forward, so that renewals, trial ends and failed renewals can be shown and tested. Answers once
 * the clock is `ready` (everything due up to the new time has run) and the caller's subscriptions
 * are stored as Stripe now has them, so the next `GET /subscriptions` already shows the result.
 * @see https://docs.stripe.com/billing/testing/test-clocks/api-advanced-usage
 */
import { sandboxAdvanceBody } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { idOf } from '../webhooks/handlers/context.js';
import { storeSubscription } from './subscription-shared.js';

const DAY = 86_400;
/** How long the route waits for the clock to finish advancing. */
const READY_TIMEOUT_MS = 30_000;

export const sandboxAdvance = defineRoute({
  name: 'sandboxAdvance',
  body: sandboxAdvanceBody,
  async handle({ body, user, services, log }) {
    const { stripe } = services;
    const customerId = await services.customers.ensure(user);
    const customer = await stripeCall(() => stripe.customers.retrieve(customerId));
    const clockId = customer.deleted ? null : idOf(customer.test_clock ?? null);
    if (!clockId) {
      throw new TillkitError(
        'invalid_state',
        'Your customer is not on a test clock. The server gives each customer a test clock of its own with its embedded sandbox (or with `sandbox: { testClocks: true }`), from the customer’s first use on.',
      );
    }
    let clock = await stripeCall(() => stripe.testHelpers.testClocks.retrieve(clockId));
    if (clock.status === 'advancing') {
      throw new TillkitError(
        'request_in_progress',
        'Your test clock is still advancing; retry in a moment.',
        { retryAfter: 1 },
      );
    }
    const target = clock.frozen_time + body.days * DAY;
    clock = await stripeCall(
      () => stripe.testHelpers.testClocks.advance(clockId, { frozen_time: target }),
      { param: 'days' },
    );
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (clock.status === 'advancing') {
      if (Date.now() > deadline) {
        throw new TillkitError(
          'stripe_unavailable',
          'Your test clock is still advancing after 30 seconds; look again in a moment.',
          { retryAfter: 5 },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      clock = await stripeCall(() => stripe.testHelpers.testClocks.retrieve(clockId));
    }
    if (clock.status !== 'ready') {
      throw new TillkitError('stripe_error', `The test clock ended ${clock.status}.`);
    }
    // Webhooks bring the same state a moment later; storing it now saves the caller the wait.
    const subscriptions: Stripe.Subscription[] = await stripeCall(() =>
      stripe.subscriptions
        .list({ customer: customerId, status: 'all', limit: 100 })
        .autoPagingToArray({ limit: 1000 }),
    );
    for (const subscription of subscriptions) {
      await storeSubscription(services, log, subscription.id);
    }
    return {
      body: { testClock: clock.id, frozenTime: new Date(clock.frozen_time * 1000).toISOString() },
    };
  },
});
