/**
 * Saved cards in the Payment Element through a Customer Session (`customerSessionClientSecret`):
 * the list, choosing a card, paying with it (3D Secure too), choosing a new card, the keyboard.
 * The page (plain.html with `saved=…`) makes the returning customer, its cards and the session
 * on its "server"; the intents are made for that customer.
 */
import type { Page } from '@playwright/test';
import type { TestSandbox } from '../src/test-support/test-sandbox.js';
import {
  elementFrame,
  expect,
  fillCard,
  type Mode,
  pageUrl,
  result,
  test,
  threeDSecureDialog,
  waitForElement,
} from './support/fixtures.js';
import type { Site } from './support/site.js';

async function customerOf(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { customer: string }).customer);
}

for (const mode of ['http', 'msw'] as Mode[]) {
  test(`lists the saved cards newest first and pays with the one chosen (${mode})`, async ({
    page,
    site,
    sandbox,
    consoleErrors,
  }) => {
    await page.goto(
      pageUrl(site, sandbox, 'plain', mode, {
        saved: 'pm_card_visa,pm_card_mastercard',
      }),
    );
    const frame = await waitForElement(page);
    const group = frame.getByRole('group', { name: 'Saved cards' });
    const radios = group.getByRole('radio');
    await expect(radios).toHaveCount(3);
    // Newest first (the Mastercard was saved last), then the new card choice.
    await expect(radios.nth(0)).toHaveAccessibleName(/^Mastercard •••• 4444 Expires \d\d\/\d\d$/);
    await expect(radios.nth(1)).toHaveAccessibleName(/^Visa •••• 4242 Expires \d\d\/\d\d$/);
    await expect(radios.nth(2)).toHaveAccessibleName('New card');
    await expect(radios.nth(0)).toBeChecked();
    await expect(frame.getByLabel('Card number')).toBeHidden();

    await frame.getByRole('radio', { name: /Visa •••• 4242/ }).check();
    /** The element's last `change` event (it reaches the page after the click, not with it). */
    const lastChange = () =>
      page.evaluate(() => {
        const events = (
          window as unknown as { app: { events: Array<{ type: string; event: unknown }> } }
        ).app.events.filter((entry) => entry.type === 'change');
        return events.at(-1)?.event as
          | {
              complete: boolean;
              value: { payment_method?: { id: string; card?: { last4: string } } };
            }
          | undefined;
      });
    await expect
      .poll(async () => (await lastChange())?.value.payment_method?.card?.last4)
      .toBe('4242');
    const change = (await lastChange()) as NonNullable<Awaited<ReturnType<typeof lastChange>>>;
    expect(change.complete).toBe(true);
    expect(change.value.payment_method?.id).toMatch(/^pm_/);

    await page.getByRole('button', { name: 'Pay' }).click();
    const { paymentIntent } = await result(page);
    expect(paymentIntent?.status).toBe('succeeded');
    expect(paymentIntent?.payment_method).toBe(change.value.payment_method?.id);
    if (mode === 'http') {
      const pm = await sandbox.stripe.paymentMethods.retrieve(
        String(paymentIntent?.payment_method),
      );
      expect(pm.card?.last4).toBe('4242');
      expect(pm.customer).toBe(await customerOf(page));
    }
    // The session loaded without a warning from the element (favicon 404s aside).
    expect(consoleErrors.filter((line) => line.includes('Tillkit sandbox'))).toEqual([]);
  });
}

test('a saved card that asks for 3D Secure asks again on session (deferred intent)', async ({
  page,
  site,
  sandbox,
}) => {
  await page.goto(
    pageUrl(site, sandbox, 'plain', 'http', {
      deferred: '1',
      saved: 'pm_card_authenticationRequired',
    }),
  );
  const frame = await waitForElement(page);
  await expect(frame.getByRole('radio', { name: /Visa •••• 3184/ })).toBeChecked();
  await page.getByRole('button', { name: 'Pay' }).click();
  const dialog = threeDSecureDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Complete authentication' }).click();
  const { paymentIntent } = await result(page);
  expect(paymentIntent?.status).toBe('succeeded');
  const intent = await sandbox.stripe.paymentIntents.retrieve(String(paymentIntent?.id));
  expect(intent.customer).toBe(await customerOf(page));
  const pm = await sandbox.stripe.paymentMethods.retrieve(String(intent.payment_method));
  expect(pm.card?.last4).toBe('3184');
});

