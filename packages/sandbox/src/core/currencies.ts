/**
 * Currencies as Stripe treats them: which codes it accepts, how many decimals an amount in each
 * has on the wire (its "minor units"), the granularity Stripe requires of charged amounts, and
 * amounts written the way Stripe writes them in messages.
 *
 * Stripe's rules, from https://docs.stripe.com/currencies ("Minor units in API amounts",
 * "Zero-decimal", "Three-decimal" and "Special cases"):
 * - Zero-decimal currencies take whole units: `amount: 1000` in JPY is ¥1,000.
 * - Three-decimal currencies (BHD, JOD, KWD, OMR, TND) take thousandths, but charged amounts must
 *   end in 0 ("round amounts to the nearest ten"): `amount: 1500` in KWD is KWD 1.500.
 * - Every other currency takes hundredths: `amount: 1050` in USD is $10.50.
 * - Special cases where Stripe differs from ISO 4217:
 *   - ISK (ISO: 0 decimals) stays a two-decimal currency in the API "for backward compatibility",
 *     with the decimal part always 00: 5 ISK is `500`; other amounts are refused with
 *     `invalid_charge_amount_no_decimal_compatible` ("…must be evenly divisible by 100"), see
 *     https://support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds.
 *   - UGX (ISO: 0 decimals) likewise: Stripe reads UGX amounts as two-decimal with the decimal part
 *     always 00 (5 UGX is `500`), so its older place in the zero-decimal list is overridden here.
 *   - HUF and TWD (ISO: 2 decimals) are two-decimal for charges; Stripe treats them as
 *     zero-decimal only for payouts (payout amounts divisible by 100), which the sandbox has none of.
 */
import { invalidRequest, type StripeApiError } from './errors.js';
import { str } from './params.js';

/** Currencies whose amounts are whole units on Stripe (ISO 4217 zero-decimal, less UGX). */
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Currencies whose amounts are thousandths on Stripe. */
export const THREE_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'bhd',
  'jod',
  'kwd',
  'omr',
  'tnd',
]);

/**
 * Two-decimal on the wire but whole units in practice: charged amounts must be multiples of 100.
 * @see https://docs.stripe.com/currencies#special-cases
 */
export const WHOLE_UNIT_TWO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set(['isk', 'ugx']);

/**
 * Stripe's presentment currencies (lowercase ISO 4217), as its currencies page lists them, plus
 * the three-decimal ones it supports for some countries. Codes outside this list get Stripe's
 * "Invalid currency" 400.
 */
export const SUPPORTED_CURRENCIES: readonly string[] = [
  'usd',
  'aed',
  'afn',
  'all',
  'amd',
  'ang',
  'aoa',
  'ars',
  'aud',
  'awg',
  'azn',
  'bam',
  'bbd',
  'bdt',
  'bgn',
  'bhd',
  'bif',
  'bmd',
  'bnd',
  'bob',
  'brl',
  'bsd',
  'bwp',
  'byn',
  'bzd',
  'cad',
  'cdf',
  'chf',
  'clp',
  'cny',
  'cop',
  'crc',
  'cve',
  'czk',
  'djf',
  'dkk',
  'dop',
  'dzd',
  'egp',
  'etb',
  'eur',
  'fjd',
  'fkp',
  'gbp',
  'gel',
  'gip',
  'gmd',
  'gnf',
  'gtq',
  'gyd',
  'hkd',
  'hnl',
  'htg',
  'huf',
  'idr',
  'ils',
  'inr',
  'isk',
  'jmd',
  'jod',
  'jpy',
  'kes',
  'kgs',
  'khr',
  'kmf',
  'krw',
  'kwd',
  'kyd',
  'kzt',
  'lak',
  'lbp',
  'lkr',
  'lrd',
  'lsl',
  'mad',
  'mdl',
  'mga',
  'mkd',
  'mmk',
  'mnt',
  'mop',
  'mur',
  'mvr',
  'mwk',
  'mxn',
  'myr',
  'mzn',
  'nad',
  'ngn',
  'nio',
  'nok',
  'npr',
  'nzd',
  'omr',
  'pab',
  'pen',
  'pgk',
  'php',
  'pkr',
  'pln',
  'pyg',
  'qar',
  'ron',
  'rsd',
  'rub',
  'rwf',
  'sar',
  'sbd',
  'scr',
  'sek',
  'sgd',
  'shp',
  'sle',
  'sos',
  'srd',
  'std',
  'szl',
  'thb',
  'tjs',
  'tnd',
  'top',
  'try',
  'ttd',
  'twd',
  'tzs',
  'uah',
  'ugx',
  'uyu',
  'uzs',
  'vnd',
  'vuv',
  'wst',
  'xaf',
  'xcd',
  'xcg',
  'xof',
  'xpf',
  'yer',
  'zar',
  'zmw',
];

const SUPPORTED = new Set(SUPPORTED_CURRENCIES);

/** Whether Stripe accepts this currency code (any case; Stripe answers in lowercase). */
export function isSupportedCurrency(currency: string): boolean {
  return SUPPORTED.has(currency.toLowerCase());
}

/** How many decimals an amount in this currency has on the wire: 0, 2 or 3. */
export function minorUnits(currency: string): 0 | 2 | 3 {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL_CURRENCIES.has(code)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(code)) return 3;
  return 2;
}

