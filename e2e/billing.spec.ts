/**
 * A signed-in customer's billing on the host page, each step checked against the server's own
 * view (`GET /subscriptions`, kept from the sandbox's webhooks): a plan paid in place and then
 * canceled, resumed and changed with `SubscriptionManager` (the charge its preview showed
 * confirmed first); a plan paid on the sandbox's hosted Checkout page; a cancellation made in the
 * sandbox's customer portal, opened with
 * `ManageBillingButton`; and a renewal that fails (the test clock moved a month on) and is paid
 * again with `PayWithNewCard`.
 */
import type { Page } from 'playwright/test';
import {
  advanceClock,
  expect,
  fillCard,
  hostUrl,
  newUserId,
  planPrice,
  sandboxUrl,
  serverSubscriptions,
  stripeGet,
  test,
} from './support/fixtures.js';

const DAY_MS = 86_400_000;

/** A date as `SubscriptionManager` writes it (the suite runs in en-US, UTC). */
const longDate = (iso: string | null) =>
  new Date(iso ?? NaN).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** Chooses Starter ($9.00 a month, no trial) in `PricingTable` and pays it in place with 4242. */
async function subscribeToStarter(page: Page, user: string): Promise<void> {
  await page.goto(hostUrl('plans', { user }));
  const choose = page.getByRole('button', { name: 'Choose Starter' });
  await expect(choose).toBeVisible({ timeout: 15_000 });
  await choose.click();
  await expect(page.getByText('Starter · $9.00 / month', { exact: true })).toBeVisible();
  const subscribe = page.getByRole('button', { name: 'Subscribe', exact: true });
  await expect(subscribe).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  await subscribe.click();
  await expect(page.getByText('You are subscribed. Thank you!')).toBeVisible();
}

/**
 * A new customer (`name`) with Starter paid in place, as the server lists it (active, renewing),
 * and the monthly prices of Starter and Pro.
 */
async function starterPaid(page: Page, name: string) {
  const user = newUserId(name);
  const [starter, pro] = await Promise.all([
    planPrice('prod_tillkit_starter', 'month'),
    planPrice('prod_tillkit_pro', 'month'),
  ]);
  await subscribeToStarter(page, user);
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ priceId: starter, status: 'active', cancelAtPeriodEnd: false }]);
  const [paid] = await serverSubscriptions(user);
  return { user, starter, pro, paid };
}

/** `SubscriptionManager` on the account view: its root, one subscription, and what they say. */
function manager(page: Page) {
  const root = page.getByRole('group', { name: 'Your subscriptions' });
  const item = (plan: string) =>
    root.getByRole('listitem').filter({ has: page.getByRole('heading', { name: plan }) });
  return {
    root,
    item,
    badge: (plan: string) => item(plan).locator('[data-slot="subscription-manager-badge"]'),
    notice: root.locator('[data-slot="subscription-manager-status"]'),
  };
}

