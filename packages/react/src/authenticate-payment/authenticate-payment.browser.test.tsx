/**
 * A payment the server tried off-session with a card that asks for 3D Secure, confirmed by the
 * customer through the sandbox Stripe.js's real dialog (Chromium).
 */
import { render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { axeViolations } from '../../test/support/axe.js';
import {
  API_BASE,
  enabledButton,
  type InPageSandbox,
  startInPageSandbox,
  threeDSecureDialog,
} from '../../test/support/in-page-sandbox.js';
import { expectTabOrder, focused, startBefore } from '../../test/support/keyboard.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { AuthenticatePayment } from './authenticate-payment.js';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());

/** What a renewal leaves behind: an intent confirmed by the server that awaits the customer. */
async function intentAwaitingAuthentication(): Promise<string> {
  const intent = await sandbox.server.stripe('/v1/payment_intents', {
    amount: '2900',
    currency: 'usd',
    payment_method: 'pm_card_authenticationRequired',
    'allowed_payment_method_types[0]': 'card',
    confirm: 'true',
  });
  expect(intent.status).toBe('requires_action');
  return String(intent.client_secret);
}

function renderFor(
  clientSecret: string,
  handlers: { onSuccess?: () => void; onError?: () => void } = {},
) {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
      <AuthenticatePayment clientSecret={clientSecret} {...handlers} />
    </TillkitProvider>,
  );
}

const confirmButton = () => enabledButton('Confirm payment');

describe('AuthenticatePayment in Chromium', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderFor(await intentAwaitingAuthentication());
    await confirmButton();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('completes 3D Secure with handleNextAction', async () => {
    const onSuccess = vi.fn();
    renderFor(await intentAwaitingAuthentication(), { onSuccess });
    (await confirmButton()).click();
    (await threeDSecureDialog()).complete();
    await screen.findByText('Payment confirmed. Thank you!', {}, { timeout: 10_000 });
    expect(onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'succeeded', amount: 2900 }),
    );
  });

  it('reports a failed authentication and says the payment needs another card', async () => {
    const onError = vi.fn();
    renderFor(await intentAwaitingAuthentication(), { onError });
    (await confirmButton()).click();
    (await threeDSecureDialog()).fail();
    const alert = await screen.findByText(/unable to authenticate/i, {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByRole('status')).toHaveTextContent('This payment needs another card.');
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'payment_intent_authentication_failure' }),
    );
  });
});

describe('AuthenticatePayment by keyboard alone in Chromium', () => {
  /** The dialog opened from Confirm payment, reached by Tab and pressed with Enter. */
  async function openDialog(handlers: Parameters<typeof renderFor>[1] = {}) {
    const { container } = renderFor(await intentAwaitingAuthentication(), handlers);
    const confirm = await confirmButton();
    startBefore(container);
    await expectTabOrder([confirm]);
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    return { root: container.querySelector('[data-slot="authenticate-payment"]'), dialog };
  }

  it('confirms: Enter on Confirm payment, Enter on Complete authentication', async () => {
    const onSuccess = vi.fn();
    const { root } = await openDialog({ onSuccess });
    await userEvent.keyboard('{Enter}');
    await waitFor(
      () => expect(screen.getByRole('status')).toHaveTextContent('Payment confirmed. Thank you!'),
      { timeout: 10_000 },
    );
    expect(onSuccess).toHaveBeenCalledOnce();
    // Confirm payment went: focus is on the flow's root, around the news, not the page's body.
    expect(focused()).toBe(root);
  });

  it('fails: Tab to Fail authentication, Enter; focus on the reason', async () => {
    const { dialog } = await openDialog();
    await expectTabOrder([dialog.failButton]);
    await userEvent.keyboard('{Enter}');
    const alert = await screen.findByText(/unable to authenticate/i, {}, { timeout: 10_000 });
    await waitFor(() => expect(focused()).toBe(alert));
  });
});