/**
 * An amount in minor units as Stripe writes it in messages: `$10.50`, `¥1,000`, `KWD 1.500`.
 * The decimals are always the currency's minor units on Stripe, whatever ICU thinks (ISK 5.00).
 */
export function formatAmount(amount: number, currency: string): string {
  const digits = minorUnits(currency);
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
    .format(amount / 10 ** digits)
    .replaceAll('\u00a0', ' '); // ICU puts a no-break space after a code ("KWD 1.500")
}

/** The step charged amounts must be a multiple of: 10 (three-decimal), 100 (ISK, UGX) or 1. */
export function chargeableStep(currency: string): 1 | 10 | 100 {
  const code = currency.toLowerCase();
  if (THREE_DECIMAL_CURRENCIES.has(code)) return 10;
  if (WHOLE_UNIT_TWO_DECIMAL_CURRENCIES.has(code)) return 100;
  return 1;
}

/** The 400 Stripe answers for an amount the currency cannot be charged in, or null if it can. */
export function chargeableAmountError(
  amount: number,
  currency: string,
  param = 'amount',
): StripeApiError | null {
  const step = chargeableStep(currency);
  if (amount % step === 0) return null;
  const code = currency.toUpperCase();
  if (step === 10) {
    return invalidRequest(
      `Invalid amount. Currency ${code} is a three-decimal currency and charged amounts must be evenly divisible by 10 (the last digit must be 0), e.g. ${amount - (amount % 10)} or ${amount - (amount % 10) + 10}. See https://stripe.com/docs/currencies#three-decimal for more information.`,
      param,
      'invalid_charge_amount',
    );
  }
  return invalidRequest(
    `Invalid amount. Currency ${code} has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#special-cases for more information.`,
    param,
    'invalid_charge_amount_no_decimal_compatible',
  );
}

/**
 * Throws Stripe's 400 unless `amount` can be charged in `currency`: three-decimal amounts must end
 * in 0, ISK and UGX amounts in 00.
 */
export function assertChargeableAmount(amount: number, currency: string, param = 'amount'): void {
  const error = chargeableAmountError(amount, currency, param);
  if (error) throw error;
}

/**
 * Stripe's minimum charge amounts, in minor units, for the currencies its table lists, as they
 * apply when the charge is in the account's settlement currency. The sandbox stands for an
 * account that settles in each of these, so a charge in any of them must reach its own minimum.
 * @see https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
 */
export const MINIMUM_CHARGE_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/**
 * The minimum for other currencies: Stripe converts them and refuses what comes to less than
 * $0.50, which needs the day's exchange rate. The sandbox has none, so it takes 50 minor units
 * (0.50 of a two-decimal currency, 50 of a zero-decimal one, 0.050 of a three-decimal one): at
 * or under $0.50 in nearly every currency, so it refuses only what is surely too small, and can
 * accept amounts that Stripe, converting, refuses.
 */
export const FALLBACK_MINIMUM_CHARGE_AMOUNT = 50;

/** Stripe takes up to eight digits: 99999999 minor units in any currency. */
export const MAXIMUM_CHARGE_AMOUNT = 99_999_999;

/** The smallest amount Stripe charges in this currency (minor units; see above). */
export function minimumChargeAmount(currency: string): number {
  return MINIMUM_CHARGE_AMOUNTS[currency.toLowerCase()] ?? FALLBACK_MINIMUM_CHARGE_AMOUNT;
}

/**
 * Stripe's 400 for a payment amount below the currency's minimum (`amount_too_small`) or over
 * eight digits (`amount_too_large`), or null when the amount is within them. `subject` words the
 * message for a Checkout Session's total.
 */
export function chargeAmountLimitError(
  amount: number,
  currency: string,
  options: { param?: string; subject?: string } = {},
): StripeApiError | null {
  const code = currency.toLowerCase();
  const param = options.param ?? 'amount';
  const subject = options.subject ?? 'Amount';
  const minimum = minimumChargeAmount(code);
  if (amount < minimum) {
    return invalidRequest(
      `${subject} must be at least ${formatAmount(minimum, code)} ${code}`,
      param,
      'amount_too_small',
    );
  }
  if (amount > MAXIMUM_CHARGE_AMOUNT) {
    return invalidRequest(
      `${subject} must be no more than ${formatAmount(MAXIMUM_CHARGE_AMOUNT, code)}`,
      param,
      'amount_too_large',
    );
  }
  return null;
}

/**
 * Throws Stripe's 400 unless `amount` can be charged in `currency`: within the currency's minimum
 * and maximum, and in a step the currency can be charged in (see `assertChargeableAmount`).
 */
export function assertPaymentAmount(amount: number, currency: string, param = 'amount'): void {
  const error =
    chargeAmountLimitError(amount, currency, { param }) ??
    chargeableAmountError(amount, currency, param);
  if (error) throw error;
}

/** The message of Stripe's 400 for a currency it does not support. */
export function invalidCurrencyMessage(currency: string): string {
  return `Invalid currency: ${currency.toLowerCase()}. Stripe currently supports these currencies: ${SUPPORTED_CURRENCIES.join(', ')}`;
}

/** A `currency` parameter: a supported code in any case, answered in lowercase. */
export const currencyParam = () =>
  str()
    .transform((value) => value.toLowerCase())
    .refine((value) => SUPPORTED.has(value), {
      error: (issue) => invalidCurrencyMessage(String(issue.input)),
    });
