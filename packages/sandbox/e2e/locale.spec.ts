/** The element, its errors and the 3D Secure dialog in German, and back; other locales in English. */
import type { FrameLocator, Page } from '@playwright/test';
import {
  elementFrame,
  expect,
  type PageWindow,
  pageUrl,
  result,
  test,
  waitForElement,
} from './support/fixtures.js';

/** Types a card into the German element, by its German labels. */
async function fillGermanCard(frame: FrameLocator, number: string): Promise<void> {
  await frame.getByLabel('Kartennummer').fill(number);
  await frame.getByLabel('Ablaufdatum').fill('12 / 34');
  await frame.getByLabel('Sicherheitscode').fill('123');
  const postal = frame.getByLabel('Postleitzahl');
  if (await postal.isVisible()) await postal.fill('94103');
}

/** Forgets the last result, so that `result()` waits for the next one. */
async function clearResult(page: Page): Promise<void> {
  await page.locator('#result').evaluate((output) => {
    output.textContent = '';
  });
}

test.describe('localisation', () => {
  test("locale: 'de' labels, validates and declines in German; update({ locale: 'en' }) switches back", async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { locale: 'de' }));
    const frame = await waitForElement(page);
    await expect(frame.locator('html')).toHaveAttribute('lang', 'de');
    for (const label of [
      'Kartennummer',
      'Ablaufdatum',
      'Sicherheitscode',
      'Land',
      'Postleitzahl',
    ]) {
      await expect(frame.getByLabel(label, { exact: true })).toBeVisible();
    }
    await expect(frame.getByText('Card number')).toHaveCount(0);
    await expect(frame.getByLabel('Ablaufdatum')).toHaveAttribute('placeholder', 'MM / JJ');
    await expect(frame.getByLabel('Land').locator('option:checked')).toHaveText(
      'Vereinigte Staaten',
    );
    await expect(frame.getByRole('form')).toHaveAccessibleName('Kartendaten');

    // Submitting empty fields: confirmPayment answers the first problem, every field shows its own.
    await page.locator('#pay').click();
    expect((await result(page)).error).toEqual({
      type: 'validation_error',
      code: 'incomplete_number',
      message: 'Ihre Kartennummer ist unvollständig.',
      param: 'number',
    });
    await expect(frame.getByText('Ihre Kartennummer ist unvollständig.')).toBeVisible();
    await expect(frame.getByText('Das Ablaufdatum Ihrer Karte ist unvollständig.')).toBeVisible();
    await expect(
      frame.getByText('Der Sicherheitscode Ihrer Karte ist unvollständig.'),
    ).toBeVisible();
    await expect(frame.getByText('Ihre Postleitzahl ist unvollständig.')).toBeVisible();

    // The decline test card: Stripe.js's German message; type, code and decline_code as sent.
    await clearResult(page);
    await fillGermanCard(frame, '4000 0000 0000 0002');
    await page.locator('#pay').click();
    const declined = (await result(page)).error;
    expect(declined).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Ihre Karte wurde abgelehnt.',
    });
    expect(declined?.payment_intent?.status).toBe('requires_payment_method');

    // A real card number: refused as Stripe does in test mode, in German.
    await clearResult(page);
    await fillGermanCard(frame, '4147 0958 3016 2745');
    await page.locator('#pay').click();
    expect((await result(page)).error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'test_mode_live_card',
      message:
        'Ihre Karte wurde abgelehnt. Ihre Anfrage erfolgte im Testmodus, aber mit einer echten Karte. Verwenden Sie eine Testkarte.',
    });

    // A German error on show, then English: labels, placeholder, country and the error change,
    // what the customer typed stays.
    const number = frame.getByLabel('Kartennummer');
    await number.fill('4242 4242 4242 4241');
    await expect(frame.getByText('Ihre Kartennummer ist ungültig.')).toBeVisible();
    await page.evaluate(() =>
      (window as unknown as PageWindow).app.elements.update({ locale: 'en' }),
    );
    await expect(frame.locator('html')).toHaveAttribute('lang', 'en');
    await expect(frame.getByText('Your card number is invalid.')).toBeVisible();
    await expect(frame.getByText('Ihre Kartennummer ist ungültig.')).toHaveCount(0);
    for (const label of [
      'Card number',
      'Expiration date',
      'Security code',
      'Country',
      'Postal code',
    ]) {
      await expect(frame.getByLabel(label, { exact: true })).toBeVisible();
    }
    await expect(frame.getByLabel('Kartennummer')).toHaveCount(0);
    await expect(frame.getByLabel('Card number')).toHaveValue('4242 4242 4242 4241');
    await expect(frame.getByLabel('Expiration date')).toHaveAttribute('placeholder', 'MM / YY');
    await expect(frame.getByLabel('Country').locator('option:checked')).toHaveText('United States');

    // And its results are English again.
    await clearResult(page);
    await frame.getByLabel('Card number').fill('4000 0000 0000 9995');
    await page.locator('#pay').click();
    expect((await result(page)).error).toMatchObject({
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    });
  });

  test('the 3D Secure dialog and a failed authentication in German (de-AT, MSW)', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'msw', { locale: 'de-AT' }));
    const frame = await waitForElement(page);
    // Austria from the locale's region: no postal code asked.
    await expect(frame.getByLabel('Land').locator('option:checked')).toHaveText('Österreich');
    await expect(frame.getByLabel('Postleitzahl')).toBeHidden();
    await fillGermanCard(frame, '4000 0027 6000 3184');
    await page.locator('#pay').click();

    const dialog = page.getByRole('dialog', { name: '3D Secure-Authentifizierung' });
    await expect(dialog).toBeVisible();
    // The amount as Austria writes it (the dialog follows the locale's region, not just German).
    await expect(dialog).toContainText(
      /Eine Zahlung von \$\s10,00 erfordert die Authentifizierung durch den Karteninhaber\./,
    );
    await expect(
      dialog.getByRole('button', { name: 'Authentifizierung abschließen' }),
    ).toBeFocused();
    await dialog.getByRole('button', { name: 'Authentifizierung fehlschlagen lassen' }).click();
    await expect(dialog).toBeHidden();
    expect((await result(page)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message:
        'Wir können Ihre Zahlungsmethode nicht authentifizieren. Bitte wählen Sie eine andere Zahlungsmethode und versuchen Sie es erneut.',
    });
  });

  test('another locale falls back to English', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { locale: 'fr-FR' }));
    const frame = await waitForElement(page);
    await expect(frame.locator('html')).toHaveAttribute('lang', 'en');
    await expect(frame.getByLabel('Card number')).toBeVisible();
    // The region still picks the country, named in English.
    await expect(frame.getByLabel('Country').locator('option:checked')).toHaveText('France');
  });

  test.describe("with locale 'auto' in a German browser", () => {
    test.use({ locale: 'de-DE' });

    test("follows the browser's language", async ({ page, site, sandbox }) => {
      await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
      const frame = await waitForElement(page);
      await expect(frame.locator('html')).toHaveAttribute('lang', 'de-DE');
      await expect(frame.getByLabel('Kartennummer')).toBeVisible();
      await expect(frame.getByLabel('Land').locator('option:checked')).toHaveText('Deutschland');
      await expect(elementFrame(page).getByLabel('Card number')).toHaveCount(0);
    });
  });
});
