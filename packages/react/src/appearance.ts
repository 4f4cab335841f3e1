/**
 * One set of design tokens for both sides of the iframe boundary: `styles.css` reads them as CSS
 * variables (`--tillkit-*`), and `toStripeAppearance()` hands them to Stripe's Appearance API,
 * because page CSS cannot reach the card fields inside Stripe's frames.
 * @see https://docs.stripe.com/elements/appearance-api
 */
import type { Appearance } from '@stripe/stripe-js';

/** Design tokens; each maps to a `--tillkit-*` variable of `styles.css`. */
export interface TillkitTheme {
  /** `stripe` (light) or `night` (dark) for the card fields. @default 'stripe' */
  colorScheme?: 'light' | 'dark';
  /** `--tillkit-color-primary`: buttons, focus rings, the selected card. */
  colorPrimary?: string;
  /** `--tillkit-color-background`: field backgrounds. */
  colorBackground?: string;
  /** `--tillkit-color-text`. */
  colorText?: string;
  /** `--tillkit-color-danger`: errors. */
  colorDanger?: string;
  /** `--tillkit-font-family`. */
  fontFamily?: string;
  /** `--tillkit-radius`, a CSS length such as `6px`. */
  borderRadius?: string;
  /** `--tillkit-spacing`, a CSS length such as `4px` (Stripe's base spacing unit). */
  spacingUnit?: string;
}

const VARIABLES: Array<[keyof TillkitTheme, string, string]> = [
  ['colorPrimary', 'colorPrimary', '--tillkit-color-primary'],
  ['colorBackground', 'colorBackground', '--tillkit-color-background'],
  ['colorText', 'colorText', '--tillkit-color-text'],
  ['colorDanger', 'colorDanger', '--tillkit-color-danger'],
  ['fontFamily', 'fontFamily', '--tillkit-font-family'],
  ['borderRadius', 'borderRadius', '--tillkit-radius'],
  ['spacingUnit', 'spacingUnit', '--tillkit-spacing'],
];

/**
 * Stripe's Appearance object for the same tokens, so the card fields match the page.
 * @example
 * const theme = { colorPrimary: '#0a58ca', borderRadius: '6px' };
 * <div style={toCssVariables(theme)}>
 *   <TillkitProvider apiBase="/api" appearance={toStripeAppearance(theme)}>…
 */
export function toStripeAppearance(theme: TillkitTheme = {}): Appearance {
  const variables: Record<string, string> = {};
  for (const [token, stripeName] of VARIABLES) {
    const value = theme[token];
    if (value) variables[stripeName] = value;
  }
  return { theme: theme.colorScheme === 'dark' ? 'night' : 'stripe', variables };
}

/** The same tokens as CSS custom properties, for a `style` prop. */
export function toCssVariables(theme: TillkitTheme = {}): Record<string, string> {
  const style: Record<string, string> = {};
  for (const [token, , cssName] of VARIABLES) {
    const value = theme[token];
    if (value) style[cssName] = value;
  }
  return style;
}
