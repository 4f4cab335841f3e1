/**
 * `ManageBillingButton`: opens Stripe's customer portal for the demo customer. The demo server
 * creates a real portal session in the in-page sandbox; the story shows where the browser would
 * go (its `navigate`), since the sandbox's hosted pages need the sandbox running as a server.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { ManageBillingButton, type ManageBillingButtonProps } from '@tillkit/react';
import { useState } from 'react';
import { expect, waitFor } from 'storybook/test';
import { BillingPortalButton } from '../../packages/react/examples/manage-billing/button.js';
import { pending, serverError } from '../mocks/handlers.js';
import { messagesFor } from '../play/messages.js';
import { expectState } from '../play/state.js';

function Account(props: ManageBillingButtonProps) {
  const [url, setUrl] = useState<string | null>(null);
  return (
    <>
      <ManageBillingButton returnUrl="https://shop.example/account" {...props} navigate={setUrl} />
      {url ? <p data-testid="navigated">Customer portal: {url}</p> : null}
    </>
  );
}

const meta = {
  title: 'Subscriptions/ManageBillingButton',
  component: ManageBillingButton,
  render: (args) => <Account {...args} />,
} satisfies Meta<typeof ManageBillingButton>;

export default meta;
type Story = StoryObj<typeof meta>;

const SLOT = 'manage-billing';

/** "Manage billing", before a click. */
export const Idle: Story = {
  play: async ({ canvasElement, canvas, globals }) => {
    await expectState(canvasElement, SLOT, 'idle');
    await expect(canvas.getByRole('button')).toHaveTextContent(messagesFor(globals).manageBilling);
  },
};

/** Asking the server for a portal session (`POST /portal-sessions` never answers). */
export const Loading: Story = {
  parameters: { msw: [pending('post', '/portal-sessions')] },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, SLOT, 'loading');
    await expect(canvas.getByRole('button')).toHaveAttribute('aria-busy', 'true');
    // Still focusable: focus stays on the button if the portal cannot open.
    await expect(canvas.getByRole('button')).toHaveFocus();
  },
};

/** The session is made; the browser leaves for the portal. */
export const Redirecting: Story = {
  play: async ({ canvasElement, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button'));
    await waitFor(() =>
      expect(canvas.getByTestId('navigated')).toHaveTextContent('billing_portal/bps_'),
    );
    // The story's `navigate` returns (the page stays): the button works again.
    await expectState(canvasElement, SLOT, 'idle');
  },
};

/** The portal could not be opened (`POST /portal-sessions` answers 500). */
export const ServerError: Story = {
  parameters: { msw: [serverError('post', '/portal-sessions')] },
  play: async ({ canvasElement, canvas, userEvent, globals }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).toHaveTextContent(messagesFor(globals).genericError);
  },
};

/** A guest (no token): the server answers 401. */
export const SignedOut: Story = {
  parameters: { tillkit: { guest: true } },
  play: async ({ canvasElement, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button'));
    await expectState(canvasElement, SLOT, 'failed');
    await expect(canvas.getByRole('alert')).not.toBeEmptyDOMElement();
  },
};

function Example() {
  const [url, setUrl] = useState<string | null>(null);
  return (
    <>
      <BillingPortalButton navigate={setUrl} />
      {url ? <p data-testid="navigated">Customer portal: {url}</p> : null}
    </>
  );
}

/** The example (examples/manage-billing/button.tsx): its own label, back to this page. */
export const CustomLabel: Story = {
  render: () => <Example />,
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Invoices and billing' }));
    await waitFor(() =>
      expect(canvas.getByTestId('navigated')).toHaveTextContent('billing_portal/bps_'),
    );
  },
};
