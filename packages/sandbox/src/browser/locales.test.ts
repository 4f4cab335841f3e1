import { describe, expect, it } from 'vitest';
import { DECLINES } from '../core/cards.js';
import { AUTHENTICATION_FAILED } from '../pages/three-d-secure.js';
import { LIVE_CARD_ERROR } from '../test-support/live-cards.js';
import {
  contentLocale,
  countryName,
  de,
  en,
  format,
  localizeError,
  messagesFor,
  sandboxLanguage,
  validationMessageKey,
} from './locales.js';

describe('the string tables', () => {
  it('German has every English key, each one translated', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(de[key], key).toBeTruthy();
      expect(de[key], key).not.toBe(en[key]);
    }
  });

  it("English words card errors as the sandbox's API does, so English results are unchanged", () => {
    expect(en.cardDeclined).toBe(DECLINES.generic.message);
    expect(en.insufficientFunds).toBe(DECLINES.insufficientFunds.message);
    expect(en.expiredCard).toBe(DECLINES.expired.message);
    expect(en.incorrectCvc).toBe(DECLINES.incorrectCvc.message);
    expect(en.processingError).toBe(DECLINES.processingError.message);
    expect(en.cardVelocityExceeded).toBe(DECLINES.velocityExceeded.message);
    expect(en.testModeLiveCard).toBe(DECLINES.liveCard.message);
    expect(en.authenticationFailed).toBe(AUTHENTICATION_FAILED);
  });

  it('keeps placeholders in both languages', () => {
    expect(format(en.threeDSecurePayment, { amount: '$10.00' })).toBe(
      'A payment of $10.00 needs the cardholder to authenticate.',
    );
    expect(format(de.threeDSecurePayment, { amount: '10,00 $' })).toContain('10,00 $');
    expect(format('{missing} stays', {})).toBe('{missing} stays');
  });
});

describe('choosing the language', () => {
  it('is German for de and every German region, English for anything else', () => {
    for (const locale of ['de', 'de-DE', 'de-AT', 'de-CH', 'de_LU', 'DE']) {
      expect(sandboxLanguage(locale), locale).toBe('de');
    }
    for (const locale of ['en', 'en-GB', 'fr', 'fr-FR', 'pt-BR', 'deu', 'xx']) {
      expect(sandboxLanguage(locale), locale).toBe('en');
    }
  });

  it("follows the browser's language for 'auto' or no locale", () => {
    expect(sandboxLanguage('auto', 'de-AT')).toBe('de');
    expect(sandboxLanguage(undefined, 'de-DE')).toBe('de');
    expect(sandboxLanguage('', 'en-US')).toBe('en');
    expect(sandboxLanguage('en', 'de-DE')).toBe('en');
    expect(messagesFor('auto', 'de-DE')).toBe(de);
    expect(messagesFor('es-ES', 'de-DE')).toBe(en);
  });

  it('tags the content with the locale only when the sandbox speaks its language', () => {
    expect(contentLocale('de-AT')).toBe('de-AT');
    expect(contentLocale('de_CH')).toBe('de-CH');
    expect(contentLocale('en-GB')).toBe('en-GB');
    expect(contentLocale('fr-FR')).toBe('en');
    expect(contentLocale('auto', 'de-DE')).toBe('de-DE');
  });
});

describe('localised errors', () => {
  const declined = {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'generic_decline',
    message: 'Your card was declined.',
    charge: 'ch_1',
  };

  it('words card errors by code and decline_code, keeping type, code and decline_code', () => {
    expect(localizeError(declined, de)).toEqual({
      ...declined,
      message: 'Ihre Karte wurde abgelehnt.',
    });
    const cases: Array<[Partial<typeof declined>, string]> = [
      [{ code: 'card_declined', decline_code: 'insufficient_funds' }, de.insufficientFunds],
      [{ code: 'card_declined', decline_code: 'stolen_card' }, de.cardDeclined],
      [{ code: 'expired_card', decline_code: 'expired_card' }, de.expiredCard],
      [{ code: 'incorrect_cvc', decline_code: 'incorrect_cvc' }, de.incorrectCvc],
      [{ code: 'processing_error', decline_code: 'processing_error' }, de.processingError],
      [{ code: 'authentication_required' }, de.authenticationRequired],
      [{ code: 'incorrect_number', decline_code: undefined }, de.incorrectNumber],
    ];
    for (const [fields, message] of cases) {
      const error = { ...declined, ...fields };
      const localized = localizeError(error, de);
      expect(localized.message, String(fields.decline_code ?? fields.code)).toBe(message);
      expect(localized).toMatchObject({
        type: 'card_error',
        code: error.code,
        decline_code: error.decline_code,
      });
    }
  });

  it('words validation errors and failed authentication', () => {
    expect(
      localizeError(
        { type: 'validation_error', code: 'incomplete_number', message: 'x', param: 'number' },
        de,
      ),
    ).toEqual({
      type: 'validation_error',
      code: 'incomplete_number',
      message: 'Ihre Kartennummer ist unvollständig.',
      param: 'number',
    });
    expect(validationMessageKey('invalid_expiry_month_past')).toBe('pastExpiry');
    const failed = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message: AUTHENTICATION_FAILED,
    };
    expect(localizeError(failed, de).message).toBe(de.authenticationFailed);
    expect(
      localizeError({ ...failed, code: 'setup_intent_authentication_failure' }, de).message,
    ).toBe(de.authenticationFailed);
  });

  it('words card_velocity_exceeded as the API does in English, and in German', () => {
    const velocity = {
      ...declined,
      decline_code: 'card_velocity_exceeded',
      message:
        'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    };
    expect(localizeError(velocity, en)).toEqual(velocity);
    expect(localizeError(velocity, de).message).toBe(
      'Ihre Karte wurde wegen zu vieler Versuche in kurzer Zeit oder eines überschrittenen Betragslimits abgelehnt.',
    );
    // Lost, stolen and fraud reasons stay hidden from the customer, as Stripe keeps them.
    for (const reason of ['lost_card', 'stolen_card', 'fraudulent']) {
      expect(localizeError({ ...declined, decline_code: reason }, en).message, reason).toBe(
        'Your card was declined.',
      );
    }
  });

  it('words a real card in test mode (test_mode_live_card) in full, in English and German', () => {
    const liveCard = { ...declined, ...LIVE_CARD_ERROR };
    expect(localizeError(liveCard, en)).toEqual(liveCard);
    expect(localizeError(liveCard, de)).toEqual({
      ...liveCard,
      message:
        'Ihre Karte wurde abgelehnt. Ihre Anfrage erfolgte im Testmodus, aber mit einer echten Karte. Verwenden Sie eine Testkarte.',
    });
  });

  it("leaves the API's message on other errors and on unknown codes", () => {
    const missing = {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: "No such payment_intent: 'pi_x'",
    };
    expect(localizeError(missing, de)).toBe(missing);
    const unknown = { type: 'card_error', code: 'some_new_code', message: 'As sent' };
    expect(localizeError(unknown, de).message).toBe('As sent');
    expect(localizeError({ type: 'api_error', message: 'Boom' }, de).message).toBe('Boom');
  });
});

describe('country names', () => {
  it("are the table's in English and the browser's in German", () => {
    expect(countryName('DE', 'Germany', 'en')).toBe('Germany');
    expect(countryName('DE', 'Germany', 'de')).toBe('Deutschland');
    expect(countryName('US', 'United States', 'de')).toBe('Vereinigte Staaten');
    expect(countryName('AA', 'Nowhere', 'de')).toBe('Nowhere');
  });
});
