/**
 * The demo storefront (apps/demo), built for the suite's server and driven only through its UI,
 * as a customer: a guest fills a cart, pays it on the checkout page one currency at a time and
 * gets the order confirmations; a signed-in customer subscribes on the Plans page, finds the plan
 * in the account and the Pro page unlocked, saves a card and finds what they paid with it in the
 * account's orders, with its receipt; two tabs of one cart each keep what they paid for and
 * added; a reload while paying asks first; the cart's steppers keep the keyboard's focus at 1 and
 * 99; signing in comes back to the very page and never leaves the storefront; the header stays
 * put when the sandbox banner arrives; the Plans page keeps where to pay through signing in and
 * Stripe's page; and the language switch puts the storefront and the kit in German.
 */
import type { Page } from 'playwright/test';
import {
  cardFrame,
  expect,
  fillCard,
  newUserId,
  sandboxUrl,
  serverSubscriptions,
  storefrontUrl,
  stripeGet,
  test,
} from './support/fixtures.js';

type Intent = {
  id: string;
  status: string;
  amount: number;
  currency: string;
  receipt_email: string | null;
};

/** The header's navigation (English). */
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/**
 * Opens a storefront page once it has settled: the sandbox banner's text (from `GET /config`, a
 * moment after the first render) is up. Its line is kept meanwhile (see the header test below);
 * waiting also keeps a click off a page still reading its configuration.
 */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(storefrontUrl(path));
  await expect(page.getByRole('banner').getByText('4242 4242 4242 4242')).toBeVisible({
    timeout: 15_000,
  });
}

/** A mug in the cart, from the home page (the catalog read first). */
async function addMug(page: Page): Promise<void> {
  await open(page, '/');
  const add = page.getByRole('article', { name: 'Tillkit Mug' }).getByRole('button', {
    name: 'Add to cart',
  });
  await expect(add).toBeVisible({ timeout: 15_000 });
  await add.click();
}

