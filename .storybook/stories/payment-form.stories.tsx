/**
 * `PaymentForm`: the deferred-intent payment flow against the in-page sandbox. Each story is a
 * state; the ones past "ready" get there as a customer would (typing a test card, paying).
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { PaymentForm } from '@tillkit/react';
import { loadSandboxStripe } from '@tillkit/sandbox/browser';
import { useMemo } from 'react';
import { expect, waitFor } from 'storybook/test';
import { BasicPaymentForm } from '../../packages/react/examples/payment-form/basic.js';
import { CustomLayoutPaymentForm } from '../../packages/react/examples/payment-form/custom-layout.js';
import { HeadlessPaymentForm } from '../../packages/react/examples/payment-form/headless.js';
import { DarkGermanCheckout } from '../../packages/react/examples/theming/dark-theme.js';
import { API_BASE, demoServer, PUBLISHABLE_KEY, SANDBOX_BASE } from '../mocks/demo-server.js';
import { pending, serverError } from '../mocks/handlers.js';
import { formatMessage, messagesFor } from '../play/messages.js';
import {
  CARDS,
  declinedMessage,
  fillCard,
  paymentElement,
  threeDSecureDialog,
} from '../play/sandbox.js';
import { expectState, part } from '../play/state.js';

/** The ready-made form for a one-line cart (the stories' controls pick the price and quantity). */
function Checkout({ price, quantity }: { price: string; quantity: number }) {
  return (
    <PaymentForm
      items={[{ price, quantity }]}
      onSuccess={(paymentIntent) => console.info('paid', paymentIntent.id)}
    />
  );
}

const meta = {
  title: 'Payments/PaymentForm',
  component: Checkout,
  args: { price: 'price_tshirt', quantity: 1 },
  argTypes: {
    price: {
      control: 'select',
      options: ['price_tshirt', 'price_tshirt_kwd', 'price_mug_jpy'],
    },
    quantity: { control: { type: 'number', min: 1, max: 99 } },
  },
} satisfies Meta<typeof Checkout>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Stripe.js, the prices and the Payment Element are loading (`GET /prices` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/prices')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-form', 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).loading);
    await expect(canvas.getByRole('button')).toBeDisabled();
  },
};

/** The card fields are drawn from the cart's amount; no intent exists yet. */
export const Ready: Story = {
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await expect(canvas.getByRole('button')).toBeEnabled();
  },
};

/** Paying: the server is creating the intent (`POST /payment-intents` never answers). */
export const Submitting: Story = {
  parameters: { msw: [pending('post', '/payment-intents')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, 'payment-form', 'submitting');
    const pay = canvas.getByRole('button');
    await expect(pay).toBeDisabled();
    await expect(pay).toHaveTextContent(messagesFor(globals).processing);
    await expect(part(canvasElement, 'payment-form')).toHaveAttribute('aria-busy', 'true');
  },
};

/** Declined (4000 0000 0000 0002): Stripe's message in the alert, which takes focus. */
export const Declined: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, 'payment-form', 'failed');
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(declinedMessage(globals)));
    await waitFor(() => expect(alert).toHaveFocus());
    // The next try confirms the same intent.
    await expect(canvas.getByRole('button')).toBeEnabled();
  },
};

/** The bank's 3D Secure challenge is open (4000 0027 6000 3184); answer it in the dialog. */
export const ThreeDSecureChallenge: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.threeDSecure);
    await userEvent.click(canvas.getByRole('button'));
    const challenge = await threeDSecureDialog();
    await expect(challenge.dialog).toBeVisible();
    // Stripe.js runs the challenge inside confirmPayment(): the form waits, busy.
    await expectState(canvasElement, 'payment-form', 'submitting');
    await expect(part(canvasElement, 'payment-form')).toHaveAttribute('aria-busy', 'true');
  },
};

/** 3D Secure completed in place: the payment succeeds without leaving the page. */
export const ThreeDSecureCompleted: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.threeDSecure);
    await userEvent.click(canvas.getByRole('button'));
    (await threeDSecureDialog()).complete();
    await expectState(canvasElement, 'payment-form', 'succeeded');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).paymentSucceeded,
    );
  },
};

/** Paid with 4242 4242 4242 4242. */
export const Succeeded: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, 'payment-form', 'succeeded');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).paymentSucceeded,
    );
  },
};

/** The demo customer's two saved cards: a Visa and, saved after it, a Mastercard. */
async function twoSavedCards() {
  const server = demoServer();
  await server.saveCard({ number: '4242 4242 4242 4242', expMonth: 12, expYear: 2034 });
  await server.saveCard({ number: '5555 5555 5555 4444', expMonth: 3, expYear: 2031 });
  return {};
}

/**
 * A signed-in customer with saved cards: the server's Customer Session (`POST /customer-sessions`)
 * lets the Payment Element list them above a new card, the newest chosen. The customer picks the
 * Visa and pays without typing a card.
 */
