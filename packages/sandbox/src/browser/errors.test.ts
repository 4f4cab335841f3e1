import { describe, expect, it } from 'vitest';
import { clientError, toStripeJsError } from './errors.js';

describe('toStripeJsError', () => {
  const apiError = {
    type: 'card_error',
    code: 'card_declined',
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
    doc_url: 'https://docs.stripe.com/error-codes/card-declined',
    charge: 'ch_1',
    request_log_url: 'https://dashboard.stripe.com/logs/req_1',
  };

  it("copies Stripe.js's fields and words the message in the locale's language", () => {
    expect(toStripeJsError(apiError, 'de-AT')).toEqual({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Ihre Karte ist nicht ausreichend gedeckt.',
      doc_url: 'https://docs.stripe.com/error-codes/card-declined',
      charge: 'ch_1',
    });
  });

  it('keeps English (and falls back to it) with the same message the API sent', () => {
    expect(toStripeJsError(apiError, 'en').message).toBe(apiError.message);
    expect(toStripeJsError(apiError, 'fr-FR').message).toBe(apiError.message);
  });

  it("keeps Stripe.js's own integration messages in English", () => {
    expect(clientError('elements.submit() must be called first.').message).toBe(
      'elements.submit() must be called first.',
    );
  });
});
