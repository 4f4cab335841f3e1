import { describe, expect, it } from 'vitest';
import { toCssVariables, toStripeAppearance } from './appearance.js';

describe('toStripeAppearance', () => {
  it("maps the kit's tokens onto Stripe's Appearance variables", () => {
    expect(
      toStripeAppearance({
        colorPrimary: '#0a58ca',
        colorBackground: '#ffffff',
        colorText: '#1a1b25',
        colorDanger: '#b3261e',
        fontFamily: 'Inter, sans-serif',
        borderRadius: '6px',
        spacingUnit: '4px',
      }),
    ).toEqual({
      theme: 'stripe',
      variables: {
        colorPrimary: '#0a58ca',
        colorBackground: '#ffffff',
        colorText: '#1a1b25',
        colorDanger: '#b3261e',
        fontFamily: 'Inter, sans-serif',
        borderRadius: '6px',
        spacingUnit: '4px',
      },
    });
  });

  it("uses Stripe's night theme for a dark scheme and leaves unset tokens to it", () => {
    expect(toStripeAppearance({ colorScheme: 'dark', colorPrimary: '#7aa7ff' })).toEqual({
      theme: 'night',
      variables: { colorPrimary: '#7aa7ff' },
    });
    expect(toStripeAppearance()).toEqual({ theme: 'stripe', variables: {} });
  });

  it('gives the same tokens as --tillkit-* CSS variables', () => {
    expect(toCssVariables({ colorPrimary: '#0a58ca', borderRadius: '8px' })).toEqual({
      '--tillkit-color-primary': '#0a58ca',
      '--tillkit-radius': '8px',
    });
  });
});
