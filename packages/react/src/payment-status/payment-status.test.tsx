/**
 * The return page's logic with a scripted Stripe.js (jsdom, React 18 and 19): each outcome, the
 * processing poll's back-off and its bound. payment-status.browser.test.tsx runs it against the
 * sandbox's real intents.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { createFakeStripe, type FakeStripe, intent } from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentStatus } from './payment-status.js';

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

function wrapper(extra: { messages?: typeof de } = {}) {
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

  it('reports a failure, never a crash, when Stripe.js cannot read the intent', async () => {
    // An API error, a thrown IntegrationError, and an answer with neither intent nor error.
    fake.retrieveResults = [
      { error: { type: 'invalid_request_error', message: 'No such payment_intent.' } },
    ];
    const first = render(<PaymentStatus retryHref="/checkout" />, { wrapper: wrapper() });
    await expectStatus('Your payment was not completed.');
    expect(first.container.firstElementChild).toHaveAttribute('data-state', 'failed');
    expect(screen.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/checkout');
    first.unmount();

    fake.calls.retrievePaymentIntent.mockRejectedValueOnce(new Error('Invalid value for secret'));
    const second = render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus('Your payment was not completed.');
    expect(second.container.firstElementChild).toHaveAttribute('data-state', 'failed');
    second.unmount();

    fake.retrieveResults = [{}];
    const third = render(<PaymentStatus />, { wrapper: wrapper() });
    await expectStatus('Your payment was not completed.');
    expect(third.container.firstElementChild).toHaveAttribute('data-state', 'failed');
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

  it('says so when the address has no payment', async () => {
    window.history.replaceState({}, '', '/done');
    render(<PaymentStatus />, { wrapper: wrapper({ messages: de }) });
    await expectStatus('Hier gibt es keine Zahlung anzuzeigen.');
    expect(fake.calls.retrievePaymentIntent).not.toHaveBeenCalled();
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
