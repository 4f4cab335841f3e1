/**
 * The payment form's state machine with a scripted Stripe.js (jsdom, React 18 and 19). The real
 * Payment Element, declines and 3D Secure are in payment-form.browser.test.tsx.
 */
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  CATALOG,
  createFakeStripe,
  type FakeStripe,
  fakeServerFetch,
  intent,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentForm } from './payment-form.js';
import { priceCart, usePaymentForm } from './use-payment-form.js';

const API = 'http://tillkit.test/api';
let fake: FakeStripe;
let fetcher: ReturnType<typeof fakeServerFetch>;

beforeEach(() => {
  fake = createFakeStripe();
  fetcher = fakeServerFetch({
    'GET /prices': () => CATALOG,
    'POST /payment-intents': () => ({
      id: 'pi_fake',
      clientSecret: 'pi_fake_secret_x',
      amount: 2500,
      currency: 'usd',
      status: 'requires_payment_method',
    }),
    'PATCH /payment-intents/pi_fake': () => ({
      id: 'pi_fake',
      clientSecret: 'pi_fake_secret_x',
      amount: 5000,
      currency: 'usd',
      status: 'requires_payment_method',
    }),
  });
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

const provider =
  (extra: { locale?: string; messages?: typeof de } = {}) =>
  ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase={API} stripe={fake.stripe} {...extra}>
      {children}
    </TillkitProvider>
  );

describe('PaymentForm (composed)', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(<PaymentForm items={[{ price: 'price_tshirt', quantity: 1 }]} />, {
      wrapper: provider(),
    });
    await screen.findByRole('button', { name: 'Pay $25.00' });
    expect(await axeViolations(container)).toEqual([]);
  });

  it('speaks German with the German messages', async () => {
    render(<PaymentForm items={[{ price: 'price_tshirt', quantity: 2 }]} />, {
      wrapper: provider({ locale: 'de-DE', messages: de }),
    });
    expect(
      await screen.findByRole('button', { name: '50,00\u00a0$ bezahlen' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Gesamt 50,00 $')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Zahlungsdaten' })).toBeInTheDocument();
  });

  it('names the missing root when a part is used alone', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const quiet = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', quiet);
    expect(() => render(<PaymentForm.Submit />, { wrapper: provider() })).toThrow(
      /PaymentForm parts must be inside <PaymentForm.Root>/,
    );
    window.removeEventListener('error', quiet);
  });
});

