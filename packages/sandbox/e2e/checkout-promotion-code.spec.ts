/**
 * Done when: on the hosted Checkout page of a session with `allow_promotion_codes`, a customer
 * opens "Add promotion code" and applies a code with the keyboard alone, hears why a wrong code
 * was refused (an alert tied to the field), sees the discount line and the new total, removes the
 * code, applies it again and pays the discounted amount; the page has no axe violations in each
 * state.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type Stripe from 'stripe';
import { expect, test } from './support/fixtures.js';

async function noViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations).toEqual([]);
}

test('applies, refuses and removes a promotion code with the keyboard; pays the discounted total', async ({
  page,
  site,
  sandbox,
}) => {
  const { stripe } = sandbox;
  const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
  const code = `E2E${Date.now().toString(36).toUpperCase()}`;
  await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code });
  const session = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      {
        price_data: { currency: 'usd', unit_amount: 2500, product_data: { name: 'T-shirt' } },
        quantity: 2,
      },
    ],
    allow_promotion_codes: true,
    success_url: `${site.url}/return.html?session_id={CHECKOUT_SESSION_ID}`,
  });
  await page.goto(session.url as string);
  const summary = page.getByRole('table', { name: 'Order summary' });
  await expect(summary.locator('#checkout-total')).toHaveText('$50.00');
  await noViolations(page);

  // Keyboard only: focus the disclosure, open it, type a wrong code, submit with Enter.
  const disclosure = page.getByText('Add promotion code');
  await disclosure.focus();
  await page.keyboard.press('Enter');
  const field = page.getByLabel('Promotion code');
  await expect(field).toBeVisible();
  await field.focus();
  await page.keyboard.type('WRONGCODE');
  await page.keyboard.press('Enter');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('This code is invalid.');
  await expect(page.getByLabel('Promotion code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Promotion code')).toHaveAccessibleDescription(
    'This code is invalid.',
  );
  await noViolations(page);

  // The same field, now with the code in lower case, applied with Tab to the button and Space.
  await page.getByLabel('Promotion code').fill(code.toLowerCase());
  await page.getByLabel('Promotion code').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Apply' })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(summary).toContainText(`Discount (${code})`);
  await expect(summary).toContainText('−$5.00');
  await expect(summary.locator('#checkout-total')).toHaveText('$45.00');
  await expect(page.getByRole('status')).toContainText(`${code} applied`);
  await expect(page.getByRole('button', { name: 'Pay $45.00' })).toBeVisible();
  await noViolations(page);

  const remove = page.getByRole('button', { name: `Remove promotion code ${code}` });
  await remove.focus();
  await page.keyboard.press('Enter');
  await expect(summary.locator('#checkout-total')).toHaveText('$50.00');
  await expect(summary).not.toContainText('Discount');

  await page.getByText('Add promotion code').click();
  await page.getByLabel('Promotion code').fill(code);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(summary.locator('#checkout-total')).toHaveText('$45.00');

  await page.getByLabel('Email').fill('promo@example.com');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiration date').fill('12 / 34');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: 'Pay $45.00' }).click();
  await page.waitForURL(`${site.url}/return.html?session_id=${session.id}`);
  const done = await stripe.checkout.sessions.retrieve(session.id, {
    expand: ['payment_intent'],
  });
  expect(done).toMatchObject({ status: 'complete', amount_total: 4500 });
  expect((done.payment_intent as Stripe.PaymentIntent).amount).toBe(4500);
  expect((await stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
});

test('once a subscription’s payment has started, the code cannot change: the page says so and charges what it shows', async ({
  page,
  site,
  sandbox,
}) => {
  const { stripe } = sandbox;
  const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
  const code = `LOCK${Date.now().toString(36).toUpperCase()}`;
  await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code });
  const price = await stripe.prices.create({
    currency: 'usd',
    unit_amount: 2900,
    recurring: { interval: 'month' },
    product_data: { name: 'Pro' },
  });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: price.id, quantity: 1 }],
    allow_promotion_codes: true,
    success_url: `${site.url}/return.html?session_id={CHECKOUT_SESSION_ID}`,
  });
  await page.goto(session.url as string);
  await page.getByText('Add promotion code').click();
  await page.getByLabel('Promotion code').fill(code);
  await page.getByRole('button', { name: 'Apply' }).click();
  const summary = page.getByRole('table', { name: 'Order summary' });
  await expect(summary.locator('#checkout-total')).toHaveText('$26.10');
  // A `once` code: the months after the first are at the full price.
  await expect(page.locator('#checkout-then')).toHaveText('Then $29.00 / month.');

  const fillCard = async (number: string) => {
    await page.getByLabel('Email').fill('locked@example.com');
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiration date').fill('12 / 34');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Subscribe' }).click();
  };
  await fillCard('4000 0027 6000 3184');
  await expect(page.getByRole('heading', { name: '3D Secure authentication' })).toBeVisible();
  // The customer comes back to the page without authenticating and tries to remove the code.
  await page.goto(session.url as string);
  const remove = page.getByRole('button', { name: `Remove promotion code ${code}` });
  await remove.focus();
  await page.keyboard.press('Enter');
  const message = 'This order’s payment has started: its code can no longer change.';
  await expect(page.getByRole('alert')).toHaveText(message);
  await expect(
    page.getByRole('button', { name: `Remove promotion code ${code}` }),
  ).toHaveAccessibleDescription(message);
  await expect(summary.locator('#checkout-total')).toHaveText('$26.10');
  await noViolations(page);

  await fillCard('4242 4242 4242 4242');
  await page.waitForURL(`${site.url}/return.html?session_id=${session.id}`);
  const done = await stripe.checkout.sessions.retrieve(session.id, {
    expand: ['subscription.latest_invoice'],
  });
  expect(done).toMatchObject({ status: 'complete', amount_total: 2610 });
  const invoice = (done.subscription as Stripe.Subscription).latest_invoice as Stripe.Invoice;
  expect(invoice.amount_paid).toBe(2610);
});
