/** The catalog as a storefront lists it, in jsdom (React 18 and 19). */
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createFakeStripe, errorAnswer, fakeServerFetch } from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { PaymentForm } from '../payment-form/payment-form.js';
import { TillkitProvider, type TillkitProviderProps } from '../provider/tillkit-provider.js';
import { type UseProductsProps, type UseProductsReturn, useProducts } from './use-products.js';

/** Goods sold once in USD, KWD and JPY, and a plan sold only by the month. */
const CATALOG = {
  products: [
    {
      id: 'prod_tshirt',
      name: 'T-shirt',
      description: null,
      features: [],
      prices: [
        { id: 'price_tshirt', unitAmount: 2500, currency: 'usd', type: 'one_time' },
        { id: 'price_tshirt_kwd', unitAmount: 7500, currency: 'kwd', type: 'one_time' },
      ],
    },
    {
      id: 'prod_mug',
      name: 'Mug',
      description: 'Holds coffee',
      features: [],
      prices: [
        { id: 'price_mug', unitAmount: 1200, currency: 'usd', type: 'one_time' },
        { id: 'price_mug_jpy', unitAmount: 1500, currency: 'jpy', type: 'one_time' },
        {
          id: 'price_mug_club',
          unitAmount: 500,
          currency: 'usd',
          type: 'recurring',
          interval: 'month',
        },
      ],
    },
    {
      id: 'prod_pro',
      name: 'Pro',
      description: null,
      features: ['Unlimited projects'],
      prices: [
        {
          id: 'price_pro',
          unitAmount: 2900,
          currency: 'usd',
          type: 'recurring',
          interval: 'month',
        },
      ],
    },
  ],
};

let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  routes = { 'GET /prices': () => CATALOG };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

const priceReads = () => fetcher.requests.filter(({ url }) => url.endsWith('/prices')).length;

const provider =
  (extra: Partial<TillkitProviderProps> = {}) =>
  ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase="http://tillkit.test/api" stripe={null} locale="en-US" {...extra}>
      {children}
    </TillkitProvider>
  );

/** Keeps what `useProducts()` answers under `name`. */
function Probe({
  name,
  seen,
  ...props
}: UseProductsProps & { name: string; seen: Record<string, UseProductsReturn> }) {
  seen[name] = useProducts(props);
  return null;
}

/** Each product's prices, as a list shows them. */
const shown = (catalog: UseProductsReturn) =>
  catalog.products.map(({ id, prices }) => [id, prices.map((price) => price.formattedAmount)]);

describe('useProducts', () => {
  it('is loading, then ready with every product and price, each price worded', async () => {
    const { result, rerender } = renderHook(() => useProducts(), { wrapper: provider() });
    expect(result.current).toMatchObject({ status: 'loading', products: [], error: null });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.error).toBeNull();
    expect(result.current.products[1]).toEqual({
      ...CATALOG.products[1],
      prices: [
        { ...CATALOG.products[1]?.prices[0], formattedAmount: '$12.00' },
        { ...CATALOG.products[1]?.prices[1], formattedAmount: '¥1,500' },
        { ...CATALOG.products[1]?.prices[2], formattedAmount: '$5.00' },
      ],
    });
    expect(shown(result.current)).toEqual([
      ['prod_tshirt', ['$25.00', 'KWD\u00a07.500']],
      ['prod_mug', ['$12.00', '¥1,500', '$5.00']],
      ['prod_pro', ['$29.00']],
    ]);
    // The same products on the next render, for the host's effects and memos.
    const { products } = result.current;
    rerender();
    expect(result.current.products).toBe(products);
  });

  it('shares the provider’s one request with a PaymentForm and another useProducts()', async () => {
    const seen: Record<string, UseProductsReturn> = {};
    render(
      <>
        <Probe name="shop" seen={seen} />
        <PaymentForm items={[{ price: 'price_tshirt', quantity: 1 }]} />
        <Probe name="plans" seen={seen} type="recurring" />
      </>,
      { wrapper: provider({ stripe: createFakeStripe().stripe }) },
    );
    await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(seen.plans?.status).toBe('ready'));
    expect(seen.shop?.status).toBe('ready');
    expect(priceReads()).toBe(1);
  });

  it('keeps the prices of a type, and the products that have one', async () => {
    const seen: Record<string, UseProductsReturn> = {};
    render(
      <>
        <Probe name="once" seen={seen} type="one_time" />
        <Probe name="plans" seen={seen} type="recurring" />
      </>,
      { wrapper: provider() },
    );
    await waitFor(() => expect(seen.plans?.status).toBe('ready'));
    expect(shown(seen.once as UseProductsReturn)).toEqual([
      ['prod_tshirt', ['$25.00', 'KWD\u00a07.500']],
      ['prod_mug', ['$12.00', '¥1,500']],
    ]);
    expect(seen.plans?.products.map(({ id, prices }) => [id, prices.map((p) => p.id)])).toEqual([
      ['prod_mug', ['price_mug_club']],
      ['prod_pro', ['price_pro']],
    ]);
  });

  it('words amounts in the provider’s locale', async () => {
    const { result } = renderHook(() => useProducts({ type: 'one_time' }), {
      wrapper: provider({ locale: 'de-DE', messages: de }),
    });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(shown(result.current)).toEqual([
      ['prod_tshirt', ['25,00\u00a0$', '7,500\u00a0KWD']],
      ['prod_mug', ['12,00\u00a0$', '1.500\u00a0¥']],
    ]);
  });

  it('reports a failure as a load_error value, and refresh() reads again', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    const { result } = renderHook(() => useProducts(), { wrapper: provider() });
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.products).toEqual([]);
    expect(result.current.error).toMatchObject({
      type: 'load_error',
      code: 'stripe_unavailable',
      message: 'This could not be loaded. Check your connection and try again.',
    });

    routes['GET /prices'] = () => CATALOG;
    act(() => result.current.refresh());
    expect(result.current).toMatchObject({ status: 'loading', error: null });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.products).toHaveLength(3);
    expect(priceReads()).toBe(2);
  });

  it('words a failure with the provider’s messages', async () => {
    routes['GET /prices'] = () => errorAnswer(503, 'stripe_unavailable');
    const { result } = renderHook(() => useProducts(), {
      wrapper: provider({ locale: 'de-DE', messages: de }),
    });
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.error?.message).toBe(de.loadError);
  });

  it('names the missing provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // React 18 also reports the render error to window.onerror (jsdom prints it): expected here.
    const quiet = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', quiet);
    onTestFinished(() => {
      window.removeEventListener('error', quiet);
      vi.restoreAllMocks();
    });
    expect(() => renderHook(() => useProducts())).toThrow(
      'useProducts() must be used inside <TillkitProvider>',
    );
  });
});
