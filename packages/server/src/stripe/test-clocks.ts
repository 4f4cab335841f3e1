/**
 * Sandbox mode: every customer the server creates lives on its own test clock, so that
 * `POST /_sandbox/advance` can move one customer's time (renewals, trial ends, failed renewals)
 * without touching anyone else's. Plugged into `CustomerDirectoryOptions.createParams`.
 * @see https://docs.stripe.com/billing/testing/test-clocks
 */
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { stripeCall } from '../errors.js';
import type { CustomerDirectoryOptions } from './customers.js';

type CreateParams = NonNullable<CustomerDirectoryOptions['createParams']>;

/**
 * A `createParams` that gives each new customer a test clock of its own (started at the current
 * time), then adds what `next` adds.
 *
 * Concurrent first requests of one user share one clock: the customer is created with an
 * idempotency key derived from the user, and Stripe refuses that key with other parameters (a
 * second clock). The clock is kept per user for the life of the process for the same reason: a
 * customer creation retried after a failure must send the same clock again.
 */
export function testClockPerCustomer(stripe: Stripe, next?: CreateParams): CreateParams {
  const clocks = new Map<string, Promise<string>>();
  return async (identity: Identity) => {
    let clock = clocks.get(identity.userId);
    if (!clock) {
      clock = stripeCall(() =>
        stripe.testHelpers.testClocks.create({
          frozen_time: Math.floor(Date.now() / 1000),
          name: `Tillkit user ${identity.userId}`.slice(0, 100),
        }),
      ).then((created) => created.id);
      clocks.set(identity.userId, clock);
      clock.catch(() => clocks.delete(identity.userId));
    }
    const extra = (await next?.(identity)) ?? {};
    return { ...extra, test_clock: await clock };
  };
}