test('a plan paid in place is canceled, resumed and changed in SubscriptionManager', async ({
  page,
}) => {
  const { user, starter, pro, paid } = await starterPaid(page, 'manager');
  // A month paid for: the period ends 28 to 31 days from now (the customer's test clock).
  const periodEnd = new Date(paid?.currentPeriodEnd ?? NaN).getTime();
  expect((periodEnd - Date.now()) / DAY_MS).toBeGreaterThan(27);
  expect((periodEnd - Date.now()) / DAY_MS).toBeLessThan(32);
  const endsOn = longDate(paid?.currentPeriodEnd ?? null);

  await page.goto(hostUrl('account', { user }));
  const { root, item, badge, notice } = manager(page);
  await expect(badge('Starter')).toHaveAttribute('data-state', 'active', { timeout: 15_000 });
  await expect(badge('Starter')).toHaveText('Active');
  await expect(item('Starter')).toContainText('$9.00 / month');
  await expect(item('Starter')).toContainText(`Renews on ${endsOn}`);

  // Cancel, confirmed in the inline step: it ends when the month paid for ends.
  await item('Starter').getByRole('button', { name: 'Cancel subscription' }).click();
  const confirm = root.getByRole('alertdialog');
  await expect(confirm).toContainText('Cancel Starter? It stays active until the end');
  await expect(confirm.getByRole('button', { name: 'Keep subscription' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(notice).toHaveText(`Starter is canceled. It stays active until ${endsOn}.`);
  await expect(confirm).toBeHidden();
  await expect(badge('Starter')).toHaveAttribute('data-state', 'canceling');
  await expect(badge('Starter')).toHaveText('Canceling');
  await expect(item('Starter')).toContainText(`Ends on ${endsOn}`);
  await expect
    .poll(() => serverSubscriptions(user))
    .toMatchObject([{ priceId: starter, status: 'active', cancelAtPeriodEnd: true }]);

  await item('Starter').getByRole('button', { name: 'Resume subscription' }).click();
  await expect(notice).toHaveText(`Starter is no longer canceled. It renews on ${endsOn}.`);
  await expect(badge('Starter')).toHaveAttribute('data-state', 'active');
  await expect(item('Starter')).toContainText(`Renews on ${endsOn}`);
  await expect
    .poll(() => serverSubscriptions(user))
    .toMatchObject([{ priceId: starter, status: 'active', cancelAtPeriodEnd: false }]);

  // Another plan: the server prorates and charges the card the subscription was paid with, after
  // the customer confirmed the amount its preview showed.
  await item('Starter').getByLabel('New plan').selectOption({ label: 'Pro · $29.00 / month' });
  const change = item('Starter').getByRole('button', { name: 'Change plan' });
  await change.click();
  const confirmChange = root.getByRole('alertdialog');
  await expect(confirmChange).toContainText('Change Starter to Pro · $29.00 / month? You’ll pay $');
  await expect(confirmChange.getByRole('button', { name: 'Keep current plan' })).toBeFocused();
  const shown = (await confirmChange.textContent()) ?? '';
  // Kept: nothing changes, and focus goes back to "Change plan".
  await page.keyboard.press('Escape');
  await expect(confirmChange).toBeHidden();
  await expect(change).toBeFocused();
  await change.click();
  await confirmChange.getByRole('button', { name: 'Confirm change' }).click();
  await expect(notice).toHaveText('Starter changed to Pro · $29.00 / month.');
  // What the card was charged is what the step said, to the cent.
  const { data: invoices } = await stripeGet<{
    data: Array<{ billing_reason: string; amount_paid: number; status: string }>;
  }>(`/v1/invoices?subscription=${paid?.id}&limit=1`);
  expect(invoices[0]).toMatchObject({ billing_reason: 'subscription_update', status: 'paid' });
  const charged = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'usd' }).format(
    (invoices[0]?.amount_paid ?? 0) / 100,
  );
  expect(shown).toContain(
    `You’ll pay ${charged} now for the rest of this period, then $29.00 / month from ${endsOn}.`,
  );
  await expect(badge('Pro')).toHaveAttribute('data-state', 'active');
  await expect(item('Pro')).toContainText('$29.00 / month');
  await expect(item('Starter')).toHaveCount(0);
  await expect
    .poll(() => serverSubscriptions(user))
    .toMatchObject([
      { id: paid?.id, priceId: pro, productName: 'Pro', status: 'active', pendingAction: null },
    ]);
});

test('another plan chosen in PricingTable changes the one subscription (the demo keeps one per customer)', async ({
  page,
}) => {
  const { user, starter, pro, paid } = await starterPaid(page, 'switch');

  // Back on the plans: Starter is the customer's, Pro is a switch, not a second subscription.
  await page.goto(hostUrl('plans', { user }));
  const current = page.getByRole('button', { name: 'Current plan' });
  await expect(current).toBeVisible({ timeout: 15_000 });
  await expect(current).toHaveAttribute('aria-disabled', 'true');
  await expect(current).toHaveAttribute('data-plan', starter);
  await page.getByRole('button', { name: 'Switch to Pro' }).click();
  // No trial for a plan change: the step asks for what the change charges now.
  const step = page.locator('[data-slot="pricing-table-change"]');
  await expect(step).toContainText('Change Starter to Pro · $29.00 / month? You’ll pay $');
  await expect(page.getByRole('button', { name: 'Subscribe', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page.getByText('Starter changed to Pro · $29.00 / month.')).toBeVisible();
  const now = page.getByRole('button', { name: 'Current plan' });
  await expect(now).toHaveAttribute('data-plan', pro);
  await expect(now).toBeFocused();
  await expect
    .poll(() => serverSubscriptions(user))
    .toMatchObject([{ id: paid?.id, priceId: pro, status: 'active', pendingAction: null }]);
  expect(await serverSubscriptions(user)).toHaveLength(1);
});

test('a promotion code applied in place is what the first invoice takes off', async ({ page }) => {
  const user = newUserId('promo');
  const starter = await planPrice('prod_tillkit_starter', 'month');
  await page.goto(hostUrl('plans', { user }));
  const choose = page.getByRole('button', { name: 'Choose Starter' });
  await expect(choose).toBeVisible({ timeout: 15_000 });
  await choose.click();
  const subscribe = page.getByRole('button', { name: 'Subscribe', exact: true });
  await expect(subscribe).toBeEnabled({ timeout: 15_000 });
  // Enter in the field applies the code; it does not submit the payment form (the card is in, so
  // a submit would subscribe).
  await fillCard(page, '4242 4242 4242 4242');
  await page.getByRole('textbox', { name: 'Promotion code' }).fill('welcome10');
  await page.getByRole('textbox', { name: 'Promotion code' }).press('Enter');
  await expect(page.getByRole('button', { name: 'Remove' })).toBeFocused();
  await expect(page.locator('[data-slot="subscribe-form-promotion-status"]')).toHaveText(
    'WELCOME10: 10% off the first payment. Due today: $8.10',
  );
  expect(await serverSubscriptions(user)).toEqual([]);
  await subscribe.click();
  await expect(page.getByText('You are subscribed. Thank you!')).toBeVisible();
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ priceId: starter, status: 'active' }]);
  const [listed] = await serverSubscriptions(user);
  const paid = await stripeGet<{ latest_invoice: { amount_paid: number; total: number } }>(
    `/v1/subscriptions/${listed?.id}?expand[]=latest_invoice`,
  );
  expect(paid.latest_invoice).toMatchObject({ amount_paid: 810, total: 810 });
});

