/**
 * Every example renders inside a provider (a scripted Stripe.js, a fake server) and has no
 * accessibility violations: the examples are what the README and the stories show.
 */
import { render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RenewalNeedsAuthentication } from '../examples/authenticate-payment/renewal.js';
import { PlanBadge, PriorityFeature } from '../examples/entitlements/gate.js';
import { BillingPortalButton } from '../examples/manage-billing/button.js';
import { BasicPaymentForm } from '../examples/payment-form/basic.js';
import { CustomLayoutPaymentForm } from '../examples/payment-form/custom-layout.js';
import { HeadlessPaymentForm } from '../examples/payment-form/headless.js';
import { OrderHistory } from '../examples/payment-history/orders.js';
import { ReturnPage } from '../examples/payment-status/return-page.js';
import { EmbeddedPricingTable } from '../examples/pricing-table/embedded.js';
import { HeadlessPricing } from '../examples/pricing-table/headless.js';
import { HostedPricingTable } from '../examples/pricing-table/hosted.js';
import { ProviderSetup } from '../examples/provider/setup.js';
import { BasicSaveCardForm } from '../examples/save-card-form/basic.js';
import { BasicSavedCards } from '../examples/saved-cards/basic.js';
import { WalletPage } from '../examples/saved-cards/with-add-card.js';
import { BasicSubscribeForm } from '../examples/subscribe-form/basic.js';
import { AccountSubscriptions } from '../examples/subscription-manager/account.js';
import { DarkGermanCheckout } from '../examples/theming/dark-theme.js';
import { TillkitProvider } from '../src/index.js';
import { axeViolations } from './support/axe.js';
import {
  BILLING_CATALOG,
  CATALOG,
  createFakeStripe,
  fakeServerFetch,
  intent,
} from './support/fake-stripe.js';

let fake: ReturnType<typeof createFakeStripe>;
beforeEach(() => {
  fake = createFakeStripe();
  vi.stubGlobal('fetch', fakeServerFetch({ 'GET /prices': () => CATALOG }));
});

/** The account routes the billing examples read, for one signed-in customer. */
function billingServer() {
  vi.stubGlobal(
    'fetch',
    fakeServerFetch({
      'GET /prices': () => BILLING_CATALOG,
      'GET /payment-methods': () => ({
        data: [
          { id: 'pm_1', brand: 'visa', last4: '4242', expMonth: 6, expYear: 2026, isDefault: true },
        ],
      }),
      'GET /subscriptions': () => ({
        data: [
          {
            id: 'sub_1',
            status: 'active',
            priceId: 'price_pro_month',
            productId: 'prod_pro',
            productName: 'Pro',
            currentPeriodEnd: '2026-06-01T12:00:00.000Z',
            cancelAtPeriodEnd: false,
            cancelAt: null,
            trialEnd: null,
            pendingAction: null,
          },
        ],
      }),
      'GET /payments': () => ({
        data: [
          {
            id: 'pi_1',
            status: 'succeeded',
            amount: 6400,
            amountRefunded: 0,
            currency: 'usd',
            createdAt: '2026-05-15T12:00:00.000Z',
            receiptUrl: 'https://pay.stripe.com/receipts/payment/pi_1',
            lines: [
              { price: 'price_tshirt', productName: 'T-shirt', quantity: 2, unitAmount: 2500 },
              { price: 'price_mug', productName: 'Mug', quantity: 1, unitAmount: 1400 },
            ],
          },
        ],
        hasMore: true,
      }),
      'GET /entitlements': () => ({
        active: true,
        subscriptions: [],
        features: ['priority_support'],
      }),
    }),
  );
}
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

  it.each([
    ['save-card-form/basic', () => <BasicSaveCardForm />, 'button', 'Save card'],
    ['saved-cards/basic', () => <BasicSavedCards now={new Date(2026, 4, 1)} />, 'button', 'Remove'],
    [
      'saved-cards/with-add-card',
      () => <WalletPage now={new Date(2026, 4, 1)} />,
      'button',
      'Save card',
    ],
    [
      'subscribe-form/basic',
      () => <BasicSubscribeForm price="price_pro_month" />,
      'button',
      'Start free trial',
    ],
    [
      'pricing-table/embedded',
      () => <EmbeddedPricingTable highlightedPlan="prod_pro" />,
      'button',
      'Choose Pro',
    ],
    [
      'pricing-table/hosted',
      () => <HostedPricingTable navigate={vi.fn()} />,
      'button',
      'Choose Pro',
    ],
    ['pricing-table/headless', () => <HeadlessPricing />, 'button', 'Choose Starter'],
    [
      'subscription-manager/account',
      () => <AccountSubscriptions navigate={vi.fn()} />,
      'button',
      'Cancel subscription',
    ],
    [
      'manage-billing/button',
      () => <BillingPortalButton navigate={vi.fn()} />,
      'button',
      'Invoices and billing',
    ],
    ['payment-history/orders', () => <OrderHistory />, 'list', 'Your orders'],
    ['entitlements/gate', () => <PriorityFeature />, 'paragraph', undefined],
    ['entitlements/gate (badge)', () => <PlanBadge />, undefined, undefined],
  ] as const)('%s renders with no accessibility violations', async (_name, ui, role, name) => {
    billingServer();
    const { container } = render(inProvider(ui()));
    if (role) {
      const found = await screen.findAllByRole(role, name ? { name } : {});
      expect(found.length).toBeGreaterThan(0);
    }
    expect(await axeViolations(container)).toEqual([]);
  });

  it('entitlements/gate shows the feature to a customer who has it', async () => {
    billingServer();
    render(inProvider(<PriorityFeature />));
    expect(
      await screen.findByText('Chat with our team: we answer within the hour.'),
    ).toBeInTheDocument();
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
