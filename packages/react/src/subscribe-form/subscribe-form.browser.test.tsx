/**
 * Subscribing against the real sandbox Stripe.js and Payment Element (in Chromium): the first
 * invoice paid with `confirmPayment`, and a trial's card saved with `confirmSetup`, the sandbox
 * core and a fake Tillkit server answering in the page through MSW.
 */
import { render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { axeViolations } from '../../test/support/axe.js';
import {
  API_BASE,
  enabledButton,
  fillCard,
  type InPageSandbox,
  startInPageSandbox,
  threeDSecureDialog,
} from '../../test/support/in-page-sandbox.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SubscriptionManager } from '../subscription-manager/subscription-manager.js';
import { SubscribeForm } from './subscribe-form.js';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.server.reset());

function renderForm(
  price: string,
  handlers: {
    onSuccess?: (subscription: { id: string }) => void;
    onError?: (error: unknown) => void;
  } = {},
) {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
      <SubscribeForm price={price} {...handlers} />
    </TillkitProvider>,
  );
}

const button = (name: string) => enabledButton(name);

const subscriptionPosts = () =>
  sandbox.server.calls.filter((call) => call.method === 'POST' && call.path === '/subscriptions');

async function subscription(id: string) {
  return sandbox.server.stripe(`/v1/subscriptions/${id}`, {}, 'GET');
}

/** Each test subscribes to a product once: cancel what a previous test left. */
beforeEach(async () => {
  const customer = await sandbox.server.customer();
  const list = await sandbox.server.stripe('/v1/subscriptions', { customer }, 'GET');
  for (const live of list.data as Array<{ id: string }>) {
    await sandbox.server.stripe(`/v1/subscriptions/${live.id}`, {}, 'DELETE');
  }
});