test('a plan paid on the hosted Checkout page lands on the success page and is listed', async ({
  page,
}) => {
  const user = newUserId('hosted');
  const starter = await planPrice('prod_tillkit_starter', 'month');
  await page.goto(hostUrl('hosted', { user }));
  const choose = page.getByRole('button', { name: 'Choose Starter' });
  await expect(choose).toBeVisible({ timeout: 15_000 });
  await choose.click();

  // The sandbox's Checkout page: plain HTML on the sandbox's origin.
  await page.waitForURL(`${sandboxUrl()}/v1/_sandbox/checkout/**`, { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'Subscribe' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Total due today/ })).toContainText('$9.00');
  // The server allows promotion codes: the seeded WELCOME10 takes 10% off the first invoice.
  await page.getByText('Add promotion code').click();
  await page.getByLabel('Promotion code').fill('welcome10');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('status')).toContainText('WELCOME10');
  await expect(page.getByRole('row', { name: /Total due today/ })).toContainText('$8.10');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiration date').fill('12 / 34');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: 'Subscribe' }).click();

  // Back on the host page's success URL, with the session Stripe filled in.
  await page.waitForURL((url) => url.searchParams.get('view') === 'account', { timeout: 15_000 });
  expect(new URL(page.url()).searchParams.get('session_id')).toMatch(/^cs_/);
  // Stored once the webhook (checkout.session.completed) lands; listed by the next load.
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([
      { priceId: starter, status: 'active', cancelAtPeriodEnd: false, pendingAction: null },
    ]);
  await page.reload();
  const { badge } = manager(page);
  await expect(badge('Starter')).toHaveAttribute('data-state', 'active', { timeout: 15_000 });
});

