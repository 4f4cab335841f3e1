/**
 * Time for billing: the "now" of a customer (its test clock's frozen time, or the sandbox's
 * clock), billing periods in calendar time as Stripe computes them, the failed-payment retry
 * settings, and the timers that run billing work in the background (the real-time tick and test
 * clock advances), which `sandbox.close()` stops.
 * @see https://docs.stripe.com/billing/testing/test-clocks
 * @see https://docs.stripe.com/billing/revenue-recovery/smart-retries
 */
import type Stripe from 'stripe';
import { invalidRequest } from './errors.js';
import type { EmitOptions, SandboxCore } from './sandbox.js';

export const MINUTE = 60;
export const HOUR = 3_600;
export const DAY = 86_400;

/** An event emitter with `ctx.emit`'s signature. */
export type Emit = (type: string, object: object, previous?: Record<string, unknown>) => void;

/** Emits as part of a request (`request.id` kept) or, without one, in the background. */
export function emitter(sandbox: SandboxCore, request?: EmitOptions['request']): Emit {
  return (type, object, previous) => {
    sandbox.emit(type, object, { previousAttributes: previous, request });
  };
}

// --- "now" -------------------------------------------------------------------------------------

export function testClockCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.TestHelpers.TestClock>('test_clocks');
}

/** The test clock a customer belongs to, if any. */
export function customerClock(sandbox: SandboxCore, customerId: string | null): string | null {
  if (!customerId) return null;
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(customerId);
  const clock = customer?.test_clock;
  if (!clock) return null;
  return typeof clock === 'string' ? clock : clock.id;
}

/** "Now" for a test clock (its frozen time) or, without one, the sandbox's clock. */
export function nowOn(sandbox: SandboxCore, clockId: string | null): number {
  if (!clockId) return sandbox.now();
  return testClockCollection(sandbox).get(clockId)?.frozen_time ?? sandbox.now();
}

/**
 * "Now" for everything billed to a customer: its test clock's frozen time when it has one, so
 * that its subscriptions, invoices and payments are dated on the clock.
 */
export function customerNow(sandbox: SandboxCore, customerId: string | null): number {
  return nowOn(sandbox, customerClock(sandbox, customerId));
}

// --- calendar -----------------------------------------------------------------------------------

export type Interval = 'day' | 'week' | 'month' | 'year';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `anchor` moved `times` billing intervals ahead, in UTC calendar time as Stripe bills: months
 * and years keep the anchor's day of the month, clamped to the month's last day (a cycle anchored
 * on 31 January renews on 28 February, then 31 March).
 */
export function addInterval(anchor: number, interval: Interval, count: number, times = 1): number {
  const steps = count * times;
  if (interval === 'day') return anchor + steps * DAY;
  if (interval === 'week') return anchor + steps * 7 * DAY;
  const date = new Date(anchor * 1000);
  const months = interval === 'year' ? steps * 12 : steps;
  const total = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  return (
    Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()) /
    1000
  );
}

/** The end of the billing period that starts at `start`, on the cycle anchored at `anchor`. */
export function periodEndAfter(
  anchor: number,
  start: number,
  interval: Interval,
  count: number,
): number {
  for (let times = 1; times < 100_000; times++) {
    const end = addInterval(anchor, interval, count, times);
    if (end > start) return end;
  }
  throw new Error('billing period out of range');
}

/** `15 Jan 2026`, as Stripe dates proration lines. */
export function formatDate(timestamp: number): string {
  const date = new Date(timestamp * 1000);
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()}`;
}

// --- retry settings ----------------------------------------------------------------------------

/** What happens to a subscription once every retry of a failed renewal has failed. */
export type FinalFailureAction = 'cancel' | 'unpaid' | 'past_due';

/** The sandbox account's Billing settings (Dashboard → Revenue recovery → Retries on Stripe). */
export interface BillingSettings {
  /** Days after the previous attempt at which a failed renewal is retried. */
  retryDays: number[];
  /** The subscription's fate after the last retry fails. */
  afterFinalFailure: FinalFailureAction;
}

export const DEFAULT_BILLING_SETTINGS: Readonly<BillingSettings> = Object.freeze({
  retryDays: [3, 5, 7],
  afterFinalFailure: 'cancel',
});

export function billingSettings(sandbox: SandboxCore): BillingSettings {
  const stored = sandbox.store.getInternal<BillingSettings>('billing_settings');
  return stored
    ? { retryDays: [...stored.retryDays], afterFinalFailure: stored.afterFinalFailure }
    : { retryDays: [...DEFAULT_BILLING_SETTINGS.retryDays], afterFinalFailure: 'cancel' };
}

/** Changes the retry settings (kept in the state, so `reset()` restores the defaults). */
export function setBillingSettings(
  sandbox: SandboxCore,
  update: Partial<BillingSettings>,
): BillingSettings {
  const next = { ...billingSettings(sandbox), ...update };
  if (
    next.retryDays.length > 8 ||
    next.retryDays.some((days) => !Number.isInteger(days) || days < 1 || days > 60)
  ) {
    throw invalidRequest(
      'retry_days takes at most 8 retries, each a whole number of days from 1 to 60 after the previous attempt.',
      'retry_days',
    );
  }
  if (!['cancel', 'unpaid', 'past_due'].includes(next.afterFinalFailure)) {
    throw invalidRequest(
      'Invalid after_final_failure: must be one of cancel, unpaid, or past_due',
      'after_final_failure',
    );
  }
  sandbox.store.setInternal('billing_settings', next);
  sandbox.markDirty();
  return billingSettings(sandbox);
}

// --- timers ------------------------------------------------------------------------------------

interface Timers {
  tick: ReturnType<typeof setInterval> | undefined;
  tasks: Set<ReturnType<typeof setTimeout>>;
}

const timers = new WeakMap<SandboxCore, Timers>();

function timersOf(sandbox: SandboxCore): Timers {
  let found = timers.get(sandbox);
  if (!found) {
    found = { tick: undefined, tasks: new Set() };
    timers.set(sandbox, found);
    sandbox.onClose(() => stopBillingTimers(sandbox));
  }
  return found;
}

/** Node's timers can be unref'd so that they never keep a process alive; browsers' are numbers. */
function unref(timer: unknown): void {
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
    (timer as { unref(): void }).unref();
  }
}

/**
 * Runs `run` every `intervalMs` (30 s by default) until the sandbox closes: the tick that moves
 * subscriptions without a test clock along with real time.
 */
export function startBillingTick(sandbox: SandboxCore, run: () => void, intervalMs = 30_000): void {
  const state = timersOf(sandbox);
  if (state.tick !== undefined) return;
  state.tick = setInterval(() => {
    try {
      run();
    } catch (error) {
      sandbox.log(`billing tick failed: ${String((error as Error)?.stack ?? error)}`);
    }
  }, intervalMs);
  unref(state.tick);
}

/** Runs `task` once, after the current request has been answered (a test clock's advance). */
export function scheduleBillingTask(sandbox: SandboxCore, task: () => void): void {
  const state = timersOf(sandbox);
  const timer = setTimeout(() => {
    state.tasks.delete(timer);
    task();
  }, 0);
  state.tasks.add(timer);
}

export function stopBillingTimers(sandbox: SandboxCore): void {
  const state = timers.get(sandbox);
  if (!state) return;
  if (state.tick !== undefined) clearInterval(state.tick);
  state.tick = undefined;
  for (const task of state.tasks) clearTimeout(task);
  state.tasks.clear();
}
