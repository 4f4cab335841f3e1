/**
 * `styles.css` in Chromium: the live regions it styles stay in the accessibility tree while
 * empty, so that what they say later is announced; every focusable part shows a real outline in
 * the theme's primary colour (also in forced colors, and under a theme set on a wrapper); native
 * controls follow the kit's colour scheme.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdp } from 'vitest/browser';
import { toCssVariables } from './appearance.js';
import './styles.css';

const STATUS_SLOTS = [
  'payment-form-status',
  'save-card-form-status',
  'subscribe-form-status',
  'subscribe-form-promotion-status',
  'pay-with-new-card-status',
  'saved-cards-status',
  'payment-history-status',
  'pricing-table-status',
  'subscription-manager-status',
];

describe('styles.css', () => {
  it.each(STATUS_SLOTS)('keeps an empty %s region rendered, out of sight', (slot) => {
    const { container } = render(<p data-slot={slot} role="status" />);
    const region = container.firstElementChild as HTMLElement;
    const style = getComputedStyle(region);
    // display: none (or visibility: hidden) would take it out of the accessibility tree.
    expect(style.display).not.toBe('none');
    expect(style.visibility).toBe('visible');
    expect(region.getBoundingClientRect().width).toBeLessThanOrEqual(1);
    expect(region.getBoundingClientRect().height).toBeLessThanOrEqual(1);
  });

  it.each(STATUS_SLOTS)('shows the %s region in the flow once it has words', (slot) => {
    const { container } = render(
      <p data-slot={slot} role="status">
        Visa ending in 4242 is now your default card.
      </p>,
    );
    const region = container.firstElementChild as HTMLElement;
    expect(getComputedStyle(region).position).toBe('static');
    expect(region.getBoundingClientRect().width).toBeGreaterThan(100);
  });
});

/** Every button-like part the stylesheet gives a focus indicator. */
const BUTTON_SLOTS = [
  'payment-form-submit',
  'payment-status-authenticate',
  'authenticate-payment-trigger',
  'payment-status-refresh',
  'saved-cards-retry',
  'payment-history-retry',
  'payment-history-load-more',
  'subscription-manager-retry',
  'pricing-table-retry',
  'authenticate-payment-retry',
  'save-card-form-submit',
  'subscribe-form-submit',
  'pay-with-new-card-submit',
  'pricing-table-select',
  'pricing-table-confirm',
  'manage-billing',
  'confirm-action',
  'confirm-cancel',
  'saved-cards-set-default',
  'saved-cards-remove',
  'subscription-manager-cancel',
  'subscription-manager-resume',
  'pricing-table-back',
];

/** The error regions, focused from script (tabIndex -1) when something fails. */
const ERROR_SLOTS = [
  'payment-form-error',
  'authenticate-payment-error',
  'save-card-form-error',
  'subscribe-form-error',
  'pay-with-new-card-error',
  'saved-cards-error',
  'payment-history-error',
  'pricing-table-error',
  'subscription-manager-error',
];

/** One of each kind of focusable part, as the components render it; `data-focus` marks the target. */
const FOCUSABLE: [name: string, part: ReactNode][] = [
  ...BUTTON_SLOTS.map((slot): [string, ReactNode] => [
    `the ${slot} button`,
    <button key={slot} type="button" data-slot={slot} data-focus>
      Go
    </button>,
  ]),
  [
    'the payment-status-retry link',
    <a key="link" data-slot="payment-status-retry" href="#checkout" data-focus>
      Try again
    </a>,
  ],
  [
    'the payment-history-receipt link',
    <a key="receipt" data-slot="payment-history-receipt" href="#receipt" data-focus>
      Receipt
    </a>,
  ],
  [
    'the subscription-manager-change select',
    <div key="select" data-slot="subscription-manager-change">
      <select aria-label="Plan" data-focus>
        <option>Pro</option>
      </select>
    </div>,
  ],
  [
    'the subscription-manager-change button',
    <div key="change" data-slot="subscription-manager-change">
      <button type="button" data-focus>
        Change plan
      </button>
    </div>,
  ],
  [
    'the subscribe-form-promotion field',
    <div key="code" data-slot="subscribe-form-promotion">
      <input aria-label="Promotion code" data-focus />
    </div>,
  ],
  [
    'the subscribe-form-promotion button',
    <div key="apply" data-slot="subscribe-form-promotion">
      <button type="button" data-focus>
        Apply
      </button>
    </div>,
  ],
  [
    'a pricing-table-interval radio',
    <fieldset key="radio" data-slot="pricing-table-interval">
      <label data-slot="pricing-table-interval-option">
        <input type="radio" name="interval" defaultChecked data-focus />
        Monthly
      </label>
    </fieldset>,
  ],
  ...ERROR_SLOTS.map((slot): [string, ReactNode] => [
    `the ${slot} region`,
    <div key={slot} data-slot={slot} data-state="visible" role="alert" tabIndex={-1} data-focus>
      Your card was declined.
    </div>,
  ]),
];

/** Renders `part` (in `wrap`), focuses its target from script, and returns the target. */
function focusPart(part: ReactNode, wrap: (children: ReactNode) => ReactNode = (c) => c) {
  const { container } = render(wrap(part));
  const target = container.querySelector<HTMLElement>('[data-focus]');
  if (!target) throw new Error('the fixture has no [data-focus] element');
  target.focus();
  expect(document.activeElement).toBe(target);
  // Chromium matches :focus-visible for focus from script when no pointer was used first (as
  // when the kit moves focus after a keyboard action); the assertions below rely on it.
  expect(target.matches(':focus-visible')).toBe(true);
  return target;
}

