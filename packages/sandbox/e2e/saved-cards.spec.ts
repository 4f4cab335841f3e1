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
  type PageWindow,
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

test.describe('elements.update({ customerSessionClientSecret }): a fresh session lists the cards again', () => {
  /** A Customer Session for `customer` as the pages make it (`redisplay: 'disabled'` lists none). */
  async function newSession(
    sandbox: TestSandbox,
    customer: string,
    redisplay: 'enabled' | 'disabled' = 'enabled',
  ): Promise<string> {
    const session = await sandbox.stripe.customerSessions.create({
      customer,
      components: {
        payment_element: { enabled: true, features: { payment_method_redisplay: redisplay } },
      },
    });
    return session.client_secret;
  }

  /** Makes a session 31 minutes old, as the sandbox core keeps it. */
  function expire(sandbox: TestSandbox, secret: string): void {
    const stored = sandbox.core.store.getInternal<{ expires_at: number }>(
      `customer_session:${secret}`,
    );
    if (!stored) throw new Error(`no Customer Session ${secret}`);
    stored.expires_at = Math.floor(Date.now() / 1000) - 60;
  }

  /** Saves a test card for `customer`, shown at checkout (`allow_redisplay: 'always'`). */
  async function saveCard(sandbox: TestSandbox, customer: string, card: string): Promise<string> {
    const pm = await sandbox.stripe.paymentMethods.attach(card, { customer });
    await sandbox.stripe.paymentMethods.update(pm.id, { allow_redisplay: 'always' });
    return pm.id;
  }

  function updateSession(page: Page, customerSessionClientSecret: string): Promise<void> {
    return page.evaluate(
      (secret) =>
        (window as unknown as PageWindow).app.elements.update({
          customerSessionClientSecret: secret,
        }),
      customerSessionClientSecret,
    );
  }

  /** The element's last `change` event, as the page got it. */
  function lastChange(page: Page) {
    return page.evaluate(
      () =>
        (window as unknown as PageWindow).app.events
          .filter((entry) => entry.type === 'change')
          .at(-1)?.event as
          | {
              complete: boolean;
              value: { payment_method?: { id: string; card?: { last4: string } } };
            }
          | undefined,
    );
  }

  /** The secrets of the element's `GET /v1/elements/sessions` requests, as they are made. */
  function sessionRequests(page: Page): string[] {
    const secrets: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname !== '/v1/elements/sessions') return;
      secrets.push(url.searchParams.get('customer_session_client_secret') ?? '');
    });
    return secrets;
  }

  test('a card saved since shows up, the chosen card stays chosen and pays', async ({
    page,
    site,
    sandbox,
    consoleErrors,
  }) => {
    await page.goto(
      pageUrl(site, sandbox, 'plain', 'http', { saved: 'pm_card_visa,pm_card_mastercard' }),
    );
    const frame = await waitForElement(page);
    const visa = frame.getByRole('radio', { name: /Visa •••• 4242/ });
    await visa.check();
    await expect
      .poll(async () => (await lastChange(page))?.value.payment_method?.card?.last4)
      .toBe('4242');
    // A keyboard user on the list stays on the chosen card when it is drawn again.
    await visa.focus();

    const customer = await customerOf(page);
    await saveCard(sandbox, customer, 'pm_card_amex');
    await updateSession(page, await newSession(sandbox, customer));
    const radios = frame.getByRole('radio');
    await expect(radios).toHaveCount(4);
    await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(1);
    await expect(radios.nth(0)).toHaveAccessibleName(
      /^American Express •••• 0005 Expires \d\d\/\d\d$/,
    );
    await expect(radios.nth(1)).toHaveAccessibleName(/^Mastercard •••• 4444/);
    await expect(radios.nth(2)).toHaveAccessibleName(/^Visa •••• 4242/);
    await expect(radios.nth(3)).toHaveAccessibleName('New card');
    await expect(visa).toBeChecked();
    await expect(visa).toBeFocused();
    await expect(frame.getByLabel('Card number')).toBeHidden();

    await page.getByRole('button', { name: 'Pay' }).click();
    const { paymentIntent } = await result(page);
    expect(paymentIntent?.status).toBe('succeeded');
    const pm = await sandbox.stripe.paymentMethods.retrieve(String(paymentIntent?.payment_method));
    expect(pm.card?.last4).toBe('4242');
    expect(pm.customer).toBe(customer);
    expect(consoleErrors.filter((line) => line.includes('Tillkit sandbox'))).toEqual([]);
  });

  test('"New card" stays chosen with what was typed; a card no longer listed falls back to the newest', async ({
    page,
    site,
    sandbox,
  }) => {
    const requests = sessionRequests(page);
    await page.goto(
      pageUrl(site, sandbox, 'plain', 'http', {
        saved: 'pm_card_visa,pm_card_mastercard',
        locale: 'de',
      }),
    );
    const frame = await waitForElement(page);
    const customer = await customerOf(page);
    await frame.getByRole('radio', { name: 'Neue Karte' }).check();
    await frame.getByLabel('Kartennummer').fill('4000 0566 5566 5556');
    await updateSession(page, await newSession(sandbox, customer));
    // The list is drawn again from the new session, still in German.
    await expect.poll(() => requests.length).toBe(2);
    await expect(frame.getByRole('group', { name: 'Gespeicherte Karten' })).toHaveCount(1);
    await expect(frame.getByRole('radio', { name: 'Neue Karte' })).toBeChecked();
    await expect(frame.getByLabel('Kartennummer')).toBeVisible();
    await expect(frame.getByLabel('Kartennummer')).toHaveValue('4000 0566 5566 5556');

    // The Mastercard chosen, then removed from the customer: the next list chooses the Visa.
    const mastercard = frame.getByRole('radio', { name: /Mastercard •••• 4444/ });
    await mastercard.check();
    await expect
      .poll(async () => (await lastChange(page))?.value.payment_method?.card?.last4)
      .toBe('4444');
    const removed = String((await lastChange(page))?.value.payment_method?.id);
    await sandbox.stripe.paymentMethods.detach(removed);
    await updateSession(page, await newSession(sandbox, customer));
    await expect(frame.getByRole('radio')).toHaveCount(2);
    await expect(frame.getByRole('radio', { name: /Visa •••• 4242/ })).toBeChecked();
    await expect(frame.getByLabel('Kartennummer')).toBeHidden();
    // What would be confirmed changed: the element says so.
    await expect
      .poll(async () => (await lastChange(page))?.value.payment_method?.card?.last4)
      .toBe('4242');

    // The new list follows a change of language as the first one did.
    await page.evaluate(() =>
      (window as unknown as PageWindow).app.elements.update({ locale: 'en' }),
    );
    await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(1);
    await expect(frame.getByRole('radio', { name: 'New card' })).toBeVisible();
  });

  test.describe('an element made with an expired session', () => {
    async function openWithExpiredSession({
      page,
      site,
      sandbox,
    }: {
      page: Page;
      site: Site;
      sandbox: TestSandbox;
    }) {
      const customer = (await sandbox.stripe.customers.create({})).id;
      const saved = await saveCard(sandbox, customer, 'pm_card_visa');
      const stale = await newSession(sandbox, customer);
      expire(sandbox, stale);
      await page.goto(pageUrl(site, sandbox, 'plain', 'http', { cuss: stale, customer }));
      const frame = await waitForElement(page);
      await expect(frame.getByLabel('Card number')).toBeVisible();
      await expect(frame.getByRole('radio')).toHaveCount(0);
      return { frame, customer, saved };
    }

    test('lists the saved cards after an update with a fresh one and pays with the newest', async ({
      page,
      site,
      sandbox,
      consoleErrors,
    }) => {
      const { frame, customer, saved } = await openWithExpiredSession({ page, site, sandbox });
      await updateSession(page, await newSession(sandbox, customer));
      await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(1);
      await expect(frame.getByRole('radio', { name: /Visa •••• 4242/ })).toBeChecked();
      await expect(frame.getByLabel('Card number')).toBeHidden();
      await expect.poll(async () => (await lastChange(page))?.value.payment_method?.id).toBe(saved);

      await page.getByRole('button', { name: 'Pay' }).click();
      const { paymentIntent } = await result(page);
      expect(paymentIntent?.status).toBe('succeeded');
      expect(paymentIntent?.payment_method).toBe(saved);
      // The expired session stayed silent.
      expect(consoleErrors.filter((line) => line.includes('Tillkit sandbox'))).toEqual([]);
    });

    test('a card typed already: "New card" is chosen and the card is kept', async ({
      page,
      site,
      sandbox,
    }) => {
      const { frame, customer, saved } = await openWithExpiredSession({ page, site, sandbox });
      await fillCard(frame, { number: '5555555555554444' });
      await updateSession(page, await newSession(sandbox, customer));
      await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(1);
      await expect(frame.getByRole('radio', { name: 'New card' })).toBeChecked();
      await expect(frame.getByLabel('Card number')).toHaveValue('5555 5555 5555 4444');
      await expect(frame.getByLabel('Expiration date')).toHaveValue('12 / 34');

      await page.getByRole('button', { name: 'Pay' }).click();
      const { paymentIntent } = await result(page);
      expect(paymentIntent?.status).toBe('succeeded');
      expect(paymentIntent?.payment_method).not.toBe(saved);
      const pm = await sandbox.stripe.paymentMethods.retrieve(
        String(paymentIntent?.payment_method),
      );
      expect(pm.card?.last4).toBe('4444');
    });
  });

  test('an expired new session removes the list and shows the card fields, silently', async ({
    page,
    site,
    sandbox,
    consoleErrors,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { saved: 'pm_card_visa' }));
    const frame = await waitForElement(page);
    await expect(frame.getByRole('radio', { name: /Visa •••• 4242/ })).toBeChecked();
    const stale = await newSession(sandbox, await customerOf(page));
    expire(sandbox, stale);
    await updateSession(page, stale);
    await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(0);
    await expect(frame.getByRole('radio')).toHaveCount(0);
    await expect(frame.getByLabel('Card number')).toBeVisible();
    // The card fields are what would be confirmed now: empty, no saved card.
    await expect.poll(async () => (await lastChange(page))?.complete).toBe(false);
    expect((await lastChange(page))?.value.payment_method).toBeUndefined();
    expect(consoleErrors.filter((line) => line.includes('Tillkit sandbox'))).toEqual([]);
  });

  test('the same secret again fetches nothing; a secret that is not cuss_… throws', async ({
    page,
    site,
    sandbox,
  }) => {
    const requests = sessionRequests(page);
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { saved: 'pm_card_visa' }));
    const frame = await waitForElement(page);
    await expect(frame.getByRole('radio')).toHaveCount(2);
    expect(requests).toHaveLength(1);
    const first = requests[0] as string;

    const thrown = await page.evaluate((secret) => {
      const { elements } = (window as unknown as PageWindow).app;
      // As a React kit does on every render: the same options again.
      elements.update({ customerSessionClientSecret: secret, appearance: { theme: 'stripe' } });
      elements.update({ customerSessionClientSecret: secret });
      try {
        elements.update({ customerSessionClientSecret: 'seti_123_secret_abc' });
        return null;
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
    }, first);
    expect(thrown).toEqual({
      name: 'IntegrationError',
      message:
        'Invalid value for elements.update(): customerSessionClientSecret should be a Customer Session client secret (cuss_…), the `client_secret` of a CustomerSession created on your server. You specified: seti_123_secret_abc.',
    });

    // A new secret is fetched: the element's messages keep their order, so a fetch for the
    // calls above would have been made before this one.
    const customer = await customerOf(page);
    await saveCard(sandbox, customer, 'pm_card_mastercard');
    const fresh = await newSession(sandbox, customer);
    await updateSession(page, fresh);
    await expect(frame.getByRole('radio')).toHaveCount(3);
    expect(requests).toEqual([first, fresh]);
  });

  test('two updates in quick succession: the later session wins, an earlier late answer is ignored', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { saved: 'pm_card_visa' }));
    const frame = await waitForElement(page);
    const customer = await customerOf(page);
    // The earlier session lists nothing; the later one a card saved since.
    const earlier = await newSession(sandbox, customer, 'disabled');
    await saveCard(sandbox, customer, 'pm_card_mastercard');
    const later = await newSession(sandbox, customer);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const isSessionRequest = (url: URL, secret: string) =>
      url.pathname === '/v1/elements/sessions' &&
      url.searchParams.get('customer_session_client_secret') === secret;
    await page.route(
      (url) => isSessionRequest(url, earlier),
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.evaluate(
      ([first, second]) => {
        const { elements } = (window as unknown as PageWindow).app;
        elements.update({ customerSessionClientSecret: first });
        elements.update({ customerSessionClientSecret: second });
      },
      [earlier, later],
    );
    const radios = frame.getByRole('radio');
    await expect(radios).toHaveCount(3);
    await expect(radios.nth(0)).toHaveAccessibleName(/^Mastercard •••• 4444/);

    const answered = page.waitForEvent('requestfinished', (request) =>
      isSessionRequest(new URL(request.url()), earlier),
    );
    release();
    await answered;
    // The frame reads the late answer right after it arrives; give it time to (wrongly) act.
    await page.waitForTimeout(500);
    await expect(radios).toHaveCount(3);
    await expect(frame.getByRole('group', { name: 'Saved cards' })).toHaveCount(1);
    await expect(frame.getByLabel('Card number')).toBeHidden();
  });
});
