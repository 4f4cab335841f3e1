/**
 * Keyboard-only paths in browser tests: real key presses through Playwright (`userEvent` from
 * `vitest/browser`), which reach into the Payment Element's frame and the 3D Secure dialog's
 * shadow root as a customer's keyboard does, and where focus is across them.
 */
import { expect } from 'vitest';
import { userEvent } from 'vitest/browser';
import { type Card, elementDocument } from './in-page-sandbox.js';

/**
 * What has focus: the page's active element, followed into same-origin frames (the Payment
 * Element's) and open shadow roots (the 3D Secure dialog's); null when focus left the page.
 */
export function focused(): Element | null {
  if (!document.hasFocus()) return null;
  let active = document.activeElement;
  for (;;) {
    const inner =
      active?.shadowRoot?.activeElement ??
      (active?.tagName === 'IFRAME'
        ? (active as HTMLIFrameElement).contentDocument?.activeElement
        : null);
    if (!inner) return active;
    active = inner;
  }
}

/**
 * Puts a button first in `container` (the rendered component's) and focuses it: where the keyboard
 * starts, as on a page with something before the component.
 */
export function startBefore(container: HTMLElement): void {
  const start = document.createElement('button');
  start.type = 'button';
  start.textContent = 'Back to the shop';
  container.prepend(start);
  start.focus();
}

/** Presses Tab (Shift+Tab with `back`) once per element, expecting focus on each in turn. */
export async function expectTabOrder(order: Array<Element | null>, back = false): Promise<void> {
  for (const [index, element] of order.entries()) {
    await userEvent.tab({ shift: back });
    expect(focused(), `focus after ${back ? 'Shift+' : ''}Tab ${index + 1}`).toBe(element);
  }
}

/** The Payment Element's fields (of the form in `root`), in their frame. */
export async function cardFields(root?: ParentNode) {
  const doc = await elementDocument(root);
  const field = (name: string) => doc.querySelector(`#field-${name}`) as HTMLElement;
  return {
    number: field('number'),
    expiry: field('expiry'),
    cvc: field('cvc'),
    country: field('country'),
    postal: field('postal'),
  };
}

/** Selects what the focused field holds (Ctrl+A) and types `text`'s digits over it. */
async function retype(text: string): Promise<void> {
  await userEvent.keyboard(`{Control>}a{/Control}${text.replace(/\D/g, '')}`);
}

/**
 * Types a card with focus on its number, as a customer does: the number, Tab, the expiry, Tab, the
 * CVC, Tab past the country, Tab, the postal code. Fails where a Tab lands anywhere else.
 */
export async function typeCard(card: Card, root?: ParentNode): Promise<void> {
  const field = await cardFields(root);
  expect(focused(), 'focus on the card number').toBe(field.number);
  await retype(card.number);
  await expectTabOrder([field.expiry]);
  await retype(card.expiry ?? '12 / 34');
  await expectTabOrder([field.cvc]);
  await retype(card.cvc ?? '123');
  await expectTabOrder([field.country, field.postal]);
  await retype(card.postal ?? '94103');
}

/**
 * The whole way in for the card form in `container`, by keyboard alone: from a button before it
 * (`startBefore`), Tab into the card number, type the card (`typeCard`), then Tab to `submit`.
 */
export async function tabInAndTypeCard(
  container: HTMLElement,
  number: string,
  submit: Element,
): Promise<Awaited<ReturnType<typeof cardFields>>> {
  const field = await cardFields(container);
  startBefore(container);
  await expectTabOrder([field.number]);
  await typeCard({ number }, container);
  await expectTabOrder([submit]);
  return field;
}
