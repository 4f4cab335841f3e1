/**
 * The card fields' pure logic, as Stripe's Elements behave: digits only, grouped as the brand
 * prints them, the brand told from the first digits, and Stripe's validation codes and messages
 * (in the element's language: `messages` from locales.ts, English by default).
 * Runs in the element's frame (and in unit tests); nothing here touches the DOM.
 */
import {
  brandOf,
  BRAND_NAMES as CARD_BRAND_NAMES,
  luhnValid,
  type TestCard,
} from '../../core/cards.js';
import { en, type SandboxMessages } from '../locales.js';

export type CardBrand = TestCard['brand'] | 'unknown';

/** A field's problem, in the shape Stripe.js puts in `error` (`type: 'validation_error'`). */
export interface FieldError {
  code: string;
  message: string;
}

/** Where a field stands: `error` only once it is known to be wrong (or on submit). */
export interface FieldState {
  empty: boolean;
  complete: boolean;
  error: FieldError | null;
}

/** The names Stripe's Payment Element shows next to the number. */
export const BRAND_NAMES: Record<CardBrand, string> = { ...CARD_BRAND_NAMES, unknown: '' };

/** Lengths a number of each brand may have. */
const LENGTHS: Record<CardBrand, number[]> = {
  visa: [16],
  mastercard: [16],
  amex: [15],
  discover: [16],
  jcb: [16],
  diners: [14, 16],
  unionpay: [16, 17, 18, 19],
  unknown: [16],
};

/** Where the spaces go: 4-6-5 for American Express, 4-6-4 for 14-digit Diners, else fours. */
function groupsFor(brand: CardBrand, length: number): number[] {
  if (brand === 'amex') return [4, 6, 5];
  if (brand === 'diners' && length <= 14) return [4, 6, 4];
  return [4, 4, 4, 4, 3];
}

export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

export function detectBrand(digits: string): CardBrand {
  return digits ? brandOf(digits) : 'unknown';
}

/** The most digits a number of this brand may have. */
export function maxNumberLength(brand: CardBrand): number {
  return Math.max(...LENGTHS[brand]);
}

/** `4242424242424242` → `4242 4242 4242 4242` (extra digits dropped). */
export function formatCardNumber(value: string): string {
  const brand = detectBrand(digitsOf(value));
  const digits = digitsOf(value).slice(0, maxNumberLength(brand));
  const parts: string[] = [];
  let index = 0;
  for (const size of groupsFor(brand, digits.length)) {
    if (index >= digits.length) break;
    parts.push(digits.slice(index, index + size));
    index += size;
  }
  if (index < digits.length) parts.push(digits.slice(index));
  return parts.join(' ');
}

/**
 * The number's state. While typing (`final` false) only a number that can no longer become
 * valid is an error; on blur or submit a short one is "incomplete".
 */
export function validateNumber(
  value: string,
  final: boolean,
  messages: SandboxMessages = en,
): FieldState {
  const digits = digitsOf(value);
  if (!digits) {
    return {
      empty: true,
      complete: false,
      error: final ? { code: 'incomplete_number', message: messages.incompleteNumber } : null,
    };
  }
  const brand = detectBrand(digits);
  const lengths = LENGTHS[brand];
  const valid = brand !== 'unknown' && lengths.includes(digits.length) && luhnValid(digits);
  if (valid) return { empty: false, complete: true, error: null };
  const invalid = { code: 'invalid_number', message: messages.invalidNumber };
  if (digits.length >= maxNumberLength(brand))
    return { empty: false, complete: false, error: invalid };
  if (!final) return { empty: false, complete: false, error: null };
  const min = Math.min(...lengths);
  if (digits.length < min || !lengths.includes(digits.length)) {
    return {
      empty: false,
      complete: false,
      error: { code: 'incomplete_number', message: messages.incompleteNumber },
    };
  }
  return { empty: false, complete: false, error: invalid };
}

/**
 * What the expiry field shows as the customer types: `4` → `04 / `, `1225` → `12 / 25`; a
 * deleted separator takes its digit with it, as Stripe's field does.
 */
export function formatExpiry(value: string, previous = ''): string {
  let digits = digitsOf(value);
  if (value.length < previous.length && previous.endsWith(' / ') && !value.endsWith(' / ')) {
    digits = digits.slice(0, 1);
  }
  if (digits.length === 1 && Number(digits) > 1) digits = `0${digits}`;
  digits = digits.slice(0, 4);
  if (digits.length < 2) return digits;
  if (digits.length === 2) return value.length < previous.length ? digits : `${digits} / `;
  return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
}

/** `12 / 34` → `{ month: 12, year: 2034 }`; null until four digits are there. */
export function parseExpiry(value: string): { month: number; year: number } | null {
  const digits = digitsOf(value);
  if (digits.length !== 4) return null;
  return { month: Number(digits.slice(0, 2)), year: 2000 + Number(digits.slice(2)) };
}

/** `now` is a `Date` so tests can fix it; the frame passes the current time. */
export function validateExpiry(
  value: string,
  final: boolean,
  now: Date,
  messages: SandboxMessages = en,
): FieldState {
  const digits = digitsOf(value);
  if (!digits) {
    return {
      empty: true,
      complete: false,
      error: final ? { code: 'incomplete_expiry', message: messages.incompleteExpiry } : null,
    };
  }
  if (digits.length >= 2) {
    const month = Number(digits.slice(0, 2));
    if (month < 1 || month > 12) {
      return {
        empty: false,
        complete: false,
        error: { code: 'invalid_expiry_month', message: messages.invalidExpiryMonth },
      };
    }
  }
  const parsed = parseExpiry(value);
  if (!parsed) {
    return {
      empty: false,
      complete: false,
      error: final ? { code: 'incomplete_expiry', message: messages.incompleteExpiry } : null,
    };
  }
  const year = now.getFullYear();
  const month = now.getMonth() + 1;
  if (parsed.year < year) {
    return {
      empty: false,
      complete: false,
      error: { code: 'invalid_expiry_year_past', message: messages.pastExpiry },
    };
  }
  if (parsed.year === year && parsed.month < month) {
    return {
      empty: false,
      complete: false,
      error: { code: 'invalid_expiry_month_past', message: messages.pastExpiry },
    };
  }
  if (parsed.year > year + 50) {
    return {
      empty: false,
      complete: false,
      error: { code: 'invalid_expiry_year', message: messages.invalidExpiryYear },
    };
  }
  return { empty: false, complete: true, error: null };
}

/** Four digits for American Express, three for the others. */
export function cvcLength(brand: CardBrand): number {
  return brand === 'amex' ? 4 : 3;
}

export function formatCvc(value: string, brand: CardBrand): string {
  return digitsOf(value).slice(0, cvcLength(brand));
}

export function validateCvc(
  value: string,
  brand: CardBrand,
  final: boolean,
  messages: SandboxMessages = en,
): FieldState {
  const digits = digitsOf(value);
  const complete = digits.length === cvcLength(brand);
  return {
    empty: digits.length === 0,
    complete,
    error: !complete && final ? { code: 'incomplete_cvc', message: messages.incompleteCvc } : null,
  };
}
