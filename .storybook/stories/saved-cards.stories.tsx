/**
 * `SavedCards` (examples/saved-cards/): the demo customer's cards in the in-page sandbox, saved by
 * each story's loader. "Today" is fixed (`now`), so that one card shows as expired and one as
 * expiring soon.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { BasicSavedCards } from '../../packages/react/examples/saved-cards/basic.js';
import { WalletPage } from '../../packages/react/examples/saved-cards/with-add-card.js';
import { demoServer } from '../mocks/demo-server.js';
import { pending, serverError } from '../mocks/handlers.js';
import { formatMessage, messagesFor } from '../play/messages.js';
import { CARDS, fillCard } from '../play/sandbox.js';
import { expectState, expectText, part } from '../play/state.js';

/** A Visa (the default, valid), a Mastercard expiring next month and an Amex that has expired. */
async function threeCards() {
  const server = demoServer();
  await server.saveCard({ number: '4242 4242 4242 4242', expMonth: 12, expYear: 2034 });
  await server.saveCard({ number: '5555 5555 5555 4444', expMonth: 3, expYear: 2027 });
  await server.saveCard({ number: '3782 822463 10005', expMonth: 1, expYear: 2027 });
  return {};
}

const meta = {
  title: 'Cards/SavedCards',
  component: BasicSavedCards,
  args: { now: new Date('2027-02-15T12:00:00Z') },
  argTypes: { now: { control: 'date' } },
} satisfies Meta<typeof BasicSavedCards>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'saved-cards';
const cards = (root: HTMLElement) => [
  ...root.querySelectorAll<HTMLElement>('[data-slot="saved-cards-card"]'),
];
/** The label ("Visa ending in 4242") of the card a button is in. */
const labelOf = (button: HTMLElement) =>
  button.closest('li')?.querySelector('[data-slot="saved-cards-label"]')?.textContent ?? '';
/** Waits until the status region says `template` with the card `label`. */
const expectNotice = (root: HTMLElement, template: string, label: string) =>
  expectText(root, 'saved-cards-status', () => formatMessage(template, { card: label }));

/** Reading the cards (`GET /payment-methods` never answers). */
export const Loading: Story = {
  loaders: [threeCards],
  parameters: { msw: [pending('get', '/payment-methods')] },
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).loading);
  },
};

/** Three cards: the default marked, one expiring soon, one expired. */
export const Ready: Story = {
  loaders: [threeCards],
  play: async ({ canvasElement }) => {
    await expectState(canvasElement, SLOT, 'ready');
    const states = cards(canvasElement).map((card) => card.dataset.state);
    await expect(states.sort()).toEqual(['expired', 'expiring', 'valid']);
    await expect(canvasElement.querySelectorAll('[data-default]')).toHaveLength(1);
  },
};

/** No card saved yet. */
export const Empty: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'empty');
    await expect(canvas.getByRole('status')).toHaveTextContent(messagesFor(globals).noSavedCards);
  },
};

/**
 * "Make default" on another card: the badge moves at once, and stays (the server agreed); the
 * status region says which card is the default now.
 */
export const SetDefault: Story = {
  loaders: [threeCards],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    const before = canvasElement.querySelector<HTMLElement>('[data-default]');
    const button = canvas.getAllByRole('button', { name: t.makeDefault })[0] as HTMLElement;
    const label = labelOf(button);
    await userEvent.click(button);
    await waitFor(() => expect(canvasElement.querySelector('[data-default]')).not.toBe(before));
    await waitFor(() =>
      expect(canvas.getAllByRole('button', { name: t.makeDefault })).toHaveLength(2),
    );
    await expectNotice(canvasElement, t.cardMadeDefault, label);
  },
};

/** "Remove" asks first: the confirmation is open, focus on the safe choice. */
export const RemoveConfirmation: Story = {
  loaders: [threeCards],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getAllByRole('button', { name: t.removeCard })[0] as HTMLElement);
    const dialog = await canvas.findByRole('alertdialog');
    await expect(within(dialog).getByRole('button', { name: t.keepCard })).toHaveFocus();
  },
};

/** Removed after the confirmation; the status region says which card went. */
export const Removed: Story = {
  loaders: [threeCards],
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    const button = canvas.getAllByRole('button', { name: t.removeCard })[0] as HTMLElement;
    const label = labelOf(button);
    await userEvent.click(button);
    const dialog = await canvas.findByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: t.removeCard }));
    await waitFor(() => expect(cards(canvasElement)).toHaveLength(2));
    await expectNotice(canvasElement, t.cardRemoved, label);
  },
};

/** The cards could not be read (`GET /payment-methods` answers 500). */
export const ServerError: Story = {
  parameters: { msw: [serverError('get', '/payment-methods')] },
  play: async ({ canvasElement, canvas }) => {
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).not.toBeEmptyDOMElement();
  },
};

/**
 * Removing failed on the server: the card is back, the reason in the alert (focused), and nothing
 * in the status region.
 */
export const RemoveFailed: Story = {
  loaders: [threeCards],
  parameters: { msw: [serverError('delete', '/payment-methods/:id')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    const t = messagesFor(globals);
    await expectState(canvasElement, SLOT, 'ready');
    await userEvent.click(canvas.getAllByRole('button', { name: t.removeCard })[0] as HTMLElement);
    const dialog = await canvas.findByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: t.removeCard }));
    const alert = canvas.getByRole('alert');
    await waitFor(() => expect(alert).toHaveTextContent(t.genericError));
    await waitFor(() => expect(alert).toHaveFocus());
    await expect(cards(canvasElement)).toHaveLength(3);
    await expect(part(canvasElement, 'saved-cards-status')).toBeEmptyDOMElement();
  },
};

/**
 * A wallet page (examples/saved-cards/with-add-card.tsx): the list from the hook in its own
 * layout, and a card added below it (4242 4242 4242 4242), which the list then shows.
 */
export const WalletWithAddCard: Story = {
  loaders: [threeCards],
  render: (args) => <WalletPage now={args.now} />,
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await waitFor(() => expect(cards(canvasElement)).toHaveLength(3), { timeout: 10_000 });
    await expectState(canvasElement, 'save-card-form', 'ready');
    await fillCard(canvasElement, CARDS.visa);
    await userEvent.click(canvas.getByRole('button', { name: messagesFor(globals).saveCard }));
    await waitFor(() => expect(cards(canvasElement)).toHaveLength(4), { timeout: 10_000 });
  },
};