test('confirmSetup with a saved card sets it up again', async ({ page, site, sandbox }) => {
  await page.goto(
    pageUrl(site, sandbox, 'plain', 'http', { flow: 'setup', saved: 'pm_card_visa' }),
  );
  await waitForElement(page);
  await page.getByRole('button', { name: 'Pay' }).click();
  const { setupIntent } = await result(page);
  expect(setupIntent?.status).toBe('succeeded');
  const pm = await sandbox.stripe.paymentMethods.retrieve(String(setupIntent?.payment_method));
  expect(pm.customer).toBe(await customerOf(page));
  expect(pm.allow_redisplay).toBe('always');
});

test('"New card" shows the card fields and pays with a new card, as without a session', async ({
  page,
  site,
  sandbox,
}) => {
  await page.goto(pageUrl(site, sandbox, 'plain', 'http', { saved: 'pm_card_visa' }));
  const frame = await waitForElement(page);
  await frame.getByRole('radio', { name: 'New card' }).check();
  await expect(frame.getByLabel('Card number')).toBeVisible();
  // Empty card fields are refused as without a session.
  await page.getByRole('button', { name: 'Pay' }).click();
  expect((await result(page)).error?.code).toBe('incomplete_number');
  await page.evaluate(() => {
    const output = document.getElementById('result');
    if (output) output.textContent = '';
  });
  await fillCard(frame, { number: '5555555555554444' });
  await page.getByRole('button', { name: 'Pay' }).click();
  const { paymentIntent } = await result(page);
  expect(paymentIntent?.status).toBe('succeeded');
  const pm = await sandbox.stripe.paymentMethods.retrieve(String(paymentIntent?.payment_method));
  expect(pm.card?.last4).toBe('4444');
  // Not saved: a one-off payment, `unspecified` as Stripe leaves it.
  expect(pm.customer).toBeNull();
  expect(pm.allow_redisplay).toBe('unspecified');
});

