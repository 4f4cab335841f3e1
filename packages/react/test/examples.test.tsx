/**
 * Every example renders inside a provider (a scripted Stripe.js, a fake server) and has no
 * accessibility violations: the examples are what the README and the stories show.
 */
import { render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RenewalNeedsAuthentication } from '../examples/authenticate-payment/renewal.js';
import { BasicPaymentForm } from '../examples/payment-form/basic.js';
import { CustomLayoutPaymentForm } from '../examples/payment-form/custom-layout.js';
import { HeadlessPaymentForm } from '../examples/payment-form/headless.js';
import { ReturnPage } from '../examples/payment-status/return-page.js';
import { ProviderSetup } from '../examples/provider/setup.js';
import { DarkGermanCheckout } from '../examples/theming/dark-theme.js';
import { TillkitProvider } from '../src/index.js';
import { axeViolations } from './support/axe.js';
import { CATALOG, createFakeStripe, fakeServerFetch, intent } from './support/fake-stripe.js';

let fake: ReturnType<typeof createFakeStripe>;
beforeEach(() => {
  fake = createFakeStripe();
  vi.stubGlobal('fetch', fakeServerFetch({ 'GET /prices': () => CATALOG }));
});
afterEach(() => vi.unstubAllGlobals());

const inProvider = (children: ReactNode) => (
  <TillkitProvider apiBase="http://tillkit.test/api" stripe={fake.stripe}>
    {children}
  </TillkitProvider>
);

describe('examples', () => {
  it.each([
    ['payment-form/basic', () => inProvider(<BasicPaymentForm />), 'Pay $25.00'],
    ['payment-form/custom-layout', () => inProvider(<CustomLayoutPaymentForm />), 'Pay $25.00'],
    ['payment-form/headless', () => inProvider(<HeadlessPaymentForm />), 'Pay $25.00'],
    [
      'theming/dark-theme',
      () => <DarkGermanCheckout apiBase="http://tillkit.test/api" stripe={fake.stripe} />,
      '25,00\u00a0$ bezahlen',
    ],
  ])('%s renders its pay button with no accessibility violations', async (_name, ui, label) => {
    const { container } = render(ui());
    await screen.findByRole('button', { name: label });
    expect(await axeViolations(container)).toEqual([]);
  });

  it('payment-status/return-page renders the outcome with no accessibility violations', async () => {
    const { container } = render(inProvider(<ReturnPage clientSecret="pi_fake_secret_x" />));
    await screen.findByText('Payment successful. Thank you!');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('authenticate-payment/renewal renders the confirm button with no accessibility violations', async () => {
    fake.retrieveResults = [{ paymentIntent: intent('requires_action') }];
    const { container } = render(
      inProvider(<RenewalNeedsAuthentication clientSecret="pi_fake_secret_x" />),
    );
    await screen.findByRole('button', { name: 'Confirm payment' });
    expect(await axeViolations(container)).toEqual([]);
  });

  it('provider/setup gives its children the kit', async () => {
    vi.stubGlobal(
      'fetch',
      fakeServerFetch({ 'GET /config': () => ({ publishableKey: 'pk_test_x', mode: 'test' }) }),
    );
    render(
      <ProviderSetup>
        <p>Shop</p>
      </ProviderSetup>,
    );
    expect(screen.getByText('Shop')).toBeInTheDocument();
  });
});
