/**
 * With `styles.css` and `appearance={appearanceFromStyles}` on the provider, the card fields (the
 * sandbox's Payment Element, in Chromium) take the kit's theme where the form sits: light, a dark
 * wrapper, the OS's dark mode (also when it changes while the form is open), a theme the page
 * switches by script. Without it, Stripe's own look; an appearance object is used as given.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cdp } from 'vitest/browser';
import {
  API_BASE,
  type InPageSandbox,
  startInPageSandbox,
} from '../test/support/in-page-sandbox.js';
import { cardFields } from '../test/support/keyboard.js';
import { appearanceFromStyles, toStripeAppearance } from './appearance.js';
import { PaymentForm } from './payment-form/payment-form.js';
import { type TillkitAppearance, TillkitProvider } from './provider/tillkit-provider.js';
import './styles.css';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(async () => {
  await cdp().send('Emulation.setEmulatedMedia', { features: [] });
  sandbox.stop();
});
beforeEach(() => sandbox.server.reset());

const LIGHT = { background: 'rgb(255, 255, 255)', text: 'rgb(26, 27, 37)' }; // #ffffff, #1a1b25
const DARK = { background: 'rgb(28, 30, 38)', text: 'rgb(236, 238, 244)' }; // #1c1e26, #eceef4

function form(
  wrap: (children: ReactNode) => ReactNode = (children) => children,
  appearance: TillkitAppearance = appearanceFromStyles,
) {
  return render(
    wrap(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()} appearance={appearance}>
        <PaymentForm items={[{ price: sandbox.server.prices.tshirt!, quantity: 1 }]} />
      </TillkitProvider>,
    ),
  );
}

/** The card number field's colours, once they are `expected` (the frame redraws on update). */
async function expectField(root: ParentNode, expected: { background: string; text: string }) {
  await vi.waitFor(
    async () => {
      const { number } = await cardFields(root);
      const style = getComputedStyle(number);
      expect({ background: style.backgroundColor, text: style.color }).toEqual(expected);
    },
    { timeout: 10_000, interval: 20 },
  );
}

const STRIPE = { background: 'rgb(255, 255, 255)', text: 'rgb(48, 49, 61)' }; // Stripe's #30313d

describe('the card fields follow styles.css', () => {
  it('are light with the light theme, in its colours rather than Stripe’s', async () => {
    const { container } = form();
    await expectField(container, LIGHT);
  });

  it('are dark under a dark wrapper', async () => {
    const { container } = form((children) => <div data-theme="dark">{children}</div>);
    await expectField(container, DARK);
  });

  it('turn dark when the OS does, with the form open, and light again', async () => {
    const { container } = form();
    await expectField(container, LIGHT);
    await cdp().send('Emulation.setEmulatedMedia', {
      features: [{ name: 'prefers-color-scheme', value: 'dark' }],
    });
    await expectField(container, DARK);
    await cdp().send('Emulation.setEmulatedMedia', { features: [] });
    await expectField(container, LIGHT);
  });

  it('follow a theme the page switches by script, on <html> or on a wrapper, with the form open', async () => {
    const root = document.documentElement;
    try {
      const { container } = form((children) => <div data-testid="wrapper">{children}</div>);
      await expectField(container, LIGHT);
      // A theme toggle on <html> (`data-theme`), then off.
      root.setAttribute('data-theme', 'dark');
      await expectField(container, DARK);
      root.removeAttribute('data-theme');
      await expectField(container, LIGHT);
      // A `.dark` class on a wrapper the form sits in.
      const wrapper = container.querySelector('[data-testid="wrapper"]') as HTMLElement;
      wrapper.classList.add('dark');
      await expectField(container, DARK);
      // The host's own token on a wrapper's style.
      wrapper.classList.remove('dark');
      wrapper.style.setProperty('--tillkit-color-background', '#fff8e1');
      await expectField(container, { background: 'rgb(255, 248, 225)', text: LIGHT.text });
    } finally {
      root.removeAttribute('data-theme');
    }
  });

  it('keep Stripe’s own look without appearanceFromStyles, even under a dark wrapper', async () => {
    const { container } = render(
      <div data-theme="dark">
        <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
          <PaymentForm items={[{ price: sandbox.server.prices.tshirt!, quantity: 1 }]} />
        </TillkitProvider>
      </div>,
    );
    await expectField(container, STRIPE);
  });

  it('leave the look to the appearance the provider is given', async () => {
    const appearance = toStripeAppearance({ colorBackground: '#fff8e1', colorText: '#3e2723' });
    const { container } = form((children) => <div data-theme="dark">{children}</div>, appearance);
    await expectField(container, { background: 'rgb(255, 248, 225)', text: 'rgb(62, 39, 35)' });
  });
});
