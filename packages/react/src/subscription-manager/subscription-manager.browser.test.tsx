/**
 * Fixing a subscription's payment in place against the real sandbox Stripe.js (in Chromium):
 * `new_card` pays the open invoice with a card entered in a Payment Element made from the
 * invoice's PaymentIntent; `authenticate` opens the bank's 3D Secure with `AuthenticatePayment`.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import {
  API_BASE,
  fillCard,
  type InPageSandbox,
  startInPageSandbox,
  threeDSecureDialog,
} from '../../test/support/in-page-sandbox.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SubscriptionManager } from './subscription-manager.js';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  sandbox.server.reset();
  const customer = await sandbox.server.customer();
  const list = await sandbox.server.stripe('/v1/subscriptions', { customer }, 'GET');
  for (const live of list.data as Array<{ id: string }>) {
    await sandbox.server.stripe(`/v1/subscriptions/${live.id}`, {}, 'DELETE');
  }
});

/** A first payment never made: the subscription stays incomplete, its invoice open. */
async function unpaidSubscription(): Promise<void> {
  const response = await fetch(`${API_BASE}/subscriptions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ price: sandbox.server.prices.starter_monthly }),
  });
  expect(response.status).toBe(201);
}

/** A payment the bank wants the customer to confirm (a card that asks for 3D Secure). */
async function subscriptionAwaitingAuthentication(): Promise<void> {
  const customer = await sandbox.server.customer();
  const method = await sandbox.server.stripe('/v1/payment_methods', {
    type: 'card',
    'card[number]': '4000002760003184',
    'card[exp_month]': '12',
    'card[exp_year]': '2034',
    'card[cvc]': '123',
  });
  await sandbox.server.stripe(`/v1/payment_methods/${method.id}/attach`, { customer });
  const created = await sandbox.server.stripe('/v1/subscriptions', {
    customer,
    'items[0][price]': sandbox.server.prices.starter_monthly!,
    default_payment_method: String(method.id),
    payment_behavior: 'allow_incomplete',
  });
  expect(created.status).toBe('incomplete');
}

function renderManager() {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
      <SubscriptionManager />
    </TillkitProvider>,
  );
}

async function button(name: string, root: HTMLElement = document.body) {
  const found = await within(root).findByRole<HTMLButtonElement>(
    'button',
    { name },
    { timeout: 10_000 },
  );
  await waitFor(() => expect(found).toBeEnabled(), { timeout: 10_000 });
  return found;
}

describe('SubscriptionManager in Chromium', () => {
  it('has no accessibility violations with a payment to fix', async () => {
    await unpaidSubscription();
    const { container } = renderManager();
    await button('Pay now');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('pays an open invoice with a new card (after a decline), then shows the subscription active', async () => {
    await unpaidSubscription();
    renderManager();
    const item = (await screen.findByRole('heading', { name: 'Starter' })).closest('li')!;
    expect(within(item).getByText('Incomplete')).toBeVisible();
    expect(
      within(item).getByText(
        'The last payment for Starter failed. Pay with another card to keep it.',
      ),
    ).toBeVisible();
    expect(within(item).queryByRole('button', { name: 'Cancel subscription' })).toBeNull();

    await fillCard({ number: '4000 0000 0000 0002' }, item);
    (await button('Pay now', item)).click();
    const alert = await within(item).findByText('Your card was declined.', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveFocus());

    await fillCard({ number: '4242 4242 4242 4242' }, item);
    (await button('Pay now', item)).click();
    await waitFor(
      () => {
        const paid = screen.getByRole('heading', { name: 'Starter' }).closest('li')!;
        expect(within(paid).getByText('Active')).toBeVisible();
        expect(within(paid).queryByRole('button', { name: 'Pay now' })).toBeNull();
        expect(within(paid).getByRole('button', { name: 'Cancel subscription' })).toBeVisible();
      },
      { timeout: 10_000 },
    );
  });

  it('confirms a payment that waits for 3D Secure with AuthenticatePayment', async () => {
    await subscriptionAwaitingAuthentication();
    renderManager();
    (await button('Confirm payment')).click();
    (await threeDSecureDialog()).complete();
    await waitFor(
      () => {
        const item = screen.getByRole('heading', { name: 'Starter' }).closest('li')!;
        expect(within(item).getByText('Active')).toBeVisible();
        expect(within(item).queryByRole('button', { name: 'Confirm payment' })).toBeNull();
      },
      { timeout: 10_000 },
    );
  });
});
