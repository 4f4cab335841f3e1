import { describe, expect, it } from 'vitest';
import {
  addInterval,
  billingSettings,
  customerNow,
  DEFAULT_BILLING_SETTINGS,
  formatDate,
  periodEndAfter,
  setBillingSettings,
} from './billing-time.js';
import { SandboxCore } from './sandbox.js';

const at = (year: number, month: number, day: number, hour = 0) =>
  Date.UTC(year, month - 1, day, hour) / 1000;

function core(now: number): SandboxCore {
  return new SandboxCore({ routes: [], clock: { now: () => now }, log: () => {} });
}

describe('addInterval', () => {
  it('keeps the anchor’s day of the month, clamped to shorter months', () => {
    const anchor = at(2026, 1, 31, 9);
    expect(addInterval(anchor, 'month', 1)).toBe(at(2026, 2, 28, 9));
    expect(addInterval(anchor, 'month', 1, 2)).toBe(at(2026, 3, 31, 9));
    expect(addInterval(anchor, 'month', 1, 3)).toBe(at(2026, 4, 30, 9));
    expect(addInterval(anchor, 'month', 3)).toBe(at(2026, 4, 30, 9));
    expect(addInterval(at(2026, 11, 15), 'month', 2)).toBe(at(2027, 1, 15));
  });

  it('moves days, weeks and years, leap days included', () => {
    expect(addInterval(at(2026, 4, 1), 'day', 1, 3)).toBe(at(2026, 4, 4));
    expect(addInterval(at(2026, 4, 1), 'week', 2)).toBe(at(2026, 4, 15));
    expect(addInterval(at(2028, 2, 29), 'year', 1)).toBe(at(2029, 2, 28));
    expect(addInterval(at(2028, 2, 29), 'year', 1, 4)).toBe(at(2032, 2, 29));
  });
});

describe('periodEndAfter', () => {
  it('finds the end of the period that contains a start, on the anchored cycle', () => {
    const anchor = at(2026, 1, 31);
    expect(periodEndAfter(anchor, anchor, 'month', 1)).toBe(at(2026, 2, 28));
    expect(periodEndAfter(anchor, at(2026, 2, 28), 'month', 1)).toBe(at(2026, 3, 31));
    expect(periodEndAfter(anchor, at(2026, 3, 5), 'month', 1)).toBe(at(2026, 3, 31));
  });
});

describe('formatDate', () => {
  it('writes dates as Stripe’s proration lines do', () => {
    expect(formatDate(at(2026, 4, 16, 13))).toBe('16 Apr 2026');
  });
});

describe('customerNow', () => {
  it('is the test clock’s frozen time for a customer on a clock, else the sandbox’s now', () => {
    const sandbox = core(at(2030, 1, 1));
    sandbox.store.collection('test_clocks').set({
      id: 'clock_1',
      object: 'test_helpers.test_clock',
      frozen_time: at(2026, 4, 1),
    } as never);
    sandbox.store
      .collection('customers')
      .set({ id: 'cus_1', object: 'customer', test_clock: 'clock_1' } as never);
    sandbox.store
      .collection('customers')
      .set({ id: 'cus_2', object: 'customer', test_clock: null } as never);
    expect(customerNow(sandbox, 'cus_1')).toBe(at(2026, 4, 1));
    expect(customerNow(sandbox, 'cus_2')).toBe(at(2030, 1, 1));
    expect(customerNow(sandbox, null)).toBe(at(2030, 1, 1));
  });
});

describe('billing settings', () => {
  it('default to retries after 3, 5 and 7 days, then cancel; changes are validated', () => {
    const sandbox = core(0);
    expect(billingSettings(sandbox)).toEqual(DEFAULT_BILLING_SETTINGS);
    expect(setBillingSettings(sandbox, { retryDays: [1, 2] })).toEqual({
      retryDays: [1, 2],
      afterFinalFailure: 'cancel',
    });
    expect(() => setBillingSettings(sandbox, { retryDays: [0] })).toThrow(/retry_days/);
    expect(() => setBillingSettings(sandbox, { retryDays: [1.5] })).toThrow(/retry_days/);
    expect(() => setBillingSettings(sandbox, { afterFinalFailure: 'forgive' as never })).toThrow(
      /after_final_failure/,
    );
    expect(billingSettings(sandbox).retryDays).toEqual([1, 2]);
    sandbox.reset();
    expect(billingSettings(sandbox)).toEqual(DEFAULT_BILLING_SETTINGS);
  });
});
