import type { Stripe } from '@stripe/stripe-js';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { getConfig, listPrices } from '@tillkit/protocol/client';
import { type ReactNode, StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { CATALOG, fakeServerFetch } from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider, type TillkitProviderProps, useTillkit } from './tillkit-provider.js';

const API = 'http://tillkit.test/api';

/** window.Stripe as Stripe's (or the sandbox's) script defines it. */
const StripeConstructor = Object.assign(
  vi.fn(
    (key: string, options?: object) => ({ key, options, elements: vi.fn() }) as unknown as Stripe,
  ),
  { version: 'endive' },
);

let fetcher: ReturnType<typeof fakeServerFetch>;

beforeEach(() => {
  fetcher = fakeServerFetch({
    'GET /config': () => ({
      publishableKey: 'pk_test_from_config',
      mode: 'sandbox',
      sandbox: { apiBase: 'http://127.0.0.1:12111' },
      promotionCodes: false,
      oneSubscriptionPerCustomer: false,
    }),
    'GET /prices': () => CATALOG,
  });
  vi.stubGlobal('fetch', fetcher);
});

afterEach(() => {
  vi.unstubAllGlobals();
  for (const script of document.querySelectorAll('script')) script.remove();
  delete (window as { Stripe?: unknown }).Stripe;
  StripeConstructor.mockClear();
});

function wrapper(props: Partial<TillkitProviderProps> = {}) {
  return ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase={API} {...props}>
      {children}
    </TillkitProvider>
  );
}

/** Runs the sandbox's script when the provider adds it: window.Stripe, then `load`. */
function serveScripts() {
  const observer = new MutationObserver(() => {
    for (const script of document.querySelectorAll('script')) {
      if (script.dataset.served) continue;
      script.dataset.served = 'true';
      Object.assign(window, { Stripe: StripeConstructor });
      script.dispatchEvent(new Event('load'));
    }
  });
  observer.observe(document.head, { childList: true });
  return () => observer.disconnect();
}

/** The provider's Stripe.js status, as text. */
function StripeStatus() {
  return <p>{useTillkit().stripe.status}</p>;
}

describe('TillkitProvider', () => {
  it('renders its children with no accessibility violations', async () => {
    const { container } = render(
      <TillkitProvider apiBase={API} stripe={null}>
        <p>Checkout</p>
      </TillkitProvider>,
    );
    expect(screen.getByText('Checkout')).toBeInTheDocument();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('names the missing provider when a hook is used outside it', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // React 18 also reports the render error to window.onerror (jsdom prints it): expected here.
    const quiet = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', quiet);
    onTestFinished(() => window.removeEventListener('error', quiet));
    expect(() => renderHook(() => useTillkit())).toThrow(
      'useTillkit() must be used inside <TillkitProvider>: wrap the part of your app that calls useTillkit() in <TillkitProvider apiBase="…">.',
    );
  });

  it("reads the key from /config and, in sandbox mode, loads the sandbox's Stripe.js first", async () => {
    const stop = serveScripts();
    const { result } = renderHook(() => useTillkit(), { wrapper: wrapper({ locale: 'de' }) });
    expect(result.current.stripe.status).toBe('loading');
    await waitFor(() => expect(result.current.stripe.status).toBe('ready'));
    stop();
    const scripts = [...document.querySelectorAll('script')].map((script) => script.src);
    expect(scripts).toEqual(['http://127.0.0.1:12111/js/stripe.js']);
    expect(StripeConstructor).toHaveBeenCalledWith('pk_test_from_config', { locale: 'de' });
    expect(fetcher.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET ${API}/config`,
    ]);
  });

  it('adds the sandbox script once when two providers load Stripe.js at the same time', async () => {
    const stop = serveScripts();
    render(
      <StrictMode>
        <TillkitProvider apiBase={API}>
          <StripeStatus />
        </TillkitProvider>
        <TillkitProvider apiBase={API}>
          <StripeStatus />
        </TillkitProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getAllByText('ready')).toHaveLength(2));
    stop();
    expect([...document.querySelectorAll('script')].map((script) => script.src)).toEqual([
      'http://127.0.0.1:12111/js/stripe.js',
    ]);
  });

  it('uses a given publishable key without asking the server', async () => {
    Object.assign(window, { Stripe: StripeConstructor });
    const { result } = renderHook(() => useTillkit(), {
      wrapper: wrapper({ publishableKey: 'pk_test_given' }),
    });
    await waitFor(() => expect(result.current.stripe.status).toBe('ready'));
    expect(StripeConstructor).toHaveBeenCalledWith('pk_test_given', {});
    expect(fetcher.requests).toEqual([]);
  });

  it('takes a Stripe object (or its promise) as given', async () => {
    const given = { elements: vi.fn() } as unknown as Stripe;
    const { result } = renderHook(() => useTillkit(), {
      wrapper: wrapper({ stripe: Promise.resolve(given) }),
    });
    await waitFor(() => expect(result.current.stripe.stripe).toBe(given));
    expect(fetcher.requests).toEqual([]);
  });

  it('reports a Stripe.js that could not load', async () => {
    const { result } = renderHook(() => useTillkit(), {
      wrapper: wrapper({ stripe: Promise.reject(new Error('blocked')) }),
    });
    await waitFor(() => expect(result.current.stripe.status).toBe('error'));
    expect(result.current.stripe.error?.message).toBe('blocked');
  });

  it("gives hooks the protocol's transport with the caller's current token", async () => {
    let token = 'token-1';
    const { result } = renderHook(() => useTillkit(), {
      wrapper: wrapper({ stripe: null, getAuthToken: () => token }),
    });
    await act(() => listPrices(result.current.transport));
    token = 'token-2';
    await act(() => getConfig(result.current.transport));
    expect(fetcher.requests.map((request) => request.headers.get('authorization'))).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('fetches the catalog once for every hook that asks', async () => {
    const { result } = renderHook(() => useTillkit(), { wrapper: wrapper({ stripe: null }) });
    const [first, second] = await act(() =>
      Promise.all([result.current.getPrices(), result.current.getPrices()]),
    );
    expect(first).toEqual(CATALOG);
    expect(second).toBe(first);
    expect(fetcher.requests).toHaveLength(1);
  });

  it("lays the host's messages over English and formats money in its locale", () => {
    const { result } = renderHook(() => useTillkit(), {
      wrapper: wrapper({ stripe: null, locale: 'de-DE', messages: de }),
    });
    expect(result.current.messages.loading).toBe('Wird geladen…');
    expect(result.current.formatMoney(1050, 'eur')).toBe('10,50\u00a0€');
    const english = renderHook(() => useTillkit(), {
      wrapper: wrapper({ stripe: null, messages: { loading: 'One moment…' } }),
    });
    expect(english.result.current.messages.loading).toBe('One moment…');
    expect(english.result.current.messages.genericError).toBe(
      'Something went wrong. Please try again.',
    );
  });
});
