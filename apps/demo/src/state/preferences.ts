/**
 * The visitor's language and theme, kept across visits. The first visit follows the browser's
 * language and the OS's colour scheme.
 */
import { isRecord, localStore, useLocalStore } from './local-store';

export type Language = 'en' | 'de';
export type Theme = 'light' | 'dark';

export interface Preferences {
  language: Language;
  theme: Theme;
}

/** The locale each language formats amounts and dates in (the kit's `locale`). */
export const locales: Record<Language, string> = { en: 'en-US', de: 'de-DE' };

const initial: Preferences = {
  language: navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en',
  theme: window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
};

const store = localStore<Preferences>('tillkit-demo:preferences', initial, (stored) =>
  isRecord(stored) &&
  (stored.language === 'en' || stored.language === 'de') &&
  (stored.theme === 'light' || stored.theme === 'dark')
    ? { language: stored.language, theme: stored.theme }
    : undefined,
);

export function usePreferences(): Preferences {
  return useLocalStore(store);
}

export function setLanguage(language: Language): void {
  store.set((current) => ({ ...current, language }));
}

export function setTheme(theme: Theme): void {
  store.set((current) => ({ ...current, theme }));
}
