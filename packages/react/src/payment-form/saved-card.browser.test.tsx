/**
 * Paying with a saved card, end to end in Chromium: cards saved with `SaveCardForm`, then
 * `PaymentForm` signed in, whose Payment Element (the sandbox's Stripe.js) lists them from the
 * server's Customer Session; the chosen one pays the caller's intent. A guest asks for no session
 * and sees only the card fields. `SubscribeForm` does the same for a first payment and a trial.
 * A form left open renews its session, and the same element lists the cards again.
 */
import { render, screen } from '@testing-library/react';
import type { CartItem } from '@tillkit/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  API_BASE,
  elementDocument,
  enabledButton,
  fillCard,
  type InPageSandbox,
  startInPageSandbox,
} from '../../test/support/in-page-sandbox.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { SaveCardForm } from '../save-card-form/save-card-form.js';
import { SubscribeForm } from '../subscribe-form/subscribe-form.js';
import { PaymentForm } from './payment-form.js';

let sandbox: InPageSandbox;
beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.server.reset());

const TOKEN = () => 'tok_buyer';

/** Saves a card as the customer would, with SaveCardForm. */
async function saveCard(number: string) {
  const view = render(
    <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()} getAuthToken={TOKEN}>
      <SaveCardForm />
    </TillkitProvider>,
  );
  const save = await enabledButton('Save card');
  await fillCard({ number });
  save.click();
  await screen.findByText('Your card has been saved.', {}, { timeout: 10_000 });
  view.unmount();
}

function checkout(items: CartItem[], signedIn: boolean, onSuccess = vi.fn()) {
  return render(
    <TillkitProvider
      apiBase={API_BASE}
      stripe={sandbox.stripe()}
      {...(signedIn ? { getAuthToken: TOKEN } : {})}
    >
      <PaymentForm items={items} onSuccess={onSuccess} />
    </TillkitProvider>,
  );
}

/** The saved cards the Payment Element offers (radio labels), and the radios. */
async function savedChoices(root: ParentNode) {
  const doc = await elementDocument(root);
  const radios = [...doc.querySelectorAll<HTMLInputElement>('input[name="saved-payment-method"]')];
  const label = (radio: HTMLInputElement) =>
    doc.querySelector(`label[for="${radio.id}"] .saved-card`)?.textContent ?? '';
  return { doc, radios, labels: radios.map(label) };
}

const sessionCalls = () =>
  sandbox.server.calls.filter((call) => call.path === '/customer-sessions');

