/**
 * Done when: in Chromium, a customer cancels a subscription at period end in the sandbox's
 * customer portal, switches plan, and adds and removes a card; the portal has no axe violations.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type Stripe from 'stripe';
import type { TestSandbox } from '../src/test-support/test-sandbox.js';
import { expect, test } from './support/fixtures.js';

/** A subscriber to Pro monthly (a saved Visa, the default) and a portal session for them. */
async function portalSession(sandbox: TestSandbox, email: string) {
  const { stripe } = sandbox;
  const product = await stripe.products.create({ name: 'Pro' });
  const monthly = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 2900,
    recurring: { interval: 'month' },
  });
  const yearly = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 29000,
    recurring: { interval: 'year' },
  });
  const customer = await stripe.customers.create({ email, payment_method: 'pm_card_visa' });
  const card = (await stripe.paymentMethods.list({ customer: customer.id })).data[0];
  await stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: card?.id as string },
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: monthly.id }],
  });
  const configuration = await stripe.billingPortal.configurations.create({
    features: {
      invoice_history: { enabled: true },
      payment_method_update: { enabled: true },
      subscription_cancel: { enabled: true, mode: 'at_period_end' },
      subscription_update: {
        enabled: true,
        default_allowed_updates: ['price'],
        proration_behavior: 'create_prorations',
        products: [{ product: product.id, prices: [monthly.id, yearly.id] }],
      },
    },
  });
  const session = await stripe.billingPortal.sessions.create({
    customer: customer.id,
    configuration: configuration.id,
    return_url: 'https://shop.example/account',
  });
  return { session, subscription, customer, card: card as Stripe.PaymentMethod, yearly };
}

test.describe('customer portal', () => {
  test('cancels at period end, and has no axe violations', async ({ page, sandbox }) => {
    const { session, subscription } = await portalSession(sandbox, 'cancel-e2e@example.com');
    await page.goto(session.url);
    await expect(page.getByRole('heading', { name: 'Billing' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Return to shop.example' })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Pro' })).toContainText('$29.00 / month');
    const clean = await new AxeBuilder({ page }).analyze();
    expect(clean.violations).toEqual([]);

    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await expect(page.getByRole('status')).toContainText('Your subscription will be canceled on');
    await expect(page.getByRole('article', { name: 'Pro' })).toContainText('Cancels on');
    await expect(page.getByRole('button', { name: 'Renew subscription' })).toBeVisible();
    const after = await sandbox.stripe.subscriptions.retrieve(subscription.id);
    expect(after).toMatchObject({ status: 'active', cancel_at_period_end: true });
    const withMessage = await new AxeBuilder({ page }).analyze();
    expect(withMessage.violations).toEqual([]);
  });

  test('switches plan, adds a card and removes the old one', async ({ page, sandbox }) => {
    const { session, subscription, customer, card, yearly } = await portalSession(
      sandbox,
      'switch-e2e@example.com',
    );
    await page.goto(session.url);
    await page.getByLabel('New plan').selectOption({ label: 'Pro, $290.00 / year' });
    await page.getByRole('button', { name: 'Switch plan' }).click();
    await expect(page.getByRole('status')).toHaveText('Your plan has been updated.');
    await expect(page.getByRole('article', { name: 'Pro' })).toContainText('$290.00 / year');
    const switched = await sandbox.stripe.subscriptions.retrieve(subscription.id);
    expect(switched.items.data[0]?.price.id).toBe(yearly.id);

    await page.getByLabel('Card number').fill('5555 5555 5555 4444');
    await page.getByLabel('Expiration date').fill('10 / 31');
    await page.getByLabel('Security code').fill('321');
    await page.getByRole('button', { name: 'Add card' }).click();
    await expect(page.getByRole('status')).toHaveText(
      'Your card has been added and is now the default.',
    );
    await expect(page.getByText('Mastercard ending in 4444 · Expires 10/2031')).toBeVisible();

    await page.getByRole('button', { name: 'Remove Visa ending in 4242' }).click();
    await expect(page.getByRole('status')).toHaveText('The card has been removed.');
    await expect(page.getByText('Visa ending in 4242')).toHaveCount(0);
    expect((await sandbox.stripe.paymentMethods.retrieve(card.id)).customer).toBeNull();
    const cards = await sandbox.stripe.paymentMethods.list({ customer: customer.id });
    expect(cards.data.map((pm) => pm.card?.last4)).toEqual(['4444']);
  });
});
