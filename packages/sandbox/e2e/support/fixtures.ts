/**
 * The e2e suite's fixtures: one sandbox and one fixture site per worker, and helpers to drive the
 * Payment Element's frame.
 */
import { test as base, expect, type Frame, type FrameLocator, type Page } from '@playwright/test';
import type {
  loadSandboxStripe,
  SandboxElement,
  SandboxElements,
  SandboxStripeObject,
} from '../../src/browser/index.js';
import { startTestSandbox, type TestSandbox } from '../../src/test-support/test-sandbox.js';
import { type Site, startSite } from './site.js';

export type Mode = 'http' | 'msw';
export type PageKind = 'plain' | 'react';

interface WorkerFixtures {
  sandbox: TestSandbox;
  site: Site;
}

export const test = base.extend<{ consoleErrors: string[] }, WorkerFixtures>({
  sandbox: [
    async ({ browserName: _browser }, use) => {
      const sandbox = await startTestSandbox();
      await use(sandbox);
      await sandbox.close();
    },
    { scope: 'worker' },
  ],
  site: [
    async ({ browserName: _browser }, use) => {
      const site = await startSite();
      await use(site);
      await site.close();
    },
    { scope: 'worker' },
  ],
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await use(errors);
  },
});

export { expect };

/** The fixture page's URL for a variant and its settings. */
export function pageUrl(
  site: Site,
  sandbox: TestSandbox,
  kind: PageKind,
  mode: Mode,
  settings: Record<string, string> = {},
): string {
  const query = new URLSearchParams({
    mode,
    ...(mode === 'http' ? { api: sandbox.url } : {}),
    ...settings,
  });
  return `${site.url}/${kind}.html?${query}`;
}

/** The Payment Element's frame, for locators. */
export function elementFrame(page: Page): FrameLocator {
  return page.frameLocator('#payment-element iframe');
}

/** Waits until the element said `ready` (the Pay button is enabled then). */
export async function waitForElement(page: Page): Promise<FrameLocator> {
  await expect(page.locator('#pay')).toBeEnabled({ timeout: 15_000 });
  return elementFrame(page);
}

export interface Card {
  number: string;
  expiry?: string;
  cvc?: string;
  postal?: string;
}

/** Types a card into the element, as a customer would. */
export async function fillCard(frame: FrameLocator, card: Card): Promise<void> {
  await frame.getByLabel('Card number').fill(card.number);
  await frame.getByLabel('Expiration date').fill(card.expiry ?? '12 / 34');
  await frame
    .getByLabel('Security code')
    .fill(card.cvc ?? (card.number.startsWith('37') ? '1234' : '123'));
  const postal = frame.getByLabel('Postal code');
  if (await postal.isVisible()) await postal.fill(card.postal ?? '94103');
}

/** The confirmation's result as the page shows it. */
export async function result(page: Page): Promise<ResultJson> {
  const output = page.locator('#result');
  await expect(output).not.toBeEmpty({ timeout: 15_000 });
  return JSON.parse((await output.textContent()) ?? '{}');
}

/** The 3D Secure dialog over the page. */
export function threeDSecureDialog(page: Page) {
  return page.getByRole('dialog', { name: '3D Secure' });
}

/** The element's own frame object (to look at what it requested). */
export function findElementFrame(page: Page): Frame | undefined {
  return page
    .frames()
    .find((frame) => frame !== page.mainFrame() && frame.parentFrame() === page.mainFrame());
}

/** What the fixture pages put on `window`, for `page.evaluate` callbacks. */
export interface PageWindow {
  app: {
    stripe: SandboxStripeObject;
    elements: SandboxElements;
    element: SandboxElement;
    events: Array<{ type: string; event: Record<string, unknown> }>;
  };
  Stripe: ((key: string, options?: object) => SandboxStripeObject) & { version: string };
  loadSandboxStripe: typeof loadSandboxStripe;
  card: SandboxElement;
}

export interface IntentJson {
  id: string;
  object: string;
  status: string;
  amount?: number;
  currency?: string;
  client_secret?: string;
  payment_method?: string | null;
  [key: string]: unknown;
}

export interface ErrorJson {
  type: string;
  code?: string;
  decline_code?: string;
  message?: string;
  param?: string;
  payment_intent?: IntentJson;
  setup_intent?: IntentJson;
}

/** What the pages show in `#result`: a confirmation's (or `submit()`'s) result. */
export interface ResultJson {
  paymentIntent?: IntentJson;
  setupIntent?: IntentJson;
  error?: ErrorJson;
}
