/**
 * `styles.css` in Chromium: the live regions it styles stay in the accessibility tree while
 * empty, so that what they say later is announced.
 */
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import './styles.css';

const STATUS_SLOTS = [
  'payment-form-status',
  'save-card-form-status',
  'subscribe-form-status',
  'pay-with-new-card-status',
  'saved-cards-status',
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
