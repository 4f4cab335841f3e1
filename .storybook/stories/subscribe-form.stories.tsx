/**
 * `SubscribeForm` (examples/subscribe-form/basic.tsx): subscribing the demo customer to a plan the
 * deferred-intent way: nothing exists at Stripe until the customer submits; then
 * `POST /subscriptions`, and the first invoice's payment (or, for a trial, the card's setup) is
 * confirmed against the in-page sandbox.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { BasicSubscribeForm } from '../../packages/react/examples/subscribe-form/basic.js';
import { demoServer } from '../mocks/demo-server.js';
import { pending, serverError } from '../mocks/handlers.js';
import { messagesFor } from '../play/messages.js';
import { CARDS, declinedMessage, fillCard, threeDSecureDialog } from '../play/sandbox.js';
import { expectState, part } from '../play/state.js';

const meta = {
  title: 'Subscriptions/SubscribeForm',
  component: BasicSubscribeForm,
  args: { price: 'price_starter_monthly' },
  argTypes: {
    price: {
      control: 'select',
      options: [
        'price_starter_monthly',
        'price_starter_yearly',
        'price_pro_monthly',
        'price_pro_yearly',
      ],
    },
  },
} satisfies Meta<typeof BasicSubscribeForm>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'subscribe-form';
const submit = (canvas: { getByRole(role: 'button'): HTMLElement }) => canvas.getByRole('button');

/** The catalog is loading (`GET /prices` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/prices')] },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(submit(canvas)).toBeDisabled();
  },
};

/** Starter, $9.00 a month: the card fields in `subscription` mode, nothing created yet. */
export const Ready: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(submit(canvas)).toHaveTextContent(messagesFor(globals).subscribe);
  },
};

/** Pro starts with a 14-day trial: nothing is charged today, the card is saved. */
export const Trial: Story = {
  args: { price: 'price_pro_monthly' },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(submit(canvas)).toHaveTextContent(messagesFor(globals).startTrial);
  },
};

/** Subscribing: the server is creating the subscription (`POST /subscriptions` never answers). */
export const Submitting: Story = {
  parameters: { msw: [pending('post', '/subscriptions')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'submitting');
    await expect(submit(canvas)).toHaveTextContent(messagesFor(globals).processing);
  },
};

/** The first payment is declined (4000 0000 0000 0002); the next card pays the same invoice. */
export const Declined: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(declinedMessage(globals)));
    await waitFor(() => expect(alert).toHaveFocus());
  },
};

/** The bank asks to authenticate the first payment (4000 0027 6000 3184). */
export const ThreeDSecureChallenge: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.threeDSecure);
    await userEvent.click(submit(canvas));
    await expect((await threeDSecureDialog()).dialog).toBeVisible();
    await expect(part(canvasElement, SLOT)).toHaveAttribute('aria-busy', 'true');
  },
};

/** Subscribed: the first payment went through 3D Secure. */
export const Succeeded: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.threeDSecure);
    await userEvent.click(submit(canvas));
    (await threeDSecureDialog()).complete();
    await expectState(canvasElement, SLOT, 'succeeded');
    await expect(canvasElement).toHaveTextContent(messagesFor(globals).subscribed);
  },
};

/** The trial started: the card was saved through its SetupIntent, nothing charged. */
export const TrialStarted: Story = {
  args: { price: 'price_pro_monthly' },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'succeeded');
  },
};

/** The customer already has Starter: the server refuses a second subscription (409). */
export const AlreadySubscribed: Story = {
  loaders: [
    async () => {
      await demoServer().subscribe('price_starter_monthly');
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(
      messagesFor(globals).alreadySubscribed,
    );
  },
};

/**
 * The customer had Pro's trial before (subscribed, then canceled): the form offers the trial, but
 * the server asks for the first payment. Nothing is charged on "Start free trial"; the form says
 * why and shows the price and "Subscribe", and the next press pays.
 */
export const TrialAlreadyHad: Story = {
  args: { price: 'price_pro_monthly' },
  loaders: [
    async () => {
      const server = demoServer();
      const had = await server.subscribe('price_pro_monthly');
      await server.endSubscription(String(had.id));
      return {};
    },
  ],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const messages = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(submit(canvas)).toHaveTextContent(messages.startTrial);
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messages.trialUsed);
    await expect(submit(canvas)).toHaveTextContent(messages.subscribe);
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'succeeded');
  },
};

/** The server failed (`POST /subscriptions` answers 500): try again. */
export const ServerError: Story = {
  parameters: { msw: [serverError('post', '/subscriptions')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(submit(canvas));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messagesFor(globals).genericError);
  },
};
