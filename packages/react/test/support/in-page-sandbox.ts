/**
 * Browser tests: the sandbox core runs in the test's page behind MSW's worker, with the fake
 * Tillkit server's routes beside it, and the sandbox's Stripe.js draws the real Payment Element in
 * same-origin (`inline`) frames. One per test file; each parallel session has its own browser
 * context, so its own service worker.
 */
import type { Stripe } from '@stripe/stripe-js';
import { screen, waitFor, within } from '@testing-library/react';
import { createSandboxCore, loadSandboxStripe } from '@tillkit/sandbox/browser';
import { sandboxHandlers } from '@tillkit/sandbox/msw';
import type { RequestHandler } from 'msw';
import { setupWorker } from 'msw/browser';
import { expect } from 'vitest';
import {
  type FakeTillkitServer,
  fakeTillkitServer,
  PUBLISHABLE_KEY,
} from './fake-tillkit-server.js';

export const SANDBOX_BASE = 'http://sandbox.test';
export const API_BASE = 'http://tillkit.test/api';

export interface InPageSandbox {
  server: FakeTillkitServer;
  /** A fresh sandbox Stripe object (what `<TillkitProvider stripe>` takes). */
  stripe(locale?: string): Promise<Stripe>;
  stop(): void;
}

export async function startInPageSandbox(): Promise<InPageSandbox> {
  const core = createSandboxCore({ log: () => {} });
  const server = fakeTillkitServer(core, { apiBase: API_BASE, sandboxBase: SANDBOX_BASE });
  const worker = setupWorker(
    // The sandbox's msw is another install of the same version (pnpm peers): same handlers, other types.
    ...(sandboxHandlers(core, { baseUrl: SANDBOX_BASE }) as unknown as RequestHandler[]),
    ...server.handlers,
  );
  await worker.start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
  return {
    server,
    stripe: async (locale) =>
      (await loadSandboxStripe(PUBLISHABLE_KEY, {
        apiBase: SANDBOX_BASE,
        frames: 'inline',
        ...(locale ? { locale } : {}),
      })) as unknown as Stripe,
    stop: () => worker.stop(),
  };
}

export interface Card {
  number: string;
  expiry?: string;
  cvc?: string;
  postal?: string;
}

/** The button named `name` (in `root`), once it shows and can be pressed (the form has loaded). */
export async function enabledButton(
  name: string | RegExp,
  root?: HTMLElement,
): Promise<HTMLButtonElement> {
  const found = await (root ? within(root) : screen).findByRole<HTMLButtonElement>(
    'button',
    { name },
    { timeout: 10_000 },
  );
  await waitFor(() => expect(found).toBeEnabled(), { timeout: 10_000 });
  return found;
}

/** The Payment Element's frame document, once its fields are drawn (in any of the kit's forms). */
export async function elementDocument(root: ParentNode = document): Promise<Document> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const frame = root.querySelector<HTMLIFrameElement>('[data-slot$="-element"] iframe');
    const doc = frame?.contentDocument;
    if (doc?.querySelector('#field-number')) return doc;
    if (Date.now() > deadline) throw new Error('the Payment Element did not draw its fields');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Types a card into the Payment Element's fields as a customer would (input events). */
export async function fillCard(card: Card, root: ParentNode = document): Promise<void> {
  const doc = await elementDocument(root);
  const view = doc.defaultView as Window & typeof globalThis;
  const values: Array<[string, string]> = [
    ['#field-number', card.number],
    ['#field-expiry', card.expiry ?? '12 / 34'],
    ['#field-cvc', card.cvc ?? '123'],
    ['#field-postal', card.postal ?? '94103'],
  ];
  for (const [selector, value] of values) {
    const input = doc.querySelector<HTMLInputElement>(selector);
    if (!input) continue;
    input.value = value;
    input.dispatchEvent(new view.Event('input', { bubbles: true }));
    input.dispatchEvent(new view.Event('change', { bubbles: true }));
  }
}

/** The sandbox's 3D Secure dialog (in an open shadow root on the page), once it is open. */
export async function threeDSecureDialog(): Promise<{
  /** Its buttons, for tests that reach them with the keyboard. */
  completeButton: HTMLButtonElement;
  failButton: HTMLButtonElement;
  complete(): void;
  fail(): void;
}> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const host = document.querySelector('[data-tillkit-sandbox="3ds"]');
    const buttons = host?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button');
    if (buttons && buttons.length >= 2) {
      const find = (text: string) =>
        [...buttons].find((button) => button.textContent === text) as HTMLButtonElement;
      const completeButton = find('Complete authentication');
      const failButton = find('Fail authentication');
      return {
        completeButton,
        failButton,
        complete: () => completeButton.click(),
        fail: () => failButton.click(),
      };
    }
    if (Date.now() > deadline) throw new Error('the 3D Secure dialog did not open');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
