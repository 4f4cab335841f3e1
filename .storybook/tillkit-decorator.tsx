/**
 * What wraps every story: `<TillkitProvider>` pointed at the in-page demo server, with the sandbox's
 * Stripe.js (its Payment Element drawn in same-origin `srcdoc` frames, since MSW's worker serves no
 * frame navigations), the toolbar's language (messages and locale) and theme (a class and the
 * `--tillkit-*` variables for the page, `toStripeAppearance()` for the card fields).
 */

import type { Decorator } from '@storybook/react-vite';
import type { Stripe } from '@stripe/stripe-js';
import {
  type TillkitMessages,
  TillkitProvider,
  type TillkitTheme,
  toCssVariables,
  toStripeAppearance,
} from '@tillkit/react';
import { de } from '@tillkit/react/locales/de';
import { loadSandboxStripe } from '@tillkit/sandbox/browser';
import { type ReactNode, useLayoutEffect, useMemo } from 'react';
import { API_BASE, DEMO_TOKEN, PUBLISHABLE_KEY, SANDBOX_BASE } from './mocks/demo-server.js';

export type ThemeName = 'light' | 'dark';
export type LanguageName = 'en' | 'de';

/** The same tokens as styles.css's light and dark defaults: one source for page and card fields. */
export const THEMES: Record<ThemeName, TillkitTheme> = {
  light: {
    colorScheme: 'light',
    colorPrimary: '#0a58ca',
    colorBackground: '#ffffff',
    colorText: '#1a1b25',
    colorDanger: '#b3261e',
    borderRadius: '6px',
  },
  dark: {
    colorScheme: 'dark',
    colorPrimary: '#7aa7ff',
    colorBackground: '#1c1e26',
    colorText: '#eceef4',
    colorDanger: '#ff8a80',
    borderRadius: '6px',
  },
};

/** The toolbar's languages: the provider's `locale` and the messages that ship for it. */
export const LANGUAGES: Record<
  LanguageName,
  { locale: string; messages: Partial<TillkitMessages> | undefined }
> = {
  en: { locale: 'en-US', messages: undefined },
  de: { locale: 'de-DE', messages: de },
};

/** Per-story settings of the decorator (`parameters.tillkit`). */
export interface TillkitParameters {
  /** `false`: the story renders its own provider (the theming example). @default true */
  provider?: boolean;
  /** A guest: the provider sends no bearer token. @default false (the demo customer) */
  guest?: boolean;
  /**
   * Where the provider gets Stripe.js: `sandbox`, the sandbox's Stripe object; `pending`, a promise
   * that never settles (the provider's loading state); `server`, none given, so the provider reads
   * `${apiBase}/config` and loads what the server names. @default 'sandbox'
   */
  stripe?: 'sandbox' | 'pending' | 'server';
}

declare module 'storybook/internal/csf' {
  interface Parameters {
    tillkit?: TillkitParameters;
  }
}

function StoryProvider({
  theme,
  language,
  settings,
  children,
}: {
  theme: ThemeName;
  language: LanguageName;
  settings: TillkitParameters;
  children: ReactNode;
}) {
  const { locale, messages } = LANGUAGES[language];
  const tokens = THEMES[theme];
  // Stripe.js is read once per provider (the provider is keyed by language below).
  const source = settings.stripe ?? 'sandbox';
  const stripe = useMemo(
    () =>
      source === 'server'
        ? undefined
        : source === 'pending'
          ? new Promise<never>(() => {})
          : loadSandboxStripe(PUBLISHABLE_KEY, { apiBase: SANDBOX_BASE, frames: 'inline', locale }),
    [source, locale],
  );
  const appearance = useMemo(() => toStripeAppearance(tokens), [tokens]);
  // styles.css also follows prefers-color-scheme on :root; the toolbar's choice wins.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = locale;
  }, [theme, locale]);
  return (
    <div
      className={`tillkit-story ${theme}`}
      data-theme={theme}
      style={{
        ...toCssVariables(tokens),
        background: 'var(--tillkit-color-background)',
        color: 'var(--tillkit-color-text)',
        fontFamily: 'var(--tillkit-font-family)',
        minHeight: '100vh',
        padding: '1.5rem',
        boxSizing: 'border-box',
      }}
    >
      {settings.provider === false ? (
        children
      ) : (
        <TillkitProvider
          key={language}
          apiBase={API_BASE}
          // The sandbox's Stripe object stands in for Stripe's; the kit's types are Stripe's.
          {...(stripe ? { stripe: stripe as unknown as PromiseLike<Stripe> } : {})}
          appearance={appearance}
          locale={locale}
          messages={messages}
          getAuthToken={() => (settings.guest ? null : DEMO_TOKEN)}
        >
          {children}
        </TillkitProvider>
      )}
    </div>
  );
}

/** The decorator every story gets (preview.tsx), driven by the toolbar's globals. */
export const withTillkit: Decorator = (Story, context) => (
  <StoryProvider
    theme={(context.globals.theme as ThemeName | undefined) ?? 'light'}
    language={(context.globals.locale as LanguageName | undefined) ?? 'en'}
    settings={context.parameters.tillkit ?? {}}
  >
    <Story />
  </StoryProvider>
);