test('a plan canceled in the customer portal shows as canceling back on the host page', async ({
  page,
}) => {
  const user = newUserId('portal');
  await subscribeToStarter(page, user);
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ status: 'active', cancelAtPeriodEnd: false }]);
  await page.goto(hostUrl('account', { user }));
  const { badge } = manager(page);
  await expect(badge('Starter')).toHaveAttribute('data-state', 'active', { timeout: 15_000 });

  await page.getByRole('button', { name: 'Manage billing' }).click();
  await page.waitForURL(`${sandboxUrl()}/v1/_sandbox/billing_portal/**`, { timeout: 15_000 });
  const plan = page.getByRole('article', { name: 'Starter' });
  await plan.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(page.getByRole('status')).toHaveText(/^Your subscription will be canceled/);
  await expect(plan.getByRole('button', { name: 'Renew subscription' })).toBeVisible();

  await page.getByRole('link', { name: /^Return to/ }).click();
  await page.waitForURL((url) => url.searchParams.get('view') === 'account', { timeout: 15_000 });
  // The portal changed Stripe, not the server: the webhook brings it, the next load lists it.
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ status: 'active', cancelAtPeriodEnd: true }]);
  await page.reload();
  await expect(badge('Starter')).toHaveAttribute('data-state', 'canceling', { timeout: 15_000 });
  await expect(badge('Starter')).toHaveText('Canceling');
});

test('a renewal declined off-session is paid again in place with a new card', async ({ page }) => {
  const user = newUserId('renewal');
  await subscribeToStarter(page, user);
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ status: 'active' }]);

  // A card that attaches but fails every charge becomes the card renewals use.
  await page.goto(hostUrl('cards', { user }));
  const cards = page.getByRole('group', { name: 'Saved cards' }).getByRole('listitem');
  await expect(cards).toHaveCount(1, { timeout: 15_000 });
  await expect(cards.first()).toContainText('Visa ending in 4242');
  const save = page.getByRole('button', { name: 'Save card' });
  await expect(save).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4000 0000 0000 0341');
  await save.click();
  await expect(page.getByText('Your card has been saved.')).toBeVisible();
  const failing = cards.filter({ hasText: 'Visa ending in 0341' });
  await failing.getByRole('button', { name: 'Make default' }).click();
  await expect(page.getByText('Visa ending in 0341 is now your default card.')).toBeVisible();

  // Past the period's end, and the hour the renewal invoice stays a draft before it is charged.
  const [subscription] = await serverSubscriptions(user);
  const periodEnd = new Date(subscription?.currentPeriodEnd ?? NaN).getTime();
  await advanceClock(user, Math.ceil((periodEnd - Date.now()) / DAY_MS) + 1);
  expect(await serverSubscriptions(user)).toMatchObject([
    { id: subscription?.id, status: 'past_due', pendingAction: { type: 'new_card' } },
  ]);

  await page.goto(hostUrl('account', { user }));
  const { item, badge, notice } = manager(page);
  await expect(badge('Starter')).toHaveAttribute('data-state', 'past_due', { timeout: 15_000 });
  await expect(badge('Starter')).toHaveText('Past due');
  const fix = item('Starter').getByRole('group', { name: 'Starter' });
  await expect(fix).toContainText(
    'The last payment for Starter failed. Pay with another card to keep it.',
  );
  const payNow = fix.getByRole('button', { name: 'Pay now' });
  await expect(payNow).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  await payNow.click();
  await expect(notice).toHaveText('The payment for Starter went through.');
  await expect(fix).toBeHidden();
  // Active in place, with no reload: the list read right after the payment (before its webhooks
  // may have landed) is Stripe's state now, never "Past due" beside nothing to do.
  await expect(badge('Starter')).toHaveAttribute('data-state', 'active');
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ id: subscription?.id, status: 'active', pendingAction: null }]);
  const [renewed] = await serverSubscriptions(user);
  expect(new Date(renewed?.currentPeriodEnd ?? NaN).getTime()).toBeGreaterThan(periodEnd);
  await expect(badge('Starter')).toHaveAttribute('data-state', 'active', { timeout: 15_000 });
  await expect(item('Starter')).toContainText(
    `Renews on ${longDate(renewed?.currentPeriodEnd ?? null)}`,
  );

  // The card that paid is the one the next renewal charges: a month on, renewed and active.
  await advanceClock(user, 32);
  const [next] = await serverSubscriptions(user);
  expect(next).toMatchObject({ id: subscription?.id, status: 'active', pendingAction: null });
  expect(new Date(next?.currentPeriodEnd ?? NaN).getTime()).toBeGreaterThan(
    new Date(renewed?.currentPeriodEnd ?? NaN).getTime(),
  );
});
