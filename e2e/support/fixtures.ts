/**
 * What the specs share: the addresses global-setup.ts started, the host page's views, the demo
 * storefront's pages, sign-in, reads from the server and the sandbox (plain fetch: Node resolves
 * the workspace packages to their builds, which a fresh clone does not have), and the card fields
 * in the Payment Element's frame.
 */

import type { Payment, PricesResponse, SubscriptionsResponse } from '@tillkit/protocol';
import { test as base, expect, type FrameLocator, type Page } from 'playwright/test';

export { expect };

/** Playwright's `test`, failing a test whose page threw an uncaught error. */
export const test = base.extend<{ pageErrors: undefined }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await use(undefined);
      expect(errors, 'uncaught errors on the host page').toEqual([]);
    },
    { auto: true },
  ],
});

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with e2e/playwright.config.ts`);
  return value;
}

export const api = () => env('TILLKIT_E2E_API');
export const sandboxUrl = () => env('TILLKIT_E2E_SANDBOX');

/** The host page's address for a view (see host/app.tsx). */
export function hostUrl(view: string, params: Record<string, string> = {}): string {
  return `${env('TILLKIT_E2E_SITE')}/?${new URLSearchParams({ api: api(), view, ...params })}`;
}

/** A page of the demo storefront (apps/demo, built for this server): `storefrontUrl('/plans')`. */
export function storefrontUrl(path: string): string {
  return `${env('TILLKIT_E2E_STOREFRONT')}${path}`;
}

/** A customer id of this test's own, so that tests never share a Stripe customer. */
export function newUserId(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const tokens = new Map<string, Promise<string>>();

/**
 * The server's sandbox sign-in: a bearer token for `userId`, asked once per worker. The route
 * shares the server's rate limit of 60 requests a minute per address with every page's sign-in,
 * and the specs read the server often (polls).
 */
export function signIn(userId: string, role?: 'admin'): Promise<string> {
  const key = `${userId}:${role ?? ''}`;
  let token = tokens.get(key);
  if (!token) {
    token = fetch(`${api()}/_sandbox/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId, ...(role ? { role } : {}) }),
    }).then(async (response) => (await json<{ token: string }>(response)).token);
    tokens.set(key, token);
    token.catch(() => tokens.delete(key));
  }
  return token;
}

/** A payment as the server keeps it (from its webhooks), read as an admin. */
export async function serverPayment(id: string): Promise<Payment> {
  const token = await signIn('e2e-admin', 'admin');
  return json(
    await fetch(`${api()}/payments/${id}`, { headers: { Authorization: `Bearer ${token}` } }),
  );
}

/** The default price of a demo catalog product (`prod_tillkit_tshirt`), from `GET /prices`. */
export async function priceOf(productId: string): Promise<string> {
  const { products } = await json<PricesResponse>(await fetch(`${api()}/prices`));
  const price = products.find((product) => product.id === productId)?.prices[0]?.id;
  if (!price) throw new Error(`${productId} has no price in GET /prices`);
  return price;
}

/** A demo catalog product's monthly or yearly price (`prod_tillkit_starter`, `'year'`). */
export async function planPrice(productId: string, interval: 'month' | 'year'): Promise<string> {
  const { products } = await json<PricesResponse>(await fetch(`${api()}/prices`));
  const price = products
    .find((product) => product.id === productId)
    ?.prices.find((candidate) => candidate.interval === interval)?.id;
  if (!price) throw new Error(`${productId} has no ${interval}ly price in GET /prices`);
  return price;
}

/** The user's subscriptions as the server lists them (`GET /subscriptions`, kept from webhooks). */
export async function serverSubscriptions(userId: string): Promise<SubscriptionsResponse['data']> {
  const token = await signIn(userId);
  const response = await fetch(`${api()}/subscriptions`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await json<SubscriptionsResponse>(response)).data;
}

/**
 * The server's sandbox-only `POST /_sandbox/advance`: moves the user's own test clock `days`
 * forward and answers once everything due ran (renewals, retries) and the server stored it.
 */
export async function advanceClock(userId: string, days: number): Promise<void> {
  const token = await signIn(userId);
  await json(
    await fetch(`${api()}/_sandbox/advance`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ days }),
    }),
  );
}

/** A GET of the embedded sandbox's Stripe API, with a secret key (as the server calls it). */
export async function stripeGet<T = Record<string, unknown>>(path: string): Promise<T> {
  return json(
    await fetch(`${sandboxUrl()}${path}`, { headers: { Authorization: 'Bearer sk_test_e2e' } }),
  );
}

/** The sandbox Payment Element's frame (there is one on each view that takes a card). */
export function cardFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Secure payment input frame"]');
}

/** Types a card into the Payment Element, as a customer would. */
export async function fillCard(page: Page, number: string): Promise<void> {
  const frame = cardFrame(page);
  await frame.getByLabel('Card number').fill(number);
  await frame.getByLabel('Expiration date').fill('12 / 34');
  await frame.getByLabel('Security code').fill('123');
  const postal = frame.getByLabel('Postal code');
  if (await postal.isVisible()) await postal.fill('94103');
}

/** The requests the page sent to one of the server's routes (`POST /payment-intents`). */
export function recordRequests(page: Page, method: string, route: string): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === method && pathname.endsWith(`/api${route}`)) seen.push(request.url());
  });
  return seen;
}
