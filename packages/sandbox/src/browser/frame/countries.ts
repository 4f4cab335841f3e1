/**
 * The countries the element's Country field offers, which of them ask for a postal code with the
 * card (as Stripe's Payment Element does), and how those codes are checked.
 */
import { en, type SandboxMessages } from '../locales.js';
import type { FieldState } from './card-fields.js';

export interface Country {
  code: string;
  name: string;
  /** The card form asks for a postal code in this country. */
  postalCode: boolean;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'AU', name: 'Australia', postalCode: false },
  { code: 'AT', name: 'Austria', postalCode: false },
  { code: 'BE', name: 'Belgium', postalCode: false },
  { code: 'BR', name: 'Brazil', postalCode: false },
  { code: 'CA', name: 'Canada', postalCode: true },
  { code: 'DK', name: 'Denmark', postalCode: false },
  { code: 'FI', name: 'Finland', postalCode: false },
  { code: 'FR', name: 'France', postalCode: false },
  { code: 'DE', name: 'Germany', postalCode: false },
  { code: 'HK', name: 'Hong Kong', postalCode: false },
  { code: 'IE', name: 'Ireland', postalCode: false },
  { code: 'IT', name: 'Italy', postalCode: false },
  { code: 'JP', name: 'Japan', postalCode: false },
  { code: 'MX', name: 'Mexico', postalCode: false },
  { code: 'NL', name: 'Netherlands', postalCode: false },
  { code: 'NZ', name: 'New Zealand', postalCode: false },
  { code: 'NO', name: 'Norway', postalCode: false },
  { code: 'PL', name: 'Poland', postalCode: false },
  { code: 'PT', name: 'Portugal', postalCode: false },
  { code: 'SG', name: 'Singapore', postalCode: false },
  { code: 'ES', name: 'Spain', postalCode: false },
  { code: 'SE', name: 'Sweden', postalCode: false },
  { code: 'CH', name: 'Switzerland', postalCode: false },
  { code: 'AE', name: 'United Arab Emirates', postalCode: false },
  { code: 'GB', name: 'United Kingdom', postalCode: true },
  { code: 'US', name: 'United States', postalCode: true },
];

export function findCountry(code: string | null | undefined): Country | undefined {
  return COUNTRIES.find((country) => country.code === code?.toUpperCase());
}

/** The country the element starts with: the given one, else the locale's region, else the US. */
export function defaultCountry(preferred: string | null | undefined, locale: string): string {
  if (findCountry(preferred)) return (preferred as string).toUpperCase();
  const region = /^[a-z]{2,3}[-_]([A-Za-z]{2})\b/.exec(locale)?.[1];
  return findCountry(region)?.code ?? 'US';
}

const PATTERNS: Record<string, { complete: RegExp; max: number }> = {
  US: { complete: /^\d{5}(-?\d{4})?$/, max: 10 },
  CA: { complete: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, max: 7 },
  GB: { complete: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, max: 8 },
};

export function requiresPostalCode(country: string): boolean {
  return findCountry(country)?.postalCode ?? false;
}

export function validatePostalCode(
  value: string,
  country: string,
  final: boolean,
  messages: SandboxMessages = en,
): FieldState {
  const trimmed = value.trim();
  if (!requiresPostalCode(country)) return { empty: !trimmed, complete: true, error: null };
  if (!trimmed) {
    return {
      empty: true,
      complete: false,
      error: final ? { code: 'incomplete_zip', message: messages.incompleteZip } : null,
    };
  }
  const pattern = PATTERNS[country.toUpperCase()];
  if (!pattern || pattern.complete.test(trimmed))
    return { empty: false, complete: true, error: null };
  if (trimmed.length >= pattern.max) {
    return {
      empty: false,
      complete: false,
      error: { code: 'invalid_zip', message: messages.invalidZip },
    };
  }
  return {
    empty: false,
    complete: false,
    error: final ? { code: 'incomplete_zip', message: messages.incompleteZip } : null,
  };
}
