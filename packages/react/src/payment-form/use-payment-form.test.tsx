/**
 * The payment form's state machine with a scripted Stripe.js (jsdom, React 18 and 19). The real
 * Payment Element, declines and 3D Secure are in payment-form.browser.test.tsx.
 */
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { type ReactNode, StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  CATALOG,
  createFakeStripe,
  errorAnswer,
  type FakeStripe,
  fakeServerFetch,
  intent,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { PaymentStatus } from '../payment-status/payment-status.js';
import { TillkitProvider, useTillkitContext } from '../provider/tillkit-provider.js';
import { PaymentForm } from './payment-form.js';
import { priceCart, usePaymentForm } from './use-payment-form.js';

const API = 'http://tillkit.test/api';
let fake: FakeStripe;
let fetcher: ReturnType<typeof fakeServerFetch>;

/** The server's answers: the prices, an intent made for $25 and re-priced to $50. */
const ROUTES = {
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
};

/**
 * `ROUTES` (and `extra`), whose `POST` makes another intent each time (`pi_fake_secret_1`, `_2`…).
 */
/** The client secrets Stripe.js was asked to confirm, in order. */
const confirmed = () =>
  fake.calls.confirmPayment.mock.calls.map(([options]) => options.clientSecret);

function serverMakingIntents(extra: Record<string, (body: unknown) => unknown> = {}) {
  let made = 0;
  return fakeServerFetch({
    ...ROUTES,
    ...extra,
    'POST /payment-intents': () => {
      made += 1;
      return { ...ROUTES['POST /payment-intents'](), clientSecret: `pi_fake_secret_${made}` };
    },
  });
}

beforeEach(() => {
  fake = createFakeStripe();
  fetcher = fakeServerFetch(ROUTES);
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

  it('sends its receiptEmail with the payment, not to the <form>', async () => {
    const { container } = render(
      <PaymentForm items={[{ price: 'price_tshirt', quantity: 1 }]} receiptEmail="a@example.com" />,
      { wrapper: provider() },
    );
    const pay = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    await screen.findByText('Payment successful. Thank you!');
    expect(fetcher.requests.find((request) => request.method === 'POST')?.body).toEqual({
      items: [{ price: 'price_tshirt', quantity: 1 }],
      receiptEmail: 'a@example.com',
    });
    expect(container.querySelector('form')?.hasAttribute('receiptemail')).toBe(false);
  });

  it('takes the next cart’s payment anew once one went through (a checkout drawer that stays)', async () => {
    fetcher = serverMakingIntents();
    vi.stubGlobal('fetch', fetcher);
    const onSuccess = vi.fn();
    const drawer = (quantity: number) => (
      <PaymentForm items={[{ price: 'price_tshirt', quantity }]} onSuccess={onSuccess} />
    );
    const view = render(drawer(1), { wrapper: provider() });
    const first = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(first).toBeEnabled());
    await userEvent.click(first);
    await screen.findByText('Payment successful. Thank you!');
    // The customer shops on: another cart is not the one paid.
    view.rerender(drawer(2));
    const pay = await screen.findByRole('button', { name: 'Pay $50.00' });
    expect(screen.queryByText('Payment successful. Thank you!')).toBeNull();
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    await screen.findByText('Payment successful. Thank you!');
    // A new intent with a new key, never the paid one re-priced.
    const writes = fetcher.requests.filter((request) => request.method !== 'GET');
    expect(writes.map((request) => [request.method, request.body])).toEqual([
      ['POST', { items: [{ price: 'price_tshirt', quantity: 1 }] }],
      ['POST', { items: [{ price: 'price_tshirt', quantity: 2 }] }],
    ]);
    expect(writes[0]?.headers.get('idempotency-key')).not.toBe(
      writes[1]?.headers.get('idempotency-key'),
    );
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_2']);
    expect(onSuccess).toHaveBeenCalledTimes(2);
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
    await attachReady(result);
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
    await attachReady(result);
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ setupFutureUsage: 'off_session' }),
    );
    await act(() => result.current.submit());
    expect(fetcher.requests.find((request) => request.method === 'POST')?.body).toEqual({
      items: [{ price: 'price_tshirt', quantity: 1 }],
      savePaymentMethod: true,
    });
    // Saved at the customer's request: offered again at checkout (POST /customer-sessions).
    expect(fake.calls.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({
        confirmParams: expect.objectContaining({
          payment_method_data: { allow_redisplay: 'always' },
        }),
      }),
    );
  });

  it('times out a POST that never answers, says so, and sends it again with the same key', async () => {
    // The first POST hangs until the kit gives up on it; the second answers.
    hangFirstPost();
    const { result } = await readyForm({ items: ITEMS }, () => API, { timeout: 50 });
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
    await attachReady(result);
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

  it('tells the same intent when savePaymentMethod changed after a decline, in both ways', async () => {
    // A "save my card" box ticked, or unticked, after a decline: the intent made before says
    // otherwise (its setup_future_usage), so the next try's PATCH says so; no second intent.
    const declined = {
      error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    };
    fake.confirmResults = [declined, declined, declined, { paymentIntent: intent('succeeded') }];
    const { result, rerender } = renderHook(
      ({ savePaymentMethod }) => usePaymentForm({ items: ITEMS, savePaymentMethod }),
      { wrapper: provider(), initialProps: { savePaymentMethod: false } },
    );
    await attachReady(result);
    await act(() => result.current.submit());
    rerender({ savePaymentMethod: true });
    await waitFor(() =>
      expect(fake.calls.update).toHaveBeenLastCalledWith(
        expect.objectContaining({ setupFutureUsage: 'off_session' }),
      ),
    );
    await act(() => result.current.submit());
    // Declined again with the box as it is: nothing to tell.
    await act(() => result.current.submit());
    rerender({ savePaymentMethod: false });
    // The group says so no more either: update() keeps an option it is not given.
    await waitFor(() =>
      expect(fake.calls.update).toHaveBeenLastCalledWith(
        expect.objectContaining({ setupFutureUsage: null }),
      ),
    );
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fetcher.requests.map((request) => [request.method, request.body])).toEqual([
      ['GET', undefined],
      ['POST', { items: ITEMS }],
      ['PATCH', { items: ITEMS, clientSecret: 'pi_fake_secret_x', savePaymentMethod: true }],
      ['PATCH', { items: ITEMS, clientSecret: 'pi_fake_secret_x', savePaymentMethod: false }],
    ]);
    expect(fake.calls.confirmPayment).toHaveBeenCalledTimes(4);
  });

  it("makes a new intent when the one of a declined try is not the caller's any more (signed out since)", async () => {
    fake.confirmResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { paymentIntent: intent('succeeded', { amount: 5000 }) },
    ];
    // The intent is another customer's now: the server answers the PATCH as it does any such.
    fetcher = serverMakingIntents({
      'PATCH /payment-intents/pi_fake': () => errorAnswer(404, 'not_found'),
    });
    vi.stubGlobal('fetch', fetcher);
    const result = await triedOneThenTwo();
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(
      fetcher.requests
        .filter((request) => request.method !== 'GET')
        .map((request) => [request.method, request.body]),
    ).toEqual([
      ['POST', { items: [{ price: 'price_tshirt', quantity: 1 }] }],
      [
        'PATCH',
        { items: [{ price: 'price_tshirt', quantity: 2 }], clientSecret: 'pi_fake_secret_1' },
      ],
      ['POST', { items: [{ price: 'price_tshirt', quantity: 2 }] }],
    ]);
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_2']);
  });

  it('sends the intent of a declined try again when another caller pays the same cart, so the server can refuse it', async () => {
    fake.confirmResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { paymentIntent: intent('succeeded') },
    ];
    // Ada's intent: the server answers Bob's PATCH of it as any intent not his.
    fetcher = serverMakingIntents({
      'PATCH /payment-intents/pi_fake': () => errorAnswer(404, 'not_found'),
    });
    vi.stubGlobal('fetch', fetcher);
    let token = 'tok_ada';
    const { result } = renderHook(() => usePaymentForm({ items: ITEMS }), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <TillkitProvider apiBase={API} stripe={fake.stripe} getAuthToken={() => token}>
          {children}
        </TillkitProvider>
      ),
    });
    await attachReady(result);
    await act(() => result.current.submit());
    // Ada signs out and Bob signs in, in the same tab, with the same cart.
    token = 'tok_bob';
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    const writes = fetcher.requests.filter((request) => request.url.includes('/payment-intents'));
    expect(writes.map((request) => [request.method, request.headers.get('authorization')])).toEqual(
      [
        ['POST', 'Bearer tok_ada'],
        ['PATCH', 'Bearer tok_bob'],
        ['POST', 'Bearer tok_bob'],
      ],
    );
    // Bob's card went to his own intent, never Ada's.
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_2']);
  });

  it('confirms nothing when the re-pricing PATCH fails, and sends the same PATCH at the next submit', async () => {
    fake.confirmResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { paymentIntent: intent('succeeded', { amount: 5000 }) },
    ];
    let patches = 0;
    const failed = errorAnswer(500, 'internal_error', 'Something failed.');
    fetcher = fakeServerFetch({
      ...ROUTES,
      'PATCH /payment-intents/pi_fake': () => {
        patches += 1;
        return patches === 1 ? failed : ROUTES['PATCH /payment-intents/pi_fake']();
      },
    });
    vi.stubGlobal('fetch', fetcher);
    const result = await triedOneThenTwo();
    await act(() => result.current.submit());
    expect(result.current.state).toMatchObject({ status: 'failed', retryable: true });
    expect(fake.calls.confirmPayment).toHaveBeenCalledOnce();
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fake.calls.confirmPayment).toHaveBeenCalledTimes(2);
    const patchBodies = fetcher.requests
      .filter((request) => request.method === 'PATCH')
      .map((request) => request.body);
    expect(patchBodies).toEqual([
      { items: [{ price: 'price_tshirt', quantity: 2 }], clientSecret: 'pi_fake_secret_x' },
      { items: [{ price: 'price_tshirt', quantity: 2 }], clientSecret: 'pi_fake_secret_x' },
    ]);
  });

  it('sends receiptEmail with the POST; a new one after a decline PATCHes the same intent', async () => {
    const declined = {
      error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    };
    fake.confirmResults = [declined, declined, { paymentIntent: intent('succeeded') }];
    const { result, rerender } = renderHook(
      ({ receiptEmail }) => usePaymentForm({ items: ITEMS, receiptEmail }),
      { wrapper: provider(), initialProps: { receiptEmail: 'first@example.com' } },
    );
    await attachReady(result);
    await act(() => result.current.submit());
    expect(result.current.status).toBe('failed');
    expect(fetcher.requests[1]).toMatchObject({
      method: 'POST',
      body: { items: ITEMS, receiptEmail: 'first@example.com' },
    });
    // The same address again: the intent is confirmed again as it is.
    await act(() => result.current.submit());
    expect(fetcher.requests.map((request) => request.method)).toEqual(['GET', 'POST']);

    rerender({ receiptEmail: 'second@example.com' });
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fetcher.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'PATCH']);
    expect(fetcher.requests[2]).toMatchObject({
      url: `${API}/payment-intents/pi_fake`,
      body: { items: ITEMS, receiptEmail: 'second@example.com', clientSecret: 'pi_fake_secret_x' },
    });
    expect(fake.calls.confirmPayment).toHaveBeenCalledTimes(3);
    for (const [options] of fake.calls.confirmPayment.mock.calls) {
      expect(options).toMatchObject({ clientSecret: 'pi_fake_secret_x' });
    }
  });

  it('sends no receiptEmail when it is empty', async () => {
    const { result } = await readyForm({ items: ITEMS, receiptEmail: '' });
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fetcher.requests.find((request) => request.method === 'POST')?.body).toEqual({
      items: ITEMS,
    });
  });

  it('makes the intent with a new key when receiptEmail changed after a lost POST', async () => {
    hangFirstPost();
    let receiptEmail = 'first@example.com';
    const { result, rerender } = await readyForm(
      {
        items: ITEMS,
        get receiptEmail() {
          return receiptEmail;
        },
      },
      () => API,
      { timeout: 50 },
    );
    await act(() => result.current.submit());
    expect(result.current.error).toMatchObject({ code: 'timeout' });
    receiptEmail = 'second@example.com';
    rerender();
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    const posts = fetcher.requests.filter((request) => request.method === 'POST');
    expect(posts.map((post) => (post.body as { receiptEmail: string }).receiptEmail)).toEqual([
      'first@example.com',
      'second@example.com',
    ]);
    // The same key with another body would be refused (409 idempotency_key_reused).
    expect(posts[1]?.headers.get('idempotency-key')).not.toBe(
      posts[0]?.headers.get('idempotency-key'),
    );
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
    await attachReady(result);
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
    await attachReady(result);
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

/**
 * Answers every request through `fetcher` (so each is recorded), except the first POST, whose
 * answer never comes: it hangs until the kit gives up on it (its signal aborts).
 */
/**
 * The form for one T-shirt, tried once (`fake.confirmResults` says how that went), then for two
 * ($50, not yet tried).
 */
async function triedOneThenTwo() {
  const { result, rerender } = renderHook(
    ({ quantity }) => usePaymentForm({ items: [{ price: 'price_tshirt', quantity }] }),
    { wrapper: provider(), initialProps: { quantity: 1 } },
  );
  await attachReady(result);
  await act(() => result.current.submit());
  rerender({ quantity: 2 });
  await waitFor(() => expect(result.current.formattedAmount).toBe('$50.00'));
  return result;
}

function hangFirstPost() {
  let hang = true;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const answer = fetcher(input, init);
    if (init?.method !== 'POST' || !hang) return answer;
    hang = false;
    return new Promise((_, reject) =>
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
    );
  });
}

