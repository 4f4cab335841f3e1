/**
 * The rest of the Stripe.js surface: loading, keys, redirects, next actions on intents confirmed
 * on the server, deferred intents, the Card Element, retrieval and unsupported methods.
 */
import type Stripe from 'stripe';
import { startWebhookReceiver } from '../src/test-support/webhook-receiver.js';
import {
  expect,
  fillCard,
  type PageWindow,
  pageUrl,
  result,
  test,
  threeDSecureDialog,
  waitForElement,
} from './support/fixtures.js';

test.describe('loading', () => {
  test("loadStripe from @stripe/stripe-js/pure resolves to the sandbox's Stripe.js", async ({
    page,
    site,
    sandbox,
    consoleErrors,
  }) => {
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    await page.goto(pageUrl(site, sandbox, 'react', 'http'));
    await waitForElement(page);
    expect(await page.evaluate(() => (window as unknown as PageWindow).Stripe.version)).toBe(
      'endive',
    );
    expect(
      await page.evaluate(
        () => typeof (window as unknown as PageWindow).app.stripe.confirmPayment === 'function',
      ),
    ).toBe(true);
    // No request left this machine (js.stripe.com was never asked), and no version warning.
    expect([...hosts].every((host) => host.startsWith('127.0.0.1:'))).toBe(true);
    expect(consoleErrors.filter((line) => /Stripe\.js|stripe-js/.test(line))).toEqual([]);
  });

  test('refuses live keys, and secret keys, as Stripe() does', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    const thrown = (key: string) =>
      page.evaluate((value) => {
        try {
          (window as unknown as PageWindow).Stripe(value);
          return null;
        } catch (error) {
          return { name: (error as Error).name, message: (error as Error).message };
        }
      }, key);
    expect(await thrown('pk_live_123')).toEqual({
      name: 'IntegrationError',
      message: expect.stringContaining('refuses live mode keys'),
    });
    expect((await thrown('sk_test_123'))?.message).toContain('You should not use your secret key');
    expect(await thrown('pk_test_123')).toBeNull();
  });

  test('loadSandboxStripe rejects a live key too', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'msw'));
    await waitForElement(page);
    const message = await page.evaluate(() =>
      (window as unknown as PageWindow)
        .loadSandboxStripe('pk_live_123', { apiBase: 'http://sandbox.test' })
        .then(
          () => 'resolved',
          (error: Error) => error.message,
        ),
    );
    expect(message).toContain('refuses live mode keys');
  });

  test('answers what it does not model with a clear error', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    const messages = await page.evaluate(() => {
      const { stripe, elements } = (window as unknown as PageWindow).app;
      const attempt = (call: () => unknown) => {
        try {
          call();
          return 'no error';
        } catch (error) {
          return (error as Error).message;
        }
      };
      return {
        alipay: attempt(() => stripe.confirmAlipayPayment('pi_x_secret_y')),
        token: attempt(() => stripe.createToken({})),
        paymentRequest: attempt(() => stripe.paymentRequest({})),
        iban: attempt(() => elements.create('iban')),
      };
    });
    expect(messages.alipay).toMatch(
      /^stripe\.confirmAlipayPayment\(\) is not supported by the Tillkit Stripe sandbox/,
    );
    expect(messages.token).toMatch(
      /^stripe\.createToken\(\) is not supported by the Tillkit Stripe sandbox/,
    );
    expect(messages.paymentRequest).toContain('not supported by the Tillkit Stripe sandbox');
    expect(messages.iban).toContain("elements.create('iban') is not supported");
  });
});

