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

/**
 * Each token's CSS variable, without its `--tillkit-` prefix. Stripe's Appearance variables have
 * the tokens' own names.
 */
const CSS_NAMES: Record<Exclude<keyof TillkitTheme, 'colorScheme'>, string> = {
  colorPrimary: 'color-primary',
  colorBackground: 'color-background',
  colorText: 'color-text',
  colorDanger: 'color-danger',
  fontFamily: 'font-family',
  borderRadius: 'radius',
  spacingUnit: 'spacing',
};

/** The tokens that are set, each under `name(token, cssName)`. */
function mapTokens(
  theme: TillkitTheme,
  name: (token: string, cssName: string) => string,
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [token, cssName] of Object.entries(CSS_NAMES)) {
    const value = theme[token as keyof typeof CSS_NAMES];
    if (value) variables[name(token, cssName)] = value;
  }
  return variables;
}

/**
 * Stripe's Appearance object for the same tokens, so the card fields match the page.
 * @example
 * const theme = { colorPrimary: '#0a58ca', borderRadius: '6px' };
 * <div style={toCssVariables(theme)}>
 *   <TillkitProvider apiBase="/api" appearance={toStripeAppearance(theme)}>…
 */
export function toStripeAppearance(theme: TillkitTheme = {}): Appearance {
  return {
    theme: theme.colorScheme === 'dark' ? 'night' : 'stripe',
    variables: mapTokens(theme, (token) => token),
  };
}

/**
 * The theme `styles.css` gives `node` (its `--tillkit-*` variables where it sits: light, dark, or
 * a host's own values), as Stripe's Appearance; undefined where no variable is set (no
 * `styles.css` on the page), so that Stripe's default look stays. For the provider's
 * `appearance`, which reads it for each form's card fields, again when the OS's scheme changes.
 * @example
 * <TillkitProvider apiBase="/api" appearance={appearanceFromStyles}>
 */
export function appearanceFromStyles(node: Element): Appearance | undefined {
  const style = getComputedStyle(node);
  const read = (name: string) => style.getPropertyValue(`--tillkit-${name}`).trim();
  const theme: Record<string, string> = {};
  for (const [token, cssName] of Object.entries(CSS_NAMES)) {
    const value = read(cssName);
    if (value) theme[token] = value;
  }
  return Object.keys(theme).length
    ? toStripeAppearance({
        ...theme,
        colorScheme: read('color-scheme') === 'dark' ? 'dark' : 'light',
      })
    : undefined;
}

/** The same tokens as CSS custom properties, for a `style` prop. */
export function toCssVariables(theme: TillkitTheme = {}): Record<string, string> {
  return mapTokens(theme, (_, cssName) => `--tillkit-${cssName}`);
}
