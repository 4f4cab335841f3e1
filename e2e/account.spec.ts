/**
 * A signed-in customer on the host page (the server's sandbox sign-in): a card saved with
 * `SaveCardForm` is listed by `SavedCards` and offered by `PaymentForm`'s Payment Element (a
 * Customer Session from the server), which pays with it; and a plan with a trial chosen in
 * `PricingTable`, started with `SubscribeForm`, then shown by `SubscriptionManager` and unlocking
 * `<Entitled>` once the server has the webhook.
 */
import {
  cardFrame,
  expect,
  fillCard,
  hostUrl,
  newUserId,
  priceOf,
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