export const WithSavedCards: Story = {
  loaders: [twoSavedCards],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    const doc = await paymentElement(canvasElement);
    const choices = [...doc.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    const label = (radio: HTMLInputElement) =>
      doc.querySelector(`label[for="${radio.id}"]`)?.textContent ?? '';
    await waitFor(() =>
      expect(choices.map(label)).toEqual([
        expect.stringContaining('Mastercard •••• 4444'),
        expect.stringContaining('Visa •••• 4242'),
        expect.any(String), // a new card
      ]),
    );
    await expect(choices[0]).toBeChecked();
    const visa = choices[1] as HTMLInputElement;
    await userEvent.click(visa);
    await expect(visa).toBeChecked();
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, 'payment-form', 'succeeded');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).paymentSucceeded,
    );
    // Paid with the Visa chosen, by the customer whose card it is.
    const server = demoServer();
    const { data } = (await server.stripe('/v1/payment_intents', { limit: '1' }, 'GET')) as {
      data: Array<{ status: string; customer: string; payment_method: string }>;
    };
    await expect(data[0]?.status).toBe('succeeded');
    await expect(data[0]?.customer).toBe(await server.customer());
    const card = (await server.stripe(`/v1/payment_methods/${data[0]?.payment_method}`, {}, 'GET'))
      .card as { last4: string };
    await expect(card.last4).toBe('4242');
  },
};

/** Nothing to pay: an empty cart leaves the form idle. */
export const EmptyCart: Story = {
  render: () => <PaymentForm items={[]} />,
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-form', 'idle');
    await expect(canvas.getByRole('button')).toBeDisabled();
  },
};

/** The server failed (`GET /prices` answers 500): the form says it could not load. */
export const ServerError: Story = {
  parameters: { msw: [serverError('get', '/prices')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-form', 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messagesFor(globals).loadError);
    const pay = formatMessage(messagesFor(globals).pay, { amount: '' }).trim();
    await expect(canvas.getByRole('button', { name: pay })).toBeDisabled();
    // The way out: "Try again" reads the prices again.
    await expect(canvas.getByRole('button', { name: messagesFor(globals).tryAgain })).toBeEnabled();
  },
};

/** The server failed while paying (`POST /payment-intents` answers 500): try again. */
export const ServerErrorOnPay: Story = {
  parameters: { msw: [serverError('post', '/payment-intents')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, 'payment-form', 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messagesFor(globals).genericError);
    await expect(canvas.getByRole('button')).toBeEnabled();
  },
};

/** A zero-decimal currency: two mugs at ¥1,500 are ¥3,000 (Stripe amount 3000), paid. */
export const ZeroDecimalCurrency: Story = {
  args: { price: 'price_mug_jpy', quantity: 2 },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await expect(canvas.getByRole('button')).toHaveTextContent(/3[,.]000/);
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, 'payment-form', 'succeeded');
  },
};

/** A three-decimal currency: KWD 7.500 (Stripe amount 7500). */
export const ThreeDecimalCurrency: Story = {
  args: { price: 'price_tshirt_kwd' },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await expect(canvas.getByRole('button')).toHaveTextContent(/7[.,]500/);
  },
};

/** The README's example (examples/payment-form/basic.tsx), ready to pay. */
export const BasicExample: Story = {
  render: ({ price, quantity }) => <BasicPaymentForm price={price} quantity={quantity} />,
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await expect(canvas.getByRole('button')).toBeEnabled();
  },
};

/** The parts in your own layout (examples/payment-form/custom-layout.tsx). */
export const CustomLayout: Story = {
  render: () => <CustomLayoutPaymentForm price="price_tshirt" />,
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await expect(canvas.getByRole('heading', { level: 2 })).toBeVisible();
  },
};

/** The hook alone on plain elements (examples/payment-form/headless.tsx), paid with a card. */
export const Headless: Story = {
  render: () => <HeadlessPaymentForm price="price_tshirt" />,
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent(/pi_/), {
      timeout: 10_000,
    });
  },
};

function DarkGermanStory() {
  const stripe = useMemo(
    () =>
      loadSandboxStripe(PUBLISHABLE_KEY, { apiBase: SANDBOX_BASE, frames: 'inline', locale: 'de' }),
    [],
  );
  return (
    <DarkGermanCheckout
      apiBase={API_BASE}
      price="price_tshirt"
      stripe={stripe as unknown as PromiseLike<import('@stripe/stripe-js').Stripe>}
    />
  );
}

/**
 * The theming example (examples/theming/dark-theme.tsx): its own provider, dark tokens for the
 * page and the card fields, German, whatever the toolbar says.
 */
export const DarkGermanExample: Story = {
  parameters: { tillkit: { provider: false } },
  render: () => <DarkGermanStory />,
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-form', 'ready');
    await expect(canvas.getByRole('button')).toHaveTextContent('bezahlen');
  },
};
