/**
 * `PaymentStatus`: the return page, for intents the in-page sandbox really holds (each story's
 * loader makes one as the payment would have left it). Processing, which no test card produces,
 * and the failures of Stripe itself are MSW overrides of the sandbox's intent retrieval.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { PaymentStatus } from '@tillkit/react';
import { expect, waitFor } from 'storybook/test';
import { ReturnPage } from '../../packages/react/examples/payment-status/return-page.js';
import { demoServer } from '../mocks/demo-server.js';
import {
  intentProcessing,
  intentRetrievalError,
  intentRetrievalPending,
} from '../mocks/handlers.js';
import { messagesFor } from '../play/messages.js';
import { threeDSecureDialog } from '../play/sandbox.js';
import { expectState } from '../play/state.js';

const meta = {
  title: 'Payments/PaymentStatus',
  component: ReturnPage,
  // The intent each story returns from; `loaded.clientSecret` is passed to the page.
  render: (args, { loaded }) => (
    <ReturnPage {...args} clientSecret={args.clientSecret ?? (loaded.clientSecret as string)} />
  ),
} satisfies Meta<typeof ReturnPage>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Loads the client secret of an intent confirmed with a test payment method. */
const paidWith = (paymentMethod: string) => async () => ({
  clientSecret: String((await demoServer().confirmedIntent(paymentMethod)).client_secret),
});

/** Retrieving the intent (Stripe.js's request never answers). */
export const Loading: Story = {
  loaders: [paidWith('pm_card_visa')],
  parameters: { msw: [intentRetrievalPending()] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-status', 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).statusLoading);
  },
};

/** Paid. */
export const Succeeded: Story = {
  loaders: [paidWith('pm_card_visa')],
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-status', 'succeeded');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).statusSucceeded,
    );
  },
};

/** Still processing (a slow payment method): checked again with back-off. */
export const Processing: Story = {
  loaders: [paidWith('pm_card_visa')],
  parameters: { msw: [intentProcessing()] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-status', 'processing');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      messagesFor(globals).statusProcessing,
    );
  },
};

/** Processing, then settled: the page notices on its next check. */
export const ProcessingThenSucceeded: Story = {
  loaders: [paidWith('pm_card_visa')],
  parameters: { msw: [intentProcessing(1)] },
  render: (_args, { loaded }) => (
    <PaymentStatus clientSecret={loaded.clientSecret as string} pollDelayMs={500} />
  ),
  play: async ({ canvasElement }) => {
    await expectState(canvasElement, 'payment-status', 'processing');
    await expectState(canvasElement, 'payment-status', 'succeeded');
  },
};

/** The checks ran out while it still processes: "Check again". */
export const ProcessingStalled: Story = {
  loaders: [paidWith('pm_card_visa')],
  parameters: { msw: [intentProcessing()] },
  render: (_args, { loaded }) => (
    <PaymentStatus clientSecret={loaded.clientSecret as string} maxPolls={1} pollDelayMs={100} />
  ),
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await waitFor(() => expect(canvas.getByRole('button')).toHaveTextContent(t.checkAgain), {
      timeout: 10_000,
    });
    await expectState(canvasElement, 'payment-status', 'processing');
    await expect(canvas.getByRole('status')).toHaveTextContent(t.statusStillProcessing);
  },
};

/** The bank asks the customer to confirm (4000 0027 6000 3184): "Confirm payment". */
export const RequiresAction: Story = {
  loaders: [paidWith('pm_card_authenticationRequired')],
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-status', 'requires_action');
    await expect(canvas.getByRole('button')).toHaveTextContent(messagesFor(globals).authenticate);
  },
};

/** "Confirm payment" opened the bank's 3D Secure challenge. */
export const ThreeDSecureChallenge: Story = {
  loaders: [paidWith('pm_card_authenticationRequired')],
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, 'payment-status', 'requires_action');
    await userEvent.click(canvas.getByRole('button'));
    await expect((await threeDSecureDialog()).dialog).toBeVisible();
  },
};

/** Confirmed through 3D Secure from the return page. */
export const ThreeDSecureCompleted: Story = {
  loaders: [paidWith('pm_card_authenticationRequired')],
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, 'payment-status', 'requires_action');
    await userEvent.click(canvas.getByRole('button'));
    (await threeDSecureDialog()).complete();
    await expectState(canvasElement, 'payment-status', 'succeeded');
  },
};

/** Declined: Stripe's reason, and a way back to the checkout. */
export const Declined: Story = {
  loaders: [
    async () => ({
      clientSecret: String((await demoServer().declinedIntent()).client_secret),
    }),
  ],
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'payment-status', 'failed');
    await expect(canvas.getByRole('status')).toHaveTextContent(t.statusFailed);
    await expect(canvas.getByRole('link', { name: t.tryAgain })).toHaveAttribute(
      'href',
      '/checkout',
    );
  },
};

/** The customer failed 3D Secure at the bank. */
export const AuthenticationFailed: Story = {
  loaders: [
    async () => {
      const server = demoServer();
      const intent = await server.confirmedIntent('pm_card_authenticationRequired');
      await server.authenticate(String(intent.id), 'fail');
      return { clientSecret: String(intent.client_secret) };
    },
  ],
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, 'payment-status', 'failed');
    await expect(canvas.getByRole('link')).toBeVisible();
  },
};

/** Nothing to show: the address has no intent (someone opened the page directly). */
export const Empty: Story = {
  render: () => <ReturnPage />,
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, 'payment-status', 'failed');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).statusMissing);
  },
};

/**
 * Stripe could not be asked (its API answers 500): the payment may have gone through, so the page
 * says it could not check and offers "Check again", never "Try again".
 */
export const ServerError: Story = {
  loaders: [paidWith('pm_card_visa')],
  parameters: { msw: [intentRetrievalError()] },
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'payment-status', 'unknown');
    await expect(canvas.getByRole('status')).toHaveTextContent(t.statusUnknown);
    await expect(canvas.getByRole('status')).not.toHaveTextContent(t.statusFailed);
    await expect(canvas.getByRole('button', { name: t.checkAgain })).toBeVisible();
    await expect(canvas.queryByRole('link', { name: t.tryAgain })).not.toBeInTheDocument();
  },
};

/**
 * Stripe's redirect said `redirect_status=succeeded` but the first lookup failed (the sandbox's
 * chaos fails one request): the bank's word is passed on, and "Check again" finds the payment.
 */
export const ServerErrorAfterSuccessfulRedirect: Story = {
  loaders: [
    async () => {
      const server = demoServer();
      const intent = await server.confirmedIntent('pm_card_visa');
      server.core.chaos.update({ api: { failNext: 1, failWith: 500 } });
      return { clientSecret: String(intent.client_secret) };
    },
  ],
  render: (_args, { loaded }) => (
    <PaymentStatus
      clientSecret={loaded.clientSecret as string}
      redirectStatus="succeeded"
      retryHref="/checkout"
    />
  ),
  play: async ({ canvasElement, canvas, globals, userEvent }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, 'payment-status', 'unknown');
    await expect(canvas.getByRole('status')).toHaveTextContent(t.statusUnknownReportedPaid);
    await expect(canvas.queryByRole('link', { name: t.tryAgain })).not.toBeInTheDocument();
    await userEvent.click(canvas.getByRole('button', { name: t.checkAgain }));
    await expectState(canvasElement, 'payment-status', 'succeeded');
    await expect(canvas.getByRole('status')).toHaveTextContent(t.statusSucceeded);
  },
};
