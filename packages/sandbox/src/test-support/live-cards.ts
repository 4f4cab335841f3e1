/**
 * Real (non-test) card numbers, one a brand, and the error Stripe answers them with in test mode,
 * written out here as Stripe words it rather than read from the sandbox's own tables, so that the
 * tests compare the sandbox with Stripe and not with itself.
 * @see https://docs.stripe.com/testing
 */

/**
 * Luhn-valid numbers of known brands that Stripe does not list as test cards, now or in its
 * earlier documentation (cards.test.ts checks the rest); most are other processors' test numbers,
 * which Stripe refuses as it refuses any real card. The Visa one is made up (Luhn-valid, on no
 * test list found): 4111 1111 1111 1111, the generic test number, is accepted as a test card.
 * No Visa number here may start with `4000`: the sandbox takes those for Stripe's country cards.
 */
export const REAL_CARD_NUMBERS = {
  visa: '4147095830162745',
  mastercard: '5454545454545454',
  amex: '378734493671000',
  discover: '6011601160116611',
  jcb: '3566111111111113',
  diners: '36259600000004',
  unionpay: '6250941006528599',
} as const;

/** The 402 `card_error` Stripe sends, in test mode, for a real card. */
export const LIVE_CARD_ERROR = {
  type: 'card_error',
  code: 'card_declined',
  decline_code: 'test_mode_live_card',
  message:
    'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
} as const;
