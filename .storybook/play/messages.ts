/** The kit's strings in the toolbar's language, so that play functions pass in either language. */
import { en, formatMessage, type TillkitMessages } from '@tillkit/react';
import { de } from '@tillkit/react/locales/de';

export function messagesFor(globals: Record<string, unknown>): TillkitMessages {
  return globals.locale === 'de' ? de : en;
}

export { formatMessage };
