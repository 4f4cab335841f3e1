import { describe, expect, it } from 'vitest';
import { LIVE_CARD_ERROR, REAL_CARD_NUMBERS } from '../test-support/live-cards.js';
import {
  brandOf,
  cardFor,
  DECLINES,
  luhnValid,
  TEST_CARDS,
  TEST_PAYMENT_METHOD_IDS,
} from './cards.js';

// Written out from Stripe's testing page (and its earlier editions), not read from TEST_CARDS:
// the number and the brand Stripe reports. https://docs.stripe.com/testing
const STRIPE_TEST_CARDS = [
  // Cards by brand
  ['4242424242424242', 'visa'],
  ['4012888888881881', 'visa'],
  ['4000056655665556', 'visa'],
  ['5555555555554444', 'mastercard'],
  ['2223003122003222', 'mastercard'],
  ['5200828282828210', 'mastercard'],
  ['5105105105105100', 'mastercard'],
  ['378282246310005', 'amex'],
  ['371449635398431', 'amex'],
  ['6011111111111117', 'discover'],
  ['6011000990139424', 'discover'],
  ['6011981111111113', 'discover'],
  ['3056930009020004', 'diners'],
  ['36227206271667', 'diners'],
  ['30569309025904', 'diners'],
  ['38520000023237', 'diners'],
  // BCcard and DinaCard: Stripe names no brand; they run on the Discover network.
  ['6555900000604105', 'discover'],
  ['3566002020360505', 'jcb'],
  ['3530111333300000', 'jcb'],
  ['6200000000000005', 'unionpay'],
  ['6200000000000047', 'unionpay'],
  ['6205500000000000004', 'unionpay'],
  // Co-branded, and by country
  ['4000002500001001', 'visa'],
  ['5555552500001001', 'mastercard'],
  ['4000050360000001', 'visa'],
  ['5555050360000080', 'mastercard'],
  ['4000000760000002', 'visa'],
  ['4000001240000000', 'visa'],
  ['4000004840008001', 'visa'],
  ['4000058260000005', 'visa'],
  ['5555558265554449', 'mastercard'],
  ['4000057640000008', 'visa'],
  // Declines
  ['4000000000000002', 'visa'],
  ['4000000000009995', 'visa'],
  ['4000000000009987', 'visa'],
  ['4000000000009979', 'visa'],
  ['4000000000000069', 'visa'],
  ['4000000000000127', 'visa'],
  ['4000000000000119', 'visa'],
  ['4000000000006975', 'visa'],
  ['4000000000000341', 'visa'],
  // Fraud prevention
  ['4100000000000019', 'visa'],
  ['4000000000004954', 'visa'],
  ['4000000000009235', 'visa'],
  ['4000000000000101', 'visa'],
  ['4000000000000036', 'visa'],
  ['4000058400307872', 'visa'],
  ['4000058400306072', 'visa'],
  ['4000000000000028', 'visa'],
  ['4000000000000010', 'visa'],
  ['4000000000000044', 'visa'],
  // Disputes, refunds, balance
  ['4000000000000259', 'visa'],
  ['4000000000002685', 'visa'],
  ['4000000000001976', 'visa'],
  ['4000000000005423', 'visa'],
  ['4000000404000079', 'visa'],
  ['4000000404000038', 'visa'],
  ['4000008400000779', 'visa'],
  ['4000000000007726', 'visa'],
  ['4000000000005126', 'visa'],
  ['4000000000000077', 'visa'],
  ['4000003720000278', 'visa'],
  ['4000000000000093', 'visa'],
  // 3D Secure
  ['4000002500003155', 'visa'],
  ['4000002760003184', 'visa'],
  ['4000003800000446', 'visa'],
  ['4000008260003178', 'visa'],
  ['4000000000003220', 'visa'],
  ['4000000000003063', 'visa'],
  ['4000008400001629', 'visa'],
  ['4000008400001280', 'visa'],
  ['4000000000003055', 'visa'],
  ['4000000000003097', 'visa'],
  ['4000582600000094', 'visa'],
  ['4000582600000045', 'visa'],
  ['4000582600000102', 'visa'],
  ['4000582600000110', 'visa'],
  // Captcha challenges and PINs
  ['4000000000001208', 'visa'],
  ['4000000000003725', 'visa'],
  ['4001007020000002', 'visa'],
  ['4000008260000075', 'visa'],
  ['4001000360000005', 'visa'],
  ['4000002760000008', 'visa'],
] as const;

