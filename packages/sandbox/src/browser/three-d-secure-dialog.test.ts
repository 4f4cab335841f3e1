import { describe, expect, it } from 'vitest';
import { describeIntent } from './three-d-secure-dialog.js';

describe('the 3D Secure dialog text', () => {
  const payment = { object: 'payment_intent', amount: 1000, currency: 'usd' };

  it('says what is authenticated, with the amount in the locale', () => {
    expect(describeIntent(payment, 'en-US')).toBe(
      'A payment of $10.00 needs the cardholder to authenticate.',
    );
    expect(describeIntent(payment, 'de-DE')).toBe(
      'Eine Zahlung von 10,00\u00a0$ erfordert die Authentifizierung durch den Karteninhaber.',
    );
    expect(describeIntent({ ...payment, amount: 1500, currency: 'jpy' }, 'de')).toContain('1.500');
  });

  it('speaks English, with English amounts, for a language the sandbox has not', () => {
    expect(describeIntent(payment, 'fr-FR')).toBe(
      'A payment of $10.00 needs the cardholder to authenticate.',
    );
  });

  it('describes saving a card', () => {
    expect(describeIntent({ object: 'setup_intent' }, 'de')).toBe(
      'Das Speichern Ihrer Karte für künftige Zahlungen erfordert die Authentifizierung durch den Karteninhaber.',
    );
  });
});