describe('usePaymentForm', () => {
  it('goes idle → loading → ready with the amount from the prices and no intent', async () => {
    const { result } = renderHook(
      () => usePaymentForm({ items: [{ price: 'price_tshirt', quantity: 3 }] }),
      { wrapper: provider() },
    );
    expect(['idle', 'loading']).toContain(result.current.status);
    // The element needs a container: the Element part's ref.
    act(() => {
      const ref = result.current.getElementProps().ref as (node: HTMLDivElement) => void;
      ref(document.createElement('div'));
    });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.state).toEqual({ status: 'ready', amount: 7500, currency: 'usd' });
    expect(result.current.formattedAmount).toBe('$75.00');
    expect(fake.calls.elements).toHaveBeenCalledWith({
      mode: 'payment',
      amount: 7500,
      currency: 'usd',
    });
    expect(fetcher.requests.map((request) => request.method)).toEqual(['GET']);
  });

  it('succeeds: submit, create with an idempotency key, confirm if_required', async () => {
    const onSuccess = vi.fn();
    const { result } = renderHook(
      () =>
        usePaymentForm({
          items: [{ price: 'price_tshirt', quantity: 1 }],
          returnUrl: 'https://shop.example/done',
          onSuccess,
        }),
      { wrapper: provider() },
    );
    act(() =>
      (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
        document.createElement('div'),
      ),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fake.calls.submit).toHaveBeenCalledOnce();
    const post = fetcher.requests.find((request) => request.method === 'POST');
    expect(post?.body).toEqual({ items: [{ price: 'price_tshirt', quantity: 1 }] });
    expect(post?.headers.get('idempotency-key')).toMatch(/^tillkit_/);
    expect(fake.calls.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({
        clientSecret: 'pi_fake_secret_x',
        redirect: 'if_required',
        confirmParams: { return_url: 'https://shop.example/done' },
      }),
    );
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  });

  it('asks Stripe to save the card when savePaymentMethod is set', async () => {
    const { result } = renderHook(
      () =>
        usePaymentForm({
          items: [{ price: 'price_tshirt', quantity: 1 }],
          savePaymentMethod: true,
        }),
      { wrapper: provider() },
    );
    act(() =>
      (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
        document.createElement('div'),
      ),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ setupFutureUsage: 'off_session' }),
    );
    await act(() => result.current.submit());
    expect(fetcher.requests.find((request) => request.method === 'POST')?.body).toEqual({
      items: [{ price: 'price_tshirt', quantity: 1 }],
      savePaymentMethod: true,
    });
  });

  it('times out a POST that never answers, says so, and sends it again with the same key', async () => {
    // The first POST hangs until the kit gives up on it (its signal aborts); the second answers.
    let hang = true;
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'POST' && hang) {
        hang = false;
        fetcher.requests.push({
          method: 'POST',
          url: String(input),
          headers: new Headers(init.headers),
          body: JSON.parse(String(init.body)),
        });
        return new Promise((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        );
      }
      return fetcher(input, init);
    });
    const { result } = renderHook(
      () => usePaymentForm({ items: [{ price: 'price_tshirt', quantity: 1 }] }),
      {
        wrapper: ({ children }: { children: ReactNode }) => (
          <TillkitProvider apiBase={API} stripe={fake.stripe} timeout={50}>
            {children}
          </TillkitProvider>
        ),
      },
    );
    act(() =>
      (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
        document.createElement('div'),
      ),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await act(() => result.current.submit());
    expect(result.current.state).toMatchObject({
      status: 'failed',
      retryable: true,
      error: {
        code: 'timeout',
        message: 'Could not reach the payment server. Check your connection and try again.',
      },
    });
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();

    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    const posts = fetcher.requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.headers.get('idempotency-key')).toBe(posts[0]?.headers.get('idempotency-key'));
  });

  it('keeps a decline as a value, reuses the intent and re-prices it when the cart changed', async () => {
    fake.confirmResults = [
      {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'generic_decline',
          message: 'Your card was declined.',
        },
      },
      { paymentIntent: intent('succeeded', { amount: 5000 }) },
    ];
    const onError = vi.fn();
    const { result, rerender } = renderHook(
      ({ quantity }) => usePaymentForm({ items: [{ price: 'price_tshirt', quantity }], onError }),
      { wrapper: provider(), initialProps: { quantity: 1 } },
    );
    act(() =>
      (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
        document.createElement('div'),
      ),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await act(() => result.current.submit());
    expect(result.current.state).toMatchObject({
      status: 'failed',
      retryable: true,
      error: { type: 'card_error', code: 'card_declined', declineCode: 'generic_decline' },
    });
    expect(onError).toHaveBeenCalledOnce();
    expect(result.current.canSubmit).toBe(true);

    rerender({ quantity: 2 });
    await waitFor(() => expect(result.current.formattedAmount).toBe('$50.00'));
    expect(fake.calls.update).toHaveBeenLastCalledWith({
      mode: 'payment',
      amount: 5000,
      currency: 'usd',
    });
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fetcher.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'PATCH']);
    expect(fetcher.requests[2]?.body).toEqual({
      items: [{ price: 'price_tshirt', quantity: 2 }],
      clientSecret: 'pi_fake_secret_x',
    });
  });

  it('shows a validation error without a request, and ignores a second submit while busy', async () => {
    fake.calls.submit.mockResolvedValueOnce({
      error: {
        type: 'validation_error',
        code: 'incomplete_number',
        message: 'Your card number is incomplete.',
      },
    });
    const { result } = renderHook(
      () => usePaymentForm({ items: [{ price: 'price_tshirt', quantity: 1 }] }),
      { wrapper: provider() },
    );
    act(() =>
      (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
        document.createElement('div'),
      ),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await act(() => result.current.submit());
    expect(result.current.error).toMatchObject({
      type: 'validation_error',
      message: 'Your card number is incomplete.',
    });
    expect(fetcher.requests.filter((request) => request.method === 'POST')).toEqual([]);

    await act(() => Promise.all([result.current.submit(), result.current.submit()]));
    expect(fake.calls.confirmPayment).toHaveBeenCalledOnce();
    expect(fetcher.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('finishes an action Stripe.js left open with handleNextAction', async () => {
    fake.confirmResults = [{ paymentIntent: intent('requires_action') }];
    fake.nextActionResults = [{ paymentIntent: intent('succeeded') }];
    const { result } = renderHook(
      () => usePaymentForm({ items: [{ price: 'price_tshirt', quantity: 1 }] }),
      { wrapper: provider() },
    );
    act(() =>
      (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
        document.createElement('div'),
      ),
    );
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await act(() => result.current.submit());
    expect(fake.calls.handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_fake_secret_x' });
    expect(result.current.status).toBe('succeeded');
  });

  it('fails without retry when a price is not for sale', async () => {
    const { result } = renderHook(
      () => usePaymentForm({ items: [{ price: 'price_gone', quantity: 1 }] }),
      { wrapper: provider() },
    );
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.state).toMatchObject({
      retryable: false,
      error: { code: 'price_unavailable', message: 'An item in your cart is no longer available.' },
    });
    expect(result.current.canSubmit).toBe(false);
  });

  it('reports a server that cannot be reached in the customer’s words', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const { result } = renderHook(
      () => usePaymentForm({ items: [{ price: 'price_tshirt', quantity: 1 }] }),
      { wrapper: provider() },
    );
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.error).toMatchObject({
      type: 'load_error',
      code: 'network_error',
      message: 'Could not reach the payment server. Check your connection and try again.',
    });
  });
});