// The cards this list once lacked (refused as live cards, or issued in the US by the `4000` rule),
// written out from https://docs.stripe.com/testing: number, brand, issuing country, funding and
// whether 3D Secure is asked for on every payment (`frictionless`: on every payment, and the
// issuer authenticates with no challenge).
const ADDED_FROM_STRIPE_DOCS = [
  // Cards by country
  ['4000007840000001', 'visa', 'AE', 'credit', 'none'],
  ['5200007840000022', 'mastercard', 'AE', 'credit', 'none'],
  ['4000001910000009', 'visa', 'HR', 'credit', 'none'],
  ['4000002330000009', 'visa', 'EE', 'credit', 'none'],
  ['4000002920000005', 'visa', 'GI', 'credit', 'none'],
  ['4000004380000004', 'visa', 'LI', 'credit', 'none'],
  // HSA and FSA
  ['4000051230000072', 'visa', 'US', 'debit', 'none'],
  ['5200828282828897', 'mastercard', 'US', 'debit', 'none'],
  // Fraud prevention: dispute and early fraud warning scores, dynamic thresholds, Adaptive 3DS
  ['4000008400000407', 'visa', 'US', 'credit', 'none'],
  ['4000008400000159', 'visa', 'US', 'credit', 'none'],
  ['4000008400001017', 'visa', 'US', 'credit', 'none'],
  ['4000008405600003', 'visa', 'US', 'credit', 'none'],
  // Disputes: Mastercard compliance, Smart Disputes; prevention: RDR, CE3 block, Ethoca
  ['5105008400000002', 'mastercard', 'US', 'credit', 'none'],
  ['4000000001000043', 'visa', 'US', 'credit', 'none'],
  ['4000000404004816', 'visa', 'US', 'credit', 'none'],
  ['4000000404005649', 'visa', 'US', 'credit', 'none'],
  ['5105000300000018', 'mastercard', 'US', 'credit', 'none'],
  // 3D Secure required: the Irish card (once listed as US), the US one, the frictionless one,
  // and the mobile challenge cards of Stripe's earlier documentation
  ['4000000000003220', 'visa', 'IE', 'credit', 'always'],
  ['4000008400000027', 'visa', 'US', 'credit', 'always'],
  ['4000000032200000', 'visa', 'US', 'credit', 'frictionless'],
  ['4000000000003238', 'visa', 'US', 'credit', 'always'],
  ['4000000000003246', 'visa', 'US', 'credit', 'always'],
  ['4000000000003253', 'visa', 'US', 'credit', 'always'],
] as const;

