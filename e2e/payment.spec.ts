/**
 * A guest pays a cart with `PaymentForm` on the host page: a decline, then a good card on the
 * same PaymentIntent, and the server's database learns of the payment from the sandbox's
 * webhook; and a card that asks for 3D Secure, completed in the sandbox's dialog.
 */
import {
  expect,
  fillCard,
  hostUrl,
  priceOf,
  recordRequests,
  serverPayment,
  stripeGet,
  test,
} from './support/fixtures.js';

type Intent = { id: string; status: string; amount: number; metadata: Record<string, string> };

test('a declined card, then a good one on the same intent; the webhook records the payment', async ({
  page,
}) => {
  const tshirt = await priceOf('prod_tillkit_tshirt');
  // Three T-shirts: a cart no other test pays, to find its intents in the sandbox below (those
  // of an earlier run on this server aside).
  const cart = `${tshirt}:3`;
  const intentsForCart = async () => {
    const intents = await stripeGet<{ data: Intent[] }>('/v1/payment_intents?limit=100');
    return intents.data.filter((intent) => intent.metadata.tillkit_items === cart);
  };
  const earlier = new Set((await intentsForCart()).map((intent) => intent.id));
  const created = recordRequests(page, 'POST', '/payment-intents');
  // The provider was given only apiBase: it must read /config and load the sandbox's Stripe.js.
  const stripeJs = page.waitForRequest(
    (request) => request.url() === `${process.env.TILLKIT_E2E_SANDBOX}/js/stripe.js`,
  );
  await page.goto(hostUrl('pay', { price: tshirt, quantity: '3' }));
  await stripeJs;

  const pay = page.getByRole('button', { name: 'Pay $75.00' });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4000 0000 0000 0002');
  await pay.click();
  const error = page.getByRole('alert');
  await expect(error).toHaveText('Your card was declined.');
  await expect(error).toBeFocused();

  await fillCard(page, '4242 4242 4242 4242');
  await pay.click();
  await expect(page.getByText('Payment successful. Thank you!')).toBeVisible();
  const id = (await page.getByTestId('paid').textContent()) ?? '';
  expect(id).toMatch(/^pi_/);

  // One intent for the cart, created once, charged twice: the decline and the payment.
  expect(created).toHaveLength(1);
  const made = (await intentsForCart()).filter((intent) => !earlier.has(intent.id));
  expect(made.map((intent) => [intent.id, intent.status, intent.amount])).toEqual([
    [id, 'succeeded', 7500],
  ]);
  const charges = await stripeGet<{ data: Array<{ status: string }> }>(
    `/v1/charges?payment_intent=${id}`,
  );
  expect(charges.data.map((charge) => charge.status).sort()).toEqual(['failed', 'succeeded']);

  // The server stored the intent as created; the sandbox's webhook brings it to succeeded.
  await expect
    .poll(async () => (await serverPayment(id)).status, { timeout: 15_000 })
    .toBe('succeeded');
  expect(await serverPayment(id)).toMatchObject({
    id,
    amount: 7500,
    currency: 'usd',
  });
});

test('3D Secure: the challenge opens in a dialog, and completing it pays', async ({ page }) => {
  const tshirt = await priceOf('prod_tillkit_tshirt');
  await page.goto(hostUrl('pay', { price: tshirt, quantity: '1' }));
  const pay = page.getByRole('button', { name: 'Pay $25.00' });
  await expect(pay).toBeEnabled({ timeout: 15_000 });
  await fillCard(page, '4000 0027 6000 3184');
  const created = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && response.url().endsWith('/api/payment-intents'),
  );
  await pay.click();
  const { id } = (await (await created).json()) as { id: string };

  const dialog = page.getByRole('dialog', { name: '3D Secure' });
  await expect(dialog).toBeVisible();
  // The bank waits for the customer: nothing is paid while the challenge is open.
  expect((await stripeGet<Intent>(`/v1/payment_intents/${id}`)).status).toBe('requires_action');
  await expect(page.getByText('Payment successful. Thank you!')).toBeHidden();
  await dialog.getByRole('button', { name: 'Complete authentication' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Payment successful. Thank you!')).toBeVisible();

  await expect(page.getByTestId('paid')).toHaveText(id);
  expect((await stripeGet<Intent>(`/v1/payment_intents/${id}`)).status).toBe('succeeded');
  const charges = await stripeGet<{
    data: Array<{ status: string; payment_method_details: { card: { last4: string } } }>;
  }>(`/v1/charges?payment_intent=${id}`);
  expect(
    charges.data.map((charge) => [charge.status, charge.payment_method_details.card.last4]),
  ).toEqual([['succeeded', '3184']]);
});
