/**
 * Stripe's test cards and how each behaves, and the `pm_card_*` test payment method ids.
 * @see https://docs.stripe.com/testing
 */

export interface Decline {
  /** The error `code` (`card_declined`, `expired_card`, `incorrect_cvc`, `processing_error`). */
  code: string;
  /** The `decline_code` (`generic_decline`, `insufficient_funds`, …). */
  declineCode: string;
  message: string;
}

export type ThreeDSecure =
  /** Authentication on every payment, on and off session, and on setup. */
  | 'always'
  /** Authentication on one-off payments and on setup; none off-session once set up. */
  | 'unless_set_up'
  | 'none';

export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay';
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  /** Declined on attach, setup and charge. */
  decline?: Decline;
  /** Attaching and setting up succeed; every charge is declined with this (4000000000000341). */
  chargeDecline?: Decline;
  threeDSecure: ThreeDSecure;
}

export const DECLINES = {
  generic: {
    code: 'card_declined',
    declineCode: 'generic_decline',
    message: 'Your card was declined.',
  },
  insufficientFunds: {
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  expired: {
    code: 'expired_card',
    declineCode: 'expired_card',
    message: 'Your card has expired.',
  },
  incorrectCvc: {
    code: 'incorrect_cvc',
    declineCode: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
  },
  processingError: {
    code: 'processing_error',
    declineCode: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
} satisfies Record<string, Decline>;

const card = (
  number: string,
  brand: TestCard['brand'],
  extra: Partial<TestCard> = {},
): TestCard => ({
  number,
  brand,
  funding: 'credit',
  country: 'US',
  threeDSecure: 'none',
  ...extra,
});

/** Every test card the sandbox knows, by number. */
export const TEST_CARDS: ReadonlyMap<string, TestCard> = new Map(
  [
    card('4242424242424242', 'visa'),
    card('4000056655665556', 'visa', { funding: 'debit' }),
    card('5555555555554444', 'mastercard'),
    card('2223003122003222', 'mastercard'),
    card('5200828282828210', 'mastercard', { funding: 'debit' }),
    card('378282246310005', 'amex'),
    card('371449635398431', 'amex'),
    card('6011111111111117', 'discover'),
    card('3056930009020004', 'diners'),
    card('3566002020360505', 'jcb'),
    card('6200000000000005', 'unionpay'),
    card('4000000000000002', 'visa', { decline: DECLINES.generic }),
    card('4000000000009995', 'visa', { decline: DECLINES.insufficientFunds }),
    card('4000000000000069', 'visa', { decline: DECLINES.expired }),
    card('4000000000000127', 'visa', { decline: DECLINES.incorrectCvc }),
    card('4000000000000119', 'visa', { decline: DECLINES.processingError }),
    card('4000002500003155', 'visa', { threeDSecure: 'unless_set_up' }),
    card('4000002760003184', 'visa', { threeDSecure: 'always' }),
    card('4000000000003220', 'visa', { threeDSecure: 'always' }),
    card('4000000000000341', 'visa', { chargeDecline: DECLINES.generic }),
  ].map((entry) => [entry.number, entry]),
);

/** Stripe's test payment method ids and the card each stands for. */
export const TEST_PAYMENT_METHOD_IDS: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_chargeCustomerFail: '4000000000000341',
};

/** Luhn check (card numbers' check digit). */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = Number(digits[index]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The brand of a card number from its leading digits (IIN ranges). */
export function brandOf(number: string): TestCard['brand'] | 'unknown' {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  if (/^35(2[89]|[3-8])/.test(number)) return 'jcb';
  if (/^(36|30[0-5]|3095|38|39)/.test(number)) return 'diners';
  if (/^62/.test(number)) return 'unionpay';
  return 'unknown';
}

/**
 * How a card number behaves: a known test card, or any other valid number (which succeeds, as
 * real cards do in test mode… except that Stripe refuses real card numbers in test mode; the
 * sandbox lets any Luhn-valid number through as a plain successful card).
 */
export function cardFor(number: string): TestCard | undefined {
  const known = TEST_CARDS.get(number);
  if (known) return known;
  const brand = brandOf(number);
  if (brand === 'unknown' || !luhnValid(number)) return undefined;
  return card(number, brand);
}
