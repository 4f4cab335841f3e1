import { describe, expect, it } from 'vitest';
import { currencyDecimals, formatMoney } from './format-money.js';

describe('formatMoney', () => {
  it('formats two-decimal currencies from cents', () => {
    expect(formatMoney(2500, 'usd', 'en-US')).toBe('$25.00');
    expect(formatMoney(1050, 'EUR', 'de-DE')).toBe('10,50\u00a0€');
  });

  it('formats zero-decimal currencies in whole units (JPY, KRW)', () => {
    expect(formatMoney(1500, 'jpy', 'en-US')).toBe('¥1,500');
    expect(formatMoney(1500, 'jpy', 'ja-JP')).toBe('￥1,500');
    expect(formatMoney(50000, 'krw', 'en-US')).toBe('₩50,000');
    expect(currencyDecimals('JPY')).toBe(0);
  });

  it('formats three-decimal currencies in thousandths (KWD, BHD)', () => {
    expect(formatMoney(7500, 'kwd', 'en-US')).toBe('KWD\u00a07.500');
    expect(formatMoney(1005, 'bhd', 'en-US')).toBe('BHD\u00a01.005');
    expect(currencyDecimals('kwd')).toBe(3);
  });

  it('reads ISK and UGX as Stripe does: two decimals on the wire, whole units shown', () => {
    expect(currencyDecimals('isk')).toBe(2);
    expect(formatMoney(500, 'isk', 'en-US')).toBe('ISK\u00a05');
    expect(formatMoney(500, 'ugx', 'en-US')).toBe('UGX\u00a05');
  });
});