describe('priceCart', () => {
  it('reads the prices again when the provider moves to another server', async () => {
    const items = [{ price: 'price_tshirt', quantity: 1 }];
    let apiBase = API;
    const { result, rerender } = renderHook(() => usePaymentForm({ items }), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <TillkitProvider apiBase={apiBase} stripe={fake.stripe}>
          {children}
        </TillkitProvider>
      ),
    });
    await waitFor(() => expect(result.current.formattedAmount).toBe('$25.00'));
    apiBase = 'http://other.test/api';
    rerender();
    await waitFor(() =>
      expect(fetcher.requests.map((request) => request.url)).toContain(
        'http://other.test/api/prices',
      ),
    );
  });

  it('adds unit amounts times quantities in one currency', () => {
    expect(priceCart(CATALOG as never, [{ price: 'price_tshirt', quantity: 2 }])).toEqual({
      amount: 5000,
      currency: 'usd',
    });
    expect(priceCart(CATALOG as never, [{ price: 'price_kwd', quantity: 3 }])).toEqual({
      amount: 22500,
      currency: 'kwd',
    });
  });

  it('refuses unknown and recurring prices and mixed currencies', () => {
    expect(priceCart(CATALOG as never, [{ price: 'price_nope', quantity: 1 }])).toBe(
      'price_unavailable',
    );
    expect(priceCart(CATALOG as never, [{ price: 'price_monthly', quantity: 1 }])).toBe(
      'price_unavailable',
    );
    expect(
      priceCart(CATALOG as never, [
        { price: 'price_tshirt', quantity: 1 },
        { price: 'price_kwd', quantity: 1 },
      ]),
    ).toBe('currency_mismatch');
  });
});
