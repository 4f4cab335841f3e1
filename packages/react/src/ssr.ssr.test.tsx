// @vitest-environment node
/**
 * Server rendering (Next.js and the like): importing the kit touches no browser global, and every
 * component renders to HTML on the server, in its `idle` state, without Stripe.js.
 */
import { describe, expect, it } from 'vitest';

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
    const { AuthenticatePayment, PaymentForm, PaymentStatus, TillkitProvider } = await import(
      './index.js'
    );
    const html = renderToString(
      <TillkitProvider apiBase="https://shop.example/api" publishableKey="pk_test_ssr">
        <PaymentForm items={[{ price: 'price_123', quantity: 1 }]} />
        <PaymentStatus retryHref="/checkout" />
        <AuthenticatePayment clientSecret="pi_123_secret_456" />
      </TillkitProvider>,
    );
    expect(html).toContain('data-slot="payment-form" data-state="loading"');
    expect(html).toContain('data-slot="payment-form-element"');
    expect(html).toContain('data-slot="payment-form-error"');
    expect(html).toContain('data-slot="payment-status" data-state="idle"');
    expect(html).toContain('Checking your payment…');
    expect(html).toContain('data-slot="authenticate-payment" data-state="idle"');
    expect(html).toMatch(/<button[^>]*data-slot="payment-form-submit"[^>]*disabled=""/);
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
    ]) {
      expect((await source(path)).startsWith("'use client';"), path).toBe(true);
    }
    for (const path of ['./format-money.ts', './appearance.ts', './messages/messages.ts']) {
      expect((await source(path)).includes("'use client'"), path).toBe(false);
    }
  });
});
