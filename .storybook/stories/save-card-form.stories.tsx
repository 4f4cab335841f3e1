/**
 * `SaveCardForm` (examples/save-card-form/basic.tsx): saving a card for later with a SetupIntent,
 * for the signed-in demo customer, against the in-page sandbox. Declining cards are refused when
 * set up, as on Stripe.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { BasicSaveCardForm } from '../../packages/react/examples/save-card-form/basic.js';
import { pending, serverError } from '../mocks/handlers.js';
import { messagesFor } from '../play/messages.js';
import { CARDS, fillCard, threeDSecureDialog } from '../play/sandbox.js';
import { expectState, part } from '../play/state.js';

const meta = {
  title: 'Cards/SaveCardForm',
  component: BasicSaveCardForm,
} satisfies Meta<typeof BasicSaveCardForm>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'save-card-form';

/** Stripe.js and the card fields are loading. */
export const Loading: Story = {
  parameters: { tillkit: { stripe: 'pending' } },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(canvas.getByRole('button')).toBeDisabled();
  },
};

/** The card fields in `setup` mode; nothing exists at Stripe yet. */
export const Ready: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await expect(canvas.getByRole('button')).toHaveTextContent(messagesFor(globals).saveCard);
  },
};

/** Saving: the server is creating the SetupIntent (`POST /setup-intents` never answers). */
export const Submitting: Story = {
  parameters: { msw: [pending('post', '/setup-intents')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, SLOT, 'submitting');
    await expect(canvas.getByRole('button')).toHaveTextContent(messagesFor(globals).savingCard);
    await expect(canvas.getByRole('button')).toBeDisabled();
  },
};

/** Declined when set up (4000 0000 0000 0002): Stripe's message, focused. */
export const Declined: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.declined);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, SLOT, 'failed');
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).not.toBeEmptyDOMElement());
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(canvas.getByRole('button')).toBeEnabled();
  },
};

/** The bank asks to authenticate the card being saved (4000 0025 0000 3155). */
export const ThreeDSecureChallenge: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.threeDSecureOnSetup);
    await userEvent.click(canvas.getByRole('button'));
    await expect((await threeDSecureDialog()).dialog).toBeVisible();
    await expect(part(canvasElement, SLOT)).toHaveAttribute('aria-busy', 'true');
  },
};

/** Saved after the bank's 3D Secure for the card (4000 0025 0000 3155), completed in place. */
export const Succeeded: Story = {
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.threeDSecureOnSetup);
    await userEvent.click(canvas.getByRole('button'));
    (await threeDSecureDialog()).complete();
    await expectState(canvasElement, SLOT, 'succeeded');
    await expect(canvasElement).toHaveTextContent(messagesFor(globals).cardSaved);
  },
};

/** The server failed (`POST /setup-intents` answers 500): try again. */
export const ServerError: Story = {
  parameters: { msw: [serverError('post', '/setup-intents')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await expectState(canvasElement, SLOT, 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messagesFor(globals).genericError);
  },
};
