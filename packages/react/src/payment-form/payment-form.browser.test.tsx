/**
 * The payment form against the real sandbox Stripe.js and Payment Element (in Chromium), with the
 * sandbox core and a fake Tillkit server answering in the page through MSW.
 */
import type { PaymentIntent } from '@stripe/stripe-js';
import { render, screen, waitFor } from '@testing-library/react';
import type { CartItem } from '@tillkit/protocol';
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
  cardFields,
  expectTabOrder,
  focused,
  startBefore,
  tabInAndTypeCard,
  typeCard,
} from '../../test/support/keyboard.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { PaymentForm } from './payment-form.js';

let sandbox: InPageSandbox;

beforeAll(async () => {
  sandbox = await startInPageSandbox();
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.server.reset());

function checkout(
  items: CartItem[],
  handlers: { onSuccess?: (intent: PaymentIntent) => void; onError?: () => void } = {},
) {
  const stripe = sandbox.stripe();
  const ui = (cart: CartItem[]) => (
    <TillkitProvider apiBase={API_BASE} stripe={stripe}>
      <PaymentForm items={cart} {...handlers} />
    </TillkitProvider>
  );
  const view = render(ui(items));
  return { ...view, setItems: (cart: CartItem[]) => view.rerender(ui(cart)) };
}

const payButton = (name: string) => enabledButton(name);

const posts = () => sandbox.server.calls.filter((call) => call.method === 'POST');
const patches = () => sandbox.server.calls.filter((call) => call.method === 'PATCH');

describe('PaymentForm in Chromium', () => {
  it('has no accessibility violations once ready', async () => {
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }]);
    await payButton('Pay $25.00');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('renders the Payment Element from the prices with no intent, then pays', async () => {
    const onSuccess = vi.fn();
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], {
      onSuccess,
    });
    const pay = await payButton('Pay $25.00');
    expect(screen.getByText('Total $25.00')).toBeVisible();
    expect(posts()).toEqual([]);
    await fillCard({ number: '4242 4242 4242 4242' });
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(onSuccess).toHaveBeenCalledOnce();
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ status: 'succeeded', amount: 2500 });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.idempotencyKey).toMatch(/^tillkit_[0-9a-f]{32}$/);
    expect(container.querySelector('[data-slot="payment-form"]')).toHaveAttribute(
      'data-state',
      'succeeded',
    );
  });

  it.each([
    ['generic decline', '4000 0000 0000 0002', 'Your card was declined.'],
    ['insufficient funds', '4000 0000 0000 9995', 'Your card has insufficient funds.'],
    ['expired card', '4000 0000 0000 0069', 'Your card has expired.'],
    ['incorrect CVC', '4000 0000 0000 0127', "Your card's security code is incorrect."],
    [
      'processing error',
      '4000 0000 0000 0119',
      'An error occurred while processing your card. Try again in a little bit.',
    ],
    ['lost card', '4000 0000 0000 9987', 'Your card was declined.'],
    ['stolen card', '4000 0000 0000 9979', 'Your card was declined.'],
    [
      'velocity limit',
      '4000 0000 0000 6975',
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
    ],
    ['Radar block', '4100 0000 0000 0019', 'Your card was declined.'],
    ['charge failure of a card that attaches', '4000 0000 0000 0341', 'Your card was declined.'],
    [
      'refusal of a real card in test mode',
      '4147 0958 3016 2745',
      'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
    ],
  ])('shows the %s in the error region and moves focus there', async (_name, number, message) => {
    const onError = vi.fn();
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], {
      onError,
    });
    const pay = await payButton('Pay $25.00');
    await fillCard({ number });
    pay.click();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent(message), { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveFocus());
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ type: 'card_error', message }));
    expect(container.querySelector('[data-slot="payment-form"]')).toHaveAttribute(
      'data-state',
      'failed',
    );
    expect(pay).toBeEnabled();
    expect(pay).toHaveAttribute('aria-describedby', alert.id);
  });

  it('completes 3D Secure in place', async () => {
    const onSuccess = vi.fn();
    checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], { onSuccess });
    const pay = await payButton('Pay $25.00');
    await fillCard({ number: '4000 0027 6000 3184' });
    pay.click();
    (await threeDSecureDialog()).complete();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ status: 'succeeded' });
  });

  it.each([
    ['4000 0084 0000 1629', 'Your card was declined.'],
    ['4000 0082 6000 3178', 'Your card has insufficient funds.'],
  ])('shows the decline that follows a completed 3D Secure (%s)', async (number, message) => {
    checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }]);
    const pay = await payButton('Pay $25.00');
    await fillCard({ number });
    pay.click();
    (await threeDSecureDialog()).complete();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent(message), { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveFocus());
    expect(await payButton('Pay $25.00')).toBeEnabled();
  });

  it('reports a failed 3D Secure as a decline, and the same intent pays with another card', async () => {
    checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }]);
    const pay = await payButton('Pay $25.00');
    await fillCard({ number: '4000 0000 0000 3220' });
    pay.click();
    (await threeDSecureDialog()).fail();
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent(/unable to authenticate/i));
    await waitFor(() => expect(alert).toHaveFocus());

    await fillCard({ number: '4242 4242 4242 4242' });
    (await payButton('Pay $25.00')).click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(posts()).toHaveLength(1);
  });

  it('retries a declined payment on the same intent: one POST, no second intent', async () => {
    const onSuccess = vi.fn();
    checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], { onSuccess });
    const pay = await payButton('Pay $25.00');
    await fillCard({ number: '4000 0000 0000 0002' });
    pay.click();
    await screen.findByText('Your card was declined.', {}, { timeout: 10_000 });
    const first = posts();
    expect(first).toHaveLength(1);

    await fillCard({ number: '4242 4242 4242 4242' });
    (await payButton('Pay $25.00')).click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(posts()).toHaveLength(1);
    expect(patches()).toEqual([]);
    const intents = await sandbox.server.stripe('/v1/payment_intents', { limit: '100' }, 'GET');
    const paid = onSuccess.mock.calls[0]?.[0] as PaymentIntent;
    expect(
      (intents.data as Array<{ id: string }>).filter((intent) => intent.id === paid.id),
    ).toHaveLength(1);
  });

  it('re-prices the intent with PATCH when the cart changed after a decline', async () => {
    const onSuccess = vi.fn();
    const price = sandbox.server.prices.tshirt!;
    const { setItems } = checkout([{ price, quantity: 1 }], { onSuccess });
    const pay = await payButton('Pay $25.00');
    await fillCard({ number: '4000 0000 0000 9995' });
    pay.click();
    await screen.findByText('Your card has insufficient funds.', {}, { timeout: 10_000 });

    setItems([{ price, quantity: 2 }]);
    const payMore = await payButton('Pay $50.00');
    await fillCard({ number: '4242 4242 4242 4242' });
    payMore.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(posts()).toHaveLength(1);
    expect(patches()).toHaveLength(1);
    expect(patches()[0]?.body).toMatchObject({ items: [{ price, quantity: 2 }] });
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ amount: 5000, status: 'succeeded' });
  });

  describe('after a reload (the tab keeps the intent of a try that did not end)', () => {
    /** One shirt, declined; then the page goes, the tab's storage stays. Answers the intent's id. */
    async function declinedThenReloaded(): Promise<string> {
      const onError = vi.fn();
      const first = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], { onError });
      const pay = await payButton('Pay $25.00');
      await fillCard({ number: '4000 0000 0000 0002' });
      pay.click();
      await screen.findByText('Your card was declined.', {}, { timeout: 10_000 });
      first.unmount();
      return onError.mock.calls[0]?.[0].cause.payment_intent.id;
    }

    it('pays with the declined try’s intent: no second intent', async () => {
      const id = await declinedThenReloaded();
      const onSuccess = vi.fn();
      checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], { onSuccess });
      const pay = await payButton('Pay $25.00');
      await fillCard({ number: '4242 4242 4242 4242' });
      pay.click();
      await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
      expect(onSuccess).toHaveBeenCalledOnce();
      expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ id, status: 'succeeded' });
      expect(posts()).toHaveLength(1);
      // Sent again once, the same cart, so the server checks it is still the caller's.
      expect(patches()).toEqual([expect.objectContaining({ path: expect.stringContaining(id) })]);
    });

    it('shows a payment that went through before the reload, tells onSuccess once, pays no more', async () => {
      const id = await declinedThenReloaded();
      // The tab's other try (or a confirmation whose answer the reload lost) paid it meanwhile.
      const paid = await sandbox.server.stripe(`/v1/payment_intents/${id}/confirm`, {
        payment_method: 'pm_card_visa',
        return_url: 'https://shop.example/done',
      });
      expect(paid.status).toBe('succeeded');
      const onSuccess = vi.fn();
      const again = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], {
        onSuccess,
      });
      await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
      expect(onSuccess).toHaveBeenCalledOnce();
      expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ id, status: 'succeeded' });
      expect(posts()).toHaveLength(1);
      expect(patches()).toEqual([]);
      // Once: the tab's next page is a new payment.
      again.unmount();
      checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], { onSuccess });
      await payButton('Pay $25.00');
      expect(onSuccess).toHaveBeenCalledOnce();
    });
  });

  it('makes double submits impossible', async () => {
    const onSuccess = vi.fn();
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }], {
      onSuccess,
    });
    const pay = await payButton('Pay $25.00');
    await fillCard({ number: '4242 4242 4242 4242' });
    const form = container.querySelector('form') as HTMLFormElement;
    pay.click();
    form.requestSubmit();
    form.requestSubmit();
    await waitFor(() => expect(pay).toBeDisabled());
    expect(pay).toHaveTextContent('Processing…');
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(posts()).toHaveLength(1);
    expect(onSuccess).toHaveBeenCalledOnce();
  });

  it('charges a zero-decimal currency in whole units (JPY)', async () => {
    const onSuccess = vi.fn();
    checkout([{ price: sandbox.server.prices.mug_jpy!, quantity: 2 }], { onSuccess });
    const pay = await payButton('Pay ¥3,000');
    await fillCard({ number: '4242 4242 4242 4242' });
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ amount: 3000, currency: 'jpy' });
  });

  it('charges a three-decimal currency in thousandths (KWD)', async () => {
    const onSuccess = vi.fn();
    checkout([{ price: sandbox.server.prices.tshirt_kwd!, quantity: 1 }], { onSuccess });
    const pay = await payButton('Pay KWD\u00a07.500');
    await fillCard({ number: '4242 4242 4242 4242' });
    pay.click();
    await screen.findByText('Payment successful. Thank you!', {}, { timeout: 10_000 });
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ amount: 7500, currency: 'kwd' });
  });
});