/** Gives the form its element's container, as `<PaymentForm.Element>` does once mounted. */
function attachElement(result: { current: ReturnType<typeof usePaymentForm> }) {
  act(() =>
    (result.current.getElementProps().ref as (node: HTMLDivElement) => void)(
      document.createElement('div'),
    ),
  );
}

/** The same, then waits until the card fields are ready. */
async function attachReady(result: { current: ReturnType<typeof usePaymentForm> }) {
  attachElement(result);
  await waitFor(() => expect(result.current.status).toBe('ready'));
}

async function readyForm(
  props: Parameters<typeof usePaymentForm>[0],
  apiBase = () => API,
  extra: { timeout?: number } = {},
) {
  const hook = renderHook(() => usePaymentForm(props), {
    wrapper: ({ children }: { children: ReactNode }) => (
      <TillkitProvider apiBase={apiBase()} stripe={fake.stripe} {...extra}>
        {children}
      </TillkitProvider>
    ),
  });
  await attachReady(hook.result);
  return hook;
}

const ITEMS = [{ price: 'price_tshirt', quantity: 1 }];
const LOST = {
  error: {
    type: 'api_connection_error',
    message: 'An error occurred with our connection to Stripe.',
  },
};

describe('a payment whose answer was lost', () => {
  it('reads the intent after a connection error and reports the payment that went through', async () => {
    fake.confirmResults = [LOST];
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const onSuccess = vi.fn();
    const { result } = await readyForm({ items: ITEMS, onSuccess });
    await act(() => result.current.submit());
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledWith('pi_fake_secret_x');
    expect(result.current.status).toBe('succeeded');
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  });

  it('reads the intent when confirming throws', async () => {
    fake.calls.confirmPayment.mockRejectedValueOnce(new Error('confirm failed'));
    fake.retrieveResults = [{ paymentIntent: intent('processing') }];
    const { result } = await readyForm({ items: ITEMS });
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
  });

  it.each(['succeeded', 'processing', 'requires_capture'])(
    'counts a %s intent Stripe.js attaches to …_unexpected_state on the next try as the outcome',
    async (status) => {
      // Paid at Stripe, but the answer was lost and the intent could not be read either.
      fake.confirmResults = [
        LOST,
        {
          error: {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message:
              'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
            payment_intent: intent(status),
          },
        },
      ];
      fake.retrieveResults = [LOST];
      const onSuccess = vi.fn();
      const onError = vi.fn();
      const { result } = await readyForm({ items: ITEMS, onSuccess, onError });
      await act(() => result.current.submit());
      expect(result.current.state).toMatchObject({
        status: 'failed',
        retryable: true,
        error: {
          type: 'api_connection_error',
          message: 'Could not reach the payment server. Check your connection and try again.',
        },
      });
      await act(() => result.current.submit());
      expect(result.current.state).toMatchObject({
        status: 'succeeded',
        paymentIntent: { status },
      });
      expect(onSuccess).toHaveBeenCalledOnce();
      expect(onError).toHaveBeenCalledOnce();
    },
  );

  it('still fails for an intent canceled meanwhile', async () => {
    fake.confirmResults = [
      {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          message: 'You cannot confirm this PaymentIntent because it has a status of canceled.',
          payment_intent: intent('canceled'),
        },
      },
    ];
    const { result } = await readyForm({ items: ITEMS });
    await act(() => result.current.submit());
    expect(result.current.state).toMatchObject({
      status: 'failed',
      error: {
        code: 'payment_intent_unexpected_state',
        message: 'Something went wrong. Please try again.',
      },
    });
  });
});

