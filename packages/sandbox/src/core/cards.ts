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
  /**
   * Declined as `decline` is, but only when a CVC is given: the issuer's CVC check fails and
   * Radar's default rules block the card (4000000000000101). Without a CVC Stripe makes no check,
   * and the card behaves as a plain successful one.
   */
  cvcDecline?: Decline;
  /**
   * Attaching and setting up succeed; every charge is declined with this (4000000000000341). On a
   * card that also asks for 3D Secure, the charge is declined after the cardholder authenticated
   * (4000008400001629, 4000008260003178): the PaymentIntent goes `requires_action`, then back to
   * `requires_payment_method` with the decline in `last_payment_error`.
   */
  chargeDecline?: Decline;
  threeDSecure: ThreeDSecure;
  /**
   * The issuer authenticates without a challenge (3D Secure 2's frictionless flow,
   * 4000000032200000): the intent still goes through `requires_action` and its `next_action`, but
   * Stripe.js and the challenge page complete the authentication with nothing for the cardholder
   * to do. Off session, where nobody is there to authenticate, it fails as `threeDSecure` says.
   * @see https://docs.stripe.com/testing#authentication-and-setup
   */
  frictionless?: boolean;
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
  lostCard: {
    code: 'card_declined',
    declineCode: 'lost_card',
    message: 'Your card was declined.',
  },
  stolenCard: {
    code: 'card_declined',
    declineCode: 'stolen_card',
    message: 'Your card was declined.',
  },
  velocityExceeded: {
    code: 'card_declined',
    declineCode: 'card_velocity_exceeded',
    message:
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
  },
  /** Blocked by Radar (4100000000000019): Stripe answers with the `fraudulent` decline code. */
  fraudulent: {
    code: 'card_declined',
    declineCode: 'fraudulent',
    message: 'Your card was declined.',
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
  /** A real card number in test mode (see `cardFor`). */
  liveCard: {
    code: 'card_declined',
    declineCode: 'test_mode_live_card',
    message:
      'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
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

/**
 * Stripe's Visa cards by country: test id, number, issuing country and, when not credit, funding.
 * Any other Visa number that starts with `4000` is a plain successful test card as well (see
 * `cardFor`), issued in the US.
 * @see https://docs.stripe.com/testing#international-cards
 */
const COUNTRY_CARDS: readonly (readonly [
  id: string,
  number: string,
  country: string,
  funding?: TestCard['funding'],
])[] = [
  // Americas
  ['pm_card_ar', '4000000320000021', 'AR'],
  ['pm_card_br', '4000000760000002', 'BR'],
  ['pm_card_ca', '4000001240000000', 'CA'],
  ['pm_card_cl', '4000001520000001', 'CL'],
  ['pm_card_co', '4000001700000003', 'CO'],
  ['pm_card_cr', '4000001880000005', 'CR'],
  ['pm_card_ec', '4000002180000000', 'EC'],
  ['pm_card_mx', '4000004840008001', 'MX'],
  ['pm_card_pa', '4000005910000000', 'PA'],
  ['pm_card_py', '4000006000000066', 'PY'],
  ['pm_card_pe', '4000006040000068', 'PE'],
  ['pm_card_uy', '4000008580000003', 'UY'],
  // Europe and the Middle East
  ['pm_card_ae', '4000007840000001', 'AE'],
  ['pm_card_at', '4000000400000008', 'AT'],
  ['pm_card_be', '4000000560000004', 'BE'],
  ['pm_card_bg', '4000001000000000', 'BG'],
  ['pm_card_by', '4000001120000005', 'BY'],
  ['pm_card_hr', '4000001910000009', 'HR'],
  ['pm_card_cy', '4000001960000008', 'CY'],
  ['pm_card_cz', '4000002030000002', 'CZ'],
  ['pm_card_dk', '4000002080000001', 'DK'],
  ['pm_card_ee', '4000002330000009', 'EE'],
  ['pm_card_fi', '4000002460000001', 'FI'],
  ['pm_card_fr', '4000002500000003', 'FR'],
  ['pm_card_de', '4000002760000016', 'DE'],
  ['pm_card_gi', '4000002920000005', 'GI'],
  ['pm_card_gr', '4000003000000030', 'GR'],
  ['pm_card_hu', '4000003480000005', 'HU'],
  ['pm_card_ie', '4000003720000005', 'IE'],
  ['pm_card_it', '4000003800000008', 'IT'],
  ['pm_card_lv', '4000004280000005', 'LV'],
  ['pm_card_li', '4000004380000004', 'LI'],
  ['pm_card_lt', '4000004400000000', 'LT'],
  ['pm_card_lu', '4000004420000006', 'LU'],
  ['pm_card_mt', '4000004700000007', 'MT'],
  ['pm_card_nl', '4000005280000002', 'NL'],
  ['pm_card_no', '4000005780000007', 'NO'],
  ['pm_card_pl', '4000006160000005', 'PL'],
  ['pm_card_pt', '4000006200000007', 'PT'],
  ['pm_card_ro', '4000006420000001', 'RO'],
  ['pm_card_sa', '4000006820000007', 'SA'],
  ['pm_card_si', '4000007050000006', 'SI'],
  ['pm_card_sk', '4000007030000001', 'SK'],
  ['pm_card_es', '4000007240000007', 'ES'],
  ['pm_card_se', '4000007520000008', 'SE'],
  ['pm_card_ch', '4000007560000009', 'CH'],
  ['pm_card_gb', '4000008260000000', 'GB'],
  ['pm_card_gb_debit', '4000058260000005', 'GB', 'debit'],
  // Asia Pacific
  ['pm_card_au', '4000000360000006', 'AU'],
  ['pm_card_cn', '4000001560000002', 'CN'],
  ['pm_card_hk', '4000003440000004', 'HK'],
  ['pm_card_in', '4000003560000008', 'IN'],
  ['pm_card_jp', '4000003920000003', 'JP'],
  ['pm_card_my', '4000004580000002', 'MY'],
  ['pm_card_nz', '4000005540000008', 'NZ'],
  ['pm_card_sg', '4000007020000003', 'SG'],
  ['pm_card_tw', '4000001580000008', 'TW'],
  ['pm_card_th_credit', '4000007640000003', 'TH'],
  ['pm_card_th_debit', '4000057640000008', 'TH', 'debit'],
];

/**
 * Every test card the sandbox knows, by number: Stripe's documented ones, a few from its earlier
 * documentation that still work there, and 4111 1111 1111 1111. Cards whose effect the sandbox
 * does not model (address and CVC checks that only report, risk levels and scores, Radar controls
 * that act only once enabled, HSA/FSA product codes, disputes and their prevention, refunds that
 * fail later, balances, captchas, PINs) are plain successful cards. Not here: Mexico's Carnet card
 * (5062 2100 0000 0009), as Stripe's API names no Carnet brand for the sandbox to report; it is
 * refused as an incorrect number.
 * @see https://docs.stripe.com/testing
 */
export const TEST_CARDS: ReadonlyMap<string, TestCard> = new Map(
  [
    // Cards by brand
    card('4242424242424242', 'visa'),
    card('4012888888881881', 'visa'),
    // Not Stripe's, but a widely used generic test number, accepted: Stripe's test mode has been
    // reported to take it (https://github.com/colemanw/webform_civicrm/pull/1066), so refusing
    // it as a real card would fail where Stripe succeeds.
    card('4111111111111111', 'visa'),
    card('4000056655665556', 'visa', { funding: 'debit' }),
    card('5555555555554444', 'mastercard'),
    card('2223003122003222', 'mastercard'),
    card('5200828282828210', 'mastercard', { funding: 'debit' }),
    card('5105105105105100', 'mastercard', { funding: 'prepaid' }),
    card('378282246310005', 'amex'),
    card('371449635398431', 'amex'),
    card('6011111111111117', 'discover'),
    card('6011000990139424', 'discover'),
    card('6011981111111113', 'discover', { funding: 'debit' }),
    card('3056930009020004', 'diners'),
    card('36227206271667', 'diners'),
    card('30569309025904', 'diners'),
    card('38520000023237', 'diners'),
    // BCcard and DinaCard run on the Discover network; the sandbox reports them as Discover.
    card('6555900000604105', 'discover'),
    card('3566002020360505', 'jcb'),
    card('3530111333300000', 'jcb', { country: 'JP' }),
    card('6200000000000005', 'unionpay'),
    card('6200000000000047', 'unionpay', { funding: 'debit' }),
    card('6205500000000000004', 'unionpay'),
    // Co-branded: Cartes Bancaires (France) and eftpos (Australia)
    card('4000002500001001', 'visa', { country: 'FR' }),
    card('5555552500001001', 'mastercard', { country: 'FR' }),
    card('4000050360000001', 'visa', { country: 'AU', funding: 'debit' }),
    card('5555050360000080', 'mastercard', { country: 'AU', funding: 'debit' }),
    // Cards by country that are not Visa (the Visa ones are in COUNTRY_CARDS)
    card('5200007840000022', 'mastercard', { country: 'AE' }),
    card('5555558265554449', 'mastercard', { country: 'GB' }),
    ...COUNTRY_CARDS.map(([, number, country, funding = 'credit']) =>
      card(number, 'visa', { country, funding }),
    ),
    // HSA and FSA (health savings and flexible spending accounts): Visa HSA and FSA share a number
    card('4000051230000072', 'visa', { funding: 'debit' }),
    card('5200828282828897', 'mastercard', { funding: 'debit' }),
    // Declines
    card('4000000000000002', 'visa', { decline: DECLINES.generic }),
    card('4000000000009995', 'visa', { decline: DECLINES.insufficientFunds }),
    card('4000000000009987', 'visa', { decline: DECLINES.lostCard }),
    card('4000000000009979', 'visa', { decline: DECLINES.stolenCard }),
    card('4000000000000069', 'visa', { decline: DECLINES.expired }),
    card('4000000000000127', 'visa', { decline: DECLINES.incorrectCvc }),
    card('4000000000000119', 'visa', { decline: DECLINES.processingError }),
    card('4000000000006975', 'visa', { decline: DECLINES.velocityExceeded }),
    card('4000000000000341', 'visa', { chargeDecline: DECLINES.generic }),
    // Fraud prevention: only the card Radar always blocks, and a failed CVC check (Radar's
    // default rules block it), are declined; the risk levels and address checks only report.
    card('4100000000000019', 'visa', { decline: DECLINES.fraudulent }),
    card('4000000000004954', 'visa'),
    card('4000000000009235', 'visa'),
    // High fraud dispute and early fraud warning scores; Radar's dynamic risk thresholds and
    // Adaptive 3DS controls, which act only once enabled in the Dashboard.
    card('4000008400000407', 'visa'),
    card('4000008400000159', 'visa'),
    card('4000008400001017', 'visa'),
    card('4000008405600003', 'visa'),
    card('4000000000000101', 'visa', { cvcDecline: DECLINES.incorrectCvc }),
    card('4000058400307872', 'visa', { cvcDecline: DECLINES.incorrectCvc }),
    card('4000000000000036', 'visa'),
    card('4000058400306072', 'visa'),
    card('4000000000000028', 'visa'),
    card('4000000000000010', 'visa'),
    card('4000000000000044', 'visa'),
    // Disputes, refunds and the available balance (not modelled: the payments succeed)
    card('4000000000000259', 'visa'),
    card('4000000000002685', 'visa'),
    card('4000000000001976', 'visa'),
    card('4000000000005423', 'visa'),
    card('4000000404000079', 'visa'),
    card('4000000404000038', 'visa'),
    card('4000008400000779', 'visa'),
    card('5105008400000002', 'mastercard'),
    card('4000000001000043', 'visa'),
    // Dispute prevention: Visa Rapid Dispute Resolution, Verifi CE3 block, Ethoca alert
    card('4000000404004816', 'visa'),
    card('4000000404005649', 'visa'),
    card('5105000300000018', 'mastercard'),
    card('4000000000007726', 'visa'),
    card('4000000000005126', 'visa'),
    card('4000000000000077', 'visa'),
    card('4000003720000278', 'visa', { country: 'IE' }),
    card('4000000000000093', 'visa'),
    // 3D Secure
    card('4000002500003155', 'visa', { threeDSecure: 'unless_set_up' }),
    card('4000002760003184', 'visa', { threeDSecure: 'always' }),
    // "Already set up": Stripe asks for authentication on session only; the sandbox, which asks
    // for none once a card is set up, lets every payment through.
    card('4000003800000446', 'visa'),
    card('4000008260003178', 'visa', {
      threeDSecure: 'unless_set_up',
      chargeDecline: DECLINES.insufficientFunds,
    }),
    // "3DS Required, OK": Stripe's Irish card and its US one, and 4000000000003063, the one of its
    // earlier docs ("authentication must be completed"): a challenge every time.
    card('4000000000003220', 'visa', { country: 'IE', threeDSecure: 'always' }),
    card('4000008400000027', 'visa', { threeDSecure: 'always' }),
    card('4000000000003063', 'visa', { threeDSecure: 'always' }),
    // "3DS Frictionless flow, OK": 3D Secure on every payment, however set up, and the issuer
    // authenticates with no challenge. The intent goes through `requires_action` as on Stripe;
    // off-session payments fail with `authentication_required` as 4000002760003184's do.
    card('4000000032200000', 'visa', { threeDSecure: 'always', frictionless: true }),
    card('4000008400001629', 'visa', { threeDSecure: 'always', chargeDecline: DECLINES.generic }),
    // 3D Secure required, but its lookup fails: no challenge, and the payment is declined.
    card('4000008400001280', 'visa', { chargeDecline: DECLINES.generic }),
    // "3DS Supported": authentication possible but not required, and Radar's default rules do not
    // ask for it (the sandbox has no `request_three_d_secure: any`), so no 3D Secure: plain
    // successful cards, 4000000000003097's failing lookup included.
    card('4000000000003055', 'visa'),
    card('4000000000003097', 'visa'),
    card('4000582600000094', 'visa', { threeDSecure: 'always' }),
    card('4000582600000045', 'visa', { threeDSecure: 'always' }),
    card('4000582600000102', 'visa', { threeDSecure: 'always' }),
    card('4000582600000110', 'visa', { threeDSecure: 'always' }),
    // The mobile challenge cards of Stripe's earlier documentation (3D Secure 2 on every payment)
    card('4000000000003238', 'visa', { threeDSecure: 'always' }),
    card('4000000000003246', 'visa', { threeDSecure: 'always' }),
    card('4000000000003253', 'visa', { threeDSecure: 'always' }),
    // Captcha challenges and PINs (no captcha and no card reader here: the payments succeed)
    card('4000000000001208', 'visa'),
    card('4000000000003725', 'visa'),
    card('4001007020000002', 'visa'),
    card('4000008260000075', 'visa'),
    card('4001000360000005', 'visa'),
    card('4000002760000008', 'visa'),
  ].map((entry) => [entry.number, entry]),
);

/** Stripe's test payment method ids and the card each stands for. */
export const TEST_PAYMENT_METHOD_IDS: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_us: '4242424242424242',
  pm_card_visa_debit: '4000056655665556',
  pm_card_mastercard: '5555555555554444',
  pm_card_mastercard_debit: '5200828282828210',
  pm_card_mastercard_prepaid: '5105105105105100',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_diners: '3056930009020004',
  pm_card_jcb: '3566002020360505',
  pm_card_unionpay: '6200000000000005',
  pm_card_visa_cartesBancaires: '4000002500001001',
  pm_card_mastercard_cartesBancaires: '5555552500001001',
  pm_card_visa_debit_eftposAuCoBranded: '4000050360000001',
  pm_card_mastercard_debit_eftposAuCoBranded: '5555050360000080',
  pm_card_ae_mastercard: '5200007840000022',
  pm_card_gb_mastercard: '5555558265554449',
  ...Object.fromEntries(COUNTRY_CARDS.map(([id, number]) => [id, number])),
  pm_card_debit_visaFsaProductCode: '4000051230000072',
  pm_card_debit_visaHsaProductCode: '4000051230000072',
  pm_card_mastercard_debit_mastercardFsaProductCode: '5200828282828897',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_visa_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_visa_chargeDeclinedLostCard: '4000000000009987',
  pm_card_visa_chargeDeclinedStolenCard: '4000000000009979',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_visa_chargeDeclinedVelocityLimitExceeded: '4000000000006975',
  pm_card_chargeCustomerFail: '4000000000000341',
  pm_card_radarBlock: '4100000000000019',
  pm_card_riskLevelHighest: '4000000000004954',
  pm_card_riskLevelElevated: '4000000000009235',
  pm_card_highFraudDisputeScore: '4000008400000407',
  pm_card_highEfwScore: '4000008400000159',
  pm_card_radarDynamicRiskThreshold: '4000008400001017',
  pm_card_adaptive3dsChallenge: '4000008405600003',
  pm_card_cvcCheckFail: '4000000000000101',
  pm_card_cvcCheckFailElevatedRisk: '4000058400307872',
  pm_card_avsZipFail: '4000000000000036',
  pm_card_avsZipFailElevatedRisk: '4000058400306072',
  pm_card_avsLine1Fail: '4000000000000028',
  pm_card_avsFail: '4000000000000010',
  pm_card_avsUnchecked: '4000000000000044',
  pm_card_createDispute: '4000000000000259',
  pm_card_createDisputeProductNotReceived: '4000000000002685',
  pm_card_createDisputeInquiry: '4000000000001976',
  pm_card_createIssuerFraudRecord: '4000000000005423',
  pm_card_createMultipleDisputes: '4000000404000079',
  pm_card_createCe3EligibleDispute: '4000000404000038',
  pm_card_createComplianceDispute: '4000008400000779',
  pm_card_createMastercardComplianceDispute: '5105008400000002',
  pm_card_createAutoRepresentmentEligibleDispute: '4000000001000043',
  pm_card_createRapidDisputeResolutionDispute: '4000000404004816',
  pm_card_createCe3BlockDispute: '4000000404005649',
  pm_card_createEthocaAlert: '5105000300000018',
  pm_card_pendingRefund: '4000000000007726',
  pm_card_refundFail: '4000000000005126',
  pm_card_bypassPending: '4000000000000077',
  pm_card_bypassPendingInternational: '4000003720000278',
  pm_card_authenticationRequired: '4000002760003184',
  pm_card_authenticationRequiredOnSetup: '4000002500003155',
  pm_card_authenticationRequiredSetupForOffSession: '4000003800000446',
  pm_card_authenticationRequiredChargeDeclinedInsufficientFunds: '4000008260003178',
  pm_card_threeDSecure2Required: '4000000000003220',
  pm_card_threeDSecureRequiredChargeDeclined: '4000008400001629',
  pm_card_threeDSecureRequiredProcessingError: '4000008400001280',
  pm_card_threeDSecureOptional: '4000000000003055',
  pm_card_threeDSecureOptionalProcessingError: '4000000000003097',
  pm_card_amex_threeDSecureNotSupported: '378282246310005',
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

/** Each brand's name as Stripe shows it (the Payment Element, the hosted pages). */
export const BRAND_NAMES: Record<TestCard['brand'], string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
};

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
 * How a card number behaves: a known test card; any other valid Visa number that starts with
 * `4000`, a plain successful test card (Stripe's cards by country, `4000 00CC C…` with the ISO
 * numeric country code, and its other `4000` cards are too many to list; such a card reports
 * the US as its country); any other valid number of a known brand, which is taken for a real card
 * and declined with `test_mode_live_card` wherever a card is checked (attach, setup, charge), as
 * Stripe refuses real cards in test mode; or `undefined` for a number that fails the Luhn check
 * or has no known brand (`incorrect_number`).
 * @see https://docs.stripe.com/testing#international-cards
 * @see https://docs.stripe.com/declines/codes
 */
export function cardFor(number: string): TestCard | undefined {
  const known = TEST_CARDS.get(number);
  if (known) return known;
  const brand = brandOf(number);
  if (brand === 'unknown' || !luhnValid(number)) return undefined;
  if (brand === 'visa' && number.startsWith('4000')) return card(number, brand);
  return card(number, brand, { decline: DECLINES.liveCard });
}
