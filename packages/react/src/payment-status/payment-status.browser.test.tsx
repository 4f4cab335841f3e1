/**
 * The return page against intents the sandbox really holds (Chromium): paid, failed after 3D
 * Secure, and waiting for the customer.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  API_BASE,
  type InPageSandbox,
  startInPageSandbox,
  threeDSecureDialog,
} from '../../test/support/in-page-sandbox.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentStatus } from './payment-status.js';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());

async function confirmedIntent(paymentMethod: string): Promise<Record<string, unknown>> {
  return sandbox.server.stripe('/v1/payment_intents', {
    amount: '2500',
    currency: 'usd',
    payment_method: paymentMethod,
    'allowed_payment_method_types[0]': 'card',
    confirm: 'true',
  });
}

function renderStatus(clientSecret: string) {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
      <PaymentStatus clientSecret={clientSecret} retryHref="/checkout" />
    </TillkitProvider>,
  );
}

async function expectStatus(text: string | RegExp) {
  await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(text), {
    timeout: 10_000,
  });
}

describe('PaymentStatus in Chromium', () => {
  it('has no accessibility violations', async () => {
    const intent = await confirmedIntent('pm_card_visa');
    const { container } = renderStatus(String(intent.client_secret));
    await expectStatus('Payment successful. Thank you!');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows a failed 3D Secure with the reason and a way back', async () => {
    const intent = await confirmedIntent('pm_card_authenticationRequired');
    await sandbox.server.stripe(`/v1/_sandbox/payment_intents/${intent.id}/authenticate`, {
      outcome: 'fail',
    });
    renderStatus(String(intent.client_secret));
    await expectStatus(/^Your payment was not completed\. .*authenticate/);
    expect(screen.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/checkout');
  });

  it('lets the customer authenticate a payment that requires action', async () => {
    const intent = await confirmedIntent('pm_card_authenticationRequired');
    renderStatus(String(intent.client_secret));
    await expectStatus('Your bank asks you to confirm this payment.');
    screen.getByRole('button', { name: 'Confirm payment' }).click();
    (await threeDSecureDialog()).complete();
    await expectStatus('Payment successful. Thank you!');
  });
});
