/**
 * The demo storefront's pages on a phone (320 CSS px wide: WCAG 1.4.10's reflow width) and on a
 * desktop (1280 px), as a guest and as a signed-in customer whose account holds saved cards, an
 * order and a subscription (and the subscribe form in place, with a promotion code applied): nothing scrolls sideways or is cut off (1.4.10), every control is a
 * 24 px target or spaced as one (2.5.8), and Tab shows where focus is at every stop (2.4.7), in
 * the card fields' frame too. What axe does not check; storefront-a11y.spec.ts runs axe on the
 * same pages. The measures are in support/layout.ts.
 */
import type { Page } from 'playwright/test';
import {
  api,
  cardFrame,
  expect,
  fillCard,
  newUserId,
  planPrice,
  priceOf,
  sandboxUrl,
  serverSubscriptions,
  signIn,
  storefrontUrl,
  test,
} from './support/fixtures.js';
import { type Findings, measureOverflow, measureTargets, walkFocus } from './support/layout.js';

/** Waits until a page's main content is in (not a loading state). */
type Ready = (page: Page) => Promise<void>;

/** The Payment Element's button enabled: its frame is loaded. */
const payReady: Ready = (page) =>
  expect(page.getByRole('button', { name: /^Pay / })).toBeEnabled({ timeout: 15_000 });

/** storefront-a11y.spec.ts's pages. */
const GUEST_PAGES: Array<[string, Ready]> = [
  ['/', (page) => expect(page.getByRole('button', { name: 'Add to cart' }).first()).toBeVisible()],
  ['/cart', (page) => expect(page.getByRole('link', { name: /^Check out · / })).toBeVisible()],
  [
    '/checkout',
    async (page) => {
      await payReady(page);
      await expect(cardFrame(page).getByLabel('Card number')).toBeVisible();
    },
  ],
  ['/plans', (page) => expect(page.getByRole('button', { name: 'Choose Pro' })).toBeVisible()],
  ['/pro', (page) => expect(page.getByText('This page comes with the Pro plan')).toBeVisible()],
  ['/sign-in', (page) => expect(page.getByLabel('Customer id')).toBeVisible()],
  ['/test-cards', (page) => expect(page.getByRole('table').first()).toBeVisible()],
];

/** The same as a customer with Pro and a saved card, and their account. */
const CUSTOMER_PAGES: Array<[string, Ready]> = [
  ...GUEST_PAGES.filter(([path]) => !['/checkout', '/pro', '/sign-in', '/plans'].includes(path)),
  // Pro is theirs: the demo keeps one subscription per customer, so Starter is a plan change.
  ['/plans', (page) => expect(page.getByRole('button', { name: 'Current plan' })).toBeVisible()],
  [
    '/checkout',
    async (page) => {
      await payReady(page);
      const saved = cardFrame(page).getByRole('group', { name: 'Saved cards' });
      await expect(saved.getByRole('radio').first()).toBeVisible();
    },
  ],
  ['/pro', (page) => expect(page.getByRole('heading', { name: 'Welcome to Pro' })).toBeVisible()],
  [
    '/account',
    async (page) => {
      await expect(page.getByRole('button', { name: 'Save card' })).toBeEnabled({
        timeout: 15_000,
      });
      const list = (role: 'group' | 'list', name: string) =>
        page.getByRole(role, { name }).getByRole('listitem');
      await expect(list('group', 'Saved cards')).toHaveCount(2);
      await expect(list('list', 'Your orders')).toHaveCount(1);
      await expect(list('group', 'Your subscriptions')).toHaveCount(1);
    },
  ],
];

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Fills a customer's account through the server's routes, as the kit's components do, each
 * intent confirmed in the sandbox as Stripe.js confirms it (publishable key, client secret): a
 * saved Mastercard, a paid T-shirt and a Pro trial (with a Visa); then waits until the server
 * has the payment and the subscription from their webhooks.
 */
async function fillAccount(userId: string): Promise<void> {
  const token = await signIn(userId);
  const post = async (path: string, body: unknown) =>
    json<{ clientSecret: string }>(
      await fetch(`${api()}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  const stripe = async (key: string, path: string, form: Record<string, string>) =>
    json<{ payment_method: string }>(
      await fetch(`${sandboxUrl()}${path}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${key}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form),
      }),
    );
  const { publishableKey } = await json<{ publishableKey: string }>(await fetch(`${api()}/config`));
  const confirm = (kind: 'setup_intents' | 'payment_intents', secret: string, card: string) =>
    stripe(publishableKey, `/v1/${kind}/${secret.split('_secret_')[0]}/confirm`, {
      client_secret: secret,
      payment_method: card,
    });
  const [tshirt, pro] = await Promise.all([
    priceOf('prod_tillkit_tshirt'),
    planPrice('prod_tillkit_pro', 'month'),
  ]);
  const { payment_method } = await confirm(
    'setup_intents',
    (await post('/setup-intents', {})).clientSecret,
    'pm_card_mastercard',
  );
  // Offered again at checkout, as a card the Payment Element saved is (the customer agreed).
  await stripe('sk_test_e2e', `/v1/payment_methods/${payment_method}`, {
    allow_redisplay: 'always',
  });
  const order = await post('/payment-intents', { items: [{ price: tshirt, quantity: 1 }] });
  await confirm('payment_intents', order.clientSecret, 'pm_card_visa');
  const trial = await post('/subscriptions', { price: pro });
  await confirm('setup_intents', trial.clientSecret, 'pm_card_visa');
  await expect
    .poll(() => serverSubscriptions(userId), { timeout: 15_000 })
    .toMatchObject([{ productName: 'Pro', status: 'trialing' }]);
  await expect
    .poll(
      async () => {
        const { data } = await json<{ data: Array<{ status: string }> }>(
          await fetch(`${api()}/payments`, { headers: { Authorization: `Bearer ${token}` } }),
        );
        return data.map((payment) => payment.status);
      },
      { timeout: 15_000 },
    )
    .toEqual(['succeeded']);
}

