/**
 * The storefront's two themes as the kit's design tokens: `toCssVariables()` puts them on the page
 * for `styles.css` and the demo's own stylesheet, and `toStripeAppearance()` gives the same ones to
 * the card fields, which live in frames that page CSS cannot reach.
 */
import type { TillkitTheme } from '@tillkit/react';
import type { Theme } from './state/preferences';

const shared = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  borderRadius: '10px',
} as const;

export const themes: Record<Theme, TillkitTheme> = {
  light: {
    ...shared,
    colorScheme: 'light',
    colorPrimary: '#4338ca',
    colorBackground: '#ffffff',
    colorText: '#1a1b25',
    colorDanger: '#b3261e',
  },
  dark: {
    ...shared,
    colorScheme: 'dark',
    colorPrimary: '#a5b4fc',
    colorBackground: '#1c1e26',
    colorText: '#eceef4',
    colorDanger: '#ff8a80',
  },
};