test.describe('redirects', () => {
  for (const mode of ['http', 'msw'] as const) {
    test(`redirect: 'always' lands on return_url with the result (${mode})`, async ({
      page,
      site,
      sandbox,
    }) => {
      await page.goto(pageUrl(site, sandbox, 'plain', mode, { redirect: 'always' }));
      const frame = await waitForElement(page);
      await fillCard(frame, { number: '4000002760003184' });
      await page.locator('#pay').click();
      await threeDSecureDialog(page)
        .getByRole('button', { name: 'Complete authentication' })
        .click();
      await page.waitForURL(/\/return\.html\?/);
      const url = new URL(page.url());
      const id = url.searchParams.get('payment_intent') ?? '';
      expect(id).toMatch(/^pi_/);
      expect(url.searchParams.get('payment_intent_client_secret')).toMatch(
        new RegExp(`^${id}_secret_`),
      );
      expect(url.searchParams.get('redirect_status')).toBe('succeeded');
      if (mode === 'http') {
        expect((await sandbox.stripe.paymentIntents.retrieve(id)).status).toBe('succeeded');
      }
    });
  }

  test("a decline with redirect: 'always' resolves with the error and stays", async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { redirect: 'always' }));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4000000000000002' });
    await page.locator('#pay').click();
    expect((await result(page)).error?.decline_code).toBe('generic_decline');
    expect(page.url()).toContain('/plain.html');
  });

  test("a setup with redirect: 'always' lands with setup_intent parameters", async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { redirect: 'always', flow: 'setup' }));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    await page.locator('#pay').click();
    await page.waitForURL(/\/return\.html\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('setup_intent')).toMatch(/^seti_/);
    expect(url.searchParams.get('setup_intent_client_secret')).toContain('_secret_');
    expect(url.searchParams.get('redirect_status')).toBe('succeeded');
  });
});

test.describe('3D Secure without a challenge', () => {
  for (const [mode, flow] of [
    ['http', 'payment'],
    ['msw', 'setup'],
  ] as const) {
    test(`4000000032200000: the ${flow} succeeds with no dialog, 4000000000003220 still asks (${mode})`, async ({
      page,
      site,
      sandbox,
    }) => {
      await page.goto(pageUrl(site, sandbox, 'plain', mode, { flow }));
      const frame = await waitForElement(page);
      // Count every 3D Secure dialog that opens, however briefly.
      await page.evaluate(() => {
        const opened = { count: 0 };
        Object.assign(window, { opened });
        new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes) {
              if (node instanceof Element && node.matches('[data-tillkit-sandbox="3ds"]')) {
                opened.count += 1;
              }
            }
          }
        }).observe(document.body, { childList: true });
      });
      await fillCard(frame, { number: '4000000032200000' });
      await page.locator('#pay').click();
      await expect(page.locator('#status')).toHaveText('Status: succeeded');
      const intent = (await result(page))[flow === 'payment' ? 'paymentIntent' : 'setupIntent'];
      expect(intent?.status).toBe('succeeded');
      expect(
        await page.evaluate(() => (window as unknown as { opened: { count: number } }).opened),
      ).toEqual({ count: 0 });
      if (mode === 'http') {
        // It went through requires_action on the way, as on Stripe.
        const types = sandbox.core.store
          .collection<Stripe.Event>('events')
          .values()
          .filter((event) => (event.data.object as { id: string }).id === intent?.id)
          .map((event) => event.type);
        expect(types).toEqual([
          `${flow}_intent.created`,
          `${flow}_intent.requires_action`,
          `${flow}_intent.succeeded`,
        ]);
      }

      // A challenge card on the same page still shows the challenge.
      await page.goto(pageUrl(site, sandbox, 'plain', mode, { flow }));
      await fillCard(await waitForElement(page), { number: '4000000000003220' });
      await page.locator('#pay').click();
      await threeDSecureDialog(page)
        .getByRole('button', { name: 'Complete authentication' })
        .click();
      await expect(page.locator('#status')).toHaveText('Status: succeeded');
    });
  }
});

