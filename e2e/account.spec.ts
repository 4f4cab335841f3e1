/**
 * A signed-in customer on the host page (the server's sandbox sign-in): a card saved with
 * `SaveCardForm` is listed by `SavedCards` and offered by `PaymentForm`'s Payment Element (a
 * Customer Session from the server), which pays with it; and a plan with a trial chosen in
 * `PricingTable`, started with `SubscribeForm`, then shown by `SubscriptionManager` and unlocking
 * `<Entitled>` once the server has the webhook; and a trial whose card was declined, finished
 * later from `SubscriptionManager` with the card its first invoice then charges.
 */
import {
  advanceClock,
  cardFrame,
  expect,
  fillCard,
  hostUrl,
  newUserId,
  priceOf,
  serverSubscriptions,
  stripeGet,
  test,
} from './support/fixtures.js';

test('a card saved with SaveCardForm is listed, then pays at checkout without typing it', async ({
  page,
}) => {
  const user = newUserId('saver');
  await page.goto(hostUrl('cards', { user }));
  const save = page.getByRole('button', { name: 'Save card' });
  await expect(save).toBeEnabled({ timeout: 15_000 });
  const cards = page.getByRole('group', { name: 'Saved cards' }).getByRole('listitem');
  await expect(cards).toHaveCount(0);
  await fillCard(page, '5555 5555 5555 4444');
  await save.click();
  await expect(page.getByText('Your card has been saved.')).toBeVisible();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('Mastercard ending in 4444');

  const tshirt = await priceOf('prod_tillkit_tshirt');
  const session = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && response.url().endsWith('/api/customer-sessions'),
  );
  await page.goto(hostUrl('pay', { user, price: tshirt, quantity: '2' }));
  expect((await session).status()).toBe(201);
  const pay = page.getByRole('button', { name: 'Pay $50.00' });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  const saved = cardFrame(page).getByRole('group', { name: 'Saved cards' }).getByRole('radio');
  await expect(saved).toHaveCount(2);
  await expect(saved.nth(0)).toHaveAccessibleName(/^Mastercard •••• 4444 Expires 12\/34$/);
  await expect(saved.nth(0)).toBeChecked();
  await expect(saved.nth(1)).toHaveAccessibleName('New card');
  await expect(cardFrame(page).getByLabel('Card number')).toBeHidden();

  await pay.click();
  await expect(page.getByText('Payment successful. Thank you!')).toBeVisible();
  const id = (await page.getByTestId('paid').textContent()) ?? '';
  const intent = await stripeGet<{ status: string; customer: string; payment_method: string }>(
    `/v1/payment_intents/${id}`,
  );
  expect(intent.status).toBe('succeeded');
  const method = await stripeGet<{ customer: string; card: { last4: string } }>(
    `/v1/payment_methods/${intent.payment_method}`,
  );
  // The saved card itself (still the customer's), not a new one.
  expect(method).toMatchObject({ customer: intent.customer, card: { last4: '4444' } });
});

test('a trial chosen in PricingTable is listed as trialing and unlocks its feature', async ({
  page,
}) => {
  const user = newUserId('subscriber');
  await page.goto(hostUrl('plans', { user }));
  const pro = page.getByRole('button', { name: 'Choose Pro' });
  await expect(pro).toBeVisible({ timeout: 15_000 });
  await pro.click();
  await expect(page.getByText('Pro · $29.00 / month · 14-day free trial')).toBeVisible();
  const start = page.getByRole('button', { name: 'Start free trial' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  await start.click();
  await expect(page.getByText('You are subscribed. Thank you!')).toBeVisible();

  // The account page: the subscription from the server's database, and the feature it gives,
  // once the webhooks landed (each load reads the server again).
  await page.goto(hostUrl('account', { user }));
  const subscription = page.getByRole('listitem').filter({ hasText: 'Pro' });
  await expect(subscription).toBeVisible({ timeout: 15_000 });
  await expect(subscription.locator('[data-slot="subscription-manager-badge"]')).toHaveAttribute(
    'data-state',
    'trialing',
  );
  await expect(subscription).toContainText('Trial ends on');
  const unlocked = page.getByText('Priority support is on: write to us any time.');
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('Checking your plan…')).toBeHidden();
    await expect(unlocked).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
});

test('a trial whose card was declined is finished later in SubscriptionManager, and that card pays its first invoice', async ({
  page,
}) => {
  const user = newUserId('trialist');
  await page.goto(hostUrl('plans', { user }));
  await page.getByRole('button', { name: 'Choose Pro' }).click();
  const start = page.getByRole('button', { name: 'Start free trial' });
  await expect(start).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4000 0000 0000 0002');
  await start.click();
  await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
  // The trial has started, with no card for its renewals: the server says what it waits for.
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([
      { productName: 'Pro', status: 'trialing', pendingAction: { type: 'save_card' } },
    ]);
  const [trial] = await serverSubscriptions(user);
  const trialEnd = new Date(trial?.trialEnd ?? NaN);

  // Back on the plans another day: Pro is theirs, and offers the card it still needs.
  await page.goto(hostUrl('plans', { user }));
  await expect(page.getByRole('button', { name: 'Add a card' })).toBeEnabled({ timeout: 15_000 });

  await page.goto(hostUrl('account', { user }));
  const manager = page.getByRole('group', { name: 'Your subscriptions' });
  const block = manager.getByRole('group', { name: 'Pro' });
  const ends = trialEnd.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
  await expect(block).toContainText(`Add a card to keep Pro after your trial ends on ${ends}.`, {
    timeout: 15_000,
  });
  const save = block.getByRole('button', { name: 'Save card' });
  await expect(save).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4242 4242 4242 4242');
  await save.click();
  await expect(manager.locator('[data-slot="subscription-manager-status"]')).toHaveText(
    'Your card is saved for Pro.',
  );
  await expect(block).toBeHidden();
  await expect
    .poll(() => serverSubscriptions(user), { timeout: 15_000 })
    .toMatchObject([{ id: trial?.id, status: 'trialing', pendingAction: null }]);
  const stored = await stripeGet<{ default_payment_method: string; pending_setup_intent: null }>(
    `/v1/subscriptions/${trial?.id}`,
  );
  expect(stored.pending_setup_intent).toBeNull();
  const card = await stripeGet<{ card: { last4: string } }>(
    `/v1/payment_methods/${stored.default_payment_method}`,
  );
  expect(card.card.last4).toBe('4242');
  await page.goto(hostUrl('plans', { user }));
  await expect(page.getByRole('button', { name: 'Current plan' })).toBeVisible({
    timeout: 15_000,
  });

  // Past the trial's end: the first invoice is charged to that card, and Pro is active.
  await advanceClock(user, 15);
  expect(await serverSubscriptions(user)).toMatchObject([
    { id: trial?.id, status: 'active', pendingAction: null },
  ]);
  const invoices = await stripeGet<{ data: Array<{ amount_paid: number; status: string }> }>(
    `/v1/invoices?subscription=${trial?.id}`,
  );
  expect(invoices.data).toContainEqual(
    expect.objectContaining({ amount_paid: 2900, status: 'paid' }),
  );
});
