/**
 * Done when: a customer pays on the sandbox's hosted Checkout page in Chromium (4242, a 3D Secure
 * card through the challenge page, a subscription, a decline shown on the page), lands on
 * success_url, and checkout.session.completed arrives signed; the page has no axe violations.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type Stripe from 'stripe';
import { startWebhookReceiver } from '../src/test-support/webhook-receiver.js';
import { expect, test } from './support/fixtures.js';

const SECRET = 'whsec_e2e_checkout';

interface CardInput {
  number: string;
  email?: string;
}

/** Types into the page's fields, as a customer would, and presses the submit button. */
async function payOnPage(page: Page, button: string, card: CardInput): Promise<void> {
  if (card.email) await page.getByLabel('Email').fill(card.email);
  await page.getByLabel('Card number').fill(card.number);
  await page.getByLabel('Expiration date').fill('12 / 34');
  await page.getByLabel('Security code').fill('123');
  await page.getByRole('button', { name: button }).click();
}

function successUrl(siteUrl: string): string {
  return `${siteUrl}/return.html?session_id={CHECKOUT_SESSION_ID}`;
}

test.describe('hosted Checkout', () => {
  test('pays with 4242 and lands on success_url; checkout.session.completed is signed', async ({
    page,
    site,
    sandbox,
  }) => {
    const receiver = await startWebhookReceiver();
    const endpoint = sandbox.addWebhookEndpoint({
      url: receiver.url,
      secret: SECRET,
      enabledEvents: ['checkout.session.completed'],
    });
    try {
      const { stripe } = sandbox;
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: {
              currency: 'usd',
              unit_amount: 2500,
              product_data: { name: 'Tillkit T-shirt' },
            },
            quantity: 2,
          },
        ],
        success_url: successUrl(site.url),
        cancel_url: `${site.url}/plain.html`,
      });
      await page.goto(session.url as string);
      await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
      await expect(page.getByRole('table', { name: 'Order summary' })).toContainText(
        'Tillkit T-shirt',
      );
      await expect(page.getByRole('link', { name: 'Cancel' })).toHaveAttribute(
        'href',
        `${site.url}/plain.html`,
      );
      await payOnPage(page, 'Pay $50.00', {
        number: '4242 4242 4242 4242',
        email: 'e2e@example.com',
      });
      await page.waitForURL(`${site.url}/return.html?session_id=${session.id}`);
      await expect(page.locator('#query')).toHaveText(`?session_id=${session.id}`);

      const done = await stripe.checkout.sessions.retrieve(session.id, {
        expand: ['payment_intent'],
      });
      expect(done).toMatchObject({ status: 'complete', payment_status: 'paid' });
      expect((done.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');

      await sandbox.waitForWebhooks();
      const events = receiver.deliveries.map((delivery) => {
        sandbox.checkWebhookBody(delivery.body);
        return stripe.webhooks.constructEvent(delivery.body, delivery.signature, SECRET);
      });
      const completed = events.filter(
        (event) => (event.data.object as { id: string }).id === session.id,
      );
      expect(completed.map((event) => event.type)).toEqual(['checkout.session.completed']);
      const object = (completed[0] as Stripe.Event).data.object as Stripe.Checkout.Session;
      expect(object.customer_details?.email).toBe('e2e@example.com');
    } finally {
      await sandbox.stripe.webhookEndpoints.del(endpoint.id);
      await receiver.close();
    }
  });

  test('completes with a 3D Secure card through the challenge page', async ({
    page,
    site,
    sandbox,
  }) => {
    const session = await sandbox.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'jpy', unit_amount: 1500, product_data: { name: 'Mug' } },
          quantity: 1,
        },
      ],
      success_url: successUrl(site.url),
    });
    await page.goto(session.url as string);
    await payOnPage(page, 'Pay ¥1,500', {
      number: '4000 0027 6000 3184',
      email: 'sca@example.com',
    });
    await expect(page.getByRole('heading', { name: '3D Secure authentication' })).toBeVisible();
    // The sandbox's challenge page is accessible too.
    const challenge = await new AxeBuilder({ page }).analyze();
    expect(challenge.violations).toEqual([]);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(`${site.url}/return.html?session_id=${session.id}`);
    const done = await sandbox.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent'],
    });
    expect(done.status).toBe('complete');
    expect((done.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
  });

  test('a frictionless 3D Secure card (4000000032200000) goes through with no challenge page', async ({
    page,
    site,
    sandbox,
  }) => {
    const session = await sandbox.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'eur', unit_amount: 1800, product_data: { name: 'Tea' } },
          quantity: 1,
        },
      ],
      success_url: successUrl(site.url),
    });
    const challenge: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/v1/_sandbox/3ds/')) challenge.push(response.status());
    });
    await page.goto(session.url as string);
    await payOnPage(page, 'Pay €18.00', {
      number: '4000 0000 3220 0000',
      email: 'frictionless@example.com',
    });
    await page.waitForURL(`${site.url}/return.html?session_id=${session.id}`);
    // The challenge page was visited, and answered with a redirect: nothing was shown there.
    expect(challenge).toEqual([303]);
    const done = await sandbox.stripe.checkout.sessions.retrieve(session.id, {
      expand: ['payment_intent.latest_charge'],
    });
    expect(done.status).toBe('complete');
    const intent = done.payment_intent as Stripe.PaymentIntent;
    expect(intent.status).toBe('succeeded');
    expect(
      (intent.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure,
    ).toMatchObject({ result: 'authenticated', authentication_flow: 'frictionless' });
  });

  test('subscription mode creates an active subscription', async ({ page, site, sandbox }) => {
    const { stripe } = sandbox;
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 2900,
      product_data: { name: 'Pro' },
      recurring: { interval: 'month' },
    });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: successUrl(site.url),
    });
    await page.goto(session.url as string);
    await expect(page.getByText('Then $29.00 / month.')).toBeVisible();
    await payOnPage(page, 'Subscribe', { number: '4242424242424242', email: 'pro@example.com' });
    await page.waitForURL(`${site.url}/return.html?session_id=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id, {
      expand: ['subscription'],
    });
    expect(done.status).toBe('complete');
    const subscription = done.subscription as Stripe.Subscription;
    expect(subscription.status).toBe('active');
    expect(subscription.customer).toBe(done.customer);
  });

  test('shows a decline on the page, and the page has no axe violations', async ({
    page,
    sandbox,
  }) => {
    const session = await sandbox.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'kwd', unit_amount: 7500, product_data: { name: 'Lamp' } },
          quantity: 1,
        },
      ],
      success_url: 'https://shop.example/thanks',
      cancel_url: 'https://shop.example/cart',
    });
    await page.goto(session.url as string);
    const clean = await new AxeBuilder({ page }).analyze();
    expect(clean.violations).toEqual([]);

    await payOnPage(page, 'Pay KWD 7.500', { number: '4000000000000002', email: 'no@example.com' });
    await expect(page.getByRole('alert')).toHaveText('Your card was declined.');
    await expect(page.getByLabel('Email')).toHaveValue('no@example.com');
    const withError = await new AxeBuilder({ page }).analyze();
    expect(withError.violations).toEqual([]);
    expect((await sandbox.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });
});
