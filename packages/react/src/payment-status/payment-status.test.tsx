/**
 * The return page's logic with a scripted Stripe.js (jsdom, React 18 and 19): each outcome, the
 * processing poll's back-off and its bound, a lookup that fails (never "not completed"), and
 * `redirect_status`. payment-status.browser.test.tsx runs it against the sandbox's real intents.
 */
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { createFakeStripe, type FakeStripe, intent } from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentStatus } from './payment-status.js';
import { usePaymentStatus } from './use-payment-status.js';

let fake: FakeStripe;

beforeEach(() => {
  fake = createFakeStripe();
  window.history.replaceState(
    {},
    '',
    '/checkout/done?payment_intent=pi_fake&payment_intent_client_secret=pi_fake_secret_x&redirect_status=succeeded',
  );
});
afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState({}, '', '/');
});

function wrapper(extra: { messages?: typeof de; stripe?: Promise<never> } = {}) {
  return ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase="/api" stripe={fake.stripe} {...extra}>
      {children}
    </TillkitProvider>
  );
}

/** Waits until the status region says `text`. */
async function expectStatus(text: string) {
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(text));
}

/**
 * An intent that requires action, then is paid; the bank's dialog (`handleNextAction`) stays open
 * until the returned function closes it with an answer.
 */
function holdBankDialog(): (result: unknown) => void {
  fake.retrieveResults = [
    { paymentIntent: intent('requires_action') },
    { paymentIntent: intent('succeeded') },
  ];
  let finish: (result: unknown) => void = () => {};
  fake.calls.handleNextAction.mockImplementationOnce(
    () =>
      new Promise((resolve) => {
        finish = resolve;
      }),
  );
  return (result) => finish(result);
}

/** Lets promises and due timers run. */
async function flush(ms = 0) {
  await act(() => vi.advanceTimersByTimeAsync(ms));
}