test.describe('intents confirmed elsewhere', () => {
  test('handleNextAction brings the customer back for a saved card that needs authentication', async ({
    page,
    site,
    sandbox,
  }) => {
    const receiver = await startWebhookReceiver();
    const endpoint = sandbox.addWebhookEndpoint({
      url: receiver.url,
      secret: 'whsec_e2e_next_action',
    });
    try {
      const { stripe } = sandbox;
      const customer = await stripe.customers.create({ email: 'returning@example.com' });
      const paymentMethod = await stripe.paymentMethods.attach('pm_card_authenticationRequired', {
        customer: customer.id,
      });
      // Off session, nobody can authenticate: the issuer's soft decline.
      const offSession = await stripe.paymentIntents
        .create({
          amount: 2500,
          currency: 'usd',
          customer: customer.id,
          payment_method: paymentMethod.id,
          off_session: true,
          confirm: true,
        })
        .catch((error: { code?: string; payment_intent?: Stripe.PaymentIntent }) => error);
      expect(offSession).toMatchObject({ code: 'authentication_required' });
      const intentId = (offSession as { payment_intent: Stripe.PaymentIntent }).payment_intent.id;
      // The customer is back: the server confirms again, on session, and hands over the secret.
      const pending = await stripe.paymentIntents.confirm(intentId, {
        payment_method: paymentMethod.id,
        return_url: `${site.url}/return.html`,
      });
      expect(pending.status).toBe('requires_action');

      await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
      await waitForElement(page);
      const outcome = page.evaluate(
        (clientSecret) =>
          (window as unknown as PageWindow).app.stripe.handleNextAction({ clientSecret }),
        String(pending.client_secret),
      );
      const dialog = threeDSecureDialog(page);
      await expect(dialog).toContainText('A payment of $25.00');
      await dialog.getByRole('button', { name: 'Complete authentication' }).click();
      const settled = (await outcome) as { paymentIntent: { id: string; status: string } };
      expect(settled.paymentIntent).toMatchObject({ id: intentId, status: 'succeeded' });
      expect((await stripe.paymentIntents.retrieve(intentId)).status).toBe('succeeded');

      await sandbox.waitForWebhooks();
      // Deliveries may overlap and arrive out of order (as Stripe's may): put them back in the
      // order the events were created, as a receiver would by `created` and id.
      const order = sandbox.core.store
        .collection('events')
        .values()
        .map((event) => event.id);
      const types = receiver.deliveries
        .map((delivery) => {
          sandbox.checkWebhookBody(delivery.body);
          return stripe.webhooks.constructEvent(
            delivery.body,
            delivery.signature,
            'whsec_e2e_next_action',
          );
        })
        .filter((event) => {
          const object = event.data.object as { id: string; payment_intent?: string };
          return object.id === intentId || object.payment_intent === intentId;
        })
        .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))
        .map((event) => event.type);
      expect(types).toEqual([
        'payment_intent.created',
        'charge.failed',
        'payment_intent.payment_failed',
        'payment_intent.requires_action',
        'charge.succeeded',
        'payment_intent.succeeded',
      ]);

      // Nothing left to do: handleNextAction says so.
      const again = await page.evaluate(
        (clientSecret) =>
          (window as unknown as PageWindow).app.stripe.handleNextAction({ clientSecret }),
        String(pending.client_secret),
      );
      expect(again.error?.code).toBe('payment_intent_unexpected_state');
    } finally {
      await sandbox.stripe.webhookEndpoints.del(endpoint.id);
      await receiver.close();
    }
  });

  test('confirmPayment with a client secret and a payment method id', async ({
    page,
    site,
    sandbox,
  }) => {
    const intent = await sandbox.stripe.paymentIntents.create({ amount: 1200, currency: 'eur' });
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    const outcome = await page.evaluate(
      (clientSecret) =>
        (window as unknown as PageWindow).app.stripe.confirmPayment({
          clientSecret,
          confirmParams: { payment_method: 'pm_card_visa' },
          redirect: 'if_required',
        }),
      String(intent.client_secret),
    );
    expect(outcome.paymentIntent).toMatchObject({
      id: intent.id,
      status: 'succeeded',
      currency: 'eur',
    });
    const retrieved = await page.evaluate(
      (clientSecret) =>
        (window as unknown as PageWindow).app.stripe.retrievePaymentIntent(clientSecret),
      String(intent.client_secret),
    );
    // The publishable key sees Stripe.js's restricted view.
    expect(retrieved.paymentIntent?.status).toBe('succeeded');
    expect(retrieved.paymentIntent?.metadata).toBeUndefined();
    expect(retrieved.paymentIntent?.payment_method).toMatch(/^pm_/);
  });

  test('retrieveSetupIntent and a wrong client secret', async ({ page, site, sandbox }) => {
    const intent = await sandbox.stripe.setupIntents.create({});
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    const outcome = await page.evaluate(
      (clientSecret) =>
        (window as unknown as PageWindow).app.stripe.retrieveSetupIntent(clientSecret),
      String(intent.client_secret),
    );
    expect(outcome.setupIntent).toMatchObject({ id: intent.id, status: 'requires_payment_method' });
    const wrong = await page.evaluate(
      (id) =>
        (window as unknown as PageWindow).app.stripe.retrieveSetupIntent(`${id}_secret_wrong`),
      intent.id,
    );
    expect(wrong.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing' });
  });
});

