import { describe, expect, it } from 'vitest';
import { de } from './de.js';
import { en } from './en.js';
import { formatMessage } from './messages.js';

describe('messages', () => {
  it('German has every English string, and nothing else', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(de)) {
      expect(value, key).not.toBe('');
      expect(value.match(/\{\w+\}/g), key).toEqual(en[key as keyof typeof en].match(/\{\w+\}/g));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(formatMessage(en.pay, { amount: '$5.00' })).toBe('Pay $5.00');
    expect(formatMessage(de.pay, { amount: '5,00 €' })).toBe('5,00 € bezahlen');
    expect(formatMessage('Hi {name}')).toBe('Hi {name}');
  });
});
