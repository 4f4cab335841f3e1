/**
 * Fixing a subscription's payment in place against the real sandbox Stripe.js (in Chromium):
 * `new_card` pays the open invoice with a card entered in a Payment Element made from the
 * invoice's PaymentIntent; `authenticate` opens the bank's 3D Secure with `AuthenticatePayment`,
 * and offers a new card when it fails; both by keyboard alone, then what is said and focused once
 * paid. `PayWithNewCard` on its own through a failed 3D Secure.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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
import {
  expectTabOrder,
  focused,
  startBefore,
  tabInAndTypeCard,
} from '../../test/support/keyboard.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PayWithNewCard, SubscriptionManager } from './subscription-manager.js';

const AUTHENTICATION_FAILED =
  'We are unable to authenticate your payment method. Please choose a different payment method and try again.';

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

/**
 * A first payment never made: the subscription stays incomplete, its invoice open. Answers the
 * client secret of the invoice's PaymentIntent.
 */
async function unpaidSubscription(): Promise<string> {
  const response = await fetch(`${API_BASE}/subscriptions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ price: sandbox.server.prices.starter_monthly }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { clientSecret: string }).clientSecret;
}

/**
 * A trial with no card yet (Pro monthly's 14 days): its SetupIntent waits. Answers its secret.
 */
async function trialWithoutCard(): Promise<string> {
  const response = await fetch(`${API_BASE}/subscriptions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ price: sandbox.server.prices.pro_monthly }),
  });
  const answer = (await response.json()) as { clientSecret: string; clientSecretType: string };
  expect(answer.clientSecretType).toBe('setup');
  return answer.clientSecret;
}

/**
 * A payment the bank wants the customer to confirm (a card that asks for 3D Secure). Answers the
 * subscription's id.
 */
async function subscriptionAwaitingAuthentication(): Promise<string> {
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
  return String(created.id);
}

function renderManager(ui = <SubscriptionManager />) {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
      {ui}
    </TillkitProvider>,
  );
}

const starter = () => screen.getByRole('heading', { name: 'Starter' }).closest('li') as HTMLElement;

const button = (name: string, root?: HTMLElement) => enabledButton(name, root);

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

  it('offers a new card when 3D Secure fails, and pays the same invoice with it', async () => {
    const subscription = await subscriptionAwaitingAuthentication();
    renderManager();
    (await button('Confirm payment')).click();
    (await threeDSecureDialog()).fail();
    const alert = await within(starter()).findByText(
      AUTHENTICATION_FAILED,
      {},
      { timeout: 10_000 },
    );
    await waitFor(() => expect(alert).toHaveFocus());
    expect(
      within(starter()).getByText(
        'The last payment for Starter failed. Pay with another card to keep it.',
      ),
    ).toBeVisible();
    expect(within(starter()).queryByRole('button', { name: 'Confirm payment' })).toBeNull();

    await fillCard({ number: '4242 4242 4242 4242' }, starter());
    (await button('Pay now', starter())).click();
    await waitFor(
      () => {
        expect(within(starter()).getByText('Active')).toBeVisible();
        expect(within(starter()).queryByRole('button', { name: 'Pay now' })).toBeNull();
      },
      { timeout: 10_000 },
    );
    // Its one invoice, paid by the new card.
    const invoices = await sandbox.server.stripe('/v1/invoices', { subscription }, 'GET');
    expect((invoices.data as Array<{ status: string }>).map((invoice) => invoice.status)).toEqual([
      'paid',
    ]);
  });
});

