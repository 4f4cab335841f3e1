/**
 * The demo storefront's pages, light and dark, checked by axe-core in Chromium (contrast included,
 * and the card fields' frame): a guest's pages, then a signed-in customer's account. The kit's own
 * parts are checked story by story in Storybook; this checks them as the storefront puts them
 * together, with its own styles.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright/test';
import { expect, newUserId, storefrontUrl, test } from './support/fixtures.js';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe's violations on the page as it is, one readable line each. */
async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  return page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(context: Document): Promise<{
          violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }>;
        }>;
      };
    };
    const results = await axe.run(document);
    return results.violations.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
  });
}

/** Waits until the page's main content is in (not a loading state), then runs axe. */
async function check(
  page: Page,
  theme: string,
  path: string,
  ready: (page: Page) => Promise<void>,
) {
  await page.goto(storefrontUrl(path));
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  await ready(page);
  expect(await violations(page), `${path} has axe violations`).toEqual([]);
}

const PAGES: Array<[string, (page: Page) => Promise<void>]> = [
  [
    '/',
    (page) =>
      expect(page.getByRole('button', { name: 'Add to cart' }).first()).toBeVisible({
        timeout: 15_000,
      }),
  ],
  ['/cart', (page) => expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible()],
  [
    '/plans',
    (page) =>
      expect(page.getByRole('button', { name: 'Choose Pro' })).toBeVisible({ timeout: 15_000 }),
  ],
  ['/pro', (page) => expect(page.getByText('This page comes with the Pro plan')).toBeVisible()],
  ['/sign-in', (page) => expect(page.getByLabel('Customer id')).toBeVisible()],
  ['/test-cards', (page) => expect(page.getByRole('table').first()).toBeVisible()],
];

for (const theme of ['light', 'dark'] as const) {
  test(`a guest's pages have no axe violations (${theme})`, async ({ page }) => {
    await page.goto(storefrontUrl('/'));
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark mode' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    // A cart with a line, so that the cart and checkout pages show their content.
    await page.getByRole('button', { name: 'Add to cart' }).first().click({ timeout: 15_000 });
    for (const [path, ready] of PAGES) await check(page, theme, path, ready);
    await check(page, theme, '/checkout', (page) =>
      expect(page.getByRole('button', { name: /^Pay / })).toBeEnabled({ timeout: 15_000 }),
    );
  });

  test(`a signed-in customer's account has no axe violations (${theme})`, async ({ page }) => {
    await page.goto(storefrontUrl('/sign-in?next=/account'));
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark mode' }).click();
    await page.getByLabel('Customer id').fill(newUserId('storefront-a11y'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole('button', { name: 'Save card' })).toBeEnabled({ timeout: 15_000 });
    await expect(page.getByText('No saved cards.')).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
}