describe('cardFor', () => {
  it('the real card numbers the tests use are Luhn-valid, of their brand, and not test cards', () => {
    for (const [brand, number] of Object.entries(REAL_CARD_NUMBERS)) {
      expect(luhnValid(number), number).toBe(true);
      expect(brandOf(number), number).toBe(brand);
      expect(TEST_CARDS.has(number), number).toBe(false);
      expect(
        [...STRIPE_TEST_CARDS, ...ADDED_FROM_STRIPE_DOCS].map(([listed]) => listed),
        number,
      ).not.toContain(number);
      expect(number, 'the generic test number is accepted').not.toBe('4111111111111111');
      expect(number.startsWith('4000'), number).toBe(false);
    }
  });

  it('declines a real card number of every brand with test_mode_live_card, as Stripe does in test mode', () => {
    expect(DECLINES.liveCard).toEqual({
      code: LIVE_CARD_ERROR.code,
      declineCode: LIVE_CARD_ERROR.decline_code,
      message: LIVE_CARD_ERROR.message,
    });
    for (const [brand, number] of Object.entries(REAL_CARD_NUMBERS)) {
      expect(cardFor(number), number).toMatchObject({
        number,
        brand,
        decline: DECLINES.liveCard,
        threeDSecure: 'none',
      });
      expect(cardFor(number)?.chargeDecline, number).toBeUndefined();
    }
  });

  it('keeps every test card as it is', () => {
    for (const card of TEST_CARDS.values()) expect(cardFor(card.number)).toBe(card);
    expect(cardFor('4242424242424242')?.decline).toBeUndefined();
  });

  it.each(STRIPE_TEST_CARDS)(
    'knows Stripe’s test card %s (%s): not refused as a live card',
    (number, brand) => {
      const card = cardFor(number);
      expect(card).toBeDefined();
      expect(card?.brand).toBe(brand);
      expect(card?.decline).not.toEqual(DECLINES.liveCard);
      expect(TEST_CARDS.get(number)).toBe(card);
    },
  );

  it.each(ADDED_FROM_STRIPE_DOCS)(
    'knows Stripe’s test card %s as a %s card issued in %s (%s, 3D Secure: %s)',
    (number, brand, country, funding, threeDSecure) => {
      const card = cardFor(number);
      const authentication =
        threeDSecure === 'frictionless'
          ? { threeDSecure: 'always', frictionless: true }
          : { threeDSecure };
      expect(card).toEqual({ number, brand, country, funding, ...authentication });
      expect(TEST_CARDS.get(number)).toBe(card);
    },
  );

  it('authenticates only 4000000032200000 without a challenge, as Stripe documents', () => {
    const frictionless = [...TEST_CARDS.values()].filter((card) => card.frictionless);
    expect(frictionless.map((card) => card.number)).toEqual(['4000000032200000']);
    // "3DS Required" cards and the mobile challenge ones show the challenge.
    for (const number of [
      '4000000000003220',
      '4000008400000027',
      '4000000000003063',
      '4000002760003184',
      '4000002500003155',
      '4000000000003238',
      '4000582600000094',
    ]) {
      expect(cardFor(number)?.threeDSecure, number).not.toBe('none');
      expect(cardFor(number)?.frictionless, number).toBeUndefined();
    }
    // "3DS Supported": not asked for by Radar's default rules.
    expect(cardFor('4000000000003055')?.threeDSecure).toBe('none');
    expect(cardFor('4000000000003097')?.threeDSecure).toBe('none');
  });

  it('accepts 4111 1111 1111 1111, the generic test number, as a plain successful US Visa', () => {
    expect(cardFor('4111111111111111')).toEqual({
      number: '4111111111111111',
      brand: 'visa',
      funding: 'credit',
      country: 'US',
      threeDSecure: 'none',
    });
  });

  it('declines the lost, stolen, over-the-limit and Radar-blocked cards as Stripe does', () => {
    expect(cardFor('4000000000009987')?.decline).toEqual({
      code: 'card_declined',
      declineCode: 'lost_card',
      message: 'Your card was declined.',
    });
    expect(cardFor('4000000000009979')?.decline).toEqual({
      code: 'card_declined',
      declineCode: 'stolen_card',
      message: 'Your card was declined.',
    });
    expect(cardFor('4000000000006975')?.decline).toEqual({
      code: 'card_declined',
      declineCode: 'card_velocity_exceeded',
      message:
        'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    });
    expect(cardFor('4100000000000019')?.decline).toEqual({
      code: 'card_declined',
      declineCode: 'fraudulent',
      message: 'Your card was declined.',
    });
    // Declined only when a CVC is given (payment-methods.ts applies it).
    expect(cardFor('4000000000000101')).toMatchObject({
      cvcDecline: { code: 'incorrect_cvc', declineCode: 'incorrect_cvc' },
    });
    expect(cardFor('4000000000000101')?.decline).toBeUndefined();
  });

  it('asks for 3D Secure, then declines the charge, on the "authenticate then decline" cards', () => {
    expect(cardFor('4000008400001629')).toMatchObject({
      threeDSecure: 'always',
      chargeDecline: { code: 'card_declined', declineCode: 'generic_decline' },
    });
    expect(cardFor('4000008260003178')).toMatchObject({
      threeDSecure: 'unless_set_up',
      chargeDecline: { code: 'card_declined', declineCode: 'insufficient_funds' },
    });
    for (const number of ['4000008400001629', '4000008260003178']) {
      expect(cardFor(number)?.decline, number).toBeUndefined();
    }
  });

  it('takes any other valid Visa number starting with 4000 for a plain successful test card', () => {
    for (const number of ['4000123456789017', '4000009990000005']) {
      expect(TEST_CARDS.has(number), number).toBe(false);
      expect(cardFor(number), number).toEqual({
        number,
        brand: 'visa',
        funding: 'credit',
        country: 'US',
        threeDSecure: 'none',
      });
    }
    // A listed country card keeps its country (4000 00 784… is the UAE's, not the US's).
    expect(cardFor('4000007840000001')?.country).toBe('AE');
    // Not 4000: a real card. Not Luhn-valid: no card.
    expect(cardFor('4001123456789016')?.decline).toEqual(DECLINES.liveCard);
    expect(cardFor('4000123456789018')).toBeUndefined();
  });

  it('gives every test payment method id a known card', () => {
    for (const [id, number] of Object.entries(TEST_PAYMENT_METHOD_IDS)) {
      expect(TEST_CARDS.has(number), id).toBe(true);
    }
    expect(TEST_PAYMENT_METHOD_IDS.pm_card_visa_chargeDeclinedLostCard).toBe('4000000000009987');
    expect(TEST_PAYMENT_METHOD_IDS.pm_card_visa_chargeDeclinedStolenCard).toBe('4000000000009979');
    expect(TEST_PAYMENT_METHOD_IDS.pm_card_radarBlock).toBe('4100000000000019');
    expect(
      TEST_PAYMENT_METHOD_IDS.pm_card_authenticationRequiredChargeDeclinedInsufficientFunds,
    ).toBe('4000008260003178');
    expect(TEST_PAYMENT_METHOD_IDS.pm_card_threeDSecureRequiredChargeDeclined).toBe(
      '4000008400001629',
    );
    expect(TEST_PAYMENT_METHOD_IDS.pm_card_br).toBe('4000000760000002');
  });

  it.each([
    ['pm_card_ae', '4000007840000001'],
    ['pm_card_ae_mastercard', '5200007840000022'],
    ['pm_card_hr', '4000001910000009'],
    ['pm_card_ee', '4000002330000009'],
    ['pm_card_gi', '4000002920000005'],
    ['pm_card_li', '4000004380000004'],
    ['pm_card_debit_visaFsaProductCode', '4000051230000072'],
    ['pm_card_debit_visaHsaProductCode', '4000051230000072'],
    ['pm_card_mastercard_debit_mastercardFsaProductCode', '5200828282828897'],
    ['pm_card_highFraudDisputeScore', '4000008400000407'],
    ['pm_card_highEfwScore', '4000008400000159'],
    ['pm_card_radarDynamicRiskThreshold', '4000008400001017'],
    ['pm_card_adaptive3dsChallenge', '4000008405600003'],
    ['pm_card_createMastercardComplianceDispute', '5105008400000002'],
    ['pm_card_createAutoRepresentmentEligibleDispute', '4000000001000043'],
    ['pm_card_createRapidDisputeResolutionDispute', '4000000404004816'],
    ['pm_card_createCe3BlockDispute', '4000000404005649'],
    ['pm_card_createEthocaAlert', '5105000300000018'],
  ])('knows Stripe’s test payment method id %s (%s)', (id, number) => {
    expect(TEST_PAYMENT_METHOD_IDS[id]).toBe(number);
  });

  it('knows no card for a number that fails the Luhn check or has no known brand', () => {
    expect(luhnValid('9999999999999995')).toBe(true);
    for (const number of ['4242424242424241', '4111111111111112', '9999999999999995', '42']) {
      expect(cardFor(number), number).toBeUndefined();
    }
  });
});