/** A solid outline of at least 2px, of `color`, which forced colors keep (they drop box-shadows). */
function expectOutline(element: HTMLElement, color?: string) {
  const style = getComputedStyle(element);
  expect(style.outlineStyle).toBe('solid');
  expect(Number.parseFloat(style.outlineWidth)).toBeGreaterThanOrEqual(2);
  if (color) expect(style.outlineColor).toBe(color);
}

const THEMES: [name: string, primary: string, wrap: (children: ReactNode) => ReactNode][] = [
  ['the light theme', 'rgb(10, 88, 202)', (children) => children],
  [
    'a data-theme="dark" wrapper',
    'rgb(122, 167, 255)',
    (children) => <div data-theme="dark">{children}</div>,
  ],
  ['a .dark wrapper', 'rgb(122, 167, 255)', (children) => <div className="dark">{children}</div>],
  [
    'a wrapper with toCssVariables({ colorPrimary })',
    'rgb(194, 24, 91)',
    (children) => <div style={toCssVariables({ colorPrimary: '#c2185b' })}>{children}</div>,
  ],
];

describe.each(THEMES)('styles.css focus indicator, in %s', (_, primary, wrap) => {
  it.each(FOCUSABLE)('outlines %s in the primary colour', (_name, part) => {
    expectOutline(focusPart(part, wrap), primary);
  });
});

describe('styles.css in forced colors (Windows High Contrast)', () => {
  beforeAll(async () => {
    await cdp().send('Emulation.setEmulatedMedia', {
      features: [{ name: 'forced-colors', value: 'active' }],
    });
  });
  afterAll(async () => {
    await cdp().send('Emulation.setEmulatedMedia', { features: [] });
  });

  it('emulates forced colors in the test frame', () => {
    expect(matchMedia('(forced-colors: active)').matches).toBe(true);
  });

  it.each(FOCUSABLE)('still outlines %s (an outline, not a box-shadow)', (_name, part) => {
    const target = focusPart(part);
    expectOutline(target);
    expect(getComputedStyle(target).outlineColor).not.toBe('rgba(0, 0, 0, 0)');
  });
});

describe('styles.css color-scheme (native radios, selects and their menus)', () => {
  it.each([
    ['data-theme="dark"', { 'data-theme': 'dark' }],
    ['class="dark"', { className: 'dark' }],
  ])(
    "is dark in the kit inside a %s wrapper, and leaves the host's own elements alone",
    (_, props) => {
      const { container } = render(
        <div {...props}>
          <button type="button">The host's own</button>
          <div data-slot="pricing-table">
            <input type="radio" aria-label="Monthly" />
          </div>
        </div>,
      );
      expect(getComputedStyle(container.querySelector('input') as HTMLElement).colorScheme).toBe(
        'dark',
      );
      // `.dark` is a common class name: the host's elements under it keep their color-scheme.
      expect(getComputedStyle(container.querySelector('button') as HTMLElement).colorScheme).toBe(
        'normal',
      );
    },
  );

  it('takes an empty status region out of the flow within the kit, not the page', () => {
    const { container } = render(
      <div style={{ height: '200px', overflow: 'auto' }}>
        <div style={{ height: '1000px' }} />
        <div data-slot="saved-cards">
          <p data-slot="saved-cards-status" role="status" />
        </div>
      </div>,
    );
    const root = container.querySelector('[data-slot="saved-cards"]') as HTMLElement;
    const region = container.querySelector('[data-slot="saved-cards-status"]') as HTMLElement;
    // Positioned against the kit's root: inside it, so it cannot stretch the page.
    expect(region.offsetParent).toBe(root);
    const rootBox = root.getBoundingClientRect();
    const box = region.getBoundingClientRect();
    expect(box.top).toBeGreaterThanOrEqual(rootBox.top);
    expect(box.bottom).toBeLessThanOrEqual(rootBox.bottom);
  });

  it("keeps the light kit's controls light on a page that is dark", () => {
    const { container } = render(
      <div style={{ colorScheme: 'dark' }}>
        <div data-slot="subscription-manager">
          <select aria-label="Plan">
            <option>Pro</option>
          </select>
        </div>
      </div>,
    );
    expect(getComputedStyle(container.querySelector('select') as HTMLElement).colorScheme).toBe(
      'light',
    );
  });

  describe('under prefers-color-scheme: dark', () => {
    beforeAll(async () => {
      await cdp().send('Emulation.setEmulatedMedia', {
        features: [{ name: 'prefers-color-scheme', value: 'dark' }],
      });
    });
    afterAll(async () => {
      await cdp().send('Emulation.setEmulatedMedia', { features: [] });
    });

    it("darkens the kit's roots, not the host page's canvas", () => {
      expect(matchMedia('(prefers-color-scheme: dark)').matches).toBe(true);
      const { container } = render(<div data-slot="saved-cards" />);
      expect(getComputedStyle(container.firstElementChild as HTMLElement).colorScheme).toBe('dark');
      expect(getComputedStyle(document.documentElement).colorScheme).toBe('normal');
    });

    it('outlines focus in the dark primary colour', () => {
      const submit = (
        <button type="button" data-slot="payment-form-submit" data-focus>
          Pay
        </button>
      );
      expectOutline(focusPart(submit), 'rgb(122, 167, 255)');
    });
  });
});