test('the keyboard: Tab to the chosen card, arrows to another or to a new card', async ({
  page,
  site,
  sandbox,
}) => {
  await page.goto(
    pageUrl(site, sandbox, 'plain', 'http', { saved: 'pm_card_visa,pm_card_mastercard' }),
  );
  const frame = await waitForElement(page);
  await page.locator('h1').click();
  await page.keyboard.press('Tab');
  const mastercard = frame.getByRole('radio', { name: /Mastercard •••• 4444/ });
  await expect(mastercard).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(frame.getByRole('radio', { name: /Visa •••• 4242/ })).toBeChecked();
  await page.keyboard.press('ArrowDown');
  const newCard = frame.getByRole('radio', { name: 'New card' });
  await expect(newCard).toBeChecked();
  await expect(frame.getByLabel('Card number')).toBeVisible();
  // Tab leaves the group for the card number.
  await page.keyboard.press('Tab');
  await expect(frame.getByLabel('Card number')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(newCard).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(mastercard).toBeChecked();
  await expect(frame.getByLabel('Card number')).toBeHidden();
  // Tab past the group reaches the page's Pay button; Enter pays with the Mastercard.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Pay' })).toBeFocused();
  await page.keyboard.press('Enter');
  const { paymentIntent } = await result(page);
  expect(paymentIntent?.status).toBe('succeeded');
  const pm = await sandbox.stripe.paymentMethods.retrieve(String(paymentIntent?.payment_method));
  expect(pm.card?.last4).toBe('4444');
});

test('no saved cards, or an expired session: the element looks as without a session', async ({
  page,
  site,
  sandbox,
}) => {
  const customer = await sandbox.stripe.customers.create({});
  // Saved, but `limited`: the session's default filter (`always`) leaves it out.
  await sandbox.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  const session = await sandbox.stripe.customerSessions.create({
    customer: customer.id,
    components: {
      payment_element: { enabled: true, features: { payment_method_redisplay: 'enabled' } },
    },
  });
  await page.goto(
    pageUrl(site, sandbox, 'plain', 'http', { cuss: session.client_secret, customer: customer.id }),
  );
  let frame = await waitForElement(page);
  await expect(frame.getByLabel('Card number')).toBeVisible();
  await expect(frame.getByRole('radio')).toHaveCount(0);
  await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(0);

  // A session 31 minutes old has expired: no saved cards, as on Stripe.
  const visible = await sandbox.stripe.paymentMethods.attach('pm_card_visa', {
    customer: customer.id,
  });
  await sandbox.stripe.paymentMethods.update(visible.id, { allow_redisplay: 'always' });
  const stale = await sandbox.stripe.customerSessions.create({
    customer: customer.id,
    components: {
      payment_element: { enabled: true, features: { payment_method_redisplay: 'enabled' } },
    },
  });
  const stored = sandbox.core.store.getInternal<{ expires_at: number }>(
    `customer_session:${stale.client_secret}`,
  );
  if (stored) stored.expires_at = Math.floor(Date.now() / 1000) - 60;
  await page.goto(
    pageUrl(site, sandbox, 'plain', 'http', { cuss: stale.client_secret, customer: customer.id }),
  );
  frame = await waitForElement(page);
  await expect(frame.getByLabel('Card number')).toBeVisible();
  await expect(elementFrame(page).getByRole('radio')).toHaveCount(0);
});

test.describe('allow_redisplay of the cards the Payment Element saves (no Customer Session)', () => {
  /**
   * Pays (or, for a SetupIntent, sets up) `clientSecret` on the plain page with 4242, as the
   * customer would, and answers the card the Payment Element saved.
   */
  async function cardSavedBy(
    { page, site, sandbox }: { page: Page; site: Site; sandbox: TestSandbox },
    clientSecret: string,
  ) {
    const setup = clientSecret.startsWith('seti_');
    await page.goto(
      pageUrl(site, sandbox, 'plain', 'http', {
        ...(setup ? { flow: 'setup' } : {}),
        secret: clientSecret,
      }),
    );
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    await page.getByRole('button', { name: 'Pay' }).click();
    const { paymentIntent, setupIntent } = await result(page);
    const intent = setup ? setupIntent : paymentIntent;
    expect(intent?.status).toBe('succeeded');
    return sandbox.stripe.paymentMethods.retrieve(String(intent?.payment_method));
  }

  test('a SetupIntent saves the card as `limited`', async ({ page, site, sandbox }) => {
    const customer = await sandbox.stripe.customers.create({});
    const intent = await sandbox.stripe.setupIntents.create({ customer: customer.id });
    const pm = await cardSavedBy({ page, site, sandbox }, String(intent.client_secret));
    expect(pm.customer).toBe(customer.id);
    expect(pm.allow_redisplay).toBe('limited');
  });

  test('a payment with setup_future_usage saves it as `limited`', async ({
    page,
    site,
    sandbox,
  }) => {
    const customer = await sandbox.stripe.customers.create({});
    const intent = await sandbox.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    const pm = await cardSavedBy({ page, site, sandbox }, String(intent.client_secret));
    expect(pm.customer).toBe(customer.id);
    expect(pm.allow_redisplay).toBe('limited');
  });

  test('confirmParams.payment_method_data.allow_redisplay wins', async ({
    page,
    site,
    sandbox,
  }) => {
    const customer = await sandbox.stripe.customers.create({});
    const intent = await sandbox.stripe.setupIntents.create({ customer: customer.id });
    await page.goto(
      pageUrl(site, sandbox, 'plain', 'http', {
        flow: 'setup',
        secret: String(intent.client_secret),
      }),
    );
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    const confirmed = await page.evaluate(async () => {
      const { stripe, elements } = (
        window as unknown as {
          app: {
            stripe: {
              confirmSetup(options: object): Promise<{ setupIntent?: { payment_method: string } }>;
            };
            elements: unknown;
          };
        }
      ).app;
      return stripe.confirmSetup({
        elements,
        confirmParams: {
          return_url: window.location.href,
          payment_method_data: { allow_redisplay: 'always' },
        },
        redirect: 'if_required',
      });
    });
    const pm = await sandbox.stripe.paymentMethods.retrieve(
      String(confirmed.setupIntent?.payment_method),
    );
    expect(pm.allow_redisplay).toBe('always');
  });
});
