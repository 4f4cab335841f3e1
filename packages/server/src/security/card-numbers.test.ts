import { describe, expect, it } from 'vitest';
import { containsCardNumber, jsonContainsCardNumber, passesLuhn } from './card-numbers.js';

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
    '4242.4242.4242.4242', // dots
    '4242 4242 4242 4242 123', // digits after it make a run of more than 19
    '99 4242424242424242', // digits before it
    '42424242424242421234', // glued to its expiry
    '4242424242424242123', // glued to its CVC
    '42424242424242424242', // and one more digit
    '3782-822463-10005-77', // American Express, then more
  ])('finds %s', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    '4242424242424241', // fails Luhn
    '424242424242', // 12 digits
    '4242  4242  4242  4242', // double spaces split it into short runs
    '4242 .4242. 4242 .4242', // two separators in a row split it too
    '0000000000000000000000000', // a long run with no network's prefix in it
    'ref 12345555555555554444999 end', // no separator: a card inside an id is not looked for
    '14242424242424242', // nor one after a digit
    'https://shop.example/orders/9277365839452254912/thanks', // an order id that fails Luhn
    '{"successUrl":"https://shop.example/done?order=7506758662297820004"}',
    '7777777777777777777777 1111111111111111111111', // nor these
    '192.168.100.200',
    '2024-06-12 10.30',
    '1795726181696', // a timestamp in ms that fails Luhn
    'pi_3Abc',
    '{"quantity":99,"amount":250000}',
    '',
  ])('leaves %s alone', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });

  it('refuses few ordinary ids: about as many as pass the Luhn check by chance', () => {
    // Ids as hosts send them in URLs (snowflakes, 64-bit ids): 16 to 25 digits, no separators.
    // One in ten passes Luhn whole; looking for a card with its CVC or expiry glued on adds a few.
    let seed = 42;
    const digit = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return String(Math.floor((seed / 2_147_483_648) * 10));
    };
    const refused = (length: number) => {
      let count = 0;
      for (let n = 0; n < 2_000; n++) {
        const id = `${1 + (Number(digit()) % 9)}${Array.from({ length: length - 1 }, digit).join('')}`;
        if (containsCardNumber(`https://shop.example/orders/${id}`)) count++;
      }
      return count / 2_000;
    };
    for (const length of [16, 17, 18, 19]) expect(refused(length), `${length}`).toBeLessThan(0.17);
    for (const length of [20, 23]) expect(refused(length), `${length}`).toBeLessThan(0.08);
    expect(refused(25)).toBe(0);
  });
});

describe('jsonContainsCardNumber', () => {
  it.each([
    ['a string', { note: '4242 4242 4242 4242' }],
    ['a number', { card: { number: 4242424242424242 } }],
    ['a key', { '4242424242424242': true }],
    ['an escaped string, once parsed', JSON.parse('{"n":"\\u0034242424242424242"}')],
    [
      'an array of digit strings (a card in four boxes)',
      { card: ['4242', '4242', '4242', '4242'] },
    ],
    ['two halves', ['4242 4242', '4242-4242']],
    ['digit strings among others', ['price_1', '5555', '5555', '5555', '4444', 'x']],
    ['deep down', [[[[{ a: [{ b: '4242.4242.4242.4242' }] }]]]]],
  ])('finds a card number in %s', (_what, value) => {
    expect(jsonContainsCardNumber(value)).toBe(true);
  });

  it.each([
    [
      'a cart',
      {
        items: [
          { price: 'price_1Abc', quantity: 99 },
          { price: 'price_2', quantity: 1 },
        ],
      },
    ],
    ['ids', ['price_4242', 'price_4242', 'price_4242', 'price_4242']],
    ['quantities (numbers are not joined)', [4242, 4242, 4242, 4242]],
    ['digit strings split by something else', ['4242', '4242', 'x', '4242', '4242']],
    ['short digit strings', ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']],
    ['nothing', null],
  ])('leaves %s alone', (_what, value) => {
    expect(jsonContainsCardNumber(value)).toBe(false);
  });

  it('walks any depth without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(50_000)}"4242424242424242"${']'.repeat(50_000)}`);
    expect(jsonContainsCardNumber(deep)).toBe(true);
    expect(jsonContainsCardNumber(JSON.parse(`${'['.repeat(50_000)}${']'.repeat(50_000)}`))).toBe(
      false,
    );
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
