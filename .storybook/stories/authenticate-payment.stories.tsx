/**
 * `AuthenticatePayment`: bringing the customer back to confirm a payment the server tried
 * off-session (a renewal whose card asks for 3D Secure), against intents the in-page sandbox holds.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { RenewalNeedsAuthentication } from '../../packages/react/examples/authenticate-payment/renewal.js';
import { demoServer } from '../mocks/demo-server.js';
import { intentRetrievalError, intentRetrievalPending } from '../mocks/handlers.js';
import { messagesFor } from '../play/messages.js';
import { threeDSecureDialog } from '../play/sandbox.js';
import { expectState } from '../play/state.js';

const meta = {
  title: 'Payments/AuthenticatePayment',
  component: RenewalNeedsAuthentication,
  args: { clientSecret: '' },
  render: (_args, { loaded }) => (
    <RenewalNeedsAuthentication clientSecret={loaded.clientSecret as string} />
  ),
  // A renewal of $29.00 that the server confirmed with a card that asks for 3D Secure.
  loaders: [
    async () => ({
      clientSecret: String(
        (await demoServer().confirmedIntent('pm_card_authenticationRequired')).client_secret,
      ),
    }),
  ],
} satisfies Meta<typeof RenewalNeedsAuthentication>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Retrieving the intent (Stripe.js's request never answers). */
export const Loading: Story = {
  parameters: { msw: [intentRetrievalPending()] },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'authenticate-payment', 'loading');
    await expect(canvas.getByRole('button')).toBeDisabled();
  },
};

/** The bank asks the customer to confirm: "Confirm payment". */
export const RequiresAction: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await expect(canvas.getByRole('status')).toHaveTextContent(t.authenticateRequired);
    await expect(canvas.getByRole('button', { name: t.authenticate })).toBeEnabled();
  },
};

/** The bank's 3D Secure challenge is open; the component waits for it. */
export const ThreeDSecureChallenge: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await userEvent.click(canvas.getByRole('button'));
    await expect((await threeDSecureDialog()).dialog).toBeVisible();
    await expectState(canvasElement, 'authenticate-payment', 'submitting');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).authenticating);
  },
};

/** Authenticated: the renewal is paid. */
export const Succeeded: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await userEvent.click(canvas.getByRole('button'));
    (await threeDSecureDialog()).complete();
    await expectState(canvasElement, 'authenticate-payment', 'succeeded');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).authenticateSucceeded,
    );
  },
};

/** Authentication failed: Stripe's reason in the alert (focused); the payment needs another card. */
export const Failed: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await userEvent.click(canvas.getByRole('button'));
    (await threeDSecureDialog()).fail();
    await expectState(canvasElement, 'authenticate-payment', 'failed');
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).authenticateNeedsNewCard,
    );
  },
};

/** Nothing left to confirm: the intent was paid already. */
export const AlreadyPaid: Story = {
  loaders: [
    async () => ({
      clientSecret: String((await demoServer().confirmedIntent('pm_card_visa')).client_secret),
    }),
  ],
  play: async ({ canvasElement }) => {
    await expectState(canvasElement, 'authenticate-payment', 'succeeded');
  },
};

/** Stripe could not be asked (its API answers 500): "Try again" reads the payment again. */
export const ServerError: Story = {
  parameters: { msw: [intentRetrievalError()] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'authenticate-payment', 'failed');
    await expect(canvas.getByRole('alert')).not.toBeEmptyDOMElement();
    await expect(
      canvas.getByRole('button', { name: messagesFor(globals).tryAgain }),
    ).toBeInTheDocument();
  },
};

/** Stripe failed once: "Try again" reads the payment again, and the bank's step is offered. */
export const ServerErrorThenTryAgain: Story = {
  loaders: [
    async () => {
      const server = demoServer();
      const intent = await server.confirmedIntent('pm_card_authenticationRequired');
      server.core.chaos.update({ api: { failNext: 1, failWith: 500 } });
      return { clientSecret: String(intent.client_secret) };
    },
  ],
  play: async ({ canvasElement, canvas, globals, userEvent }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'authenticate-payment', 'failed');
    await userEvent.click(canvas.getByRole('button', { name: t.tryAgain }));
    await expectState(canvasElement, 'authenticate-payment', 'requires_action');
    await expect(canvas.getByRole('button', { name: t.authenticate })).toBeEnabled();
    await expect(canvas.queryByRole('button', { name: t.tryAgain })).not.toBeInTheDocument();
  },
};