describe('SubscriptionManager by keyboard alone in Chromium', () => {
  // A dialog a failed test left open would keep the next test's page inert.
  afterEach(() => document.querySelector('[data-tillkit-sandbox="3ds"]')?.remove());

  /**
   * Once paid, the fixed subscription is active, its pending block gone with what had focus: focus
   * is on the manager's root (not the page's body), whose status region says the payment went
   * through.
   */
  async function expectPaidAndHome(container: HTMLElement) {
    const root = container.querySelector<HTMLElement>('[data-slot="subscription-manager"]');
    await waitFor(
      () => {
        expect(within(starter()).getByText('Active')).toBeVisible();
        expect(container.querySelector('[data-slot="subscription-manager-pending"]')).toBeNull();
      },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(focused()).toBe(root));
    expect(document.activeElement).toBe(root);
    expect(screen.getByRole('status')).toHaveTextContent('The payment for Starter went through.');
  }

  it('confirms a pending 3D Secure: Tab to Confirm payment, Enter, Enter in the bank’s dialog', async () => {
    await subscriptionAwaitingAuthentication();
    const { container } = renderManager();
    const confirm = await button('Confirm payment');
    startBefore(container);
    await expectTabOrder([confirm]);
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    await userEvent.keyboard('{Enter}');
    await expectPaidAndHome(container);
  });

  it('pays an open invoice with a new card: Tab into the card, type it, Tab to Pay now, Enter', async () => {
    await unpaidSubscription();
    const { container } = renderManager();
    await tabInAndTypeCard(container, '4242 4242 4242 4242', await button('Pay now'));
    await userEvent.keyboard('{Enter}');
    await expectPaidAndHome(container);
  });
});

describe('SubscriptionManager with a trial waiting for its card, in Chromium', () => {
  it('saves the card with the trial’s SetupIntent: Tab into the card, type it, Enter; then says so', async () => {
    const clientSecret = await trialWithoutCard();
    const { container } = renderManager();
    const pro = (await screen.findByRole('heading', { name: 'Pro' })).closest('li')!;
    expect(within(pro).getByText('Trial')).toBeVisible();
    expect(
      within(pro).getByText(/^Add a card to keep Pro after your trial ends on /),
    ).toBeVisible();
    expect(await axeViolations(container)).toEqual([]);
    await tabInAndTypeCard(container, '4242 4242 4242 4242', await button('Save card', pro));
    await userEvent.keyboard('{Enter}');
    const root = container.querySelector<HTMLElement>('[data-slot="subscription-manager"]');
    await waitFor(
      () => {
        expect(container.querySelector('[data-slot="subscription-manager-pending"]')).toBeNull();
        expect(screen.getByRole('status')).toHaveTextContent('Your card is saved for Pro.');
      },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(focused()).toBe(root));
    // Still a trial, now with the card it renews with; no other SetupIntent was made.
    const pending = await sandbox.server.stripe(
      `/v1/setup_intents/${clientSecret.split('_secret_')[0]}`,
      {},
      'GET',
    );
    expect(pending.status).toBe('succeeded');
    const [subscription] = (
      await sandbox.server.stripe(
        '/v1/subscriptions',
        { customer: await sandbox.server.customer() },
        'GET',
      )
    ).data as Array<{ status: string; default_payment_method: string | null }>;
    expect(subscription).toMatchObject({
      status: 'trialing',
      default_payment_method: pending.payment_method,
    });
    expect(sandbox.server.calls.map((call) => `${call.method} ${call.path}`)).not.toContain(
      'POST /setup-intents',
    );
  });
});

describe('PayWithNewCard in Chromium', () => {
  it('shows why 3D Secure failed, then pays the invoice with the next card', async () => {
    const clientSecret = await unpaidSubscription();
    const onSuccess = vi.fn();
    renderManager(<PayWithNewCard clientSecret={clientSecret} onSuccess={onSuccess} />);
    await fillCard({ number: '4000 0027 6000 3184' });
    (await button('Pay now')).click();
    (await threeDSecureDialog()).fail();
    const alert = await screen.findByText(AUTHENTICATION_FAILED, {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveFocus());
    expect(onSuccess).not.toHaveBeenCalled();

    await fillCard({ number: '4242 4242 4242 4242' });
    (await button('Pay now')).click();
    expect(
      await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 }),
    ).toBeVisible();
    expect(onSuccess).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'succeeded', client_secret: clientSecret }),
    );
  });
});