/**
 * Runs the three checks on the page as it is, and the reflow check in the card fields' frames
 * (the sandbox's own page); one line per problem, `label` first. Tab starts at the top of the
 * page, or `fromTop = false`, where the last click left it. Notes (what was excepted, what
 * scrolls on purpose, the Tab stops) go to the test's annotations.
 */
async function checkPage(page: Page, label: string, fromTop = true): Promise<string[]> {
  const found: string[] = [];
  const keep = (check: string, { problems, notes }: Findings) => {
    found.push(...problems.map((problem) => `${label} ${check}: ${problem}`));
    test
      .info()
      .annotations.push(
        ...notes.map((note) => ({ type: check, description: `${label}: ${note}` })),
      );
  };
  keep('reflow', await measureOverflow(page));
  for (const frame of page.mainFrame().childFrames()) {
    if (frame.url().startsWith(sandboxUrl()))
      keep('reflow in its frame', await measureOverflow(frame));
  }
  keep('target size', await measureTargets(page));
  keep('focus', await walkFocus(page, { fromTop }));
  return found;
}

/** Opens each page (once the sandbox banner is up), waits until it is ready and checks it. */
async function checkPages(page: Page, pages: Array<[string, Ready]>): Promise<string[]> {
  const found: string[] = [];
  for (const [path, ready] of pages) {
    await page.goto(storefrontUrl(path));
    await expect(page.getByRole('banner').getByText('4242 4242 4242 4242')).toBeVisible({
      timeout: 15_000,
    });
    await ready(page);
    found.push(...(await checkPage(page, path)));
  }
  return found;
}

for (const [name, viewport] of [
  ['a phone (320 px)', { width: 320, height: 568 }],
  ['a desktop (1280 px)', { width: 1280, height: 800 }],
] as const) {
  test.describe(`on ${name}`, () => {
    test.use({ viewport });

    test(`a guest's pages reflow, have 24 px targets and show focus`, async ({ page }) => {
      // A line in the cart, so that the cart and checkout pages show their content; the shop
      // with the toast that says so.
      await page.goto(storefrontUrl('/'));
      await page.getByRole('button', { name: 'Add to cart' }).first().click({ timeout: 15_000 });
      await expect(page.getByRole('status').getByRole('link', { name: 'View cart' })).toBeVisible();
      // Tab goes on from the button clicked, as the customer's would.
      const found = await checkPage(page, '/ (its toast open)', false);
      found.push(...(await checkPages(page, GUEST_PAGES)));

      // The order confirmation, once the cart is paid, with its receipt (from the webhook).
      await page.goto(storefrontUrl('/checkout'));
      await payReady(page);
      await fillCard(page, '4242 4242 4242 4242');
      await page.getByRole('button', { name: /^Pay / }).click();
      await expect(page).toHaveURL(/\/orders\/pi_/);
      const receipt = page.getByRole('link', { name: /^Receipt for / });
      const order = new URL(page.url()).pathname;
      found.push(...(await checkPages(page, [[order, () => expect(receipt).toBeVisible()]])));
      expect(found).toEqual([]);
    });

    test(`a signed-in customer's pages reflow, have 24 px targets and show focus`, async ({
      page,
    }) => {
      const user = newUserId('layout');
      await fillAccount(user);
      await page.goto(storefrontUrl('/sign-in'));
      await page.getByLabel('Customer id').fill(user);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page).toHaveURL(/\/account$/);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Shop' })
        .click();
      await page.getByRole('button', { name: 'Add to cart' }).first().click({ timeout: 15_000 });
      const found = await checkPages(page, CUSTOMER_PAGES);

      // A plan change's step, its preview read.
      await page.goto(storefrontUrl('/plans'));
      await page.getByRole('button', { name: 'Switch to Starter' }).click({ timeout: 15_000 });
      await expect(page.getByRole('button', { name: 'Confirm change' })).toBeVisible({
        timeout: 15_000,
      });
      found.push(...(await checkPage(page, "/plans (a plan change's step)")));

      // The subscribe form in place, a promotion code applied (its line and Remove button), for a
      // customer with no subscription yet.
      await page.goto(storefrontUrl('/sign-in'));
      await page.getByLabel('Customer id').fill(newUserId('layout-new'));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page).toHaveURL(/\/account$/);
      await page.goto(storefrontUrl('/plans'));
      await page.getByRole('button', { name: 'Choose Starter' }).click({ timeout: 15_000 });
      await expect(page.getByRole('button', { name: 'Subscribe', exact: true })).toBeEnabled({
        timeout: 15_000,
      });
      await page.getByRole('textbox', { name: 'Promotion code' }).fill('WELCOME10');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();
      found.push(...(await checkPage(page, "/plans (Starter's form, a code applied)")));
      expect(found).toEqual([]);
    });
  });
}