test.describe('deferred intents', () => {
  for (const kind of ['plain', 'react'] as const) {
    test(`mode: 'payment', submit, then confirm with the new intent (${kind})`, async ({
      page,
      site,
      sandbox,
    }) => {
      await page.goto(pageUrl(site, sandbox, kind, 'http', { deferred: '1', amount: '4200' }));
      const frame = await waitForElement(page);
      await page.locator('#pay').click();
      expect((await result(page)).error).toMatchObject({
        type: 'validation_error',
        code: 'incomplete_number',
      });
      await fillCard(frame, { number: '4242424242424242' });
      await page.locator('#pay').click();
      await expect(page.locator('#status')).toHaveText('Status: succeeded');
      const outcome = await result(page);
      expect(outcome.paymentIntent?.amount).toBe(4200);
    });
  }

  test('confirming before elements.submit() is an error', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { deferred: '1' }));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    const intent = await sandbox.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    const outcome = await page.evaluate(
      (clientSecret) =>
        (window as unknown as PageWindow).app.stripe.confirmPayment({
          elements: (window as unknown as PageWindow).app.elements,
          clientSecret,
          confirmParams: { return_url: `${location.origin}/return.html` },
          redirect: 'if_required',
        }),
      String(intent.client_secret),
    );
    expect(outcome.error?.message).toMatch(
      /^elements\.submit\(\) must be called before stripe\.confirmPayment\(\)/,
    );
    expect((await sandbox.stripe.paymentIntents.retrieve(intent.id)).status).toBe(
      'requires_payment_method',
    );
  });

  test('an intent made otherwise than the group says is refused and left untouched', async ({
    page,
    site,
    sandbox,
  }) => {
    // The group: mode 'payment', usd, no setupFutureUsage, automatic capture.
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { deferred: '1' }));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    const confirm = (clientSecret: string) =>
      page.evaluate(async (secret) => {
        const { stripe, elements } = (window as unknown as PageWindow).app;
        await elements.submit();
        return stripe.confirmPayment({
          elements,
          clientSecret: secret,
          confirmParams: { return_url: `${location.origin}/return.html` },
          redirect: 'if_required',
        });
      }, clientSecret);
    const saving = await sandbox.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      setup_future_usage: 'off_session',
    });
    expect((await confirm(String(saving.client_secret))).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'setup_future_usage',
      message: expect.stringMatching(
        /^The provided setup_future_usage \(null\) does not match the expected setup_future_usage \(off_session\)/,
      ),
    });
    const euros = await sandbox.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
    expect((await confirm(String(euros.client_secret))).error?.param).toBe('currency');
    const manual = await sandbox.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      capture_method: 'manual',
    });
    expect((await confirm(String(manual.client_secret))).error?.param).toBe('capture_method');
    for (const refused of [saving, euros, manual]) {
      const read = await sandbox.stripe.paymentIntents.retrieve(refused.id);
      expect([read.status, read.payment_method]).toEqual(['requires_payment_method', null]);
    }
    // The amount may differ from the group's: made as the group says otherwise, it is paid.
    const other = await sandbox.stripe.paymentIntents.create({ amount: 1234, currency: 'usd' });
    expect((await confirm(String(other.client_secret))).paymentIntent).toMatchObject({
      status: 'succeeded',
      amount: 1234,
    });
  });

  test("mode: 'setup' saves a card with confirmSetup (MSW)", async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'msw', { deferred: '1', flow: 'setup' }));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4000002500003155' });
    await page.locator('#pay').click();
    await threeDSecureDialog(page).getByRole('button', { name: 'Complete authentication' }).click();
    await expect(page.locator('#status')).toHaveText('Status: succeeded');
    expect((await result(page)).setupIntent?.id).toMatch(/^seti_/);
  });

  test('createPaymentMethod from the elements after submit()', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { deferred: '1' }));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '5555555555554444' });
    const created = await page.evaluate(async () => {
      const { stripe, elements } = (window as unknown as PageWindow).app;
      const before = await stripe.createPaymentMethod({ elements });
      await elements.submit();
      const after = await stripe.createPaymentMethod({
        elements,
        params: { billing_details: { name: 'Ada Lovelace' } },
      });
      return { before, after };
    });
    expect(created.before.error?.message).toContain('elements.submit() must be called');
    expect(created.after.paymentMethod).toMatchObject({
      type: 'card',
      card: { brand: 'mastercard', last4: '4444' },
      billing_details: { name: 'Ada Lovelace', address: { country: 'US', postal_code: '94103' } },
    });
  });
});

