/**
 * The subscribe form's flow with a scripted Stripe.js (jsdom, React 18 and 19): the group's mode
 * from the price, each kind of secret the server may answer, an unknown price. The real Payment
 * Element is in subscribe-form.browser.test.tsx.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  BILLING_CATALOG,
  createFakeStripe,
  errorAnswer,
  type FakeStripe,
  fakeServerFetch,
  intent,
} from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SubscribeForm } from './subscribe-form.js';

let fake: FakeStripe;
let created: unknown;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  fake = createFakeStripe();
  created = {
    id: 'sub_1',
    status: 'incomplete',
    clientSecret: 'pi_fake_secret_x',
    clientSecretType: 'payment',
  };
  fetcher = fakeServerFetch({
    'GET /prices': () => BILLING_CATALOG,
    'POST /subscriptions': () => created,
  });
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

const wrapper =
  (extra: { messages?: typeof de; locale?: string } = {}) =>
  ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase="http://tillkit.test/api" stripe={fake.stripe} {...extra}>
      {children}
    </TillkitProvider>
  );

async function button(name: string) {
  const found = await screen.findByRole('button', { name });
  await waitFor(() => expect(found).toBeEnabled());
  return found;
}

const posts = () => fetcher.requests.filter((request) => request.method === 'POST');

describe('SubscribeForm', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(<SubscribeForm price="price_starter_month" />, {
      wrapper: wrapper(),
    });
    await button('Subscribe');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('renders from the price in subscription mode, then confirms the first payment', async () => {
    const onSuccess = vi.fn();
    render(<SubscribeForm price="price_starter_month" quantity={2} onSuccess={onSuccess} />, {
      wrapper: wrapper(),
    });
    const subscribe = await button('Subscribe');
    expect(fake.calls.elements).toHaveBeenCalledWith({
      mode: 'subscription',
      amount: 1800,
      currency: 'usd',
    });
    expect(screen.getByText('Starter · $9.00 / month')).toBeVisible();
    expect(posts()).toEqual([]);
    await userEvent.click(subscribe);
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    expect(posts()[0]?.body).toEqual({ price: 'price_starter_month', quantity: 2 });
    expect(fake.calls.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({ clientSecret: 'pi_fake_secret_x', redirect: 'if_required' }),
    );
    expect(fake.calls.confirmPayment.mock.calls[0]?.[0].confirmParams).not.toHaveProperty(
      'payment_method_data',
    );
    expect(onSuccess).toHaveBeenCalledWith(created);
  });

  it("confirms a trial's SetupIntent from a setup-mode group", async () => {
    created = {
      id: 'sub_2',
      status: 'trialing',
      clientSecret: 'seti_x_secret_y',
      clientSecretType: 'setup',
    };
    render(<SubscribeForm price="price_pro_month" />, { wrapper: wrapper() });
    const start = await button('Start free trial');
    expect(fake.calls.elements).toHaveBeenCalledWith({ mode: 'setup', currency: 'usd' });
    expect(screen.getByText('Pro · $29.00 / month · 14-day free trial')).toBeVisible();
    await userEvent.click(start);
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    expect(fake.calls.confirmSetup).toHaveBeenCalledWith(
      expect.objectContaining({ clientSecret: 'seti_x_secret_y' }),
    );
    // A card saved for a subscription is left as Stripe marks it (not offered at checkout).
    expect(fake.calls.confirmSetup.mock.calls[0]?.[0].confirmParams).not.toHaveProperty(
      'payment_method_data',
    );
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
    expect(fake.calls.update).not.toHaveBeenCalledWith(
      expect.objectContaining({ mode: 'subscription' }),
    );
  });

  it('follows the server when it gives a trial the price did not show', async () => {
    created = {
      id: 'sub_3',
      status: 'trialing',
      clientSecret: 'seti_x_secret_y',
      clientSecretType: 'setup',
    };
    render(<SubscribeForm price="price_starter_month" />, { wrapper: wrapper() });
    await userEvent.click(await button('Subscribe'));
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    expect(fake.calls.update).toHaveBeenCalledWith({ mode: 'setup' });
    expect(fake.calls.confirmSetup).toHaveBeenCalled();
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
  });

  it('charges nothing on "Start free trial" when the server gives no trial (had it before), shows the price, then pays', async () => {
    created = {
      id: 'sub_3',
      status: 'incomplete',
      clientSecret: 'pi_fake_secret_x',
      clientSecretType: 'payment',
    };
    const onSuccess = vi.fn();
    render(<SubscribeForm price="price_pro_month" onSuccess={onSuccess} />, {
      wrapper: wrapper(),
    });
    await userEvent.click(await button('Start free trial'));
    const alert = await screen.findByRole('alert');
    await waitFor(() =>
      expect(alert).toHaveTextContent(
        'You have had a free trial of this plan before, so it starts today at the price shown.',
      ),
    );
    expect(alert).toHaveFocus();
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
    expect(fake.calls.confirmSetup).not.toHaveBeenCalled();
    expect(onSuccess).not.toHaveBeenCalled();
    // The form now shows what is due today, and its group is a payment one for that amount.
    expect(screen.getByText('Pro · $29.00 / month')).toBeVisible();
    expect(fake.calls.update).toHaveBeenLastCalledWith(
      expect.objectContaining({ mode: 'subscription', amount: 2900, currency: 'usd' }),
    );
    await userEvent.click(await button('Subscribe'));
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    expect(fake.calls.confirmPayment).toHaveBeenCalledOnce();
    expect(fake.calls.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({ clientSecret: 'pi_fake_secret_x' }),
    );
    // The subscription the first press made is the one paid: no second POST.
    expect(posts()).toHaveLength(1);
    expect(onSuccess).toHaveBeenCalledWith(created);
  });

  it('says so in German too when the trial was had before', async () => {
    render(<SubscribeForm price="price_pro_month" />, {
      wrapper: wrapper({ messages: de, locale: 'de-DE' }),
    });
    await userEvent.click(await button('Kostenlos testen'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Sie haben diesen Tarif schon einmal kostenlos getestet',
    );
  });

  it('is done without confirming when nothing is due and no card is needed', async () => {
    created = { id: 'sub_4', status: 'trialing', clientSecret: null, clientSecretType: null };
    render(<SubscribeForm price="price_pro_month" />, { wrapper: wrapper() });
    await userEvent.click(await button('Start free trial'));
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    expect(fake.calls.confirmSetup).not.toHaveBeenCalled();
    expect(fake.calls.confirmPayment).not.toHaveBeenCalled();
  });

  it('fails without retry for a price that is not a plan on sale', async () => {
    const { container } = render(<SubscribeForm price="price_tshirt" />, { wrapper: wrapper() });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'An item in your cart is no longer available.',
      ),
    );
    expect(container.querySelector('form')).toHaveAttribute('data-state', 'failed');
    expect(screen.getByRole('button', { name: 'Subscribe' })).toBeDisabled();
  });

  it('says the customer already has the plan when the server refuses (already_subscribed), in English and German', async () => {
    fetcher = fakeServerFetch({
      'GET /prices': () => BILLING_CATALOG,
      'POST /subscriptions': () =>
        Response.json(
          {
            error: {
              code: 'already_subscribed',
              message:
                'You already have a subscription to this product (sub_1, trialing); change its plan with POST /subscriptions/sub_1/change instead.',
              param: 'price',
              requestId: 'req_1',
            },
          },
          { status: 409 },
        ),
    });
    vi.stubGlobal('fetch', fetcher);
    const onError = vi.fn();
    const { unmount } = render(<SubscribeForm price="price_pro_month" onError={onError} />, {
      wrapper: wrapper(),
    });
    await userEvent.click(await button('Start free trial'));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'You already have a subscription. Change or manage it from your subscriptions.',
      ),
    );
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'api_error', code: 'already_subscribed' }),
    );
    expect(fake.calls.confirmSetup).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Start free trial' })).toBeEnabled();
    unmount();

    render(<SubscribeForm price="price_pro_month" />, {
      wrapper: wrapper({ messages: de, locale: 'de-DE' }),
    });
    await userEvent.click(await button('Kostenlos testen'));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Sie haben bereits ein Abonnement. Ändern oder verwalten Sie es unter Ihren Abonnements.',
      ),
    );
  });

  it('asks again with a new idempotency key when the server says the request is stale', async () => {
    let answers = 0;
    fetcher = fakeServerFetch({
      'GET /prices': () => BILLING_CATALOG,
      'POST /subscriptions': () =>
        answers++
          ? created
          : Response.json(
              { error: { code: 'stale_request', message: 'Send it again with a new key.' } },
              { status: 409 },
            ),
    });
    vi.stubGlobal('fetch', fetcher);
    render(<SubscribeForm price="price_starter_month" />, { wrapper: wrapper() });
    await userEvent.click(await button('Subscribe'));
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    const keys = posts().map((request) => request.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('asks the server anew when its subscription was canceled meanwhile (another tab)', async () => {
    fake.confirmResults = [
      {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          message: 'You cannot confirm this PaymentIntent because it has a status of canceled.',
        },
      },
      { paymentIntent: intent('succeeded') },
    ];
    render(<SubscribeForm price="price_starter_month" />, { wrapper: wrapper() });
    await userEvent.click(await button('Subscribe'));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Something went wrong. Please try again.',
      ),
    );
    created = { ...(created as object), id: 'sub_2', clientSecret: 'pi_fake2_secret_y' };
    await userEvent.click(await button('Subscribe'));
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    const keys = posts().map((request) => request.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    expect(fake.calls.confirmPayment).toHaveBeenLastCalledWith(
      expect.objectContaining({ clientSecret: 'pi_fake2_secret_y' }),
    );
  });

  it('asks the new server after the provider moves (apiBase), with a new key', async () => {
    fake.confirmResults = [
      { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
      { paymentIntent: intent('succeeded') },
    ];
    let apiBase = 'http://tillkit.test/api';
    const { rerender } = render(<SubscribeForm price="price_starter_month" />, {
      wrapper: ({ children }: { children: ReactNode }) => (
        <TillkitProvider apiBase={apiBase} stripe={fake.stripe}>
          {children}
        </TillkitProvider>
      ),
    });
    await userEvent.click(await button('Subscribe'));
    expect(await screen.findByText('Your card was declined.')).toBeVisible();
    apiBase = 'http://other.test/api';
    created = { ...(created as object), id: 'sub_b', clientSecret: 'pi_b_secret_y' };
    rerender(<SubscribeForm price="price_starter_month" />);
    await userEvent.click(await button('Subscribe'));
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    expect(posts().map((request) => request.url)).toEqual([
      'http://tillkit.test/api/subscriptions',
      'http://other.test/api/subscriptions',
    ]);
    expect(posts()[1]?.headers.get('Idempotency-Key')).not.toBe(
      posts()[0]?.headers.get('Idempotency-Key'),
    );
    expect(fake.calls.confirmPayment).toHaveBeenLastCalledWith(
      expect.objectContaining({ clientSecret: 'pi_b_secret_y' }),
    );
  });

  it('offers Try again when the prices could not be read, and reads them again', async () => {
    let failures = 1;
    fetcher = fakeServerFetch({
      'GET /prices': () => (failures-- > 0 ? errorAnswer(500, 'internal_error') : BILLING_CATALOG),
      'POST /subscriptions': () => created,
    });
    vi.stubGlobal('fetch', fetcher);
    render(<SubscribeForm price="price_starter_month" />, { wrapper: wrapper() });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'This could not be loaded. Check your connection and try again.',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await button('Subscribe')).toBeVisible();
    expect(screen.getByText('Starter · $9.00 / month')).toBeVisible();
  });

  it('speaks German', async () => {
    render(<SubscribeForm price="price_starter_year" />, {
      wrapper: wrapper({ messages: de, locale: 'de-DE' }),
    });
    expect(await button('Abonnieren')).toBeVisible();
    expect(screen.getByText('Starter · 90,00 $ / Jahr')).toBeVisible();
  });
});

describe('a signed-in caller’s saved cards (Customer Session)', () => {
  const signedIn =
    (getAuthToken: () => string | null) =>
    ({ children }: { children: ReactNode }) => (
      <TillkitProvider
        apiBase="http://tillkit.test/api"
        stripe={fake.stripe}
        getAuthToken={getAuthToken}
      >
        {children}
      </TillkitProvider>
    );
  const sessionReads = () =>
    fetcher.requests.filter((request) => request.url.endsWith('/customer-sessions'));
  function serve(session: () => unknown) {
    fetcher = fakeServerFetch({
      'GET /prices': () => BILLING_CATALOG,
      'POST /customer-sessions': session,
      'POST /subscriptions': () => created,
    });
    vi.stubGlobal('fetch', fetcher);
  }

  it('makes the element with the session, for the first payment and for a trial, and pays', async () => {
    let answer: (value: unknown) => void = () => {};
    serve(() => new Promise((resolve) => (answer = resolve)));
    const { unmount } = render(<SubscribeForm price="price_starter_month" />, {
      wrapper: signedIn(() => 'tok_ada'),
    });
    // The prices are read, the session is not answered: no element yet.
    await waitFor(() => expect(sessionReads()).toHaveLength(1));
    await screen.findByText('Starter · $9.00 / month');
    expect(fake.calls.elements).not.toHaveBeenCalled();
    answer({ clientSecret: 'cuss_secret_fake' });
    const subscribe = await button('Subscribe');
    expect(sessionReads()).toHaveLength(1);
    expect(sessionReads()[0]?.headers.get('authorization')).toBe('Bearer tok_ada');
    expect(fake.calls.elements).toHaveBeenCalledOnce();
    expect(fake.calls.elements).toHaveBeenCalledWith({
      mode: 'subscription',
      amount: 900,
      currency: 'usd',
      customerSessionClientSecret: 'cuss_secret_fake',
    });
    await userEvent.click(subscribe);
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
    unmount();

    serve(() => ({ clientSecret: 'cuss_secret_fake' }));
    render(<SubscribeForm price="price_pro_month" />, { wrapper: signedIn(() => 'tok_ada') });
    await button('Start free trial');
    expect(fake.calls.elements).toHaveBeenLastCalledWith({
      mode: 'setup',
      currency: 'usd',
      customerSessionClientSecret: 'cuss_secret_fake',
    });
  });

  it('hands the element a fresh session a minute before the first one expires', async () => {
    let reads = 0;
    serve(() => ({
      clientSecret: `cuss_secret_${++reads}`,
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    try {
      render(<SubscribeForm price="price_starter_month" />, { wrapper: signedIn(() => 'tok_ada') });
      await button('Subscribe');
      expect(fake.calls.elements).toHaveBeenCalledWith(
        expect.objectContaining({ customerSessionClientSecret: 'cuss_secret_1' }),
      );
      await act(() => vi.advanceTimersByTimeAsync(29 * 60_000 + 1000));
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ customerSessionClientSecret: 'cuss_secret_2' }),
        ),
      );
      expect(fake.calls.elements).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks nothing for a guest, and shows no saved cards (nor an error) after a failed read', async () => {
    serve(() => errorAnswer(502, 'stripe_error'));
    const guest = render(<SubscribeForm price="price_starter_month" />, {
      wrapper: signedIn(() => null),
    });
    await button('Subscribe');
    expect(sessionReads()).toEqual([]);
    guest.unmount();

    render(<SubscribeForm price="price_starter_month" />, { wrapper: signedIn(() => 'tok_ada') });
    const subscribe = await button('Subscribe');
    expect(sessionReads()).toHaveLength(1);
    expect(fake.calls.elements).toHaveBeenLastCalledWith({
      mode: 'subscription',
      amount: 900,
      currency: 'usd',
    });
    await userEvent.click(subscribe);
    expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
  });

  describe('promotion codes', () => {
    const preview = (extra: Record<string, unknown> = {}) => ({
      currency: 'usd',
      trialDays: null,
      subtotal: 900,
      amountDiscount: 90,
      amountDue: 810,
      promotion: {
        code: 'WELCOME10',
        percentOff: 10,
        amountOff: null,
        duration: 'once',
        durationInMonths: null,
      },
      ...extra,
    });
    /** The preview of a code that takes all of today's $9.00 off. */
    const allOff = (promotion: Record<string, unknown>) =>
      preview({ amountDiscount: 900, amountDue: 0, promotion });
    const field = () => screen.getByRole('textbox', { name: 'Promotion code' });
    const status = () =>
      document.querySelector('[data-slot="subscribe-form-promotion-status"]') as HTMLElement;

    it('applies a code with Enter, without subscribing: the card fields are for the discounted amount, and the code is sent', async () => {
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () => preview(),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      const onSubmit = vi.fn();
      const { container } = render(
        <SubscribeForm price="price_starter_month" promotionCodes onSubmit={onSubmit} />,
        { wrapper: wrapper() },
      );
      await button('Subscribe');
      await userEvent.type(field(), ' welcome10 {Enter}');
      const remove = await screen.findByRole('button', { name: 'Remove' });
      await waitFor(() => expect(remove).toHaveFocus());
      expect(status()).toHaveTextContent('WELCOME10: 10% off the first payment. Due today: $8.10');
      expect(status()).toHaveAttribute('role', 'status');
      expect(posts().map((request) => [request.url.replace(/^.*\/api/, ''), request.body])).toEqual(
        [
          [
            '/subscriptions/preview',
            { price: 'price_starter_month', quantity: 1, promotionCode: 'welcome10' },
          ],
        ],
      );
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ mode: 'subscription', amount: 810 }),
        ),
      );
      expect(await axeViolations(container)).toEqual([]);
      // Enter in the field applied the code only: the form was not submitted.
      expect(onSubmit).not.toHaveBeenCalled();

      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(posts().at(-1)?.body).toEqual({
        price: 'price_starter_month',
        quantity: 1,
        promotionCode: 'WELCOME10',
      });
    });

    it("announces a refused code in the kit's words beside the field, and subscribes without it", async () => {
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () =>
          errorAnswer(400, 'promotion_code_invalid', 'This promotion code has expired.'),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      const { container } = render(<SubscribeForm price="price_starter_month" promotionCodes />, {
        wrapper: wrapper(),
      });
      await button('Subscribe');
      await userEvent.type(field(), 'OLDCODE');
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      await waitFor(() =>
        expect(status()).toHaveTextContent('This code cannot be used. Check it and try again.'),
      );
      expect(field()).toHaveAttribute('aria-invalid', 'true');
      expect(field()).toHaveAccessibleDescription(
        'This code cannot be used. Check it and try again.',
      );
      expect(field()).toHaveFocus();
      expect(await axeViolations(container)).toEqual([]);
      // A code left in the field is not dropped silently: the customer applies it or clears it.
      await userEvent.click(await button('Subscribe'));
      const alert = await screen.findByRole('alert');
      await waitFor(() =>
        expect(alert).toHaveTextContent(
          'Apply the promotion code you typed, or clear it, before you subscribe.',
        ),
      );
      expect(posts().filter((request) => request.url.endsWith('/subscriptions'))).toEqual([]);
      await userEvent.clear(field());
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(posts().at(-1)?.body).toEqual({ price: 'price_starter_month', quantity: 1 });
    });

    it('a code typed but not applied stops Subscribe; applied, it is sent', async () => {
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () => preview(),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      render(<SubscribeForm price="price_starter_month" promotionCodes />, {
        wrapper: wrapper(),
      });
      await button('Subscribe');
      await userEvent.type(field(), 'welcome10');
      await userEvent.click(await button('Subscribe'));
      await waitFor(() =>
        expect(screen.getByRole('alert')).toHaveTextContent(
          'Apply the promotion code you typed, or clear it, before you subscribe.',
        ),
      );
      expect(posts()).toEqual([]);
      await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
      await screen.findByRole('button', { name: 'Remove' });
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(posts().at(-1)?.body).toMatchObject({ promotionCode: 'WELCOME10' });
    });

    it('waits for a code being checked before it subscribes; Remove goes back to the full price', async () => {
      let answer: (value: unknown) => void = () => {};
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () =>
          new Promise((resolve) => {
            answer = resolve;
          }),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      render(<SubscribeForm price="price_starter_month" promotionCodes />, {
        wrapper: wrapper(),
      });
      const subscribe = await button('Subscribe');
      await userEvent.type(field(), 'WELCOME10{Enter}');
      await waitFor(() => expect(subscribe).toBeDisabled());
      await act(async () => answer(preview()));
      const remove = await screen.findByRole('button', { name: 'Remove' });
      await waitFor(() => expect(subscribe).toBeEnabled());
      await userEvent.click(remove);
      await waitFor(() => expect(field()).toHaveFocus());
      expect(field()).toHaveValue('');
      expect(status()).toBeEmptyDOMElement();
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ amount: 900 }),
        ),
      );
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(posts().filter((request) => request.url.endsWith('/subscriptions'))).toHaveLength(1);
      expect(posts().at(-1)?.body).toEqual({ price: 'price_starter_month', quantity: 1 });
    });

    it('words amounts off and months in the provider’s language; a code that takes all of today off saves the card instead', async () => {
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () =>
          allOff({
            code: 'FREEMONTHS',
            percentOff: null,
            amountOff: 1000,
            duration: 'repeating',
            durationInMonths: 3,
          }),
      });
      vi.stubGlobal('fetch', fetcher);
      render(<SubscribeForm price="price_starter_month" promotionCodes />, {
        wrapper: wrapper({ messages: de, locale: 'de' }),
      });
      await button('Abonnieren');
      await userEvent.type(screen.getByRole('textbox', { name: 'Gutscheincode' }), 'freemonths');
      await userEvent.click(screen.getByRole('button', { name: 'Einlösen' }));
      await waitFor(() =>
        expect(status()).toHaveTextContent(
          'FREEMONTHS: 10,00 $ Rabatt für 3 Monate. Heute fällig: 0,00 $',
        ),
      );
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ mode: 'setup' }),
        ),
      );
    });

    it("gives the card fields the plan's amount when the server asks a payment after a code that took it all off", async () => {
      // The preview said nothing was due (a setup group); the server answers a first payment.
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () =>
          allOff({
            code: 'ALLOFF',
            percentOff: 100,
            amountOff: null,
            duration: 'once',
            durationInMonths: null,
          }),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      render(<SubscribeForm price="price_starter_month" promotionCodes />, { wrapper: wrapper() });
      await button('Subscribe');
      await userEvent.type(field(), 'ALLOFF{Enter}');
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ mode: 'setup' }),
        ),
      );
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(fake.calls.update).toHaveBeenLastCalledWith({ mode: 'subscription', amount: 900 });
      expect(fake.calls.confirmPayment).toHaveBeenCalled();
    });

    it('checks the code again for another quantity; a late answer for a code taken off is ignored', async () => {
      const answers: Array<(value: unknown) => void> = [];
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () =>
          new Promise((resolve) => {
            answers.push(resolve);
          }),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      const { rerender } = render(
        <SubscribeForm price="price_starter_month" quantity={1} promotionCodes />,
        { wrapper: wrapper() },
      );
      const subscribe = await button('Subscribe');
      await userEvent.type(field(), 'WELCOME10{Enter}');
      await waitFor(() => expect(answers).toHaveLength(1));
      await act(async () => answers[0]?.(preview()));
      await screen.findByRole('button', { name: 'Remove' });
      rerender(<SubscribeForm price="price_starter_month" quantity={2} promotionCodes />);
      await waitFor(() => expect(answers).toHaveLength(2));
      expect(posts().at(-1)?.body).toEqual({
        price: 'price_starter_month',
        quantity: 2,
        promotionCode: 'WELCOME10',
      });
      // Subscribe waits for the new answer, which sets the card fields' amount.
      expect(subscribe).toBeDisabled();
      await act(async () =>
        answers[1]?.(preview({ subtotal: 1800, amountDiscount: 180, amountDue: 1620 })),
      );
      await waitFor(() => expect(status()).toHaveTextContent('Due today: $16.20'));
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ amount: 1620 }),
        ),
      );

      // Taken off while a check is on its way: its answer changes nothing.
      await userEvent.click(screen.getByRole('button', { name: 'Remove' }));
      await userEvent.type(field(), 'OTHER{Enter}');
      await waitFor(() => expect(answers).toHaveLength(3));
      await userEvent.clear(field());
      await userEvent.keyboard('{Enter}');
      await act(async () => answers[2]?.(preview()));
      expect(status()).toBeEmptyDOMElement();
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(posts().at(-1)?.body).toEqual({ price: 'price_starter_month', quantity: 2 });
    });

    it('a code refused when subscribing (used up meanwhile) is shown refused, and the form can go on without it', async () => {
      let refuse = true;
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () => preview(),
        'POST /subscriptions': () =>
          refuse
            ? errorAnswer(400, 'promotion_code_invalid', 'This promotion code is not active.')
            : created,
      });
      vi.stubGlobal('fetch', fetcher);
      render(<SubscribeForm price="price_starter_month" promotionCodes />, {
        wrapper: wrapper(),
      });
      await button('Subscribe');
      await userEvent.type(field(), 'WELCOME10{Enter}');
      await screen.findByRole('button', { name: 'Remove' });
      await userEvent.click(await button('Subscribe'));
      const alert = await screen.findByRole('alert');
      await waitFor(() =>
        expect(alert).toHaveTextContent('This code cannot be used. Check it and try again.'),
      );
      expect(field()).toHaveAttribute('aria-invalid', 'true');
      // Said once, by the form's alert, which describes the field; the field's status stays quiet.
      expect(status()).toBeEmptyDOMElement();
      expect(field()).toHaveAccessibleDescription(
        'This code cannot be used. Check it and try again.',
      );
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ amount: 900 }),
        ),
      );
      refuse = false;
      await userEvent.clear(field());
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(posts().at(-1)?.body).toEqual({ price: 'price_starter_month', quantity: 1 });
    });

    it('a trial the server no longer gives: the code is checked again for what is due today', async () => {
      created = {
        id: 'sub_4',
        status: 'incomplete',
        clientSecret: 'pi_fake_secret_x',
        clientSecretType: 'payment',
      };
      let trial = true;
      fetcher = fakeServerFetch({
        'GET /prices': () => BILLING_CATALOG,
        'POST /subscriptions/preview': () =>
          trial
            ? preview({ trialDays: 14, subtotal: 0, amountDiscount: 0, amountDue: 0 })
            : preview({ subtotal: 2900, amountDiscount: 290, amountDue: 2610 }),
        'POST /subscriptions': () => created,
      });
      vi.stubGlobal('fetch', fetcher);
      render(<SubscribeForm price="price_pro_month" promotionCodes />, { wrapper: wrapper() });
      await button('Start free trial');
      await userEvent.type(field(), 'WELCOME10{Enter}');
      await waitFor(() => expect(status()).toHaveTextContent('Due today: $0.00'));
      trial = false;
      await userEvent.click(await button('Start free trial'));
      await screen.findByText(/You have had a free trial of this plan before/);
      await waitFor(() => expect(status()).toHaveTextContent('Due today: $26.10'));
      await waitFor(() =>
        expect(fake.calls.update).toHaveBeenLastCalledWith(
          expect.objectContaining({ mode: 'subscription', amount: 2610 }),
        ),
      );
      expect(fake.calls.confirmSetup).not.toHaveBeenCalled();
      await userEvent.click(await button('Subscribe'));
      expect(await screen.findByText('You are subscribed. Thank you!')).toBeVisible();
      expect(fake.calls.confirmPayment).toHaveBeenCalled();
    });

    it('shows no field unless asked to', async () => {
      render(<SubscribeForm price="price_starter_month" />, { wrapper: wrapper() });
      await button('Subscribe');
      expect(screen.queryByRole('textbox', { name: 'Promotion code' })).toBeNull();
    });
  });
});
