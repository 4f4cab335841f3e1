import { describe, expect, it } from 'vitest';
import {
  assertChargeableAmount,
  chargeAmountLimitError,
  chargeableAmountError,
  chargeableStep,
  currencyParam,
  formatAmount,
  isSupportedCurrency,
  MAXIMUM_CHARGE_AMOUNT,
  minimumChargeAmount,
  minorUnits,
  SUPPORTED_CURRENCIES,
  THREE_DECIMAL_CURRENCIES,
  ZERO_DECIMAL_CURRENCIES,
} from './currencies.js';
import { StripeApiError } from './errors.js';
import { validate } from './params.js';

describe('minorUnits', () => {
  it('is 0 for every zero-decimal currency', () => {
    for (const code of ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf']) {
      expect(minorUnits(code)).toBe(0);
    }
    for (const code of ['vnd', 'vuv', 'xaf', 'xof', 'xpf']) expect(minorUnits(code)).toBe(0);
    expect(ZERO_DECIMAL_CURRENCIES.size).toBe(15);
  });

  it('is 3 for the three-decimal currencies', () => {
    for (const code of ['bhd', 'jod', 'kwd', 'omr', 'tnd']) expect(minorUnits(code)).toBe(3);
    expect([...THREE_DECIMAL_CURRENCIES].sort()).toEqual(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
  });

  it('is 2 for everything else, Stripe special cases included', () => {
    for (const code of ['usd', 'eur', 'gbp', 'inr', 'mxn']) expect(minorUnits(code)).toBe(2);
    // ISO gives ISK and UGX no decimals, but Stripe keeps them two-decimal ("…00").
    expect(minorUnits('isk')).toBe(2);
    expect(minorUnits('ugx')).toBe(2);
    // HUF and TWD are two-decimal for charges (zero-decimal only for payouts).
    expect(minorUnits('huf')).toBe(2);
    expect(minorUnits('twd')).toBe(2);
  });

  it('ignores case', () => {
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('Kwd')).toBe(3);
  });
});

describe('isSupportedCurrency', () => {
  it('accepts Stripe currencies in any case', () => {
    expect(isSupportedCurrency('usd')).toBe(true);
    expect(isSupportedCurrency('JPY')).toBe(true);
    expect(isSupportedCurrency('kwd')).toBe(true);
    expect(isSupportedCurrency('xcg')).toBe(true);
  });

  it('refuses codes Stripe does not take', () => {
    expect(isSupportedCurrency('xyz')).toBe(false);
    expect(isSupportedCurrency('xau')).toBe(false); // gold is ISO 4217, not a Stripe currency
    expect(isSupportedCurrency('btc')).toBe(false);
    expect(isSupportedCurrency('')).toBe(false);
  });

  it('lists each currency once, lowercase', () => {
    expect(new Set(SUPPORTED_CURRENCIES).size).toBe(SUPPORTED_CURRENCIES.length);
    for (const code of SUPPORTED_CURRENCIES) expect(code).toMatch(/^[a-z]{3}$/);
    for (const code of [...ZERO_DECIMAL_CURRENCIES, ...THREE_DECIMAL_CURRENCIES]) {
      expect(SUPPORTED_CURRENCIES).toContain(code);
    }
  });
});

describe('formatAmount', () => {
  it('writes amounts as Stripe does in messages', () => {
    expect(formatAmount(1000, 'jpy')).toBe('¥1,000');
    expect(formatAmount(1500, 'kwd')).toBe('KWD 1.500');
    expect(formatAmount(1050, 'usd')).toBe('$10.50');
    expect(formatAmount(7500, 'KWD')).toBe('KWD 7.500');
    expect(formatAmount(123456789, 'eur')).toBe('€1,234,567.89');
  });

  it('forces the decimals to Stripe minor units, not ICU ones', () => {
    // ICU writes ISK without decimals; on Stripe 500 is ISK 5.00.
    expect(formatAmount(500, 'isk')).toBe('ISK 5.00');
    expect(formatAmount(5, 'usd')).toBe('$0.05');
    expect(formatAmount(0, 'jpy')).toBe('¥0');
  });
});

describe('chargeable amounts', () => {
  it('requires three-decimal amounts to end in 0', () => {
    expect(chargeableStep('kwd')).toBe(10);
    expect(() => assertChargeableAmount(1500, 'kwd')).not.toThrow();
    const error = chargeableAmountError(1505, 'kwd', 'unit_amount');
    expect(error).toBeInstanceOf(StripeApiError);
    expect(error?.status).toBe(400);
    expect(error?.body).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_charge_amount',
      param: 'unit_amount',
    });
    expect(error?.body.message).toMatch(/^Invalid amount\. Currency KWD .*divisible by 10/);
    expect(error?.body.message).toContain('1500 or 1510');
  });

  it('requires ISK and UGX amounts to be whole units (multiples of 100)', () => {
    expect(chargeableStep('isk')).toBe(100);
    expect(() => assertChargeableAmount(500, 'isk')).not.toThrow();
    expect(() => assertChargeableAmount(550, 'ugx')).toThrow(
      'Invalid amount. Currency UGX has become effectively zero-decimal and charged amounts must be evenly divisible by 100.',
    );
    expect(chargeableAmountError(501, 'isk')?.body.code).toBe(
      'invalid_charge_amount_no_decimal_compatible',
    );
  });

  it('accepts any integer for other currencies', () => {
    expect(chargeableStep('usd')).toBe(1);
    expect(chargeableStep('jpy')).toBe(1);
    expect(chargeableStep('huf')).toBe(1);
    expect(() => assertChargeableAmount(1, 'usd')).not.toThrow();
    expect(() => assertChargeableAmount(1001, 'jpy')).not.toThrow();
  });
});

describe('currencyParam', () => {
  it('lowercases a supported currency', () => {
    expect(validate(currencyParam(), 'USD')).toBe('usd');
  });

  it("answers Stripe's 400 for an unknown currency", () => {
    try {
      validate(currencyParam(), 'xyz');
      expect.unreachable('validate should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(StripeApiError);
      const body = (error as StripeApiError).body;
      expect(body.message).toMatch(
        /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, aed, /,
      );
    }
  });
});

describe('minimumChargeAmount and chargeAmountLimitError', () => {
  it("takes Stripe's table for the currencies it lists", () => {
    expect(minimumChargeAmount('usd')).toBe(50);
    expect(minimumChargeAmount('GBP')).toBe(30);
    expect(minimumChargeAmount('jpy')).toBe(50);
    expect(minimumChargeAmount('huf')).toBe(17500);
    expect(minimumChargeAmount('mxn')).toBe(1000);
    expect(minimumChargeAmount('thb')).toBe(1000);
  });

  it('falls back to 50 minor units for the others', () => {
    expect(minimumChargeAmount('idr')).toBe(50);
    expect(minimumChargeAmount('kwd')).toBe(50);
  });

  it('answers amount_too_small, amount_too_large, or null within the limits', () => {
    expect(chargeAmountLimitError(49, 'usd')?.body).toMatchObject({
      code: 'amount_too_small',
      param: 'amount',
      message: 'Amount must be at least $0.50 usd',
    });
    expect(chargeAmountLimitError(MAXIMUM_CHARGE_AMOUNT + 1, 'jpy')?.body).toMatchObject({
      code: 'amount_too_large',
      message: 'Amount must be no more than ¥99,999,999',
    });
    expect(chargeAmountLimitError(50, 'usd')).toBeNull();
    expect(chargeAmountLimitError(MAXIMUM_CHARGE_AMOUNT, 'usd')).toBeNull();
  });
});
