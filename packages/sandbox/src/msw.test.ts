/** The sandbox core served through MSW, with no HTTP server: stripe-node's requests intercepted. */
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSandboxCore } from './core/index.js';
import { sandboxHandlers } from './msw.js';
import { assertConforms } from './test-support/conformance.js';

const core = createSandboxCore({
  log: () => {},
  onResponse: (info) => {
    if (info.keyType !== 'publishable') assertConforms(JSON.parse(info.body));
  },
});
const server = setupServer(...sandboxHandlers(core, { baseUrl: 'http://sandbox.test' }));
const stripe = new Stripe('sk_test_msw', { host: 'sandbox.test', port: 80, protocol: 'http' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  server.close();
  core.close();
});

it('serves stripe-node through MSW, state and errors included', async () => {
  const customer = await stripe.customers.create({
    email: 'msw@example.com',
    payment_method: 'pm_card_visa',
  });
  const cards = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
  expect(cards.data[0]?.card?.brand).toBe('visa');
  await expect(stripe.customers.retrieve('cus_nope')).rejects.toBeInstanceOf(
    Stripe.errors.StripeInvalidRequestError,
  );
  const declined = await stripe.paymentMethods
    .attach('pm_card_chargeDeclined', { customer: customer.id })
    .catch((error: unknown) => error);
  expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
});

it('turns a chaos drop into a network error that stripe-node retries', async () => {
  core.chaos.update({ api: { failNext: 1, failWith: 'drop' } });
  const list = await stripe.customers.list({ email: 'msw@example.com' });
  expect(list.data).toHaveLength(1);
  expect(core.chaos.settings.api.failNext).toBe(0);
});
