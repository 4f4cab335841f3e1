/**
 * `Entitled` (examples/entitlements/gate.tsx): shows its children only to a caller who paid for
 * the feature, by its lookup key (`GET /entitlements`: the demo customer's active entitlements in
 * the in-page sandbox, whose seed attaches `priority_support` to Pro), the fallback otherwise;
 * `PlanBadge` names the plan from `useEntitlements()`.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useEntitlements } from '@tillkit/react';
import { expect, waitFor } from 'storybook/test';
import { PlanBadge, PriorityFeature } from '../../packages/react/examples/entitlements/gate.js';
import { demoServer } from '../mocks/demo-server.js';
import { pending, serverError } from '../mocks/handlers.js';

/** The example's gate and plan badge, with what `useEntitlements()` says (for the play functions). */
function Gate({ feature }: { feature?: string }) {
  const { status } = useEntitlements();
  return (
    <section aria-label="Support" data-slot="entitled-story" data-state={status}>
      <PlanBadge />
      <PriorityFeature feature={feature} />
    </section>
  );
}

const meta = {
  title: 'Subscriptions/Entitled',
  component: Gate,
  args: { feature: 'priority_support' },
} satisfies Meta<typeof Gate>;

export default meta;
type Story = StoryObj<typeof meta>;

const state = (root: HTMLElement, value: string) =>
  waitFor(() =>
    expect(root.querySelector('[data-slot="entitled-story"]')).toHaveAttribute('data-state', value),
  );

/** Reading the entitlements (`GET /entitlements` never answers): the loading content. */
export const Loading: Story = {
  parameters: { msw: [pending('get', '/entitlements')] },
  play: async ({ canvasElement, canvas }) => {
    await state(canvasElement, 'loading');
    await expect(canvas.getByText('Checking your plan…')).toBeVisible();
  },
};

/** Subscribed to Pro (in its trial): the feature is shown. */
export const Granted: Story = {
  loaders: [
    async () => {
      await demoServer().subscribe('price_pro_monthly');
      return {};
    },
  ],
  play: async ({ canvasElement, canvas }) => {
    await state(canvasElement, 'ready');
    await expect(canvas.getByText(/Chat with our team/)).toBeVisible();
    await expect(canvas.getByText('Pro')).toBeVisible();
  },
};

/** Subscribed to Starter, whose features lack `priority_support`: the fallback. */
export const NotEntitled: Story = {
  loaders: [
    async () => {
      await demoServer().subscribe('price_starter_monthly');
      return {};
    },
  ],
  play: async ({ canvasElement, canvas }) => {
    await state(canvasElement, 'ready');
    await expect(canvas.queryByText(/Chat with our team/)).toBeNull();
    await expect(canvas.getByRole('link')).toBeVisible();
  },
};

/** No subscription at all: the upgrade link. */
export const Empty: Story = {
  play: async ({ canvasElement, canvas }) => {
    await state(canvasElement, 'ready');
    await expect(canvas.queryByText(/Chat with our team/)).toBeNull();
  },
};

/** A renewal failed: past due grants nothing until it is paid. */
export const PastDue: Story = {
  loaders: [
    async () => {
      const subscription = await demoServer().subscribe('price_pro_monthly', { trial: false });
      await demoServer().failRenewal(String(subscription.id), 'pm_card_chargeCustomerFail');
      return {};
    },
  ],
  play: async ({ canvasElement, canvas }) => {
    await state(canvasElement, 'ready');
    await expect(canvas.queryByText(/Chat with our team/)).toBeNull();
  },
};

/** The entitlements could not be read (500): nothing is granted. */
export const ServerError: Story = {
  parameters: { msw: [serverError('get', '/entitlements')] },
  play: async ({ canvasElement, canvas }) => {
    await state(canvasElement, 'failed');
    await expect(canvas.queryByText(/Chat with our team/)).toBeNull();
  },
};
