// @vitest-environment node
/**
 * Server rendering (Next.js and the like): importing the kit touches no browser global, and every
 * component renders to HTML on the server, in its `idle` state, without Stripe.js.
 */
import { describe, expect, it } from 'vitest';

/** A host's own product list (`read`: `useProducts`, imported by the test): loading on the server. */
function Products({ read }: { read: () => { status: string } }) {
  return <p data-products={read().status} />;
}

describe('server rendering', () => {
  it('imports without a window or a document', async () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const kit = await import('./index.js');
    expect(kit.TillkitProvider).toBeTypeOf('function');
    await import('./messages/de.js');
  });

  it('renders every component to HTML', async () => {
    const { renderToString } = await import('react-dom/server');
    const {
      AuthenticatePayment,
      Entitled,
      ManageBillingButton,
      PaymentForm,
      PaymentHistory,
      PaymentStatus,
      PayWithNewCard,
      PricingTable,
      SaveCardForm,
      SavedCards,
      SubscribeForm,
      SubscriptionManager,
      TillkitProvider,
      useProducts,
    } = await import('./index.js');
    const html = renderToString(
      <TillkitProvider apiBase="https://shop.example/api" publishableKey="pk_test_ssr">
        <PaymentForm items={[{ price: 'price_123', quantity: 1 }]} />
        <PaymentStatus retryHref="/checkout" />
        <AuthenticatePayment clientSecret="pi_123_secret_456" />
        <SaveCardForm />
        <SavedCards />
        <PaymentHistory />
        <SubscribeForm price="price_pro" />
        <PricingTable highlightedPlan="prod_pro" />
        <SubscriptionManager />
        <PayWithNewCard clientSecret="pi_123_secret_456" />
        <ManageBillingButton />
        <Entitled feature="Pro" fallback={<p>Upgrade</p>}>
          <p>Pro feature</p>
        </Entitled>
        <Products read={useProducts} />
      </TillkitProvider>,
    );
    expect(html).toContain('data-slot="payment-form" data-state="loading"');
    expect(html).toContain('data-slot="payment-form-element"');
    expect(html).toContain('data-slot="payment-form-error"');
    expect(html).toContain('data-slot="payment-status" data-state="idle"');
    expect(html).toContain('Checking your payment…');
    expect(html).toContain('data-slot="authenticate-payment" data-state="idle"');
    expect(html).toMatch(/<button[^>]*data-slot="payment-form-submit"[^>]*disabled=""/);
    // Nothing is read from the server before the page runs: every list and form is loading.
    for (const slot of [
      'save-card-form',
      'saved-cards',
      'payment-history',
      'subscribe-form',
      'pricing-table',
      'subscription-manager',
      'pay-with-new-card',
    ]) {
      expect(html).toContain(`data-slot="${slot}" data-state="loading"`);
    }
    expect(html).toContain('data-slot="manage-billing" data-state="idle"');
    expect(html).toContain('<p>Upgrade</p>');
    expect(html).not.toContain('Pro feature');
    expect(html).toContain('<p data-products="loading"></p>');
  });

  it("keeps 'use client' in the client modules and out of the server-safe ones", async () => {
    const { readFile } = await import('node:fs/promises');
    const source = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');
    for (const path of [
      './provider/tillkit-provider.tsx',
      './payment-form/payment-form.tsx',
      './payment-form/use-payment-form.ts',
      './payment-status/payment-status.tsx',
      './payment-status/use-payment-status.ts',
      './authenticate-payment/authenticate-payment.tsx',
      './authenticate-payment/use-authenticate-payment.ts',
      './save-card-form/save-card-form.tsx',
      './save-card-form/use-save-card.ts',
      './saved-cards/saved-cards.tsx',
      './saved-cards/use-saved-cards.ts',
      './payment-history/payment-history.tsx',
      './payment-history/use-payment-history.ts',
      './subscribe-form/subscribe-form.tsx',
      './subscribe-form/use-subscribe.ts',
      './pricing-table/pricing-table.tsx',
      './pricing-table/use-pricing.ts',
      './subscription-manager/subscription-manager.tsx',
      './subscription-manager/use-subscriptions.ts',
      './subscription-manager/use-pay-with-new-card.ts',
      './manage-billing/manage-billing-button.tsx',
      './manage-billing/use-manage-billing.ts',
      './entitlements/entitled.tsx',
      './entitlements/use-entitlements.ts',
      './products/use-products.ts',
      './internal/use-element-form.ts',
      './internal/form-parts.tsx',
      './internal/part.ts',
    ]) {
      expect((await source(path)).startsWith("'use client';"), path).toBe(true);
    }
    for (const path of [
      './format-money.ts',
      './appearance.ts',
      './messages/messages.ts',
      './subscribe-form/price-label.ts',
    ]) {
      expect((await source(path)).includes("'use client'"), path).toBe(false);
    }
  });
});
