/**
 * `PayWithNewCard` on its own: the form `SubscriptionManager` shows for a subscription whose open
 * invoice waits for another card. Each story's loader lets a renewal of the demo customer's
 * Starter plan be declined (the in-page sandbox's test clock moves past it) and gives the form the
 * client secret of that invoice's PaymentIntent.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { PayWithNewCard } from '@tillkit/react';
import { expect, waitFor } from 'storybook/test';
import { demoServer } from '../mocks/demo-server.js';
import { messagesFor } from '../play/messages.js';
import { CARDS, declinedMessage, fillCard } from '../play/sandbox.js';
import { expectState, part } from '../play/state.js';

const SLOT = 'pay-with-new-card';

const meta = {
  title: 'Subscriptions/PayWithNewCard',
  component: PayWithNewCard,
  args: { clientSecret: '' },
  render: (args, { loaded }) => (
    <PayWithNewCard {...args} clientSecret={loaded.clientSecret as string} />
  ),
  loaders: [
    async () => {
      const server = demoServer();
      const subscription = await server.subscribe('price_starter_monthly');
      await server.failRenewal(String(subscription.id), 'pm_card_chargeCustomerFail');
      const renewed = await server.stripe(`/v1/subscriptions/${subscription.id}`, {}, 'GET');
      const invoice = await server.stripe(
        `/v1/invoices/${renewed.latest_invoice}`,
        { 'expand[0]': 'confirmation_secret' },
        'GET',
      );
      const secret = invoice.confirmation_secret as { client_secret: string };
      return { clientSecret: secret.client_secret };
    },
  ],
} satisfies Meta<typeof PayWithNewCard>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The card fields, made from the invoice's PaymentIntent, and "Pay now". */
export const Ready: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await expect(canvas.getByRole('group', { name: t.cardDetails })).toBeVisible();
    await expect(canvas.getByRole('button', { name: t.payNow })).toBeEnabled();
  },
};

/** Declined (4000 0000 0000 0002): Stripe's reason, focused; the next card pays the same invoice. */
export const Declined: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(canvas.getByRole('button', { name: t.payNow }));
    await expectState(canvasElement, SLOT, 'failed');
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(declinedMessage(globals)));
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(canvas.getByRole('button', { name: t.payNow })).toBeEnabled();
  },
};

/** Paid with 4242 4242 4242 4242: the invoice is paid, and the form says so. */
export const Succeeded: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button', { name: t.payNow }));
    await expectState(canvasElement, SLOT, 'succeeded');
    await expect(part(canvasElement, `${SLOT}-status`)).toHaveTextContent(t.paymentSucceeded);
    await expect(canvas.queryByRole('button', { name: t.payNow })).toBeNull();
  },
};