describe("Stripe's messages", () => {
  it("keeps a developer's message from the customer, and the error for the host", async () => {
    const stripeError = {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: "No such payment_intent: 'pi_fake'",
    };
    fake.confirmResults = [{ error: stripeError }];
    const { result } = await readyForm({ items: ITEMS });
    await act(() => result.current.submit());
    expect(result.current.error).toEqual({
      type: 'invalid_request_error',
      code: 'resource_missing',
      declineCode: undefined,
      message: 'Something went wrong. Please try again.',
      cause: stripeError,
    });
  });

  it('moves focus to the error region for a submit error the element does not show', async () => {
    fake.calls.submit.mockResolvedValueOnce({
      error: { type: 'invalid_request_error', message: 'elements.submit(): the mode is invalid.' },
    });
    render(<PaymentForm items={ITEMS} />, { wrapper: provider() });
    const pay = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(pay).toBeEnabled());
    await userEvent.click(pay);
    const alert = screen.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent('Something went wrong. Please try again.'));
    await waitFor(() => expect(alert).toHaveFocus());
  });
});

/** What the provider's Stripe.js is doing. */
function StripeStatus() {
  return <p>Stripe.js {useTillkitContext('StripeStatus').stripe.status}</p>;
}

describe('a reload while a payment is on its way (the tab keeps its intent)', () => {
  const DECLINED = {
    error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
  };

  /** The page: a provider (in StrictMode: effects run twice) and the form for `quantity` shirts. */
  function page(quantity: number, onSuccess = vi.fn(), apiBase = API) {
    const view = render(
      <StrictMode>
        <TillkitProvider apiBase={apiBase} stripe={fake.stripe}>
          <PaymentForm items={[{ price: 'price_tshirt', quantity }]} onSuccess={onSuccess} />
        </TillkitProvider>
      </StrictMode>,
    );
    return { ...view, onSuccess };
  }

  async function pay(amount: string) {
    const button = await screen.findByRole('button', { name: `Pay ${amount}` });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
  }

  /** One shirt, declined; then the page goes (reloaded), the tab's storage stays. */
  async function declinedThenReloaded() {
    fake.confirmResults = [DECLINED, { paymentIntent: intent('succeeded') }];
    const view = page(1);
    await pay('$25.00');
    await screen.findByText('Your card was declined.');
    view.unmount();
  }

  /** One shirt, paid, but the page goes before Stripe.js answers the confirmation. */
  async function reloadedWhileConfirming() {
    fake.calls.confirmPayment.mockImplementationOnce(() => new Promise(() => {}));
    const view = page(1);
    await pay('$25.00');
    await waitFor(() => expect(fake.calls.confirmPayment).toHaveBeenCalledOnce());
    view.unmount();
  }

  const writes = () =>
    fetcher.requests
      .filter((request) => request.method !== 'GET')
      .map((request) => [request.method, request.body]);
  const ONE = { items: [{ price: 'price_tshirt', quantity: 1 }] };
  const TWO = { items: [{ price: 'price_tshirt', quantity: 2 }] };

  /** Pays `amount` on a new intent for `cart`, made beside the kept one (never confirmed again). */
  async function paysAnew(amount: string, cart: typeof ONE) {
    await pay(amount);
    await screen.findByText('Payment successful. Thank you!');
    expect(writes()).toEqual([
      ['POST', ONE],
      ['POST', cart],
    ]);
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_2']);
  }

  beforeEach(() => {
    fetcher = serverMakingIntents();
    vi.stubGlobal('fetch', fetcher);
  });
  afterEach(() => vi.restoreAllMocks());

  it('confirms the intent of the declined try after a reload: no second intent', async () => {
    // The server answers a PATCH with the intent it was sent, re-priced.
    fetcher = serverMakingIntents({
      'PATCH /payment-intents/pi_fake': (body) => ({
        ...ROUTES['PATCH /payment-intents/pi_fake'](),
        clientSecret: (body as { clientSecret: string }).clientSecret,
        amount: 2500,
      }),
    });
    vi.stubGlobal('fetch', fetcher);
    await declinedThenReloaded();
    fake.retrieveResults = [
      { paymentIntent: intent('requires_payment_method', { client_secret: 'pi_fake_secret_1' }) },
    ];
    const again = page(1);
    await pay('$25.00');
    await screen.findByText('Payment successful. Thank you!');
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledWith('pi_fake_secret_1');
    // Sent again, the same cart: the server checks the intent is still the caller's (whoever
    // signed in or out before the reload).
    expect(writes()).toEqual([
      ['POST', ONE],
      ['PATCH', { ...ONE, clientSecret: 'pi_fake_secret_1' }],
    ]);
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_1']);
    expect(again.onSuccess).toHaveBeenCalledOnce();
    // Paid: the tab keeps nothing, so the next page pays anew and reads no intent.
    again.unmount();
    const reads = fake.calls.retrievePaymentIntent.mock.calls.length;
    page(1);
    await screen.findByRole('button', { name: 'Pay $25.00' });
    expect(screen.queryByText('Payment successful. Thank you!')).toBeNull();
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(reads);
  });

  it.each([['requires_action'], ['requires_confirmation']])(
    'reuses a %s intent after a reload, re-priced for the cart of now',
    async (status) => {
      await declinedThenReloaded();
      fake.retrieveResults = [{ paymentIntent: intent(status) }];
      page(2);
      await pay('$50.00');
      await screen.findByText('Payment successful. Thank you!');
      expect(writes()).toEqual([
        ['POST', ONE],
        ['PATCH', { ...TWO, clientSecret: 'pi_fake_secret_1' }],
      ]);
      expect(fake.calls.confirmPayment).toHaveBeenCalledTimes(2);
    },
  );

  it('waits to pay until the kept intent is read', async () => {
    await declinedThenReloaded();
    let answer: (value: unknown) => void = () => {};
    fake.calls.retrievePaymentIntent.mockImplementation(
      () => new Promise((resolve) => (answer = resolve)),
    );
    const { container } = page(1);
    const button = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() =>
      expect(container.querySelector('[data-slot="payment-form"]')).toHaveAttribute(
        'data-state',
        'ready',
      ),
    );
    expect(button).toBeDisabled();
    await act(async () =>
      answer({ paymentIntent: intent('requires_payment_method', { client_secret: 'x' }) }),
    );
    await waitFor(() => expect(button).toBeEnabled());
  });

  it.each(['succeeded', 'processing', 'requires_capture'])(
    'shows a payment that went through (%s) before the reload, and tells onSuccess once',
    async (status) => {
      await reloadedWhileConfirming();
      fake.retrieveResults = [{ paymentIntent: intent(status) }];
      const again = page(1);
      await screen.findByText('Payment successful. Thank you!');
      expect(screen.queryByRole('button', { name: /Pay/ })).toBeNull();
      expect(again.onSuccess).toHaveBeenCalledOnce();
      expect(again.onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status }));
      expect(writes()).toEqual([['POST', ONE]]);
      // Shown once: the next page of the tab pays anew.
      again.unmount();
      const next = page(1);
      await screen.findByRole('button', { name: 'Pay $25.00' });
      expect(next.onSuccess).not.toHaveBeenCalled();
    },
  );

  it('tells onSuccess once from a form mounted under a ready provider (StrictMode runs its effects twice)', async () => {
    await reloadedWhileConfirming();
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const onSuccess = vi.fn();
    // A checkout page reached inside the app: Stripe.js is there when the form mounts.
    const app = (form: boolean) => (
      <StrictMode>
        <TillkitProvider apiBase={API} stripe={fake.stripe}>
          <StripeStatus />
          {form ? <PaymentForm items={ONE.items} onSuccess={onSuccess} /> : null}
        </TillkitProvider>
      </StrictMode>
    );
    const view = render(app(false));
    await screen.findByText('Stripe.js ready');
    view.rerender(app(true));
    await screen.findByText('Payment successful. Thank you!');
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2);
    expect(onSuccess).toHaveBeenCalledOnce();
  });

  it('shows a kept payment only soon after it was kept: a later purchase of the same cart is paid anew', async () => {
    await reloadedWhileConfirming();
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    // The cart emptied and the same shirt chosen again 31 minutes on, with no return page between.
    const later = Date.now() + 31 * 60_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    const again = page(1);
    // Paid with the card typed now, on a new intent: the kept one was not taken as this payment.
    await paysAnew('$25.00', ONE);
    expect(again.onSuccess).toHaveBeenCalledOnce();
  });

  it('never shows a kept payment to another caller in the tab: theirs is a new payment', async () => {
    await reloadedWhileConfirming();
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const onSuccess = vi.fn();
    render(
      <TillkitProvider apiBase={API} stripe={fake.stripe} getAuthToken={() => 'tok_bob'}>
        <PaymentForm items={ONE.items} onSuccess={onSuccess} />
      </TillkitProvider>,
    );
    await pay('$25.00');
    await screen.findByText('Payment successful. Thank you!');
    expect(writes().filter(([, body]) => body && 'items' in (body as object))).toEqual([
      ['POST', ONE],
      ['POST', ONE],
    ]);
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_2']);
    expect(onSuccess).toHaveBeenCalledOnce();
  });

  it('forgets the kept intent once the return page shows it went through', async () => {
    await reloadedWhileConfirming();
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const status = render(
      <TillkitProvider apiBase={API} stripe={fake.stripe}>
        <PaymentStatus clientSecret="pi_fake_secret_1" />
      </TillkitProvider>,
    );
    await screen.findByText(/Payment successful|succeeded/i);
    status.unmount();
    const reads = fake.calls.retrievePaymentIntent.mock.calls.length;
    // Back to the shop, the same shirt: a new purchase, the kept one not read again.
    const again = page(1);
    await pay('$25.00');
    await screen.findByText('Payment successful. Thank you!');
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(reads);
    expect(writes()).toEqual([
      ['POST', ONE],
      ['POST', ONE],
    ]);
    expect(again.onSuccess).toHaveBeenCalledOnce();
  });

  it.each([
    [
      'succeeded',
      'shows it as paid, with no new intent',
      [
        ['POST', ONE],
        ['PATCH', { ...ONE, clientSecret: 'pi_fake_secret_1' }],
      ],
    ],
    [
      'canceled',
      'makes a new intent',
      [
        ['POST', ONE],
        ['PATCH', { ...ONE, clientSecret: 'pi_fake_secret_1' }],
        ['POST', ONE],
      ],
    ],
  ])(
    'when the kept intent was %s in a duplicated tab meanwhile (PATCH 409 invalid_state), %s',
    async (status, _what, expected) => {
      fetcher = serverMakingIntents({
        'PATCH /payment-intents/pi_fake': () => errorAnswer(409, 'invalid_state'),
      });
      vi.stubGlobal('fetch', fetcher);
      await declinedThenReloaded();
      fake.retrieveResults = [
        { paymentIntent: intent('requires_payment_method') },
        { paymentIntent: intent(status) },
      ];
      const again = page(1);
      await pay('$25.00');
      await screen.findByText('Payment successful. Thank you!');
      expect(writes()).toEqual(expected);
      expect(again.onSuccess).toHaveBeenCalledOnce();
    },
  );

  it('never re-prices a paid intent for another cart: the other cart is paid anew', async () => {
    await reloadedWhileConfirming();
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    const again = page(2);
    await paysAnew('$50.00', TWO);
    // Told for the cart it paid, not for the one kept from before.
    expect(again.onSuccess).toHaveBeenCalledOnce();
  });

  it.each([
    ['canceled', () => ({ paymentIntent: intent('canceled') })],
    ['not found', () => ({ error: { type: 'invalid_request_error', code: 'resource_missing' } })],
    ['unreadable', () => Promise.reject(new Error('Invalid value for retrievePaymentIntent'))],
  ])('makes a new intent after a reload when the kept one is %s', async (_name, answer) => {
    await declinedThenReloaded();
    fake.calls.retrievePaymentIntent.mockImplementation(answer);
    page(1);
    await paysAnew('$25.00', ONE);
  });

  it('makes a new intent when the kept one is not the caller’s any more (PATCH 404)', async () => {
    fetcher = serverMakingIntents({
      'PATCH /payment-intents/pi_fake': () => errorAnswer(404, 'not_found'),
    });
    vi.stubGlobal('fetch', fetcher);
    await declinedThenReloaded();
    fake.retrieveResults = [{ paymentIntent: intent('requires_payment_method') }];
    page(2);
    await pay('$50.00');
    await screen.findByText('Payment successful. Thank you!');
    expect(writes()).toEqual([
      ['POST', ONE],
      ['PATCH', { ...TWO, clientSecret: 'pi_fake_secret_1' }],
      ['POST', TWO],
    ]);
    expect(confirmed()).toEqual(['pi_fake_secret_1', 'pi_fake_secret_2']);
  });

  it('keeps one server’s intent from a form of another server on the same origin', async () => {
    await declinedThenReloaded();
    page(1, vi.fn(), 'http://other-store.test/api');
    await pay('$25.00');
    await screen.findByText('Payment successful. Thank you!');
    expect(fake.calls.retrievePaymentIntent).not.toHaveBeenCalled();
    expect(writes()).toEqual([
      ['POST', ONE],
      ['POST', ONE],
    ]);
  });

  it.each([
    [
      'its calls throw (full, private mode)',
      () => {
        for (const name of ['getItem', 'setItem', 'removeItem'] as const) {
          vi.spyOn(Storage.prototype, name).mockImplementation(() => {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          });
        }
      },
    ],
    [
      'the storage itself throws (blocked)',
      () =>
        vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        }),
    ],
  ])('pays as before when the storage fails: %s', async (_name, breakStorage) => {
    breakStorage();
    fake.confirmResults = [DECLINED, { paymentIntent: intent('succeeded') }];
    const view = page(1);
    await pay('$25.00');
    await screen.findByText('Your card was declined.');
    // The next try in the page reuses the intent all the same.
    await pay('$25.00');
    await screen.findByText('Payment successful. Thank you!');
    expect(writes()).toEqual([['POST', ONE]]);
    expect(view.onSuccess).toHaveBeenCalledOnce();
    view.unmount();
    page(1);
    await pay('$25.00');
    expect(fake.calls.retrievePaymentIntent).not.toHaveBeenCalled();
  });

  it.each(['{"clientSecret":', '42', '{"clientSecret":7}'])(
    'makes a new intent when what the tab kept is not an entry (%s)',
    async (junk) => {
      await declinedThenReloaded();
      sessionStorage.setItem(sessionStorage.key(0) as string, junk);
      page(1);
      await pay('$25.00');
      await screen.findByText('Payment successful. Thank you!');
      expect(fake.calls.retrievePaymentIntent).not.toHaveBeenCalled();
      expect(writes()).toEqual([
        ['POST', ONE],
        ['POST', ONE],
      ]);
    },
  );
});

