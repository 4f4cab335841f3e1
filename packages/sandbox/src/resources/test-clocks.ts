/**
 * test_helpers/test_clocks: create, retrieve, list, delete, advance. Customers created with a
 * `test_clock` (and everything billed to them) live on the clock's `frozen_time`. Advancing answers
 * at once with `status: advancing`, then, after the answer has gone out, runs in time order
 * everything that comes due for the clock's subscriptions (trial notices and ends, renewals,
 * payment retries, cancellations, incomplete expiry) and ends `ready`.
 * Also the sandbox-only billing routes: `/v1/_sandbox/billing_settings` (the retry schedule) and
 * `/v1/_sandbox/billing/run` (process what is due for subscriptions without a test clock now,
 * rather than at the next 30-second tick).
 * @see https://docs.stripe.com/api/test_clocks
 * @see https://docs.stripe.com/billing/testing/test-clocks/api-advanced-usage
 */
import type Stripe from 'stripe';
import {
  billingSettings,
  DAY,
  type FinalFailureAction,
  scheduleBillingTask,
  setBillingSettings,
  testClockCollection,
} from '../core/billing-time.js';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { emptyable, int, listShape, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { findCustomer } from './customers.js';
import { rememberOrigin } from './invoices.js';
import { idOf } from './payments-shared.js';
import { advanceLimit, runBilling, subscriptionCollection } from './subscriptions.js';

/** Stripe deletes a test clock (and its objects) this long after creating it; not enforced here. */
const LIFETIME = 7 * DAY;

function findClock(sandbox: SandboxCore, id: string): Stripe.TestHelpers.TestClock {
  const clock = testClockCollection(sandbox).get(id);
  if (!clock) throw resourceMissing('test_clock', id);
  return clock;
}

const createSchema = params({
  frozen_time: int(),
  name: str().max(300, { error: 'The name can be at most 300 characters.' }).optional(),
  customer: str().optional(),
});

function create(ctx: RequestContext): Stripe.TestHelpers.TestClock {
  const input = ctx.parse(createSchema);
  const { sandbox } = ctx;
  const customer = input.customer ? findCustomer(sandbox, input.customer) : undefined;
  if (customer?.test_clock) {
    throw invalidRequest(
      `The customer ${customer.id} already belongs to a test clock (${idOf(customer.test_clock as string)}).`,
      'customer',
    );
  }
  if (
    customer &&
    subscriptionCollection(sandbox)
      .values()
      .some((subscription) => idOf(subscription.customer as string) === customer.id)
  ) {
    throw invalidRequest(
      'Only a customer without subscriptions can be attached to a test clock.',
      'customer',
    );
  }
  const created = sandbox.now();
  const clock: Stripe.TestHelpers.TestClock = {
    id: newId('clock'),
    object: 'test_helpers.test_clock',
    created,
    deletes_after: created + LIFETIME,
    frozen_time: input.frozen_time,
    livemode: false,
    name: input.name ?? null,
    status: 'ready',
    status_details: {},
  };
  testClockCollection(sandbox).set(clock);
  ctx.emit('test_helpers.test_clock.created', clock);
  if (customer) {
    const previous = trackChanges(customer, (c) => {
      c.test_clock = clock.id;
    });
    ctx.emit('customer.updated', customer, previous);
  }
  return clock;
}

function retrieve(ctx: RequestContext): Stripe.TestHelpers.TestClock {
  ctx.parse(params({}));
  return findClock(ctx.sandbox, ctx.path.id as string);
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.TestHelpers.TestClock> {
  const input = ctx.parse(params(listShape));
  return paginate(testClockCollection(ctx.sandbox).values(), input, ctx.url.pathname, 'test_clock');
}

/** Deletes the clock with its customers and their subscriptions, as Stripe does. */
function remove(ctx: RequestContext): Stripe.TestHelpers.DeletedTestClock {
  ctx.parse(params({}));
  const { sandbox } = ctx;
  const clock = findClock(sandbox, ctx.path.id as string);
  const customers = sandbox.store
    .collection<Stripe.Customer>('customers')
    .values()
    .filter((customer) => idOf(customer.test_clock as string | null) === clock.id);
  const now = clock.frozen_time;
  for (const customer of customers) {
    for (const subscription of subscriptionCollection(sandbox).values()) {
      if (idOf(subscription.customer as string) !== customer.id) continue;
      if (subscription.status !== 'canceled' && subscription.status !== 'incomplete_expired') {
        subscription.status = 'canceled';
        subscription.canceled_at = now;
        subscription.ended_at = now;
        ctx.emit('customer.subscription.deleted', subscription);
      }
      for (const item of subscription.items.data) {
        sandbox.store.collection('subscription_items').delete(item.id);
      }
      subscriptionCollection(sandbox).delete(subscription.id);
    }
    for (const pm of sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').values()) {
      if (pm.customer === customer.id) pm.customer = null;
    }
    sandbox.store.collection('customers').delete(customer.id);
    sandbox.store.setInternal(`deleted:${customer.id}`, true);
    ctx.emit('customer.deleted', customer);
  }
  testClockCollection(sandbox).delete(clock.id);
  ctx.emit('test_helpers.test_clock.deleted', clock);
  return { id: clock.id, object: 'test_helpers.test_clock', deleted: true };
}

function advance(ctx: RequestContext): Stripe.TestHelpers.TestClock {
  const input = ctx.parse(params({ frozen_time: int() }));
  const { sandbox } = ctx;
  const clock = findClock(sandbox, ctx.path.id as string);
  if (clock.status === 'advancing') {
    throw invalidRequest(
      'This test clock is already advancing. Wait until its status is ready to advance it again.',
      undefined,
      'test_clock_advancing',
    );
  }
  if (input.frozen_time <= clock.frozen_time) {
    throw invalidRequest(
      `The frozen_time must be after the test clock's current frozen_time (${clock.frozen_time}): a test clock only moves forward.`,
      'frozen_time',
    );
  }
  const limit = advanceLimit(sandbox, clock.id, clock.frozen_time);
  if (input.frozen_time > limit) {
    throw invalidRequest(
      `A test clock cannot advance more than two intervals of its shortest subscription (two years without subscriptions) at a time: the latest frozen_time for this advance is ${limit}.`,
      'frozen_time',
    );
  }
  rememberOrigin(ctx);
  const target = input.frozen_time;
  clock.status = 'advancing';
  clock.status_details = { advancing: { target_frozen_time: target } };
  ctx.emit('test_helpers.test_clock.advancing', clock);
  // The answer goes out first; the clock then moves through what comes due on its own.
  scheduleBillingTask(sandbox, () => {
    const current = testClockCollection(sandbox).get(clock.id);
    if (current?.status !== 'advancing') return;
    try {
      runBilling(sandbox, current.id, target, (at) => {
        current.frozen_time = Math.max(current.frozen_time, at);
      });
      current.frozen_time = target;
      current.status = 'ready';
      current.status_details = {};
      sandbox.emit('test_helpers.test_clock.ready', current);
    } catch (error) {
      sandbox.log(`test clock ${current.id} failed: ${String((error as Error)?.stack ?? error)}`);
      current.status = 'internal_failure';
      current.status_details = {};
      sandbox.emit('test_helpers.test_clock.internal_failure', current);
    }
    sandbox.markDirty();
  });
  return clock;
}

// --- sandbox-only billing routes -----------------------------------------------------------------

function settingsJson(sandbox: SandboxCore) {
  const settings = billingSettings(sandbox);
  return {
    object: 'sandbox.billing_settings',
    retry_days: settings.retryDays,
    after_final_failure: settings.afterFinalFailure,
  };
}

const settingsSchema = params({
  retry_days: emptyable(z.array(int())).optional(),
  after_final_failure: oneOf(['cancel', 'unpaid', 'past_due']).optional(),
});

function updateSettings(ctx: RequestContext) {
  const input = ctx.parse(settingsSchema);
  setBillingSettings(ctx.sandbox, {
    ...(input.retry_days !== undefined ? { retryDays: input.retry_days ?? [] } : {}),
    ...(input.after_final_failure
      ? { afterFinalFailure: input.after_final_failure as FinalFailureAction }
      : {}),
  });
  return settingsJson(ctx.sandbox);
}

function runNow(ctx: RequestContext) {
  ctx.parse(params({}));
  rememberOrigin(ctx);
  const now = ctx.sandbox.now();
  runBilling(ctx.sandbox, null, now);
  return { object: 'sandbox.billing_run', ran_until: now };
}

export const testClockRoutes: Route[] = [
  { method: 'POST', path: '/v1/test_helpers/test_clocks', handler: create },
  { method: 'GET', path: '/v1/test_helpers/test_clocks', handler: list },
  { method: 'GET', path: '/v1/test_helpers/test_clocks/:id', handler: retrieve },
  { method: 'DELETE', path: '/v1/test_helpers/test_clocks/:id', handler: remove },
  { method: 'POST', path: '/v1/test_helpers/test_clocks/:id/advance', handler: advance },
  {
    method: 'GET',
    path: '/v1/_sandbox/billing_settings',
    chaos: false,
    handler: (ctx) => {
      ctx.parse(params({}));
      return settingsJson(ctx.sandbox);
    },
  },
  { method: 'POST', path: '/v1/_sandbox/billing_settings', chaos: false, handler: updateSettings },
  { method: 'POST', path: '/v1/_sandbox/billing/run', chaos: false, handler: runNow },
];
