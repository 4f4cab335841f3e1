/**
 * Saving a card against the real sandbox Stripe.js and Payment Element (in Chromium), with the
 * sandbox core and a fake Tillkit server answering in the page through MSW.
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
import { focused, tabInAndTypeCard } from '../../test/support/keyboard.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SavedCards } from '../saved-cards/saved-cards.js';
import { SaveCardForm } from './save-card-form.js';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.server.reset());

function renderForm(handlers: { onSuccess?: () => void; onError?: () => void } = {}) {
  return render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()}>
      <SaveCardForm {...handlers} />
    </TillkitProvider>,
  );
}

const saveButton = () => enabledButton('Save card');

const setupPosts = () => sandbox.server.calls.filter((call) => call.path === '/setup-intents');

async function savedCards(): Promise<Array<{ card: { last4: string } }>> {
  const customer = await sandbox.server.customer();
  const list = await sandbox.server.stripe(
    `/v1/customers/${customer}/payment_methods`,
    { type: 'card' },
    'GET',
  );
  return list.data as Array<{ card: { last4: string } }>;
}

describe('SaveCardForm in Chromium', () => {
  it('has no accessibility violations once ready', async () => {
    const { container } = renderForm();
    await saveButton();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('renders the Payment Element in setup mode with nothing created, then saves the card', async () => {
    const onSuccess = vi.fn();
    const { container } = renderForm({ onSuccess });
    const save = await saveButton();
    expect(setupPosts()).toEqual([]);
    await fillCard({ number: '5555 5555 5555 4444' });
    save.click();
    await screen.findByText('Your card has been saved.', {}, { timeout: 10_000 });
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
    expect(setupPosts()).toHaveLength(1);
    expect(setupPosts()[0]?.idempotencyKey).toMatch(/^tillkit_[0-9a-f]{32}$/);
    expect((await savedCards()).map((method) => method.card.last4)).toContain('4444');
    expect(container.querySelector('[data-slot="save-card-form"]')).toHaveAttribute(
      'data-state',
      'succeeded',
    );
  });

  it('shows a decline in the error region, moves focus there, and saves the next card on the same SetupIntent', async () => {
    const onError = vi.fn();
    renderForm({ onError });
    const save = await saveButton();
    await fillCard({ number: '4000 0000 0000 0002' });
    save.click();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent('Your card was declined.'), {
      timeout: 10_000,
    });
    await waitFor(() => expect(alert).toHaveFocus());
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'card_declined' }));
    expect(save).toHaveAttribute('aria-describedby', alert.id);

    await fillCard({ number: '4242 4242 4242 4242' });
    (await saveButton()).click();
    await screen.findByText('Your card has been saved.', {}, { timeout: 10_000 });
    expect(setupPosts()).toHaveLength(1);
  });

  it.each([
    ['a real card in test mode', '4147 0958 3016 2745', 'test_mode_live_card'],
    ['a lost card', '4000 0000 0000 9987', 'lost_card'],
  ])('refuses to save %s, with the reason shown', async (_name, number, declineCode) => {
    const onError = vi.fn();
    renderForm({ onError });
    const save = await saveButton();
    await fillCard({ number });
    save.click();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent('Your card was declined.'), {
      timeout: 10_000,
    });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ declineCode }));
    expect((await savedCards()).map((method) => method.card.last4)).not.toContain(number.slice(-4));
  });

  it('saves 4000 0000 0000 0341, which attaches and fails only when charged', async () => {
    renderForm();
    const save = await saveButton();
    await fillCard({ number: '4000 0000 0000 0341' });
    save.click();
    await screen.findByText('Your card has been saved.', {}, { timeout: 10_000 });
    expect((await savedCards()).map((method) => method.card.last4)).toContain('0341');
  });

  it('completes 3D Secure in place', async () => {
    const onSuccess = vi.fn();
    renderForm({ onSuccess });
    const save = await saveButton();
    await fillCard({ number: '4000 0025 0000 3155' });
    save.click();
    (await threeDSecureDialog()).complete();
    await screen.findByText('Your card has been saved.', {}, { timeout: 10_000 });
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ status: 'succeeded' }));
  });

  it('reports a failed 3D Secure and lets the customer try another card', async () => {
    const onError = vi.fn();
    renderForm({ onError });
    const save = await saveButton();
    await fillCard({ number: '4000 0025 0000 3155' });
    save.click();
    (await threeDSecureDialog()).fail();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent(/unable to authenticate/i), {
      timeout: 10_000,
    });
    await waitFor(() => expect(alert).toHaveFocus());
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'setup_intent_authentication_failure' }),
    );
    expect(await saveButton()).toBeEnabled();
  });
});

describe('SaveCardForm by keyboard alone in Chromium', () => {
  async function typedCard(number: string) {
    const { container } = renderForm();
    await tabInAndTypeCard(container, number, await saveButton());
    return container.querySelector('form') as HTMLFormElement;
  }

  async function expectSaved(form: HTMLFormElement) {
    await waitFor(
      () => expect(screen.getByRole('status')).toHaveTextContent('Your card has been saved.'),
      { timeout: 10_000 },
    );
    // Save card went with the fields: focus stays on the form around the news.
    expect(focused()).toBe(form);
  }

  it('saves a card: Tab into the card fields, type it, Tab to Save card, press Space', async () => {
    const form = await typedCard('5555 5555 5555 4444');
    await userEvent.keyboard(' ');
    await expectSaved(form);
    expect((await savedCards()).map((method) => method.card.last4)).toContain('4444');
  });

  it('saves a card that asks for 3D Secure: Enter on Save card, Enter on Complete authentication', async () => {
    const form = await typedCard('4000 0025 0000 3155');
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    await userEvent.keyboard('{Enter}');
    await expectSaved(form);
    expect(setupPosts()).toHaveLength(1);
  });

  it('a SavedCards beside the form lists the card it saves, with no refresh of the host’s', async () => {
    render(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()} getAuthToken={() => 'tok'}>
        <SavedCards />
        <SaveCardForm />
      </TillkitProvider>,
    );
    const before = (await savedCards()).length;
    const reads = () =>
      sandbox.server.calls.filter((call) => call.path === '/payment-methods').length;
    await waitFor(() => expect(reads()).toBe(1));
    const save = await saveButton();
    await fillCard({ number: '3782 822463 10005', cvc: '1234' });
    save.click();
    await screen.findByText('Your card has been saved.', {}, { timeout: 10_000 });
    expect(await savedCards()).toHaveLength(before + 1);
    await waitFor(() => expect(reads()).toBe(2));
    expect(await screen.findByText(/American Express ending in 0005/)).toBeVisible();
  });
});