test.describe('the Card Element', () => {
  test('confirmCardPayment with a Card Element, 3D Secure included', async ({
    page,
    site,
    sandbox,
  }) => {
    const intent = await sandbox.stripe.paymentIntents.create({ amount: 700, currency: 'usd' });
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    await page.evaluate(() => {
      const holder = document.createElement('div');
      holder.id = 'card-element';
      document.querySelector('main')?.append(holder);
      const card = (window as unknown as PageWindow).app.stripe.elements().create('card');
      card.mount('#card-element');
      (window as unknown as PageWindow).card = card;
    });
    const frame = page.frameLocator('#card-element iframe');
    await frame.getByLabel('Card number').fill('4000000000003220');
    await frame.getByLabel('Expiration date').fill('10 / 33');
    await frame.getByLabel('Security code').fill('321');
    await frame.getByLabel('Postal code').fill('10001');
    const outcome = page.evaluate(
      (clientSecret) =>
        (window as unknown as PageWindow).app.stripe.confirmCardPayment(clientSecret, {
          payment_method: {
            card: (window as unknown as PageWindow).card,
            billing_details: { name: 'Card Holder' },
          },
        }),
      String(intent.client_secret),
    );
    await threeDSecureDialog(page).getByRole('button', { name: 'Complete authentication' }).click();
    expect((await outcome).paymentIntent?.status).toBe('succeeded');
    const paymentMethod = await sandbox.stripe.paymentMethods.retrieve(
      (await sandbox.stripe.paymentIntents.retrieve(intent.id)).payment_method as string,
    );
    expect(paymentMethod.billing_details).toMatchObject({
      name: 'Card Holder',
      address: { postal_code: '10001' },
    });
    expect(paymentMethod.card).toMatchObject({ exp_month: 10, exp_year: 2033, last4: '3220' });
  });
});

test.describe('the Address Element', () => {
  test('gives the intent its shipping address, and validates it', async ({
    page,
    site,
    sandbox,
  }) => {
    const intent = await sandbox.stripe.paymentIntents.create({ amount: 900, currency: 'usd' });
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    await page.evaluate((clientSecret) => {
      const main = document.querySelector('main') as HTMLElement;
      for (const id of ['address-element', 'card-holder']) {
        const holder = document.createElement('div');
        holder.id = id;
        main.append(holder);
      }
      const elements = (window as unknown as PageWindow).app.stripe.elements({ clientSecret });
      elements.create('address', { mode: 'shipping' }).mount('#address-element');
      elements.create('payment').mount('#card-holder');
      Object.assign(window, { second: elements });
    }, String(intent.client_secret));
    const address = page.frameLocator('#address-element iframe');
    const empty = await page.evaluate(() =>
      (window as unknown as { second: { submit(): Promise<unknown> } }).second.submit(),
    );
    expect(empty).toMatchObject({ error: { type: 'validation_error', code: 'incomplete' } });
    await expect(address.getByText('This field is incomplete.').first()).toBeVisible();
    await address.getByLabel('Full name').fill('Grace Hopper');
    await address.getByLabel('Address line 1').fill('1 Navy Way');
    await address.getByLabel('City').fill('Arlington');
    await address.getByLabel('State or province').fill('VA');
    await address.getByLabel('Postal code').fill('22202');
    await fillCard(page.frameLocator('#card-holder iframe'), { number: '4242424242424242' });
    const outcome = await page.evaluate(() =>
      (window as unknown as PageWindow).app.stripe.confirmPayment({
        elements: (window as unknown as { second: PageWindow['app']['elements'] }).second,
        redirect: 'if_required',
      }),
    );
    expect(outcome.paymentIntent?.status).toBe('succeeded');
    const stored = await sandbox.stripe.paymentIntents.retrieve(intent.id);
    expect(stored.shipping).toMatchObject({
      name: 'Grace Hopper',
      address: {
        line1: '1 Navy Way',
        city: 'Arlington',
        state: 'VA',
        postal_code: '22202',
        country: 'US',
      },
    });
  });
});
