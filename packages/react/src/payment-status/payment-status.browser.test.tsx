/**
 * The return page against intents the sandbox really holds (Chromium): paid, failed after 3D
 * Secure, waiting for the customer, a lookup that Stripe answers with a 500 (the sandbox's chaos),
 * and a card that was not saved.
 */
import type { Stripe } from '@stripe/stripe-js';
import { render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { axeViolations } from '../../test/support/axe.js';
import {
  API_BASE,
  type InPageSandbox,
  startInPageSandbox,
  threeDSecureDialog,
} from '../../test/support/in-page-sandbox.js';
import { expectTabOrder, focused, startBefore } from '../../test/support/keyboard.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentStatus } from './payment-status.js';
import type { RedirectStatus } from './use-payment-status.js';

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

/** Stripe.js, loaded before the sandbox answers its next request (the page's lookup) with a 500. */
async function stripeFailingTheLookup(): Promise<Stripe> {
  const stripe = await sandbox.stripe();
  await sandbox.server.stripe('/v1/_sandbox/chaos', {
    'api[fail_next]': '1',
    'api[fail_with]': '500',
  });
  return stripe;
}

function renderStatus(
  clientSecret: string,
  stripe: Promise<Stripe> = sandbox.stripe(),
  redirectStatus?: RedirectStatus,
) {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={stripe}>
      <PaymentStatus
        clientSecret={clientSecret}
        redirectStatus={redirectStatus}
        retryHref="/checkout"
      />
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

  it('says it could not check when Stripe answers 500, never to pay again, and checks again', async () => {
    const intent = await confirmedIntent('pm_card_visa');
    const { container } = renderStatus(
      String(intent.client_secret),
      Promise.resolve(await stripeFailingTheLookup()),
      'succeeded',
    );
    await expectStatus(
      'Your bank reported the payment as complete, but we could not confirm it yet. Check again in a moment.',
    );
    expect(container.firstElementChild).toHaveAttribute('data-state', 'unknown');
    expect(screen.queryByRole('link', { name: 'Try again' })).not.toBeInTheDocument();
    screen.getByRole('button', { name: 'Check again' }).click();
    await expectStatus('Payment successful. Thank you!');
  });

  it('says a card was not saved, with the reason, for a declined setup intent', async () => {
    const setup = await sandbox.server.stripe('/v1/setup_intents', {
      'allowed_payment_method_types[0]': 'card',
    });
    const declined = await sandbox.server.stripe(`/v1/setup_intents/${setup.id}/confirm`, {
      payment_method: 'pm_card_chargeDeclined',
    });
    expect(declined.error).toMatchObject({ code: 'card_declined' });
    renderStatus(String(setup.client_secret));
    await expectStatus(/^Your card was not saved\. .*declined/);
    expect(screen.getByRole('status')).not.toHaveTextContent('payment');
    expect(screen.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/checkout');
  });
});

describe('PaymentStatus by keyboard alone in Chromium', () => {
  it('confirms a payment: Tab to Confirm payment, Enter, Enter on Complete authentication', async () => {
    const intent = await confirmedIntent('pm_card_authenticationRequired');
    const { container } = renderStatus(String(intent.client_secret));
    await expectStatus('Your bank asks you to confirm this payment.');
    startBefore(container);
    await expectTabOrder([screen.getByRole('button', { name: 'Confirm payment' })]);
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    await userEvent.keyboard('{Enter}');
    await expectStatus('Payment successful. Thank you!');
    // The button went: focus is on the page's root, around the news.
    expect(focused()).toBe(container.querySelector('[data-slot="payment-status"]'));
  });

  it('checks again with Space on Check again, keeping focus on the page', async () => {
    const intent = await confirmedIntent('pm_card_visa');
    const { container } = renderStatus(
      String(intent.client_secret),
      Promise.resolve(await stripeFailingTheLookup()),
    );
    await expectStatus(/could not check your payment/);
    startBefore(container);
    await expectTabOrder([screen.getByRole('button', { name: 'Check again' })]);
    await userEvent.keyboard(' ');
    await expectStatus('Payment successful. Thank you!');
    expect(focused()).toBe(container.querySelector('[data-slot="payment-status"]'));
  });

  it('reaches Try again by Tab after a failed 3D Secure, and Enter starts again', async () => {
    const intent = await confirmedIntent('pm_card_authenticationRequired');
    await sandbox.server.stripe(`/v1/_sandbox/payment_intents/${intent.id}/authenticate`, {
      outcome: 'fail',
    });
    const onRetry = vi.fn();
    const { container } = render(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
        <PaymentStatus clientSecret={String(intent.client_secret)} onRetry={onRetry} />
      </TillkitProvider>,
    );
    await expectStatus(/^Your payment was not completed\./);
    startBefore(container);
    await expectTabOrder([screen.getByRole('button', { name: 'Try again' })]);
    await userEvent.keyboard('{Enter}');
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