/** Pays the open checkout page with 4242 and waits for the order confirmation; its intent id. */
async function payWith4242(page: Page, amount: string): Promise<string> {
  const pay = page.getByRole('button', { name: `Pay ${amount}` });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  await pay.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your order');
  const id = /\/orders\/(pi_[^/?#]+)$/.exec(page.url())?.[1];
  expect(id, 'the confirmation is at /orders/<intent id>').toBeTruthy();
  return id ?? '';
}

test('a guest pays a T-shirt and a mug in dollars in one payment, and a mug in yen in another, with 4242', async ({
  page,
}) => {
  await open(page, '/');
  const product = (name: string) => page.getByRole('article', { name });
  const tshirt = product('Tillkit T-shirt');
  const mug = product('Tillkit Mug');
  await expect(tshirt.getByRole('button', { name: 'Add to cart' })).toBeVisible({
    timeout: 15_000,
  });
  await expect(tshirt).toContainText('$25.00');
  // The mug in dollars (its default price, listed first) or in yen.
  await expect(mug.getByLabel('Currency').getByRole('option')).toHaveText(['USD', 'JPY']);
  await expect(mug).toContainText('$14.00');
  await tshirt.getByRole('button', { name: 'Add to cart' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Tillkit T-shirt is in your cart.' }),
  ).toBeVisible();
  await mug.getByRole('button', { name: 'Add to cart' }).click();
  await expect(nav(page).getByRole('link', { name: 'Cart (2)' })).toBeVisible();

  // The cart outlives a reload (localStorage); a second T-shirt from the cart's stepper.
  await page.reload();
  await nav(page).getByRole('link', { name: 'Cart (2)' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your cart');
  await page
    .getByRole('group', { name: 'Quantity of Tillkit T-shirt' })
    .getByRole('button', { name: 'One more' })
    .click();
  await expect(nav(page).getByRole('link', { name: 'Cart (3)' })).toBeVisible();
  await expect(page.getByRole('row', { name: /^Tillkit T-shirt/ })).toContainText('$50.00');
  await expect(page.getByRole('row', { name: /^Tillkit Mug/ })).toContainText('$14.00');

  // A mug in yen too: Stripe takes one currency per payment, so the cart pays it on its own.
  await nav(page).getByRole('link', { name: 'Shop', exact: true }).click();
  await mug.getByLabel('Currency').selectOption({ label: 'JPY' });
  await expect(mug).toContainText('¥1,500');
  await mug.getByRole('button', { name: 'Add to cart' }).click();
  await nav(page).getByRole('link', { name: 'Cart (4)' }).click();
  await expect(page.getByText('Your cart holds prices in 2 currencies.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Check out · ¥1,500' })).toBeVisible();

  // The dollars first: the T-shirts and the mug in one payment.
  await page.getByRole('link', { name: 'Check out · $64.00' }).click();
  await expect(page.getByRole('row', { name: /^Total/ })).toContainText('$64.00');
  // A guest's only way to a receipt: the address goes on the PaymentIntent.
  const receiptEmail = page.getByLabel('Email for your receipt');
  await expect(receiptEmail).toHaveAttribute('type', 'email');
  await expect(receiptEmail).toHaveAttribute('autocomplete', 'email');
  // A malformed address is flagged, and would not be sent; so is one Stripe refuses that the
  // browser's own check lets through (a domain with no dot).
  for (const malformed of ['guest@', 'guest@localhost']) {
    await receiptEmail.fill(malformed);
    await expect(receiptEmail).toHaveAttribute('aria-invalid', 'true');
    await expect(receiptEmail).toHaveAccessibleDescription(
      'This is not an email address: no receipt will be sent to it.',
    );
  }
  await receiptEmail.fill('guest@example.com');
  await expect(receiptEmail).toHaveAttribute('aria-invalid', 'false');
  const dollars = await payWith4242(page, '$64.00');
  await expect(page.getByRole('row', { name: /^Tillkit T-shirt/ })).toHaveText(
    /Tillkit T-shirt\s*2\s*\$50\.00/,
  );
  await expect(page.getByRole('row', { name: /^Tillkit Mug/ })).toHaveText(
    /Tillkit Mug\s*1\s*\$14\.00/,
  );
  await expect(page.getByRole('row', { name: /^Total paid/ })).toHaveText(/Total paid\s*\$64\.00/);
  expect(await stripeGet<Intent>(`/v1/payment_intents/${dollars}`)).toMatchObject({
    status: 'succeeded',
    amount: 6400,
    currency: 'usd',
    receipt_email: 'guest@example.com',
  });
  // Stripe's receipt, read by the guest with the intent's client secret once the webhook stored
  // the payment, opens in a new tab with what was charged.
  const receipt = page.getByRole('link', { name: 'Receipt for $64.00 (opens in a new tab)' });
  await expect(receipt).toHaveText('Receipt', { timeout: 15_000 });
  const [receiptPage] = await Promise.all([page.waitForEvent('popup'), receipt.click()]);
  await expect(receiptPage.getByRole('heading', { level: 1 })).toContainText('Receipt');
  await expect(receiptPage.locator('body')).toContainText('$64.00');
  await receiptPage.close();

  // The mug in yen is left: the confirmation links to its checkout.
  await expect(nav(page).getByRole('link', { name: 'Cart (1)' })).toBeVisible();
  await page.getByRole('link', { name: '¥1,500' }).click();
  const yen = await payWith4242(page, '¥1,500');
  await expect(page.getByRole('row', { name: /^Total paid/ })).toHaveText(/Total paid\s*¥1,500/);
  expect(await stripeGet<Intent>(`/v1/payment_intents/${yen}`)).toMatchObject({
    status: 'succeeded',
    amount: 1500,
    currency: 'jpy',
  });
  await expect(nav(page).getByRole('link', { name: 'Cart (0)' })).toBeVisible();
});

test('a signed-in customer subscribes to Pro on the Plans page, finds it in the account, and Pro unlocks', async ({
  page,
}) => {
  const user = newUserId('storefront');
  await open(page, '/pro');
  await expect(page.getByText('This page comes with the Pro plan')).toBeVisible();
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Customer id').fill(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Back where the customer came from, signed in, and still without Pro.
  await expect(page).toHaveURL(/\/pro$/);
  await expect(page.getByRole('banner')).toContainText(`Signed in as ${user}`);
  await expect(page.getByRole('button', { name: 'Check again' })).toBeVisible({ timeout: 15_000 });

  await nav(page).getByRole('link', { name: 'Plans', exact: true }).click();
  await page.getByRole('button', { name: 'Choose Pro' }).click();
  await expect(page.getByText('Pro · $29.00 / month · 14-day free trial')).toBeVisible();
  const start = page.getByRole('button', { name: 'Start free trial' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  await start.click();
  await expect(page.getByText('You are subscribed. Thank you!')).toBeVisible();
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ productName: 'Pro', status: 'trialing' }]);

  // The account lists it (the server's database, once the webhook landed: read on each visit).
  await page.getByRole('link', { name: 'Go to your account' }).click();
  const subscriptions = page.getByRole('group', { name: 'Your subscriptions' });
  const pro = subscriptions
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Pro', exact: true }) });
  await expect(pro.locator('[data-slot="subscription-manager-badge"]')).toHaveAttribute(
    'data-state',
    'trialing',
    { timeout: 15_000 },
  );
  await expect(pro).toContainText('Trial ends on');

  // The Pro page unlocks (its feature comes with the same webhook).
  await nav(page).getByRole('link', { name: 'Pro', exact: true }).click();
  await expect(async () => {
    const again = page.getByRole('button', { name: 'Check again' });
    if (await again.isVisible()) await again.click();
    await expect(page.getByRole('heading', { name: 'Welcome to Pro' })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByText('Priority support is on')).toBeVisible();
});

test('a signed-in customer saves a card in the account, sees it listed at once, pays with it at checkout and finds the order in the account', async ({
  page,
}) => {
  const user = newUserId('storefront-card');
  await open(page, '/sign-in?next=/account');
  await page.getByLabel('Customer id').fill(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  const cards = page.getByRole('group', { name: 'Saved cards' });
  await expect(page.getByText('No saved cards.')).toBeVisible({ timeout: 15_000 });

  // SaveCardForm beside SavedCards: the list follows with nothing wired by the storefront.
  const save = page.getByRole('button', { name: 'Save card' });
  await expect(save).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '5555 5555 5555 4444');
  await save.click();
  await expect(page.getByText('Your card has been saved.')).toBeVisible({ timeout: 15_000 });
  await expect(cards.getByRole('listitem')).toHaveCount(1);
  await expect(cards.getByRole('listitem')).toContainText('Mastercard ending in 4444');

  // At checkout the Payment Element offers it, and it pays without typing a card.
  await nav(page).getByRole('link', { name: 'Shop', exact: true }).click();
  await page
    .getByRole('article', { name: 'Tillkit T-shirt' })
    .getByRole('button', { name: 'Add to cart' })
    .click();
  await nav(page).getByRole('link', { name: 'Cart (1)' }).click();
  await page.getByRole('link', { name: 'Check out · $25.00' }).click();
  const pay = page.getByRole('button', { name: 'Pay $25.00' });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  // Their Stripe customer has their email: no receipt address is asked for.
  await expect(page.getByLabel('Email for your receipt')).toHaveCount(0);
  const saved = cardFrame(page).getByRole('group', { name: 'Saved cards' }).getByRole('radio');
  await expect(saved.nth(0)).toHaveAccessibleName(/^Mastercard •••• 4444/);
  await expect(saved.nth(0)).toBeChecked();
  await pay.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your order');
  const id = /\/orders\/(pi_[^/?#]+)$/.exec(page.url())?.[1] ?? '';
  const intent = await stripeGet<{ status: string; payment_method: string }>(
    `/v1/payment_intents/${id}`,
  );
  expect(intent.status).toBe('succeeded');
  const method = await stripeGet<{ card: { last4: string } }>(
    `/v1/payment_methods/${intent.payment_method}`,
  );
  expect(method.card.last4).toBe('4444');

  // The account's order history lists it with what was bought, once the webhook recorded it paid
  // (read on each visit).
  const order = page.getByRole('list', { name: 'Your orders' }).getByRole('listitem');
  await expect(async () => {
    await nav(page).getByRole('link', { name: 'Shop', exact: true }).click();
    await nav(page).getByRole('link', { name: 'Account', exact: true }).click();
    await expect(order).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(order).toContainText('1 × Tillkit T-shirt');
  await expect(order).toContainText('$25.00');
  await expect(order).toContainText('Paid');

  // Its receipt, Stripe's page (the sandbox's here), opens in a new tab with what was charged.
  const receipt = order.getByRole('link', {
    name: /^Receipt for \$25\.00 on .+ \(opens in a new tab\)$/,
  });
  const [receiptPage] = await Promise.all([page.waitForEvent('popup'), receipt.click()]);
  await expect(receiptPage.getByRole('heading', { level: 1 })).toContainText('Receipt');
  await expect(receiptPage.locator('body')).toContainText('$25.00');
  await expect(receiptPage.locator('body')).toContainText('4444');
  await receiptPage.close();
});

test('two tabs of one cart: each order lists what its payment paid for, and the other tab keeps its order and what it added', async ({
  page,
}) => {
  const product = (tab: Page, name: string) => tab.getByRole('article', { name });
  await open(page, '/');
  const addTshirt = product(page, 'Tillkit T-shirt').getByRole('button', { name: 'Add to cart' });
  await expect(addTshirt).toBeVisible({ timeout: 15_000 });
  await addTshirt.click();
  await product(page, 'Tillkit Mug').getByLabel('Currency').selectOption({ label: 'JPY' });
  await product(page, 'Tillkit Mug').getByRole('button', { name: 'Add to cart' }).click();
  await expect(nav(page).getByRole('link', { name: 'Cart (2)' })).toBeVisible();

  // This tab pays the T-shirt with a card that asks for 3D Secure: the bank's dialog waits.
  await open(page, '/checkout?currency=usd');
  const pay = page.getByRole('button', { name: 'Pay $25.00' });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4000 0027 6000 3184');
  await pay.click();
  const dialog = page.getByRole('dialog', { name: '3D Secure' });
  await expect(dialog).toBeVisible();

  // Meanwhile another tab adds a second T-shirt and a mug in dollars, and pays the yen.
  const other = await page.context().newPage();
  await open(other, '/cart');
  await other
    .getByRole('group', { name: 'Quantity of Tillkit T-shirt' })
    .getByRole('button', { name: 'One more' })
    .click();
  await nav(other).getByRole('link', { name: 'Shop', exact: true }).click();
  await product(other, 'Tillkit Mug').getByRole('button', { name: 'Add to cart' }).click();
  await expect(nav(other).getByRole('link', { name: 'Cart (4)' })).toBeVisible();
  await open(other, '/checkout?currency=jpy');
  const yen = await payWith4242(other, '¥1,500');

  // The first tab's payment was $25.00 for one T-shirt: its order says so, and what the other tab
  // added is still in the cart.
  await dialog.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your order');
  await expect(page.getByRole('row', { name: /^Tillkit T-shirt/ })).toHaveText(
    /Tillkit T-shirt\s*1\s*\$25\.00/,
  );
  await expect(page.getByRole('row', { name: /^Tillkit Mug/ })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /^Total paid/ })).toHaveText(/Total paid\s*\$25\.00/);
  await expect(page.getByText('Still in your cart: $39.00.')).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'Cart (2)' })).toBeVisible();

  // The other tab's order is still kept in this browser, before and after a reload.
  await expect(other.getByRole('row', { name: /^Total paid/ })).toHaveText(/Total paid\s*¥1,500/);
  await other.reload();
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Thank you for your order');
  await expect(other.getByRole('row', { name: /^Total paid/ })).toHaveText(/Total paid\s*¥1,500/);
  expect(other.url()).toContain(yen);
});

test('a reload while the payment is on its way asks first, and the payment ends in its order', async ({
  page,
}) => {
  await addMug(page);
  await open(page, '/checkout');
  const pay = page.getByRole('button', { name: 'Pay $14.00' });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  // Stripe's answer is held back: the payment is on its way.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let confirming = () => {};
  const sent = new Promise<void>((resolve) => {
    confirming = resolve;
  });
  await page.route(`${sandboxUrl()}/v1/payment_intents/*/confirm`, async (route) => {
    confirming();
    await held;
    await route.continue();
  });
  await pay.click();
  await sent;

  // A reload now would lose the answer (Stripe takes the money; the cart is offered again): the
  // browser asks, and the customer stays.
  const asked = new Promise<string>((resolve) => {
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    });
  });
  const reloaded = page.waitForEvent('load').then(() => 'reloaded without asking');
  await page.evaluate(() => window.location.reload());
  expect(await Promise.race([asked, reloaded])).toBe('beforeunload');
  release();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your order');
  await expect(nav(page).getByRole('link', { name: 'Cart (0)' })).toBeVisible();

  // Once paid, nothing holds the page.
  const dialogs: string[] = [];
  page.on('dialog', (unexpected) => {
    dialogs.push(unexpected.type());
    void unexpected.accept();
  });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your order');
  expect(dialogs).toEqual([]);
});

test('with the keyboard, the cart’s quantities go from 1 to 99 and a line is removed without losing focus', async ({
  page,
}) => {
  await addMug(page);
  await nav(page).getByRole('link', { name: 'Cart (1)' }).click();
  const stepper = page.getByRole('group', { name: 'Quantity of Tillkit Mug' });
  const more = stepper.getByRole('button', { name: 'One more' });
  const fewer = stepper.getByRole('button', { name: 'One fewer' });
  await expect(fewer).toBeDisabled();

  // Up to the server's limit, and once more: the button says it can go no further, and keeps focus.
  await more.focus();
  for (let count = 1; count < 100; count += 1) await page.keyboard.press('Enter');
  await expect(stepper.locator('output')).toHaveText('99');
  await expect(page.getByRole('row', { name: /^Tillkit Mug/ })).toContainText('$1,386.00');
  await expect(more).toBeDisabled();
  await expect(more).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(fewer).toBeFocused();
  for (let count = 99; count > 0; count -= 1) await page.keyboard.press('Enter');
  await expect(stepper.locator('output')).toHaveText('1');
  await expect(fewer).toBeDisabled();
  await expect(fewer).toBeFocused();

  // Removing the line takes its button away: focus goes to the page's heading.
  await page.getByRole('button', { name: 'Remove Tillkit Mug' }).press('Enter');
  await expect(page.getByText('Your cart is empty.')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Your cart' })).toBeFocused();
});

test('signing in from the header comes back to the very page, and never leaves the storefront, whatever `next` says', async ({
  page,
}) => {
  const user = newUserId('storefront-next');
  // A cart in dollars and in yen, at the yen's checkout: signed in, the customer is back there.
  await open(page, '/');
  const tshirt = page.getByRole('article', { name: 'Tillkit T-shirt' });
  await expect(tshirt.getByRole('button', { name: 'Add to cart' })).toBeVisible({
    timeout: 15_000,
  });
  await tshirt.getByRole('button', { name: 'Add to cart' }).click();
  const mug = page.getByRole('article', { name: 'Tillkit Mug' });
  await mug.getByLabel('Currency').selectOption({ label: 'JPY' });
  await mug.getByRole('button', { name: 'Add to cart' }).click();
  await nav(page).getByRole('link', { name: 'Cart (2)' }).click();
  await page.getByRole('link', { name: 'Check out · ¥1,500' }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Customer id').fill(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
  expect(page.url()).toBe(storefrontUrl('/checkout?currency=jpy'));
  await expect(page.getByRole('row', { name: /^Total/ })).toContainText('¥1,500');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // A backslash is a slash in an http URL: `/\host` is another site, as `//host` is.
  await page.route('http://elsewhere.example/**', (route) => route.fulfill({ body: 'elsewhere' }));
  for (const next of ['/\\elsewhere.example/account', '//elsewhere.example/account']) {
    await open(page, `/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel('Customer id').fill(user);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
    expect(new URL(page.url()).href).toBe(storefrontUrl('/account'));
    await page.getByRole('button', { name: 'Sign out' }).click();
  }
});

test('the header stays where it is when the sandbox banner arrives', async ({ page }) => {
  // The banner comes with GET /config's answer, held back here so the first render is measured.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/api/config', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(storefrontUrl('/'));
  const signIn = page.getByRole('banner').getByRole('link', { name: 'Sign in' });
  const before = await signIn.boundingBox();
  release();
  await expect(page.getByRole('banner').getByText('4242 4242 4242 4242')).toBeVisible();
  expect(await signIn.boundingBox()).toEqual(before);
});

test('the Plans page tells of promotion codes as the server allows them: where to enter one, and the sandbox’s code', async ({
  page,
}) => {
  await open(page, '/plans');
  await expect(page.getByRole('button', { name: 'Choose Pro' })).toBeVisible({ timeout: 15_000 });
  const sandboxCode = page.getByText('In the sandbox, WELCOME10 takes 10% off the first invoice.');
  const onStripe = page.getByText('Have a promotion code? Enter it on Stripe’s Checkout page.');
  // In place, the form has the field: the page names the sandbox's code only.
  await expect(sandboxCode).toBeVisible();
  await expect(onStripe).toHaveCount(0);
  await page.getByRole('radio', { name: 'On Stripe’s Checkout page' }).check();
  await expect(onStripe).toContainText('In the sandbox, WELCOME10');
  await page.getByRole('radio', { name: 'On this page' }).check();
  await expect(onStripe).toHaveCount(0);
});

test('“Where to pay: on Stripe’s Checkout page” is kept through signing in and back from Stripe’s page', async ({
  page,
}) => {
  const user = newUserId('storefront-hosted');
  await open(page, '/plans');
  const onStripe = page.getByRole('radio', { name: 'On Stripe’s Checkout page' });
  await onStripe.check();
  // A guest who chooses a plan signs in first, and comes back to the page as they left it.
  await page.getByRole('button', { name: 'Choose Starter' }).click();
  await page.getByLabel('Customer id').fill(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/plans$/);
  await expect(onStripe).toBeChecked();
  // On Stripe's page, then Back: still to be paid there.
  await page.getByRole('button', { name: 'Choose Starter' }).click();
  await page.waitForURL(`${sandboxUrl()}/v1/_sandbox/checkout/**`, { timeout: 15_000 });
  await page.goBack();
  await expect(page.getByRole('button', { name: 'Choose Starter' })).toBeVisible({
    timeout: 15_000,
  });
  await expect(onStripe).toBeChecked();
  await expect(
    page.getByText('Have a promotion code? Enter it on Stripe’s Checkout page.'),
  ).toBeVisible();
});

test('the language switch puts the storefront and the kit in German, and is kept', async ({
  page,
}) => {
  await open(page, '/plans');
  await expect(page.getByRole('button', { name: 'Choose Pro' })).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('Language').selectOption({ label: 'Deutsch' });

  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  // The storefront's own words.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tarife');
  const menu = page.getByRole('navigation', { name: 'Hauptmenü' });
  await expect(menu.getByRole('link', { name: 'Warenkorb (0)' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Anmelden' })).toBeVisible();
  // The kit's words, and amounts in the German locale.
  await expect(page.getByRole('radio', { name: 'Monatlich' })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Pro wählen' })).toBeVisible();
  await expect(page.getByText('29,00 $ / Monat')).toBeVisible();

  // Kept for the next visit.
  await open(page, '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Shop');
  await expect(
    page.getByRole('article', { name: 'Tillkit T-shirt' }).getByRole('button', {
      name: 'In den Warenkorb',
    }),
  ).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('article', { name: 'Tillkit T-shirt' })).toContainText('25,00 $');
});
