/**
 * Confirming a payment the server could not finish, with a scripted Stripe.js (jsdom, React 18 and
 * 19). authenticate-payment.browser.test.tsx runs it through the sandbox's real 3D Secure dialog.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { createFakeStripe, type FakeStripe, intent } from '../../test/support/fake-stripe.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { AuthenticatePayment } from './authenticate-payment.js';

let fake: FakeStripe;
beforeEach(() => {
  fake = createFakeStripe();
  fake.retrieveResults = [{ paymentIntent: intent('requires_action') }];
});

/** handleNextAction's answer when the customer fails the bank's check. */
const AUTHENTICATION_FAILED = {
  error: {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    message: 'We are unable to authenticate your payment method.',
    payment_intent: intent('requires_payment_method'),
  },
};

const wrapper = ({ children }: { children: ReactNode }) => (
  <TillkitProvider apiBase="/api" stripe={fake.stripe}>
    {children}
  </TillkitProvider>
);

describe('AuthenticatePayment', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, {
      wrapper,
    });
    await screen.findByRole('button', { name: 'Confirm payment' });
    expect(await axeViolations(container)).toEqual([]);
  });

  it('confirms with handleNextAction and reports success', async () => {
    const onSuccess = vi.fn();
    const { container } = render(
      <AuthenticatePayment clientSecret="pi_fake_secret_x" onSuccess={onSuccess} />,
      { wrapper },
    );
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(button).toBeEnabled());
    expect(screen.getByRole('status')).toHaveTextContent(
      'Your bank asks you to confirm this payment.',
    );
    act(() => button.click());
    expect(await screen.findByText('Payment confirmed. Thank you!')).toBeInTheDocument();
    expect(fake.calls.handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_fake_secret_x' });
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
    expect(container.firstElementChild).toHaveAttribute('data-state', 'succeeded');
  });

  it('keeps an outcome for the intent it was given before to itself: another clientSecret meanwhile is read for itself', async () => {
    const onSuccess = vi.fn();
    fake.retrieveResults = [
      { paymentIntent: intent('requires_action') },
      { paymentIntent: intent('requires_action', { id: 'pi_other' }) },
    ];
    let finish!: (value: unknown) => void;
    fake.calls.handleNextAction.mockImplementationOnce(
      () => new Promise((resolve) => (finish = resolve)),
    );
    const panel = (clientSecret: string) => (
      <AuthenticatePayment clientSecret={clientSecret} onSuccess={onSuccess} />
    );
    const view = render(panel('pi_fake_secret_x'), { wrapper });
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(button).toBeEnabled());
    act(() => button.click());
    // The host shows another payment while the first one's bank dialog is still open.
    view.rerender(panel('pi_other_secret_y'));
    await waitFor(() =>
      expect(view.container.firstElementChild).toHaveAttribute('data-state', 'requires_action'),
    );
    await act(async () => finish({ paymentIntent: intent('succeeded') }));
    expect(view.container.firstElementChild).toHaveAttribute('data-state', 'requires_action');
    expect(screen.queryByText('Payment confirmed. Thank you!')).toBeNull();
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it("shows Stripe's reason when authentication fails, and moves focus there", async () => {
    fake.nextActionResults = [AUTHENTICATION_FAILED];
    const onError = vi.fn();
    render(<AuthenticatePayment clientSecret="pi_fake_secret_x" onError={onError} />, { wrapper });
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(button).toBeEnabled());
    act(() => button.click());
    const alert = await screen.findByText('We are unable to authenticate your payment method.');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByRole('status')).toHaveTextContent('This payment needs another card.');
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'payment_intent_authentication_failure' }),
    );
  });

  it('offers to try again when the payment could not be read, and reads it again', async () => {
    fake.retrieveResults = [
      { error: { type: 'api_error', message: 'Stripe is unavailable.' } },
      { paymentIntent: intent('requires_action') },
    ];
    const { container } = render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, {
      wrapper,
    });
    const retry = await screen.findByRole('button', { name: 'Try again' });
    // Beside "Try again", the status says to try again.
    expect(screen.getByRole('status')).toHaveTextContent('Something went wrong. Please try again.');
    expect(screen.queryByRole('button', { name: 'Confirm payment' })).toBeNull();
    expect(await axeViolations(container)).toEqual([]);
    act(() => retry.click());
    const confirm = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(confirm).toBeEnabled());
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(fake.calls.retrievePaymentIntent).toHaveBeenCalledTimes(2);
  });

  it('offers no Try again after a failed authentication: the way on is another card', async () => {
    fake.nextActionResults = [AUTHENTICATION_FAILED];
    render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, { wrapper });
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(button).toBeEnabled());
    act(() => button.click());
    await screen.findByText('We are unable to authenticate your payment method.');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('offers to read the payment again when the bank step throws, then confirms', async () => {
    fake.retrieveResults = [
      { paymentIntent: intent('requires_action') },
      { paymentIntent: intent('requires_action') },
    ];
    fake.calls.handleNextAction.mockRejectedValueOnce(new Error('handleNextAction failed'));
    render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, { wrapper });
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(button).toBeEnabled());
    act(() => button.click());
    const retry = await screen.findByRole('button', { name: 'Try again' });
    act(() => retry.click());
    const again = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(again).toBeEnabled());
    act(() => again.click());
    expect(await screen.findByText('Payment confirmed. Thank you!')).toBeInTheDocument();
  });

  it('offers no Try again for a secret Stripe does not know', async () => {
    fake.retrieveResults = [
      { error: { type: 'invalid_request_error', message: "No such payment_intent: 'pi_x'" } },
    ];
    const { container } = render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, {
      wrapper,
    });
    await waitFor(() =>
      expect(container.firstElementChild).toHaveAttribute('data-state', 'failed'),
    );
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    // Its status says nothing of trying again: there is no way to, and the error says why.
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    // Stripe's words are for developers: the customer reads the kit's.
    expect(screen.getByRole('alert')).toHaveTextContent('This payment cannot be confirmed.');
    expect(screen.getByRole('alert')).not.toHaveTextContent('pi_x');
  });

  it('asks to try again only when "Try again" is there', async () => {
    // Canceled meanwhile: the bank's step fails, the intent is read, and nothing can be retried.
    fake.nextActionResults = [
      {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          message: 'This PaymentIntent was canceled.',
          payment_intent: intent('canceled'),
        },
      },
    ];
    render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, { wrapper });
    const button = await screen.findByRole('button', { name: 'Confirm payment' });
    await waitFor(() => expect(button).toBeEnabled());
    act(() => button.click());
    await waitFor(() => expect(screen.getByRole('alert')).not.toBeEmptyDOMElement());
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByRole('status')).not.toHaveTextContent(/try again/i);
  });

  it('says an intent canceled before the customer came back cannot be confirmed', async () => {
    // Canceled (the invoice voided, say): no other card can pay it, so none is asked for.
    fake.retrieveResults = [{ paymentIntent: intent('canceled') }];
    const onError = vi.fn();
    render(<AuthenticatePayment clientSecret="pi_fake_secret_x" onError={onError} />, { wrapper });
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('This payment cannot be confirmed.'),
    );
    expect(screen.getByRole('alert')).not.toHaveTextContent('another card');
    expect(screen.queryByRole('button')).toBeNull();
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'This payment cannot be confirmed.' }),
    );
  });

  it('reports an intent that is already paid', async () => {
    fake.retrieveResults = [{ paymentIntent: intent('succeeded') }];
    render(<AuthenticatePayment clientSecret="pi_fake_secret_x" />, { wrapper });
    expect(await screen.findByText('Payment confirmed. Thank you!')).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
