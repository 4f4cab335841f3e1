/**
 * What the customer reads for a failure thrown on the way (the server's error codes, a lost
 * connection): the kit's words for the codes they can act on, from the messages of the feature
 * that failed, and a generic message for everything else, whatever code a server sends.
 */
import { describe, expect, it } from 'vitest';
import { de } from '../messages/de.js';
import { en } from '../messages/en.js';
import { commonMessages } from '../messages/messages.js';
import { fromThrown } from './errors.js';

const thrown = (code: unknown) => Object.assign(new Error('server words'), { code });

describe('fromThrown', () => {
  it('gives the kit’s words for the codes a customer can act on, in the messages given', () => {
    for (const [code, key] of [
      ['network_error', 'networkError'],
      ['timeout', 'networkError'],
      ['rate_limited', 'rateLimited'],
      ['price_unavailable', 'priceUnavailable'],
      ['recurring_price_not_allowed', 'priceUnavailable'],
      ['already_subscribed', 'alreadySubscribed'],
      ['trial_used', 'trialUsed'],
      ['promotion_code_invalid', 'promotionCodeInvalid'],
      ['promotion_code_not_applied', 'promotionCodeNotApplied'],
    ] as const) {
      expect(fromThrown(thrown(code), en)).toMatchObject({ code, message: en[key] });
      expect(fromThrown(thrown(code), de).message).toBe(de[key]);
    }
  });

  it('gives the generic message for any other code, one the feature’s messages lack, or none', () => {
    for (const code of [
      'invalid_request',
      'card_declined',
      'to_string',
      'constructor',
      '__proto__',
      'has_own_property',
      '',
      42,
      undefined,
    ]) {
      expect(fromThrown(thrown(code), en).message).toBe(en.genericError);
    }
    // The subscribe form's words are not in the common messages a payment form is given.
    expect(fromThrown(thrown('already_subscribed'), commonMessages).message).toBe(
      commonMessages.genericError,
    );
    expect(fromThrown(thrown('mystery'), en, 'load_error')).toMatchObject({
      type: 'load_error',
      message: en.loadError,
    });
    expect(fromThrown(null, en).message).toBe(en.genericError);
  });
});