describe('SubscribeForm in Chromium', () => {
  it('has no accessibility violations once ready', async () => {
    const { container } = renderForm(sandbox.server.prices.starter_monthly!);
    await button('Subscribe');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows the price with nothing created, then pays the first invoice with confirmPayment', async () => {
    const onSuccess = vi.fn();
    renderForm(sandbox.server.prices.starter_monthly!, { onSuccess });
    const subscribe = await button('Subscribe');
    expect(screen.getByText('Starter · $9.00 / month')).toBeVisible();
    expect(subscriptionPosts()).toEqual([]);
    await fillCard({ number: '4242 4242 4242 4242' });
    subscribe.click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    expect(subscriptionPosts()).toHaveLength(1);
    expect(subscriptionPosts()[0]?.idempotencyKey).toMatch(/^tillkit_/);
    const created = onSuccess.mock.calls[0]?.[0] as { id: string; clientSecretType: string };
    expect(created.clientSecretType).toBe('payment');
    expect(await subscription(created.id)).toMatchObject({ status: 'active' });
  });

  it("saves a trial's card with confirmSetup and starts the trial", async () => {
    const onSuccess = vi.fn();
    renderForm(sandbox.server.prices.pro_monthly!, { onSuccess });
    const start = await button('Start free trial');
    expect(screen.getByText('Pro · $29.00 / month · 14-day free trial')).toBeVisible();
    await fillCard({ number: '4242 4242 4242 4242' });
    start.click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    const created = onSuccess.mock.calls[0]?.[0] as { id: string; clientSecretType: string };
    expect(created.clientSecretType).toBe('setup');
    const trial = await subscription(created.id);
    expect(trial.status).toBe('trialing');
    expect(trial.default_payment_method).toMatch(/^pm_/);
  });

  it('confirms the same subscription again after a decline: one POST', async () => {
    const onSuccess = vi.fn();
    renderForm(sandbox.server.prices.starter_monthly!, { onSuccess });
    const subscribe = await button('Subscribe');
    await fillCard({ number: '4000 0000 0000 9995' });
    subscribe.click();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent('Your card has insufficient funds.'), {
      timeout: 10_000,
    });
    await waitFor(() => expect(alert).toHaveFocus());

    await fillCard({ number: '4242 4242 4242 4242' });
    (await button('Subscribe')).click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    expect(subscriptionPosts()).toHaveLength(1);
    expect(await subscription(onSuccess.mock.calls[0]?.[0].id)).toMatchObject({
      status: 'active',
    });
  });

  it('after 3D Secure fails on the first invoice, a retry with another card pays the same subscription', async () => {
    const onSuccess = vi.fn();
    const onError = vi.fn();
    renderForm(sandbox.server.prices.starter_monthly!, { onSuccess, onError });
    const subscribe = await button('Subscribe');
    await fillCard({ number: '4000 0027 6000 3184' });
    subscribe.click();
    (await threeDSecureDialog()).fail();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(
      () =>
        expect(alert).toHaveTextContent(
          'We are unable to authenticate your payment method. Please choose a different payment method and try again.',
        ),
      { timeout: 10_000 },
    );
    await waitFor(() => expect(alert).toHaveFocus());
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'payment_intent_authentication_failure' }),
    );
    expect(onSuccess).not.toHaveBeenCalled();
    expect(subscriptionPosts()).toHaveLength(1);
    const customer = await sandbox.server.customer();
    const [waiting, ...others] = (
      await sandbox.server.stripe('/v1/subscriptions', { customer }, 'GET')
    ).data as Array<{ id: string; status: string }>;
    expect(others).toEqual([]);
    expect(waiting?.status).toBe('incomplete');

    // The form is usable again: another card, the same subscription's secret, no second POST.
    await fillCard({ number: '4242 4242 4242 4242' });
    (await button('Subscribe')).click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    expect(subscriptionPosts()).toHaveLength(1);
    expect(onSuccess.mock.calls[0]?.[0].id).toBe(waiting?.id);
    expect(await subscription(waiting?.id as string)).toMatchObject({ status: 'active' });
  });

  it('a promotion code applied in the form is what the first invoice takes off', async () => {
    const onSuccess = vi.fn();
    const { container } = render(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
        <SubscribeForm
          price={sandbox.server.prices.starter_monthly!}
          promotionCodes
          onSuccess={onSuccess}
        />
      </TillkitProvider>,
    );
    await button('Subscribe');
    const field = screen.getByRole('textbox', { name: 'Promotion code' });
    field.focus();
    await userEvent.keyboard('welcome10{Enter}');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove' })).toHaveFocus(), {
      timeout: 10_000,
    });
    expect(
      container.querySelector('[data-slot="subscribe-form-promotion-status"]'),
    ).toHaveTextContent('WELCOME10: 10% off the first payment. Due today: $8.10');
    expect(await axeViolations(container)).toEqual([]);
    await fillCard({ number: '4242 4242 4242 4242' });
    (await button('Subscribe')).click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    const created = onSuccess.mock.calls[0]?.[0] as { id: string };
    const paid = await sandbox.server.stripe(
      `/v1/subscriptions/${created.id}`,
      { 'expand[0]': 'latest_invoice' },
      'GET',
    );
    expect(paid).toMatchObject({ status: 'active', latest_invoice: { amount_paid: 810 } });
  });

  it('completes 3D Secure for the first payment in place', async () => {
    const onSuccess = vi.fn();
    renderForm(sandbox.server.prices.starter_yearly!, { onSuccess });
    const subscribe = await button('Subscribe');
    expect(screen.getByText('Starter · $90.00 / year')).toBeVisible();
    await fillCard({ number: '4000 0027 6000 3184' });
    subscribe.click();
    (await threeDSecureDialog()).complete();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    expect(await subscription(onSuccess.mock.calls[0]?.[0].id)).toMatchObject({
      status: 'active',
    });
  });

  it('a SubscriptionManager beside the form lists the plan it starts, with no refresh of the host’s', async () => {
    render(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
        <SubscriptionManager />
        <SubscribeForm price={sandbox.server.prices.starter_monthly!} />
      </TillkitProvider>,
    );
    const subscribe = await button('Subscribe');
    expect(await screen.findByText('No subscriptions.')).toBeVisible();
    await fillCard({ number: '4242 4242 4242 4242' });
    subscribe.click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    expect(await screen.findByRole('heading', { name: 'Starter' })).toBeVisible();
    expect(screen.queryByText('No subscriptions.')).toBeNull();
  });
});
