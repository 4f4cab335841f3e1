/**
 * Card numbers must never reach this server: Stripe.js sends them straight to Stripe, and a server
 * that receives one is in PCI DSS scope. A request with anything that looks like one is refused
 * before any other validation and never logged: a run of 13 to 19 digits passing the Luhn check;
 * a run whose start is a card (a network's prefix and length, passing Luhn) with its CVC or expiry
 * glued on (3 or 4 more digits: "42424242424242421234"); or, in a run written in groups, whole
 * groups that together make such a card ("4242 4242 4242 4242 123", "99 4242…"). A single space,
 * dash or dot may separate the groups ("4242.4242.4242.4242").
 *
 * A card anywhere else inside a run with no separator is not looked for: 16 to 25 digit order ids
 * (snowflakes, 64-bit ids) are common in the URLs a host sends, and looking for cards anywhere
 * inside them would refuse about half of them. A test measures what is refused by chance.
 * @see https://docs.stripe.com/security/guide#validating-pci-compliance
 */

/** Runs of digits with single spaces, dashes or dots between them. */
const DIGIT_RUN = /\d(?:[ .-]?\d)*/g;
const SEPARATOR = /[ .-]/;
/** A string that is nothing but such a run (one box of a card typed into four). */
const ONLY_DIGITS = /^\d(?:[ .-]?\d)*$/;

/** The Luhn (mod 10) check every card number passes. */
export function passesLuhn(digits: string): boolean {
  return luhnRange(digits, 0, digits.length);
}

/** Luhn over `digits[start, end)`, without slicing. */
function luhnRange(digits: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  for (let index = end - 1; index >= start; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

const VISA = [13, 16, 19] as const;
const SIXTEEN = [16] as const;
const FIFTEEN = [15] as const;
const FOURTEEN_UP = [14, 15, 16, 17, 18, 19] as const;
const SIXTEEN_UP = [16, 17, 18, 19] as const;
const THIRTEEN_UP = [13, 14, 15, 16, 17, 18, 19] as const;
const NONE = [] as const;

/**
 * The lengths a card number starting with these four digits has, from the issuer ranges of the
 * major networks (none for a prefix no network uses). Only numbers made of some of a run's groups
 * need one: a run of many groups holds several such numbers, and one may pass Luhn by chance.
 */
function cardLengths(prefix: number): readonly number[] {
  const two = Math.floor(prefix / 100);
  const three = Math.floor(prefix / 10);
  if (two >= 40 && two <= 49) return VISA;
  if (two === 34 || two === 37) return FIFTEEN; // American Express
  if ((two >= 51 && two <= 55) || (prefix >= 2221 && prefix <= 2720)) return SIXTEEN; // Mastercard
  if (prefix >= 2200 && prefix <= 2204) return SIXTEEN_UP; // Mir
  if ((three >= 300 && three <= 305) || two === 36 || two === 38 || two === 39) return FOURTEEN_UP; // Diners
  if (prefix >= 3528 && prefix <= 3589) return SIXTEEN_UP; // JCB
  // Maestro (50, 56–69), Discover (6011, 644–649, 65), UnionPay (62), RuPay (60, 65).
  if (two === 50 || (two >= 56 && two <= 69)) return THIRTEEN_UP;
  if (two === 81 || two === 82) return SIXTEEN_UP; // UnionPay, RuPay
  return NONE;
}

/** True when a run of digit groups is, or holds, something that looks like a card number. */
function runHoldsCardNumber(groups: string[]): boolean {
  const digits = groups.join('');
  const length = digits.length;
  if (length < 13) return false;
  if (length <= 19 && passesLuhn(digits)) return true;
  // A card with its CVC or expiry glued on after it: the run's start at a network's length, with
  // 3 or 4 digits left over.
  for (const size of cardLengths(Number(digits.slice(0, 4)))) {
    const over = length - size;
    if ((over === 3 || over === 4) && luhnRange(digits, 0, size)) return true;
  }
  // Whole groups with others around them: "4242 4242 4242 4242 123", "99 4242424242424242".
  const offsets = [0];
  for (const group of groups) offsets.push((offsets.at(-1) as number) + group.length);
  for (let first = 0; first < groups.length; first++) {
    const start = offsets[first] as number;
    const prefix = Number(digits.slice(start, start + 4));
    const lengths = cardLengths(prefix);
    for (let last = first + 1; last <= groups.length; last++) {
      const size = (offsets[last] as number) - start;
      if (size > 19) break;
      if (size === length) continue; // the whole run, checked above
      if (lengths.includes(size) && luhnRange(digits, start, start + size)) return true;
    }
  }
  return false;
}

/** True when `text` contains something that looks like a card number (see the module's doc). */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    if (runHoldsCardNumber(match[0].split(SEPARATOR))) return true;
  }
  return false;
}

/**
 * True when a parsed JSON value (or a parsed query string) holds something that looks like a card
 * number: in a string, a number or a key, or split over strings of digits next to each other in an
 * array (`["4242", "4242", "4242", "4242"]`, a card typed into four boxes). Only strings of digits
 * alone are joined, so that an array of ids or of objects never adds up to a false alarm; numbers
 * are not joined (`[4242, 4242, …]` reads as a list of quantities). Walks without recursion, so
 * that any depth of nesting is safe.
 */
export function jsonContainsCardNumber(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (containsCardNumber(item)) return true;
    } else if (typeof item === 'number' || typeof item === 'bigint') {
      if (containsCardNumber(String(item))) return true;
    } else if (Array.isArray(item)) {
      let group: string[] = [];
      for (let index = 0; index <= item.length; index++) {
        const element: unknown = item[index];
        if (index < item.length) pending.push(element);
        if (typeof element === 'string' && ONLY_DIGITS.test(element)) {
          group.push(element);
        } else {
          if (group.length > 1 && containsCardNumber(group.join(' '))) return true;
          group = [];
        }
      }
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) pending.push(key, child);
    }
  }
  return false;
}
