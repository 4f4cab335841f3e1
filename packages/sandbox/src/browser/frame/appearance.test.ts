import { describe, expect, it } from 'vitest';
import { appearanceCss, resolveVariables } from './appearance.js';

describe('the Appearance API', () => {
  it('starts from the stripe theme', () => {
    expect(resolveVariables(undefined)).toMatchObject({
      colorPrimary: '#0570de',
      colorBackground: '#ffffff',
      colorText: '#30313d',
      colorDanger: '#df1b41',
    });
  });

  it('has night and flat themes', () => {
    expect(resolveVariables({ theme: 'night' })).toMatchObject({
      colorBackground: '#30313d',
      colorText: '#ffffff',
    });
    expect(resolveVariables({ theme: 'flat' }).inputBackground).toBe('#f1f1f1');
  });

  it('lets variables override the theme, and ignores blank ones', () => {
    const variables = resolveVariables({
      theme: 'night',
      variables: { colorPrimary: '#ff5500', borderRadius: '0px', colorText: ' ' },
    });
    expect(variables).toMatchObject({
      colorPrimary: '#ff5500',
      borderRadius: '0px',
      colorText: '#ffffff',
    });
  });

  it('writes the variables into the CSS', () => {
    const css = appearanceCss({
      variables: { fontFamily: 'Georgia, serif', spacingUnit: '3px', colorDanger: '#aa0000' },
    });
    expect(css).toContain('font-family: Georgia, serif');
    expect(css).toContain('calc(3px * 6)');
    expect(css).toContain('color: #aa0000');
    expect(css).toContain('color-scheme: light');
    expect(appearanceCss({ theme: 'night' })).toContain('color-scheme: dark');
  });
});