describe('PaymentStatus', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    expect(await screen.findByText('Payment successful. Thank you!')).toBeInTheDocument();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('reads the client secret from the address and shows a success', async () => {
    const { container } = render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus('Payment successful. Thank you!');
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledWith('pi_fake_secret_x');
    expect(container.firstElementChild).toHaveAttribute('data-state', 'succeeded');
  });

  it('polls a processing payment with back-off until it settles', async () => {
    vi.useFakeTimers();
    fake.retrieveResults = [
      { paymentIntent: intent('processing') },
      { paymentIntent: intent('processing') },
      { paymentIntent: intent('processing') },
      { paymentIntent: intent('succeeded') },
    ];
    render(<PaymentStatus />, { wrapper: wrapper() });
    await flush();
    expect(screen.getByRole('status')).toHaveTextContent('Your payment is processing.');
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(1);
    await flush(999);
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(1);
    await flush(1); // 1 s
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2);
    await flush(2000); // then 2 s
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(3);
    await flush(4000); // then 4 s
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(4);
    expect(screen.getByRole('status')).toHaveTextContent('Payment successful. Thank you!');
    await flush(60_000);
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(4);
  });

  it('keeps checking a processing payment when one check fails on the way', async () => {
    vi.useFakeTimers();
    fake.retrieveResults = [
      { paymentIntent: intent('processing') },
      { error: { type: 'api_connection_error', message: 'Connection lost.' } },
      { paymentIntent: intent('succeeded') },
    ];
    render(<PaymentStatus />, { wrapper: wrapper() });
    await flush();
    await flush(1000);
    // The failed check is one of them: still processing, as far as anyone knows.
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('status')).toHaveTextContent('Your payment is processing.');
    expect(screen.queryByRole('button', { name: 'Check again' })).toBeNull();
    await flush(2000);
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(3);
    expect(screen.getByRole('status')).toHaveTextContent('Payment successful. Thank you!');
  });

  it('says a payment still processing when its last check fails', async () => {
    vi.useFakeTimers();
    fake.retrieveResults = [
      { paymentIntent: intent('processing') },
      { error: { type: 'api_connection_error', message: 'Connection lost.' } },
    ];
    render(<PaymentStatus maxPolls={1} />, { wrapper: wrapper() });
    await flush();
    await flush(60_000);
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('status')).toHaveTextContent('Your payment is still processing.');
    expect(screen.getByRole('button', { name: 'Check again' })).toBeEnabled();
  });

  it('stops polling after maxPolls and offers to check again', async () => {
    vi.useFakeTimers();
    fake.retrieveResults = [{ paymentIntent: intent('processing') }];
    render(<PaymentStatus maxPolls={2} />, { wrapper: wrapper() });
    await flush();
    await flush(60_000);
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(3);
    expect(screen.getByRole('status')).toHaveTextContent('Your payment is still processing.');
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    act(() => screen.getByRole('button', { name: 'Check again' }).click());
    await flush();
    expect(screen.getByRole('status')).toHaveTextContent('Payment successful. Thank you!');
  });

  it("shows a failure with Stripe's reason and a way to try again", async () => {
    window.history.replaceState(
      {},
      '',
      '/done?payment_intent_client_secret=pi_fake_secret_x&redirect_status=failed',
    );
    fake.retrieveResults = [
      {
        paymentIntent: intent('requires_payment_method', {
          last_payment_error: {
            type: 'card_error',
            code: 'card_declined',
            message: 'Your card was declined.',
          } as never,
        }),
      },
    ];
    const onRetry = vi.fn();
    render(<PaymentStatus onRetry={onRetry} />, { wrapper: wrapper() });
    await expectStatus('Your payment was not completed. Your card was declined.');
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it("keeps a last error worded for developers off the page, and keeps a failed 3D Secure's", async () => {
    window.history.replaceState({}, '', '/done?payment_intent_client_secret=pi_fake_secret_x');
    const lastError = (type: string, code: string, message: string) => ({
      paymentIntent: intent('requires_payment_method', {
        last_payment_error: { type, code, message } as never,
      }),
    });
    fake.retrieveResults = [
      lastError('invalid_request_error', 'payment_method_unexpected_state', 'pm_123 is detached.'),
    ];
    const { unmount } = render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus('Your payment was not completed.');
    expect(screen.getByRole('status')).toHaveTextContent(/^Your payment was not completed\.$/);
    unmount();
    fake.retrieveResults = [
      lastError(
        'invalid_request_error',
        'payment_intent_authentication_failure',
        'We are unable to authenticate your payment method.',
      ),
    ];
    render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus(
      'Your payment was not completed. We are unable to authenticate your payment method.',
    );
  });

  it('says it could not check, never that the payment failed, when Stripe.js cannot read the intent', async () => {
    window.history.replaceState({}, '', '/done?payment_intent_client_secret=pi_fake_secret_x');
    const unknown = 'We could not check your payment right now. Check again in a moment.';
    /** The page says it could not check, offers to check again, and never to pay again. */
    const expectUnknown = async (container: HTMLElement) => {
      await expectStatus(unknown);
      expect(container.firstElementChild).toHaveAttribute('data-state', 'unknown');
      expect(screen.getByRole('status')).not.toHaveTextContent('not completed');
      expect(screen.getByRole('button', { name: 'Check again' })).toBeInTheDocument();
      expect(screen.queryByRole('link', { name: 'Try again' })).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    };
    // Stripe answering 500, no connection, and an answer with neither intent nor error.
    fake.retrieveResults = [
      { error: { type: 'api_error', message: 'An unexpected error occurred.' } },
    ];
    const first = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectUnknown(first.container);
    first.unmount();

    fake.retrieveResults = [
      { error: { type: 'api_connection_error', message: 'Failed to fetch' } },
    ];
    const second = render(<PaymentStatus onRetry={vi.fn()} />, { wrapper: wrapper() });
    await expectUnknown(second.container);
    second.unmount();

    fake.retrieveResults = [{}];
    const third = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectUnknown(third.container);
  });

  it('shows no payment, with Try again, for a secret Stripe does not know or that is malformed', async () => {
    window.history.replaceState({}, '', '/done?payment_intent_client_secret=pi_fake_secret_x');
    const expectMissing = async (container: HTMLElement) => {
      await expectStatus('There is no payment to show here.');
      expect(container.firstElementChild).toHaveAttribute('data-state', 'failed');
      expect(screen.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/checkout');
      expect(screen.queryByRole('button', { name: 'Check again' })).not.toBeInTheDocument();
    };
    fake.retrieveResults = [
      {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: "No such payment_intent: 'pi_fake'",
        },
      },
    ];
    const first = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectMissing(first.container);
    first.unmount();

    // Stripe.js throws an IntegrationError for a malformed secret.
    fake.calls.retrievePaymentIntent.mockRejectedValueOnce(new Error('Invalid value for secret'));
    const second = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectMissing(second.container);
  });

  it('keeps focus on the page when Check again goes', async () => {
    window.history.replaceState({}, '', '/done?payment_intent_client_secret=pi_fake_secret_x');
    fake.retrieveResults = [
      { error: { type: 'api_connection_error', message: 'Failed to fetch' } },
      { paymentIntent: intent('succeeded') },
    ];
    const { container } = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await userEvent.click(await screen.findByRole('button', { name: 'Check again' }));
    await expectStatus('Payment successful. Thank you!');
    expect(container.firstElementChild).toHaveFocus();
  });

  it('checks again after a failed lookup and shows the outcome', async () => {
    fake.retrieveResults = [
      { error: { type: 'api_connection_error', message: 'Failed to fetch' } },
      { paymentIntent: intent('succeeded') },
    ];
    render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await screen.findByRole('button', { name: 'Check again' });
    act(() => screen.getByRole('button', { name: 'Check again' }).click());
    await expectStatus('Payment successful. Thank you!');
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: 'Check again' })).not.toBeInTheDocument();
  });

  it('says the bank reported the payment complete when redirect_status=succeeded but the lookup failed', async () => {
    // The address (beforeEach) says redirect_status=succeeded.
    fake.retrieveResults = [
      { error: { type: 'api_error', message: 'An unexpected error occurred.' } },
    ];
    render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectStatus(
      'Your bank reported the payment as complete, but we could not confirm it yet. Check again in a moment.',
    );
    expect(screen.getByRole('button', { name: 'Check again' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('could not check either when Stripe.js did not load', async () => {
    const { container } = render(<PaymentStatus retryHref="/checkout" />, {
      wrapper: wrapper({ stripe: Promise.reject(new Error('blocked')) }),
    });
    await expectStatus(
      'Your bank reported the payment as complete, but we could not confirm it yet.',
    );
    expect(container.firstElementChild).toHaveAttribute('data-state', 'unknown');
    expect(screen.getByRole('button', { name: 'Check again' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('reads redirect_status into the state; the intent decides the outcome', async () => {
    const statusFor = async (address: string, props = {}) => {
      window.history.replaceState({}, '', address);
      const { result, unmount } = renderHook(() => usePaymentStatus(props), {
        wrapper: wrapper(),
      });
      await waitFor(() => expect(result.current.status).toBe('succeeded'));
      unmount();
      return result.current.state.redirectStatus;
    };
    const secret = '/done?payment_intent_client_secret=pi_fake_secret_x';
    expect(await statusFor(`${secret}&redirect_status=succeeded`)).toBe('succeeded');
    // Stripe's word is only a hint: the intent read back says succeeded.
    expect(await statusFor(`${secret}&redirect_status=failed`)).toBe('failed');
    expect(await statusFor(`${secret}&redirect_status=requires_payment_method`)).toBe(
      'requires_payment_method',
    );
    expect(await statusFor(`${secret}&redirect_status=bogus`)).toBeNull();
    expect(await statusFor(secret)).toBeNull();
    // The prop wins over the address, as clientSecret does.
    expect(
      await statusFor(`${secret}&redirect_status=failed`, { redirectStatus: 'processing' }),
    ).toBe('processing');
  });

  it('links back to the checkout with retryHref', async () => {
    fake.retrieveResults = [{ paymentIntent: intent('canceled') }];
    render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    expect(await screen.findByRole('link', { name: 'Try again' })).toHaveAttribute(
      'href',
      '/checkout',
    );
  });

  it('offers to authenticate an intent that requires action, then shows the outcome', async () => {
    fake.retrieveResults = [
      { paymentIntent: intent('requires_action') },
      { paymentIntent: intent('succeeded') },
    ];
    render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus('Your bank asks you to confirm this payment.');
    act(() => screen.getByRole('button', { name: 'Confirm payment' }).click());
    expect(await screen.findByText('Payment successful. Thank you!')).toBeInTheDocument();
    expect(fake.calls.handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_fake_secret_x' });
  });

  it('opens the bank once however often authenticate() is called, and shows it is busy', async () => {
    const finish = holdBankDialog();
    const { result } = renderHook(() => usePaymentStatus(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.status).toBe('requires_action'));
    // Two calls from the same render (a double click before React re-renders).
    const { authenticate } = result.current;
    let calls: Array<Promise<void>> = [];
    act(() => {
      calls = [authenticate(), authenticate()];
    });
    expect(fake.calls.handleNextAction).toHaveBeenCalledOnce();
    expect(result.current.state).toMatchObject({ status: 'requires_action', authenticating: true });
    expect(result.current.message).toBe('Waiting for your bank…');
    await act(() => result.current.authenticate()); // and one from the next render
    expect(fake.calls.handleNextAction).toHaveBeenCalledOnce();
    await act(async () => {
      finish({ paymentIntent: intent('succeeded') });
      await Promise.all(calls);
    });
    await waitFor(() => expect(result.current.status).toBe('succeeded'));
    expect(fake.calls.handleNextAction).toHaveBeenCalledOnce();
  });

  it('disables "Confirm payment" while the bank is open', async () => {
    const finish = holdBankDialog();
    const { container } = render(<PaymentStatus />, { wrapper: wrapper() });
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    act(() => button.click());
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(container.firstElementChild).toHaveAttribute('aria-busy', 'true');
    await expectStatus('Waiting for your bank…');
    act(() => button.click());
    expect(fake.calls.handleNextAction).toHaveBeenCalledOnce();
    await act(async () => finish({ paymentIntent: intent('succeeded') }));
    await expectStatus('Payment successful. Thank you!');
  });

  it('reads the intent again when the bank step throws, and never rejects', async () => {
    fake.retrieveResults = [
      { paymentIntent: intent('requires_action') },
      { paymentIntent: intent('requires_action') },
    ];
    fake.calls.handleNextAction.mockRejectedValueOnce(new Error('handleNextAction: bad secret'));
    const { result } = renderHook(() => usePaymentStatus(), { wrapper: wrapper() });
    await waitFor(() => expect(result.current.status).toBe('requires_action'));
    await act(async () => {
      await expect(result.current.authenticate()).resolves.toBeUndefined();
    });
    await waitFor(() => expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2));
    // Read back: still waiting for the customer, and the button works again.
    await waitFor(() =>
      expect(result.current.state).toMatchObject({
        status: 'requires_action',
        authenticating: false,
      }),
    );
  });

  it('says so when the address has no payment', async () => {
    window.history.replaceState({}, '', '/done');
    render(<PaymentStatus />, { wrapper: wrapper({ messages: de }) });
    await expectStatus('Hier gibt es keine Zahlung anzuzeigen.');
    expect(fake.calls.retrievePaymentIntent).not.toHaveBeenCalled();
  });

  it.each([
    [
      'requires_payment_method',
      {
        last_setup_error: {
          type: 'card_error',
          code: 'card_declined',
          message: 'Your card was declined.',
        },
      },
      'Your card was not saved. Your card was declined.',
    ],
    ['canceled', {}, 'Your card was not saved.'],
    ['processing', {}, 'Your card is being saved. This page updates when it is done.'],
    ['requires_action', {}, 'Your bank asks you to confirm this card.'],
  ])('words a setup intent that is %s as a card, not a payment', async (status, extra, text) => {
    window.history.replaceState(
      {},
      '',
      '/done?setup_intent_client_secret=seti_fake_secret_x&redirect_status=failed',
    );
    vi.mocked(fake.stripe.retrieveSetupIntent).mockResolvedValue({
      setupIntent: { id: 'seti_fake', status, client_secret: 'seti_fake_secret_x', ...extra },
    } as never);
    render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus(text);
    expect(screen.getByRole('status')).not.toHaveTextContent('payment');
    if (status === 'requires_action')
      expect(screen.getByRole('button', { name: 'Confirm card' })).toBeInTheDocument();
  });

  it('says it could not check the card when a setup intent cannot be read', async () => {
    window.history.replaceState(
      {},
      '',
      '/done?setup_intent_client_secret=seti_fake_secret_x&redirect_status=succeeded',
    );
    vi.mocked(fake.stripe.retrieveSetupIntent).mockResolvedValue({
      error: { type: 'api_error', message: 'An unexpected error occurred.' },
    } as never);
    render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectStatus('We could not check your card right now. Check again in a moment.');
    expect(screen.queryByRole('link', { name: 'Try again' })).not.toBeInTheDocument();
  });

  it('reports a saved card for a setup intent', async () => {
    window.history.replaceState(
      {},
      '',
      '/done?setup_intent_client_secret=seti_fake_secret_x&redirect_status=succeeded',
    );
    render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus('Your card has been saved.');
  });
});
