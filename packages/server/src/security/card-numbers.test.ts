import { describe, expect, it } from 'vitest';
import { containsCardNumber, passesLuhn } from './card-numbers.js';

it('the numbers used below are what they claim to be', () => {
  expect(passesLuhn('4242424242424242')).toBe(true);
  expect(passesLuhn('4242424242424241')).toBe(false);
  expect(passesLuhn('1795726181696')).toBe(false);
});

import { assertAllowedRedirect, isAllowedOrigin, normalizeOrigins } from './redirect-urls.js';

describe('containsCardNumber', () => {
  it.each([
    '4242424242424242',
    '4242 4242 4242 4242',
    '4242-4242-4242-4242',
    '{"n":"5555555555554444"}',
    'amex 378282246310005 here',
    '4222222222222', // 13 digits
    '6011111111111117',
    '4000002500003155',
    '6200000000000005',
    '3566002020360505',
    '6250941006528599', // UnionPay, 16
    '6250 9410 0652 8599 8', // spaces, 17 digits
  ])('finds %s', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    '4242424242424241', // fails Luhn
    '424242424242', // 12 digits
    '42424242424242424242', // 20 digits
    '4242  4242  4242  4242', // double spaces split it into short runs
    '1795726181696', // a timestamp in ms that fails Luhn
    'pi_3Abc',
    '{"quantity":99,"amount":250000}',
    '',
  ])('leaves %s alone', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('redirect URLs and origins', () => {
  const allowed = normalizeOrigins(['https://shop.example', 'http://localhost:5173/']);

  it('normalizes origins and rejects anything that is not one', () => {
    expect(allowed).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(() => normalizeOrigins(['https://shop.example/checkout'])).toThrow(/not an origin/);
    expect(() => normalizeOrigins(['shop.example'])).toThrow(/not an origin/);
    expect(() => normalizeOrigins(['ftp://shop.example'])).toThrow(/not an origin/);
  });

  it('accepts URLs on allowed origins only', () => {
    expect(assertAllowedRedirect('https://shop.example/thanks?x=1', allowed, 'successUrl')).toBe(
      'https://shop.example/thanks?x=1',
    );
    for (const url of [
      'https://shop.example.evil.com/',
      'https://evil.com/?https://shop.example',
      'https://user:pass@shop.example/',
      'http://shop.example/',
      '/relative',
      'javascript:alert(1)',
    ]) {
      expect(() => assertAllowedRedirect(url, allowed, 'successUrl')).toThrow(
        expect.objectContaining({ code: 'redirect_not_allowed', param: 'successUrl' }),
      );
    }
    expect(isAllowedOrigin('http://localhost:5173', allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5174', allowed)).toBe(false);
    expect(isAllowedOrigin('null', allowed)).toBe(false);
  });
});
