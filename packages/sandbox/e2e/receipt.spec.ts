/**
 * Done when: in Chromium, a charge's receipt page (with a refund) reads as a receipt to assistive
 * technology (its heading, the facts, the summary table) and has no axe violations, light or dark.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type Stripe from 'stripe';
import { expect, test } from './support/fixtures.js';

test('the receipt page of a refunded payment has no axe violations, light or dark', async ({
  page,
  sandbox,
}) => {
  const intent = await sandbox.stripe.paymentIntents.create({
    amount: 7500,
    currency: 'kwd',
    description: 'Tillkit T-shirt',
    allowed_payment_method_types: ['card'],
    payment_method: 'pm_card_visa',
    confirm: true,
    expand: ['latest_charge'],
  });
  const charge = intent.latest_charge as Stripe.Charge;
  await sandbox.stripe.refunds.create({ charge: charge.id, amount: 2500 });

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto(charge.receipt_url as string);
    await expect(page).toHaveTitle(/^Receipt/);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Receipt from Tillkit Sandbox' }),
    ).toBeVisible();
    await expect(page.getByRole('definition').first()).toHaveText('KWD 7.500');
    await expect(page.getByRole('row', { name: 'Net KWD 5.000' })).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations).toEqual([]);
  }
});
