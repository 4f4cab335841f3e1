/** The Payment Element: fields, live validation, brand, submit(), events, appearance, isolation, a11y. */
import { AxeBuilder } from '@axe-core/playwright';
import {
  elementFrame,
  expect,
  fillCard,
  type PageWindow,
  pageUrl,
  result,
  test,
  threeDSecureDialog,
  waitForElement,
} from './support/fixtures.js';

test.describe('the Payment Element', () => {
  test("validates live with Stripe's messages", async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    const number = frame.getByLabel('Card number');

    await number.fill('4242 4242 4242 4241');
    await expect(frame.getByText('Your card number is invalid.')).toBeVisible();
    await expect(number).toHaveAttribute('aria-invalid', 'true');

    await number.fill('4242 4242');
    await expect(frame.getByText('Your card number is invalid.')).toHaveCount(0);
    await number.blur();
    await expect(frame.getByText('Your card number is incomplete.')).toBeVisible();

    await number.fill('4242424242424242');
    await expect(number).toHaveValue('4242 4242 4242 4242');
    await expect(number).toHaveAttribute('aria-invalid', 'false');
    await expect(frame.locator('.error:not(:empty)')).toHaveCount(0);

    const expiry = frame.getByLabel('Expiration date');
    await expect(expiry).toHaveAttribute('placeholder', 'MM / YY');
    await expiry.pressSequentially('0120');
    await expect(expiry).toHaveValue('01 / 20');
    await expect(frame.getByText("Your card's expiration date is in the past.")).toBeVisible();
    await expiry.fill('');
    await expiry.pressSequentially('4');
    await expect(expiry).toHaveValue('04 / ');

    const cvc = frame.getByLabel('Security code');
    await cvc.fill('12');
    await cvc.blur();
    await expect(frame.getByText("Your card's security code is incomplete.")).toBeVisible();
    await cvc.fill('123');
    await expect(frame.getByText("Your card's security code is incomplete.")).toHaveCount(0);
  });

  test('asks for a postal code only where the country needs one', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    const country = frame.getByLabel('Country');
    await expect(country).toHaveValue('US');
    await expect(frame.getByLabel('Postal code')).toBeVisible();
    await country.selectOption('DE');
    await expect(frame.getByLabel('Postal code')).toBeHidden();
    await country.selectOption('GB');
    await expect(frame.getByLabel('Postal code')).toBeVisible();
    await frame.getByLabel('Postal code').fill('SW1A 1AA');
    await fillCard(frame, { number: '4242424242424242', postal: 'SW1A 1AA' });
    await page.locator('#pay').click();
    const outcome = await result(page);
    expect(outcome.paymentIntent?.status).toBe('succeeded');
    const paymentMethod = await sandbox.stripe.paymentMethods.retrieve(
      String(outcome.paymentIntent?.payment_method),
    );
    expect(paymentMethod.billing_details.address).toMatchObject({
      country: 'GB',
      postal_code: 'SW1A 1AA',
    });
    expect(paymentMethod.card).toMatchObject({
      brand: 'visa',
      last4: '4242',
      exp_month: 12,
      exp_year: 2034,
    });
  });

  test('detects and shows the brand as the number is typed', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    const number = frame.getByLabel('Card number');
    const brand = frame.locator('#card-brand');
    await number.pressSequentially('4242');
    await expect(brand).toHaveText('Visa');
    await number.fill('5555 5555');
    await expect(brand).toHaveText('Mastercard');
    await number.fill('6011');
    await expect(brand).toHaveText('Discover');
    await number.fill('378282246310005');
    await expect(brand).toHaveText('American Express');
    await expect(number).toHaveValue('3782 822463 10005');
    const cvc = frame.getByLabel('Security code');
    await cvc.fill('12345');
    await expect(cvc).toHaveValue('1234');
    await number.fill('');
    await expect(brand).toHaveText('');
  });

  test('elements.submit() answers the first problem, then { selectedPaymentMethod }', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { deferred: '1' }));
    const frame = await waitForElement(page);
    const submit = () =>
      page.evaluate(() => (window as unknown as PageWindow).app.elements.submit());
    expect(await submit()).toEqual({
      error: {
        type: 'validation_error',
        code: 'incomplete_number',
        message: 'Your card number is incomplete.',
        param: 'number',
      },
    });
    await expect(frame.getByText("Your card's expiration date is incomplete.")).toBeVisible();
    await frame.getByLabel('Card number').fill('4242424242424242');
    expect((await submit()).error).toMatchObject({ code: 'incomplete_expiry' });
    await fillCard(frame, { number: '4242424242424242' });
    expect(await submit()).toEqual({ selectedPaymentMethod: 'card' });
  });

  test('emits ready, change, focus, escape and blur', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    await frame.getByLabel('Card number').press('Escape');
    await page.locator('h1').click();
    // Events cross from the frame asynchronously, as Stripe's do.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as PageWindow).app.events.at(-1)?.type))
      .toBe('blur');
    const events = await page.evaluate(() => (window as unknown as PageWindow).app.events);
    const types = events.map((entry) => entry.type);
    expect(types.slice(0, 2)).toEqual(['loaderstart', 'ready']);
    expect(types).toContain('focus');
    expect(types).toContain('escape');
    expect(types.at(-1)).toBe('blur');
    const changes = events.filter((entry) => entry.type === 'change').map((entry) => entry.event);
    expect(changes[0]).toMatchObject({ elementType: 'payment', empty: false, complete: false });
    expect(changes.at(-1)).toEqual({
      elementType: 'payment',
      empty: false,
      complete: true,
      collapsed: false,
      value: { type: 'card' },
    });
  });

  test('fires loaderror for a client secret the sandbox does not know', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { secret: 'pi_nope_secret_nope' }));
    await expect
      .poll(() =>
        page.evaluate(() =>
          (window as unknown as PageWindow).app?.events?.map((entry) => entry.type),
        ),
      )
      .toContain('loaderror');
    const failure = await page.evaluate(
      () =>
        (window as unknown as PageWindow).app.events.find((entry) => entry.type === 'loaderror')
          ?.event,
    );
    expect(failure).toMatchObject({
      elementType: 'payment',
      error: { type: 'invalid_request_error', code: 'resource_missing' },
    });
  });

  test('applies the Appearance API: themes and variables', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http', { theme: 'night' }));
    const frame = await waitForElement(page);
    const number = frame.getByLabel('Card number');
    await expect(number).toHaveCSS('background-color', 'rgb(48, 49, 61)');
    await expect(number).toHaveCSS('color', 'rgb(255, 255, 255)');
    await page.evaluate(() =>
      (window as unknown as PageWindow).app.elements.update({
        appearance: {
          theme: 'flat',
          variables: {
            colorPrimary: '#ff5500',
            colorText: '#102030',
            colorDanger: '#aa0000',
            borderRadius: '0px',
            fontFamily: 'monospace',
            spacingUnit: '4px',
          },
        },
      }),
    );
    await expect(number).toHaveCSS('border-radius', '0px');
    await expect(number).toHaveCSS('color', 'rgb(16, 32, 48)');
    await expect(number).toHaveCSS('font-family', 'monospace');
    await expect(number).toHaveCSS('padding-top', '24px');
    await number.focus();
    await expect(number).toHaveCSS('border-top-color', 'rgb(255, 85, 0)');
    await number.fill('4242424242424241');
    await expect(frame.getByText('Your card number is invalid.')).toHaveCSS(
      'color',
      'rgb(170, 0, 0)',
    );
  });

  test('keeps card data in its frame: only the frame sends it, to the sandbox', async ({
    page,
    site,
    sandbox,
  }) => {
    const requests: Array<{ url: string; frameUrl: string; body: string }> = [];
    page.on('request', (request) => {
      requests.push({
        url: request.url(),
        frameUrl: request.frame().url(),
        body: request.postData() ?? '',
      });
    });
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    // The frame is cross-origin: the page cannot reach into it.
    expect(
      await page.evaluate(() =>
        document.querySelector('#payment-element iframe') instanceof HTMLIFrameElement
          ? (document.querySelector('#payment-element iframe') as HTMLIFrameElement).contentDocument
          : 'missing',
      ),
    ).toBeNull();
    await fillCard(frame, { number: '4242424242424242' });
    await page.locator('#pay').click();
    expect((await result(page)).paymentIntent?.status).toBe('succeeded');
    const withCard = requests.filter((request) => request.body.includes('4242424242424242'));
    expect(withCard).toHaveLength(1);
    expect(withCard[0]?.url).toBe(`${sandbox.url}/v1/payment_methods`);
    expect(withCard[0]?.frameUrl).toBe(`${sandbox.url}/elements/frame.html`);
    const confirm = requests.find((request) => request.url.includes('/confirm'));
    expect(confirm?.frameUrl).toContain(site.url);
    expect(confirm?.body).toMatch(/payment_method=pm_/);
  });

  test('in MSW mode it draws into srcdoc frames and still validates', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'msw'));
    const frame = await waitForElement(page);
    expect(
      await page
        .locator('#payment-element iframe')
        .evaluate((iframe) => iframe.hasAttribute('srcdoc')),
    ).toBe(true);
    await frame.getByLabel('Card number').fill('4242 4242 4242 4241');
    await expect(frame.getByText('Your card number is invalid.')).toBeVisible();
    await expect(frame.locator('#card-brand')).toHaveText('Visa');
  });

  test('has no accessibility violations (axe), nor has the 3D Secure dialog', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    await frame.getByLabel('Card number').fill('4242 4242 4242 4241');
    await frame.getByLabel('Security code').fill('1');
    await frame.getByLabel('Security code').blur();
    await expect(frame.getByText('Your card number is invalid.')).toBeVisible();
    const element = await new AxeBuilder({ page }).analyze();
    expect(element.violations).toEqual([]);
    // The element's frame was analysed too: its labelled fields are among the passes.
    const labelled = element.passes
      .find((rule) => rule.id === 'label')
      ?.nodes.map((node) => node.target.join(' '));
    expect(labelled).toEqual(
      expect.arrayContaining(['iframe #field-number', 'iframe #field-expiry', 'iframe #field-cvc']),
    );

    await fillCard(frame, { number: '4000002760003184' });
    await page.locator('#pay').click();
    const dialog = threeDSecureDialog(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Complete authentication' })).toBeFocused();
    const withDialog = await new AxeBuilder({ page })
      .include('[data-tillkit-sandbox="3ds"]')
      .analyze();
    expect(withDialog.violations).toEqual([]);
    expect(withDialog.passes.length).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect((await result(page)).error?.code).toBe('payment_intent_authentication_failure');
  });

  test('element and group methods: update, clear, focus, once, unmount, mount, destroy', async ({
    page,
    site,
    sandbox,
  }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    const frame = await waitForElement(page);
    await fillCard(frame, { number: '4242424242424242' });
    const state = await page.evaluate(async () => {
      const { elements, element } = (window as unknown as PageWindow).app;
      const found =
        elements.getElement('payment') === element && elements.getElement('card') === null;
      let onceCalls = 0;
      element.once('change', () => {
        onceCalls += 1;
      });
      element.clear();
      await new Promise((resolve) => setTimeout(resolve, 100));
      element.update({ readOnly: true });
      const updates = await elements.fetchUpdates();
      return { found, onceCalls, updates };
    });
    expect(state).toEqual({ found: true, onceCalls: 1, updates: {} });
    await expect(frame.getByLabel('Card number')).toHaveValue('');
    await expect(frame.getByLabel('Card number')).toHaveAttribute('readonly', '');
    await page.evaluate(() => (window as unknown as PageWindow).app.element.focus());
    await expect(frame.getByLabel('Card number')).toBeFocused();

    const lifecycle = await page.evaluate(async () => {
      const { elements, element } = (window as unknown as PageWindow).app;
      const errors: string[] = [];
      const attempt = (call: () => unknown) => {
        try {
          call();
        } catch (error) {
          errors.push((error as Error).message);
        }
      };
      attempt(() => element.mount('#payment-element'));
      element.unmount();
      const afterUnmount = document.querySelectorAll('#payment-element iframe').length;
      attempt(() => element.mount('#nowhere'));
      element.mount('#payment-element');
      element.destroy();
      attempt(() => element.update({}));
      const again = elements.create('payment');
      return { errors, afterUnmount, created: again !== element };
    });
    expect(lifecycle.afterUnmount).toBe(0);
    expect(lifecycle.created).toBe(true);
    expect(lifecycle.errors).toEqual([
      'This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.',
      expect.stringContaining('The selector you specified (#nowhere) applies to no DOM elements'),
      'This Element has already been destroyed. Please create a new one.',
    ]);
  });

  test('the frame fits its content', async ({ page, site, sandbox }) => {
    await page.goto(pageUrl(site, sandbox, 'plain', 'http'));
    await waitForElement(page);
    const iframe = page.locator('#payment-element iframe');
    const before = (await iframe.boundingBox())?.height ?? 0;
    expect(before).toBeGreaterThan(150);
    await elementFrame(page).getByLabel('Country').selectOption('DE');
    await expect.poll(async () => (await iframe.boundingBox())?.height ?? 0).toBe(before);
    await elementFrame(page).getByLabel('Card number').fill('4242 4242 4242 4241');
    await expect
      .poll(async () => (await iframe.boundingBox())?.height ?? 0)
      .toBeGreaterThan(before);
  });
});