describe('PaymentForm with saved cards in Chromium', () => {
  it('pays with the saved card the customer chooses', async () => {
    await saveCard('5555 5555 5555 4444');
    await saveCard('4242 4242 4242 4242');
    sandbox.server.reset();

    const onSuccess = vi.fn();
    const { container } = checkout(
      [{ price: sandbox.server.prices.tshirt!, quantity: 1 }],
      true,
      onSuccess,
    );
    const pay = await enabledButton('Pay $25.00');
    expect(sessionCalls()).toHaveLength(1);
    const { doc, radios, labels } = await savedChoices(container);
    expect(labels).toEqual(['Visa •••• 4242', 'Mastercard •••• 4444', 'New card']);
    // The newest card is chosen first, and the card fields wait behind "New card".
    expect(radios[0]?.checked).toBe(true);
    expect(doc.querySelector('#field-number')?.closest('fieldset')?.hidden).toBe(true);

    // The customer picks the older card, and pays without typing one.
    const mastercard = radios[1] as HTMLInputElement;
    mastercard.click();
    expect(mastercard.checked).toBe(true);
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(onSuccess).toHaveBeenCalledOnce();

    const paid = onSuccess.mock.calls[0]?.[0] as { id: string };
    const intent = await sandbox.server.stripe(`/v1/payment_intents/${paid.id}`, {}, 'GET');
    expect(intent.status).toBe('succeeded');
    expect(intent.customer).toBe(await sandbox.server.customer());
    const method = await sandbox.server.stripe(
      `/v1/payment_methods/${String(intent.payment_method)}`,
      {},
      'GET',
    );
    expect((method.card as { last4: string }).last4).toBe('4444');
  });

  it('a new card still pays beside the saved ones', async () => {
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], true);
    const pay = await enabledButton('Pay $25.00');
    const { doc, radios } = await savedChoices(container);
    (radios.at(-1) as HTMLInputElement).click();
    expect(doc.querySelector('#field-number')?.closest('fieldset')?.hidden).toBe(false);
    await fillCard({ number: '4000 0566 5566 5556' }, container);
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
  });

  it('asks a guest for no session and shows only the card fields', async () => {
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], false);
    const pay = await enabledButton('Pay $25.00');
    const { radios } = await savedChoices(container);
    expect(radios).toEqual([]);
    expect(sessionCalls()).toEqual([]);
    await fillCard({ number: '4242 4242 4242 4242' }, container);
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
  });

  it.each([
    ['pays a first invoice', 'starter_monthly', 'Subscribe', 'active'],
    ['starts a trial', 'pro_monthly', 'Start free trial', 'trialing'],
  ])('SubscribeForm %s with the saved card chosen', async (_, lookupKey, action, status) => {
    const onSuccess = vi.fn();
    const { container } = render(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()} getAuthToken={TOKEN}>
        <SubscribeForm price={sandbox.server.prices[lookupKey]!} onSuccess={onSuccess} />
      </TillkitProvider>,
    );
    const submit = await enabledButton(action);
    const { radios, labels } = await savedChoices(container);
    const mastercard = radios[labels.indexOf('Mastercard •••• 4444')] as HTMLInputElement;
    mastercard.click();
    submit.click();
    await screen.findByText('You are subscribed. Thank you!', {}, { timeout: 10_000 });
    const created = onSuccess.mock.calls[0]?.[0] as { id: string };
    const subscription = await sandbox.server.stripe(`/v1/subscriptions/${created.id}`, {}, 'GET');
    expect(subscription.status).toBe(status);
    const card = await sandbox.server.stripe(
      `/v1/payment_methods/${String(subscription.default_payment_method)}`,
      {},
      'GET',
    );
    expect((card.card as { last4: string }).last4).toBe('4444');
  });

  it('offers a card saved while paying at the next checkout, never one kept for a subscription', async () => {
    const items = [{ price: sandbox.server.prices.tshirt!, quantity: 1 }];
    // Paid with a new card, saved at the customer's request (savePaymentMethod).
    const first = render(
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()} getAuthToken={TOKEN}>
        <PaymentForm items={items} savePaymentMethod />
      </TillkitProvider>,
    );
    const pay = await enabledButton('Pay $25.00');
    const { radios } = await savedChoices(first.container);
    (radios.at(-1) as HTMLInputElement).click();
    await fillCard({ number: '6011 1111 1111 1117' }, first.container);
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    first.unmount();
    // A card the customer gave a subscription only: attached as Stripe leaves it, not `always`.
    const kept = await sandbox.server.stripe('/v1/payment_methods/pm_card_amex/attach', {
      customer: await sandbox.server.customer(),
    });
    expect(kept.allow_redisplay).not.toBe('always');

    const { container } = checkout(items, true);
    await enabledButton('Pay $25.00');
    const { labels } = await savedChoices(container);
    // Newest first: the subscription's card, newer still, is not among them.
    expect(labels[0]).toBe('Discover •••• 1117');
    const last4 = (kept.card as { last4: string }).last4;
    expect(labels.filter((label) => label.endsWith(last4))).toEqual([]);
  });

  it('saves the card when "save my card" is ticked after a decline, and not when unticked', async () => {
    const items = [{ price: sandbox.server.prices.tshirt!, quantity: 1 }];
    const onSuccess = vi.fn();
    const form = (save: boolean) => (
      <TillkitProvider apiBase={API_BASE} stripe={sandbox.stripe()} getAuthToken={TOKEN}>
        <PaymentForm items={items} savePaymentMethod={save} onSuccess={onSuccess} />
      </TillkitProvider>
    );
    /** A new card typed in (below the saved ones, if any). */
    const newCard = async (number: string, root: HTMLElement) => {
      (await savedChoices(root)).radios.at(-1)?.click();
      await fillCard({ number }, root);
    };
    /** Declined, then paid with another card: the box as `first`, then as `second`. */
    const pay = async (first: boolean, second: boolean) => {
      onSuccess.mockClear();
      const view = render(form(first));
      const button = await enabledButton('Pay $25.00');
      await newCard('4000 0000 0000 0002', view.container);
      button.click();
      await screen.findByText('Your card was declined.', {}, { timeout: 10_000 });
      view.rerender(form(second));
      await newCard('6011 1111 1111 1117', view.container);
      (await enabledButton('Pay $25.00')).click();
      await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
      view.unmount();
      // Whether the card that paid is now the customer's (saved), as Stripe has it.
      const paid = onSuccess.mock.calls[0]?.[0] as { id: string };
      const intent = await sandbox.server.stripe(`/v1/payment_intents/${paid.id}`, {}, 'GET');
      const card = await sandbox.server.stripe(
        `/v1/payment_methods/${String(intent.payment_method)}`,
        {},
        'GET',
      );
      return card.customer;
    };
    expect(await pay(false, true)).toBe(await sandbox.server.customer());
    // Unticked after a decline: the customer's "no" holds.
    expect(await pay(true, false)).toBeNull();
  });

  it('a form left open renews its session before Stripe expires it: the same element lists the cards again, one saved meanwhile too, and pays with it', async () => {
    const onSuccess = vi.fn();
    let saved = '';
    // The page's timers and clock (the form's renewal); the Payment Element's frame keeps its own.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    try {
      const { container } = checkout(
        [{ price: sandbox.server.prices.tshirt!, quantity: 1 }],
        true,
        onSuccess,
      );
      const pay = await enabledButton('Pay $25.00');
      const before = await savedChoices(container);
      expect(before.labels).not.toContain('JCB •••• 0505');
      expect(sessionCalls()).toHaveLength(1);
      // Another tab saves a card for checkouts; this one stays open for 29 minutes.
      const jcb = await sandbox.server.stripe('/v1/payment_methods/pm_card_jcb/attach', {
        customer: await sandbox.server.customer(),
      });
      saved = String(jcb.id);
      await sandbox.server.stripe(`/v1/payment_methods/${saved}`, {
        allow_redisplay: 'always',
      });
      await vi.advanceTimersByTimeAsync(29 * 60_000 + 1000);
      await vi.waitFor(() => expect(sessionCalls()).toHaveLength(2));
      await vi.waitFor(async () =>
        expect((await savedChoices(container)).labels).toContain('JCB •••• 0505'),
      );
      const after = await savedChoices(container);
      // The same element (its frame was not rebuilt): the card that was chosen still is.
      expect(after.doc).toBe(before.doc);
      expect(after.labels[after.radios.findIndex((radio) => radio.checked)]).toBe(before.labels[0]);
      (after.radios[after.labels.indexOf('JCB •••• 0505')] as HTMLInputElement).click();
      pay.click();
      await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    } finally {
      vi.useRealTimers();
    }
    const paid = onSuccess.mock.calls[0]?.[0] as { id: string };
    const intent = await sandbox.server.stripe(`/v1/payment_intents/${paid.id}`, {}, 'GET');
    expect(intent.status).toBe('succeeded');
    expect(intent.payment_method).toBe(saved);
  });
});