describe('another server', () => {
  it('confirms an intent of the new server after the provider moves (apiBase)', async () => {
    fake.confirmResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { paymentIntent: intent('succeeded') },
    ];
    let created = 0;
    fetcher = fakeServerFetch({
      'GET /prices': () => CATALOG,
      'POST /payment-intents': () => {
        created += 1;
        return {
          id: `pi_${created}`,
          clientSecret: `pi_${created}_secret_x`,
          amount: 2500,
          currency: 'usd',
          status: 'requires_payment_method',
        };
      },
    });
    vi.stubGlobal('fetch', fetcher);
    let apiBase = API;
    const { result, rerender } = await readyForm({ items: ITEMS }, () => apiBase);
    await act(() => result.current.submit());
    expect(result.current.error?.code).toBe('card_declined');

    apiBase = 'http://other.test/api';
    rerender();
    await waitFor(() =>
      expect(fetcher.requests.map((request) => request.url)).toContain(
        'http://other.test/api/prices',
      ),
    );
    // The card fields are built again for the new server; the form takes a submit once they are
    // ready (until then its button is disabled, and a submit does nothing).
    await waitFor(() => expect(fake.calls.elements).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(result.current.canSubmit).toBe(true));
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    const posts = fetcher.requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.url)).toEqual([
      `${API}/payment-intents`,
      'http://other.test/api/payment-intents',
    ]);
    expect(posts[1]?.headers.get('idempotency-key')).not.toBe(
      posts[0]?.headers.get('idempotency-key'),
    );
    expect(fake.calls.confirmPayment).toHaveBeenLastCalledWith(
      expect.objectContaining({ clientSecret: 'pi_2_secret_x' }),
    );
  });
});

