import { describe, expect, it } from 'vitest';
import { de, en } from '../locales.js';
import {
  BRAND_NAMES,
  cvcLength,
  detectBrand,
  formatCardNumber,
  formatCvc,
  formatExpiry,
  parseExpiry,
  validateCvc,
  validateExpiry,
  validateNumber,
} from './card-fields.js';

const JUNE_2030 = new Date(2030, 5, 15);

describe('card numbers', () => {
  it('groups digits the way each brand prints them', () => {
    expect(formatCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(formatCardNumber('4242-4242 42')).toBe('4242 4242 42');
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumber('36227206271667')).toBe('3622 720627 1667');
    expect(formatCardNumber('3056930009020004')).toBe('3056 9300 0902 0004');
    expect(formatCardNumber('6200000000000000005')).toBe('6200 0000 0000 0000 005');
  });

  it('drops digits past the brand’s longest number', () => {
    expect(formatCardNumber('42424242424242421234')).toBe('4242 4242 4242 4242');
    expect(formatCardNumber('3782822463100059')).toBe('3782 822463 10005');
  });

  it('tells the brand from the first digits', () => {
    expect(detectBrand('4')).toBe('visa');
    expect(detectBrand('5555')).toBe('mastercard');
    expect(detectBrand('2223')).toBe('mastercard');
    expect(detectBrand('34')).toBe('amex');
    expect(detectBrand('6011')).toBe('discover');
    expect(detectBrand('3566')).toBe('jcb');
    expect(detectBrand('3056')).toBe('diners');
    expect(detectBrand('62')).toBe('unionpay');
    expect(detectBrand('9')).toBe('unknown');
    expect(detectBrand('')).toBe('unknown');
    expect(BRAND_NAMES.amex).toBe('American Express');
  });

  it('is complete once the length and check digit are right', () => {
    expect(validateNumber('4242 4242 4242 4242', false)).toEqual({
      empty: false,
      complete: true,
      error: null,
    });
    expect(validateNumber('378282246310005', false).complete).toBe(true);
    expect(validateNumber('36227206271667', false).complete).toBe(true);
  });

  it('says "invalid" at once for a full-length number that fails the Luhn check', () => {
    expect(validateNumber('4242424242424241', false).error).toEqual({
      code: 'invalid_number',
      message: en.invalidNumber,
    });
    expect(en.invalidNumber).toBe('Your card number is invalid.');
  });

  it('says "incomplete" for a short number only once the customer leaves it', () => {
    expect(validateNumber('4242 42', false).error).toBeNull();
    expect(validateNumber('4242 42', true).error).toEqual({
      code: 'incomplete_number',
      message: 'Your card number is incomplete.',
    });
    expect(validateNumber('', false)).toEqual({ empty: true, complete: false, error: null });
    expect(validateNumber('', true).error?.code).toBe('incomplete_number');
  });

  it('waits for the longer Diners length, then calls a bad 14-digit number invalid on blur', () => {
    expect(validateNumber('36227206271666', false).error).toBeNull();
    expect(validateNumber('36227206271666', true).error?.code).toBe('invalid_number');
  });

  it('refuses full-length numbers of unknown brands', () => {
    expect(validateNumber('9999999999999995', false).error?.code).toBe('invalid_number');
  });
});

describe('expiry dates', () => {
  it('formats as MM / YY while typing', () => {
    expect(formatExpiry('1')).toBe('1');
    expect(formatExpiry('4')).toBe('04 / ');
    expect(formatExpiry('12')).toBe('12 / ');
    expect(formatExpiry('123')).toBe('12 / 3');
    expect(formatExpiry('12345')).toBe('12 / 34');
    expect(formatExpiry('12/34')).toBe('12 / 34');
  });

  it('takes the month back when the separator is deleted', () => {
    expect(formatExpiry('12 /', '12 / ')).toBe('1');
    expect(formatExpiry('12 / 3', '12 / 34')).toBe('12 / 3');
  });

  it('parses four digits only', () => {
    expect(parseExpiry('12 / 34')).toEqual({ month: 12, year: 2034 });
    expect(parseExpiry('12 / 3')).toBeNull();
  });

  it('refuses a past date, a bad month and a year too far ahead', () => {
    expect(validateExpiry('05 / 30', false, JUNE_2030).error).toEqual({
      code: 'invalid_expiry_month_past',
      message: "Your card's expiration date is in the past.",
    });
    expect(validateExpiry('12 / 29', false, JUNE_2030).error?.code).toBe(
      'invalid_expiry_year_past',
    );
    expect(validateExpiry('06 / 30', false, JUNE_2030).complete).toBe(true);
    expect(validateExpiry('13', false, JUNE_2030).error?.message).toBe(
      "Your card's expiration month is invalid.",
    );
    expect(validateExpiry('01 / 99', false, new Date(2040, 0, 1)).error?.code).toBe(
      'invalid_expiry_year',
    );
  });

  it('is incomplete on blur with fewer than four digits', () => {
    expect(validateExpiry('12 / 3', false, JUNE_2030).error).toBeNull();
    expect(validateExpiry('12 / 3', true, JUNE_2030).error).toEqual({
      code: 'incomplete_expiry',
      message: "Your card's expiration date is incomplete.",
    });
  });
});

describe('security codes', () => {
  it('wants four digits for American Express, three for the rest', () => {
    expect(cvcLength('amex')).toBe(4);
    expect(cvcLength('visa')).toBe(3);
    expect(formatCvc('12a345', 'visa')).toBe('123');
    expect(formatCvc('12345', 'amex')).toBe('1234');
    expect(validateCvc('123', 'amex', true).error).toEqual({
      code: 'incomplete_cvc',
      message: "Your card's security code is incomplete.",
    });
    expect(validateCvc('123', 'visa', true)).toEqual({ empty: false, complete: true, error: null });
    expect(validateCvc('12', 'visa', false).error).toBeNull();
  });
});

describe('in German', () => {
  it('words every field problem as Stripe.js does in German, keeping the codes', () => {
    expect(validateNumber('', true, de).error).toEqual({
      code: 'incomplete_number',
      message: 'Ihre Kartennummer ist unvollständig.',
    });
    expect(validateNumber('4242424242424241', false, de).error).toEqual({
      code: 'invalid_number',
      message: 'Ihre Kartennummer ist ungültig.',
    });
    expect(validateExpiry('05 / 30', false, JUNE_2030, de).error).toEqual({
      code: 'invalid_expiry_month_past',
      message: 'Das Ablaufdatum Ihrer Karte liegt in der Vergangenheit.',
    });
    expect(validateExpiry('12 / 3', true, JUNE_2030, de).error?.message).toBe(
      'Das Ablaufdatum Ihrer Karte ist unvollständig.',
    );
    expect(validateCvc('12', 'visa', true, de).error).toEqual({
      code: 'incomplete_cvc',
      message: 'Der Sicherheitscode Ihrer Karte ist unvollständig.',
    });
  });
});
