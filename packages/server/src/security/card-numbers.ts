/**
 * Card numbers must never reach this server: Stripe.js sends them straight to Stripe, and a server
 * that receives one is in PCI DSS scope. A body with anything that looks like one (13 to 19
 * digits, single spaces or dashes allowed between them, passing the Luhn check) is refused before
 * any other validation and never logged.
 * @see https://docs.stripe.com/security/guide#validating-pci-compliance
 */

/** Runs of digits with single spaces or dashes between them. */
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;

/** The Luhn (mod 10) check every card number passes. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
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

/** True when `text` contains a 13–19 digit number that passes Luhn (spaces and dashes allowed). */
export function containsCardNumber(text: string): boolean {
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && passesLuhn(digits)) return true;
  }
  return false;
}