describe('PaymentForm by keyboard alone in Chromium', () => {
  // A dialog a failed test left open would keep the next test's page inert.
  afterEach(() => document.querySelector('[data-tillkit-sandbox="3ds"]')?.remove());

  /** The form ready, focus on a button before it, the card typed and focus on Pay. */
  async function typedCard(number: string, handlers: Parameters<typeof checkout>[1] = {}) {
    const { container } = checkout(
      [{ price: sandbox.server.prices.tshirt!, quantity: 1 }],
      handlers,
    );
    const pay = await payButton('Pay $25.00');
    const field = await tabInAndTypeCard(container, number, pay);
    return { form: container.querySelector('form') as HTMLFormElement, pay, field };
  }

  async function expectAlertFocused(message: string | RegExp): Promise<HTMLElement> {
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    await waitFor(() => expect(alert).toHaveTextContent(message), { timeout: 10_000 });
    await waitFor(() => expect(focused()).toBe(alert));
    return alert;
  }

  async function expectPaid(form: HTMLFormElement) {
    await waitFor(
      () => expect(screen.getByRole('status')).toHaveTextContent('Payment successful. Thank you!'),
      { timeout: 10_000 },
    );
    // Pay went with the fields: focus stays on the form around the news, not the page's body.
    expect(focused()).toBe(form);
  }

  it.each([
    ['Enter', '{Enter}'],
    ['Space', ' '],
  ])('pays: Tab into the card fields, type a card, Tab to Pay, press %s', async (_key, keys) => {
    const onSuccess = vi.fn();
    const { form } = await typedCard('4242 4242 4242 4242', { onSuccess });
    await userEvent.keyboard(keys);
    await expectPaid(form);
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ status: 'succeeded', amount: 2500 });
    expect(posts()).toHaveLength(1);
  });

  it('puts focus on the first incomplete field when Pay is pressed with none typed', async () => {
    const { container } = checkout([{ price: sandbox.server.prices.tshirt!, quantity: 1 }]);
    const pay = await payButton('Pay $25.00');
    const field = await cardFields();
    startBefore(container);
    await expectTabOrder([field.number, field.expiry, field.cvc, field.country, field.postal, pay]);
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(focused()).toBe(field.number));
    expect(field.number).toHaveAttribute('aria-invalid', 'true');
    expect(posts()).toEqual([]);
  });

  it('after a decline focuses the error; Shift+Tab back to the card, another card, Enter: one intent', async () => {
    const onSuccess = vi.fn();
    const { form, pay, field } = await typedCard('4000 0000 0000 0002', { onSuccess });
    await userEvent.keyboard('{Enter}');
    await expectAlertFocused('Your card was declined.');

    // The error sits between the card fields and Pay.
    await expectTabOrder(
      [field.postal, field.country, field.cvc, field.expiry, field.number],
      true,
    );
    await typeCard({ number: '4242 4242 4242 4242' });
    await expectTabOrder([pay]);
    await userEvent.keyboard('{Enter}');
    await expectPaid(form);
    expect(posts()).toHaveLength(1);
    expect(patches()).toEqual([]);
    expect(onSuccess.mock.calls[0]?.[0]).toMatchObject({ status: 'succeeded' });
  });

  it('completes 3D Secure: the dialog takes focus and keeps Tab to its buttons, Enter completes', async () => {
    const { form } = await typedCard('4000 0027 6000 3184');
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    // Modal: Tab and Shift+Tab go round its buttons, past them at most out of the page (to the
    // browser's own controls: null here), never to the form behind it.
    for (const back of [false, true]) {
      const reached = new Set<Element | null>();
      for (let press = 0; press < 4; press++) {
        await userEvent.tab({ shift: back });
        reached.add(focused());
      }
      expect([...reached]).toEqual(
        expect.arrayContaining([dialog.completeButton, dialog.failButton]),
      );
      expect([dialog.completeButton, dialog.failButton, null]).toEqual(
        expect.arrayContaining([...reached]),
      );
    }
    for (let press = 0; focused() !== dialog.completeButton && press < 3; press++) {
      await userEvent.tab();
    }
    await userEvent.keyboard('{Enter}');
    await expectPaid(form);
    expect(document.querySelector('[data-tillkit-sandbox="3ds"]')).toBeNull();
  });

  it('fails 3D Secure with Tab and Enter on "Fail authentication": focus on the error', async () => {
    const { pay } = await typedCard('4000 0000 0000 3220');
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    await expectTabOrder([dialog.failButton]);
    await userEvent.keyboard('{Enter}');
    const alert = await expectAlertFocused(/unable to authenticate/i);
    expect(pay).toBeEnabled();
    expect(pay).toHaveAttribute('aria-describedby', alert.id);
  });

  it("fails 3D Secure on Escape, as closing Stripe's dialog does: focus on the error", async () => {
    await typedCard('4000 0027 6000 3184');
    await userEvent.keyboard('{Enter}');
    const dialog = await threeDSecureDialog();
    await waitFor(() => expect(focused()).toBe(dialog.completeButton));
    await userEvent.keyboard('{Escape}');
    await expectAlertFocused(/unable to authenticate/i);
    expect(document.querySelector('[data-tillkit-sandbox="3ds"]')).toBeNull();
  });
});
