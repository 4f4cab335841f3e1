import { describe, expect, it } from 'vitest';
import { de } from '../locales.js';
import { defaultCountry, requiresPostalCode, validatePostalCode } from './countries.js';

describe('countries and postal codes', () => {
  it('asks for a postal code in the US, Canada and the UK only', () => {
    expect(requiresPostalCode('US')).toBe(true);
    expect(requiresPostalCode('gb')).toBe(true);
    expect(requiresPostalCode('CA')).toBe(true);
    expect(requiresPostalCode('DE')).toBe(false);
    expect(requiresPostalCode('ZZ')).toBe(false);
  });

  it('starts from the given country, else the locale’s region, else the US', () => {
    expect(defaultCountry('fr', 'en-US')).toBe('FR');
    expect(defaultCountry(undefined, 'en-GB')).toBe('GB');
    expect(defaultCountry(undefined, 'de')).toBe('US');
    expect(defaultCountry('XX', 'pt-BR')).toBe('BR');
  });

  it('checks US ZIP codes, Canadian and British postcodes', () => {
    expect(validatePostalCode('94103', 'US', true).complete).toBe(true);
    expect(validatePostalCode('94103-1234', 'US', true).complete).toBe(true);
    expect(validatePostalCode('941', 'US', false).error).toBeNull();
    expect(validatePostalCode('941', 'US', true).error).toEqual({
      code: 'incomplete_zip',
      message: 'Your postal code is incomplete.',
    });
    expect(validatePostalCode('941031234567', 'US', false).error?.code).toBe('invalid_zip');
    expect(validatePostalCode('K1A 0B1', 'CA', true).complete).toBe(true);
    expect(validatePostalCode('SW1A 1AA', 'GB', true).complete).toBe(true);
    expect(validatePostalCode('', 'GB', true).error?.code).toBe('incomplete_zip');
    expect(validatePostalCode('941', 'US', true, de).error).toEqual({
      code: 'incomplete_zip',
      message: 'Ihre Postleitzahl ist unvollständig.',
    });
    expect(validatePostalCode('941031234567', 'US', false, de).error?.message).toBe(
      'Ihre Postleitzahl ist ungültig.',
    );
  });

  it('lets countries without postal codes through', () => {
    expect(validatePostalCode('', 'DE', true)).toEqual({
      empty: true,
      complete: true,
      error: null,
    });
  });
});
