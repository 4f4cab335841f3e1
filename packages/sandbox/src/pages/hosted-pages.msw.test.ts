/** The hosted pages through MSW: no HTTP server, the page requests intercepted like the API's. */
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandboxCore } from '../core/index.js';
import { sandboxHandlers } from '../msw.js';

const core = createSandboxCore({ log: () => {} });
const server = setupServer(...sandboxHandlers(core, { baseUrl: 'http://sandbox.test' }));
const stripe = new Stripe('sk_test_msw', { host: 'sandbox.test', port: 80, protocol: 'http' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  server.close();
  core.close();
});

it('serves the Checkout page and its form at the session url', async () => {
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [
      {
        price_data: {
          currency: 'eur',
          unit_amount: 1200,
          product_data: { name: 'Club' },
          recurring: { interval: 'month' },
        },
        quantity: 1,
      },
    ],
    success_url: 'https://shop.example/done?id={CHECKOUT_SESSION_ID}',
  });
  expect(session.url).toBe(`http://sandbox.test/v1/_sandbox/checkout/${session.id}`);
  const page = await fetch(session.url as string);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('€12.00 / month');
  const paid = await fetch(`${session.url}/pay`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      email: 'msw@example.com',
      card_number: '4242424242424242',
      card_expiry: '12/34',
      card_cvc: '123',
    }),
  });
  expect(paid.status).toBe(303);
  expect(paid.headers.get('location')).toBe(`https://shop.example/done?id=${session.id}`);
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
  expect((done.subscription as Stripe.Subscription).status).toBe('active');

  const portal = await stripe.billingPortal.sessions.create({ customer: done.customer as string });
  const portalPage = await fetch(portal.url);
  expect(portalPage.status).toBe(200);
  expect(await portalPage.text()).toContain('msw@example.com');
});

it('serves a charge’s receipt at its receipt_url, on the same origin', async () => {
  const intent = await stripe.paymentIntents.create({
    amount: 1500,
    currency: 'jpy',
    allowed_payment_method_types: ['card'],
    payment_method: 'pm_card_visa',
    confirm: true,
    expand: ['latest_charge'],
  });
  const url = (intent.latest_charge as Stripe.Charge).receipt_url as string;
  expect(url).toMatch(/^http:\/\/sandbox\.test\/v1\/_sandbox\/receipts\//);
  const receipt = await fetch(url);
  expect(receipt.status).toBe(200);
  expect(await receipt.text()).toContain('<dt>Amount paid</dt><dd>¥1,500</dd>');
});