describe('a signed-in caller’s saved cards (Customer Session)', () => {
  const ITEMS_ONE = [{ price: 'price_tshirt', quantity: 1 }];
  /** A session as the server answers it: Stripe expires it 30 minutes after it is made. */
  const session = (clientSecret: string, expiresIn = 30 * 60_000) => ({
    clientSecret,
    expiresAt: new Date(Date.now() + expiresIn).toISOString(),
  });
  const SESSION = session('cuss_secret_fake');
  const signedIn =
    (getAuthToken: () => string | null | Promise<string | null> = () => 'tok_ada') =>
    ({ children }: { children: ReactNode }) => (
      <TillkitProvider apiBase={API} stripe={fake.stripe} getAuthToken={getAuthToken}>
        {children}
      </TillkitProvider>
    );
  /** The server with `POST /customer-sessions` answering `session`. */
  function serve(session: (body: unknown) => unknown) {
    fetcher = fakeServerFetch({
      'GET /prices': () => CATALOG,
      'POST /customer-sessions': session,
      'POST /payment-intents': () => ({
        id: 'pi_fake',
        clientSecret: 'pi_fake_secret_x',
        amount: 2500,
        currency: 'usd',
        status: 'requires_payment_method',
      }),
    });
    vi.stubGlobal('fetch', fetcher);
  }
  const sessionReads = () =>
    fetcher.requests.filter((request) => request.url === `${API}/customer-sessions`);
  function mount(
    wrapper: ReturnType<typeof signedIn>,
    items: { price: string; quantity: number }[] = ITEMS_ONE,
  ) {
    const view = renderHook((props: { items: typeof items }) => usePaymentForm(props), {
      wrapper,
      initialProps: { items },
    });
    attachElement(view.result);
    return view;
  }
  /** Pays, to show the form works whatever the session read did. */
  async function pays(result: { current: ReturnType<typeof usePaymentForm> }) {
    await act(() => result.current.submit());
    expect(result.current.status).toBe('succeeded');
    expect(fake.calls.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({ clientSecret: 'pi_fake_secret_x' }),
    );
  }

  it('reads a session with the token and makes the element with it, only once it answered', async () => {
    let answer: (value: unknown) => void = () => {};
    serve(() => new Promise((resolve) => (answer = resolve)));
    const { result, rerender } = mount(signedIn());
    await waitFor(() => expect(sessionReads()).toHaveLength(1));
    expect(sessionReads()[0]?.headers.get('authorization')).toBe('Bearer tok_ada');
    expect(sessionReads()[0]?.body).toEqual({});
    // The prices are there, the session is not: no element yet (the group is made with it).
    await waitFor(() => expect(fetcher.requests.map((request) => request.method)).toContain('GET'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.calls.elements).not.toHaveBeenCalled();
    expect(result.current.status).toBe('loading');

    await act(async () => answer(SESSION));
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(fake.calls.elements).toHaveBeenCalledOnce();
    expect(fake.calls.elements).toHaveBeenCalledWith({
      mode: 'payment',
      amount: 2500,
      currency: 'usd',
      customerSessionClientSecret: 'cuss_secret_fake',
    });
    // Another cart updates the group, without the session's secret, and reads nothing again.
    rerender({ items: [{ price: 'price_tshirt', quantity: 2 }] });
    await waitFor(() =>
      expect(fake.calls.update).toHaveBeenLastCalledWith({
        mode: 'payment',
        amount: 5000,
        currency: 'usd',
      }),
    );
    expect(sessionReads()).toHaveLength(1);
    await pays(result);
  });

  it('makes no session for an empty cart, and reads one once the cart has items', async () => {
    serve(() => SESSION);
    const { result, rerender } = mount(signedIn(), []);
    await waitFor(() => expect(result.current.status).toBe('idle'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // An always-mounted cart drawer makes no Customer Session at Stripe on every page.
    expect(sessionReads()).toEqual([]);
    rerender({ items: ITEMS_ONE });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(sessionReads()).toHaveLength(1);
    expect(fake.calls.elements).toHaveBeenCalledWith(
      expect.objectContaining({ customerSessionClientSecret: 'cuss_secret_fake' }),
    );
  });

  it('asks nothing for a guest: the element’s options are as before', async () => {
    serve(() => SESSION);
    for (const wrapper of [provider(), signedIn(() => null)]) {
      fake.calls.elements.mockClear();
      const { result, unmount } = mount(wrapper);
      await waitFor(() => expect(result.current.status).toBe('ready'));
      expect(fake.calls.elements).toHaveBeenCalledWith({
        mode: 'payment',
        amount: 2500,
        currency: 'usd',
      });
      unmount();
    }
    expect(sessionReads()).toEqual([]);
  });

  it.each([
    ['no customer yet (null)', () => ({ clientSecret: null })],
    ['a 401', () => errorAnswer(401, 'unauthenticated')],
    ['a server error', () => errorAnswer(502, 'stripe_error')],
    [
      'a lost connection',
      () => {
        throw new TypeError('Failed to fetch');
      },
    ],
  ])('shows no saved cards and no error after %s, and the form pays', async (_, session) => {
    serve(session);
    const { result } = mount(signedIn());
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(sessionReads()).toHaveLength(1);
    expect(result.current.error).toBeNull();
    expect(fake.calls.elements).toHaveBeenCalledWith({
      mode: 'payment',
      amount: 2500,
      currency: 'usd',
    });
    await pays(result);
  });

  it('waits 3 s at most for the session, then shows the form without saved cards', async () => {
    serve(() => SESSION);
    const answers = fetcher;
    // The session's request hangs until it is aborted, as fetch does.
    vi.stubGlobal(
      'fetch',
      Object.assign(
        (input: RequestInfo | URL, init?: RequestInit) =>
          String(input).endsWith('/customer-sessions')
            ? new Promise((_, reject) => {
                answers(input, init);
                init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
              })
            : answers(input, init),
        { requests: answers.requests },
      ),
    );
    const started = Date.now();
    const { result } = mount(signedIn());
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 5000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(result.current.error).toBeNull();
    expect(fake.calls.elements).toHaveBeenCalledWith({
      mode: 'payment',
      amount: 2500,
      currency: 'usd',
    });
  });

  describe('renewed before it expires', () => {
    const MINUTE = 60_000;
    let hidden = false;
    let reads = 0;
    /** Sessions `cuss_secret_1`, `_2`, …, each expiring `expiresIn` after it is read; `fail` refuses. */
    function serveSessions({
      expiresIn = 30 * MINUTE,
      fail = (_read: number): boolean => false,
      noCustomer = false,
    } = {}) {
      reads = 0;
      serve(() => {
        reads += 1;
        if (fail(reads)) return errorAnswer(502, 'stripe_error');
        if (noCustomer) return { clientSecret: null, expiresAt: null };
        return session(`cuss_secret_${reads}`, expiresIn);
      });
    }
    /** The secrets handed to the group after it was made. */
    const renewals = () =>
      fake.calls.update.mock.calls
        .map(
          ([options]) =>
            (options as { customerSessionClientSecret?: string }).customerSessionClientSecret,
        )
        .filter(Boolean);
    const later = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

    beforeEach(() => {
      hidden = false;
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      // setTimeout and the clock only, moving with real time too (Testing Library waits with them).
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    });
    afterEach(() => {
      vi.useRealTimers();
      Reflect.deleteProperty(document, 'hidden');
    });

    /** The form, once ready. */
    async function mountForm() {
      const view = mount(signedIn());
      await waitFor(() => expect(view.result.current.status).toBe('ready'));
      return view;
    }
    /** The form, once ready with the first session. */
    async function mountWithSession() {
      const view = await mountForm();
      expect(fake.calls.elements).toHaveBeenCalledWith(
        expect.objectContaining({ customerSessionClientSecret: 'cuss_secret_1' }),
      );
      return view;
    }

    it('reads a fresh one a minute before Stripe expires it and hands it to the element, again and again', async () => {
      serveSessions();
      const { result } = await mountWithSession();
      await later(28 * MINUTE);
      expect(reads).toBe(1);
      expect(renewals()).toEqual([]);
      await later(1 * MINUTE + 1000);
      expect(reads).toBe(2);
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_2']));
      await later(29 * MINUTE + 1000);
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_2', 'cuss_secret_3']));
      // The same element all along: the customer's typing is kept.
      expect(fake.calls.elements).toHaveBeenCalledOnce();
      expect(result.current.status).toBe('ready');
      await act(() => result.current.submit());
      expect(result.current.status).toBe('succeeded');
    });

    it('waits for the page to be looked at before it reads one', async () => {
      serveSessions();
      await mountWithSession();
      hidden = true;
      await later(120 * MINUTE);
      expect(reads).toBe(1);
      hidden = false;
      act(() => {
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_2']));
      expect(reads).toBe(2);
    });

    it('shows no error when a renewal fails, and tries again 5 minutes later', async () => {
      serveSessions({ fail: (read) => read === 2 });
      const { result } = await mountWithSession();
      await later(29 * MINUTE + 1000);
      await waitFor(() => expect(reads).toBe(2));
      expect(result.current.status).toBe('ready');
      expect(result.current.error).toBeNull();
      await later(4 * MINUTE);
      expect(reads).toBe(2);
      expect(renewals()).toEqual([]);
      await later(1 * MINUTE);
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_3']));
    });

    it('lists the cards once a first read that failed succeeds, 5 minutes later', async () => {
      serveSessions({ fail: (read) => read === 1 });
      await mountForm();
      expect(fake.calls.elements).toHaveBeenCalledWith({
        mode: 'payment',
        amount: 2500,
        currency: 'usd',
      });
      await later(5 * MINUTE + 1000);
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_2']));
      expect(fake.calls.elements).toHaveBeenCalledOnce();
    });

    it('reads no more for a caller with no customer', async () => {
      serveSessions({ noCustomer: true });
      await mountForm();
      await later(120 * MINUTE);
      expect(reads).toBe(1);
    });

    it('never renews more often than every 5 minutes, whatever the device’s clock says', async () => {
      // The device's clock an hour ahead of Stripe's: every session looks expired already.
      serveSessions({ expiresIn: -60 * MINUTE });
      await mountWithSession();
      await later(4 * MINUTE);
      expect(reads).toBe(1);
      await later(1 * MINUTE + 1000);
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_2']));
    });

    it('renews within 29 minutes when the device’s clock is behind', async () => {
      // The device's clock two hours behind: the session looks good for another two and a half.
      serveSessions({ expiresIn: 150 * MINUTE });
      await mountWithSession();
      await later(28 * MINUTE);
      expect(reads).toBe(1);
      await later(1 * MINUTE + 1000);
      await waitFor(() => expect(renewals()).toEqual(['cuss_secret_2']));
    });

    it('reads none once the form is gone', async () => {
      serveSessions();
      const { unmount } = await mountWithSession();
      unmount();
      await later(120 * MINUTE);
      expect(reads).toBe(1);
    });
  });
});

describe('unmounted mid-payment', () => {
  it('confirms nothing and calls no one back once the form is gone', async () => {
    let answer: (value: unknown) => void = () => {};
    fetcher = fakeServerFetch({
      'GET /prices': () => CATALOG,
      'POST /payment-intents': () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    vi.stubGlobal('fetch', fetcher);
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const { result, unmount } = await readyForm({ items: ITEMS, onSuccess, onError });
    let submitting: Promise<void> = Promise.resolve();
    act(() => {
      submitting = result.current.submit();
    });
    await waitFor(() =>
      expect(fetcher.requests.some((request) => request.method === 'POST')).toBe(true),
    );
    unmount();
    answer({
      id: 'pi_fake',
      clientSecret: 'pi_fake_secret_x',
      amount: 2500,
      currency: 'usd',
      status: 'requires_payment_method',
    });
    await submitting;
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
    expect(onSuccess).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('still reports a payment that went through while the form was gone (3D Secure under way)', async () => {
    let settle: (value: unknown) => void = () => {};
    fake.calls.confirmPayment.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          settle = resolve;
        }),
    );
    const onSuccess = vi.fn();
    const onError = vi.fn();
    const { result, unmount } = await readyForm({ items: ITEMS, onSuccess, onError });
    let submitting: Promise<void> = Promise.resolve();
    act(() => {
      submitting = result.current.submit();
    });
    await waitFor(() => expect(fake.calls.confirmPayment).toHaveBeenCalledOnce());
    unmount();
    settle({ paymentIntent: intent('succeeded') });
    await submitting;
    // The money moved: the host hears of it (to record the order), though nothing is shown.
    expect(onSuccess).toHaveBeenCalledOnce();
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('after a load failure', () => {
  it('offers Try again when the prices could not be read, and reads them again', async () => {
    let failures = 1;
    fetcher = fakeServerFetch({
      'GET /prices': () => (failures-- > 0 ? errorAnswer(500, 'internal_error') : CATALOG),
    });
    vi.stubGlobal('fetch', fetcher);
    const { container } = render(<PaymentForm items={ITEMS} />, { wrapper: provider() });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'This could not be loaded. Check your connection and try again.',
      ),
    );
    expect(await axeViolations(container)).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    const pay = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(pay).toBeEnabled());
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(fetcher.requests.filter((request) => request.url.endsWith('/prices'))).toHaveLength(2);
  });

  it('builds the card fields again after they failed to load', async () => {
    fake.loadErrors = [{ type: 'api_connection_error', message: 'Failed to load.' }];
    render(<PaymentForm items={ITEMS} />, { wrapper: provider() });
    await userEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    const pay = await screen.findByRole('button', { name: 'Pay $25.00' });
    await waitFor(() => expect(pay).toBeEnabled());
    expect(fake.calls.elements).toHaveBeenCalledTimes(2);
  });

  it('reloads the page when Stripe.js itself did not load', async () => {
    const reload = vi.fn();
    vi.stubGlobal('location', { ...window.location, reload });
    const failed = Promise.reject(new Error('Stripe.js did not load'));
    failed.catch(() => {});
    render(
      <TillkitProvider apiBase={API} stripe={failed}>
        <PaymentForm items={ITEMS} />
      </TillkitProvider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(reload).toHaveBeenCalledOnce();
  });

  it('offers no Try again for a price that is not for sale', async () => {
    render(<PaymentForm items={[{ price: 'price_gone', quantity: 1 }]} />, {
      wrapper: provider(),
    });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'An item in your cart is no longer available.',
      ),
    );
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
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
