/**
 * Stripe's Appearance API as CSS: the three themes and the main variables.
 * @see https://docs.stripe.com/elements/appearance-api
 */
import type { Appearance } from '../protocol.js';

export interface ThemeVariables {
  colorPrimary: string;
  colorBackground: string;
  colorText: string;
  colorDanger: string;
  fontFamily: string;
  borderRadius: string;
  spacingUnit: string;
  /** Derived, as Stripe derives them: the inputs' border and the labels' secondary text. */
  colorBorder: string;
  colorTextSecondary: string;
  inputBackground: string;
}

const SYSTEM_FONTS =
  '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Ubuntu, sans-serif';

const THEMES: Record<'stripe' | 'night' | 'flat', ThemeVariables> = {
  stripe: {
    colorPrimary: '#0570de',
    colorBackground: '#ffffff',
    colorText: '#30313d',
    colorDanger: '#df1b41',
    fontFamily: SYSTEM_FONTS,
    borderRadius: '5px',
    spacingUnit: '2px',
    colorBorder: '#6d6e78',
    colorTextSecondary: '#5c5d68',
    inputBackground: '#ffffff',
  },
  night: {
    colorPrimary: '#0570de',
    colorBackground: '#30313d',
    colorText: '#ffffff',
    colorDanger: '#fe87a1',
    fontFamily: SYSTEM_FONTS,
    borderRadius: '5px',
    spacingUnit: '2px',
    colorBorder: '#a3a3ad',
    colorTextSecondary: '#e0e0e6',
    inputBackground: '#30313d',
  },
  flat: {
    colorPrimary: '#0570de',
    colorBackground: '#ffffff',
    colorText: '#30313d',
    colorDanger: '#df1b41',
    fontFamily: SYSTEM_FONTS,
    borderRadius: '5px',
    spacingUnit: '2px',
    colorBorder: '#f1f1f1',
    colorTextSecondary: '#5c5d68',
    inputBackground: '#f1f1f1',
  },
};

const VARIABLES = [
  'colorPrimary',
  'colorBackground',
  'colorText',
  'colorDanger',
  'fontFamily',
  'borderRadius',
  'spacingUnit',
] as const;

/** The variables in force: the theme's, overridden by the ones given. */
export function resolveVariables(appearance: Appearance | undefined): ThemeVariables {
  const theme = THEMES[appearance?.theme ?? 'stripe'] ?? THEMES.stripe;
  const resolved = { ...theme };
  const given = appearance?.variables ?? {};
  for (const name of VARIABLES) {
    const value = given[name];
    if (typeof value === 'string' && value.trim()) resolved[name] = value;
  }
  if (given.colorBackground && !given.inputBackground) {
    resolved.inputBackground =
      appearance?.theme === 'flat' ? theme.inputBackground : resolved.colorBackground;
  }
  if (given.colorText) resolved.colorTextSecondary = resolved.colorText;
  return resolved;
}

/** `spacingUnit` × n, as Stripe sizes paddings and gaps. */
function space(variables: ThemeVariables, times: number): string {
  return `calc(${variables.spacingUnit} * ${times})`;
}

export function appearanceCss(appearance: Appearance | undefined): string {
  const v = resolveVariables(appearance);
  const flat = appearance?.theme === 'flat';
  return `
:root {
  color-scheme: ${appearance?.theme === 'night' ? 'dark' : 'light'};
  --colorPrimary: ${v.colorPrimary};
  --colorBackground: ${v.colorBackground};
  --colorText: ${v.colorText};
  --colorDanger: ${v.colorDanger};
  --fontFamily: ${v.fontFamily};
  --borderRadius: ${v.borderRadius};
  --spacingUnit: ${v.spacingUnit};
}
html, body { margin: 0; padding: 0; background: ${v.colorBackground}; }
body { font-family: ${v.fontFamily}; color: ${v.colorText}; font-size: 15px; line-height: 1.3; }
form { margin: 0; padding: 2px; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
legend { font-weight: 600; padding: 0; margin-bottom: ${space(v, 4)}; }
.row { display: flex; gap: ${space(v, 6)}; }
.row > .field { flex: 1 1 0; min-width: 0; }
.field { margin-bottom: ${space(v, 6)}; }
.field[hidden] { display: none; }
label { display: block; margin-bottom: ${space(v, 2)}; font-size: 14px; color: ${v.colorTextSecondary}; }
.input { position: relative; }
input, select {
  box-sizing: border-box; width: 100%; font: inherit; color: ${v.colorText};
  background: ${v.inputBackground};
  border: 1px solid ${v.colorBorder}; border-radius: ${v.borderRadius};
  padding: ${space(v, 6)} ${space(v, 6)};
  ${flat ? 'border-color: transparent;' : ''}
  transition: box-shadow .15s, border-color .15s;
}
input::placeholder { color: ${v.colorTextSecondary}; opacity: 1; }
input:focus, select:focus {
  outline: none; border-color: ${v.colorPrimary};
  box-shadow: 0 0 0 3px color-mix(in srgb, ${v.colorPrimary} 25%, transparent);
}
input[aria-invalid="true"], select[aria-invalid="true"] {
  border-color: ${v.colorDanger}; color: ${v.colorDanger};
  box-shadow: 0 0 0 1px ${v.colorDanger};
}
.has-brand input { padding-right: 9.5em; }
.brand {
  position: absolute; right: ${space(v, 6)}; top: 50%; transform: translateY(-50%);
  font-size: 12px; font-weight: 600; letter-spacing: .02em; color: ${v.colorText};
  pointer-events: none;
}
.error { color: ${v.colorDanger}; font-size: 14px; margin: ${space(v, 2)} 0 0; }
.error:empty { display: none; }
.note { font-size: 13px; color: ${v.colorTextSecondary}; margin: 0 0 ${space(v, 4)}; }
.card-row { display: flex; gap: ${space(v, 4)}; align-items: flex-start; }
.card-row .field { margin-bottom: 0; }
.card-row .number { flex: 3 1 0; }
.card-row .expiry, .card-row .cvc, .card-row .postal { flex: 1 1 0; }
.saved-methods { margin-bottom: ${space(v, 6)}; }
fieldset[hidden] { display: none; }
.saved-option {
  display: flex; align-items: center; gap: ${space(v, 4)};
  border: 1px solid ${v.colorBorder}; border-radius: ${v.borderRadius};
  padding: ${space(v, 5)} ${space(v, 6)}; margin-bottom: ${space(v, 3)};
  background: ${v.inputBackground};
}
.saved-option:has(input:checked) { border-color: ${v.colorPrimary}; }
.saved-option input { width: auto; margin: 0; padding: 0; accent-color: ${v.colorPrimary}; }
.saved-option label {
  display: flex; flex: 1 1 auto; flex-wrap: wrap; min-width: 0;
  column-gap: ${space(v, 4)}; margin: 0; cursor: pointer;
  font-size: 15px; color: ${v.colorText}; overflow-wrap: anywhere;
}
.saved-expiry { margin-left: auto; color: ${v.colorTextSecondary}; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
`;
}
