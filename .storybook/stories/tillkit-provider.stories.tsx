/**
 * `TillkitProvider`: what every hook reads. A small consumer shows the provider's Stripe.js
 * status and the catalog it fetched (`useTillkit()`), in each state the provider can be in.
 */
import type { Meta, StoryObj } from '@storybook/react-vite';
import { type TillkitContextValue, useTillkit } from '@tillkit/react';
import { useEffect, useState } from 'react';
import { expect, waitFor } from 'storybook/test';
import { serverError } from '../mocks/handlers.js';

function ProviderStatus() {
  const tillkit = useTillkit();
  const [catalog, setCatalog] = useState<string>('…');
  useEffect(() => {
    tillkit.getPrices().then(
      (prices) => setCatalog(prices.products.map((product) => product.name).join(', ')),
      (error: Error) => setCatalog(`failed (${error.message})`),
    );
  }, [tillkit.getPrices]);
  return <Status stripe={tillkit.stripe} catalog={catalog} apiBase={tillkit.apiBase} />;
}

function Status({
  stripe,
  catalog,
  apiBase,
}: {
  stripe: TillkitContextValue['stripe'];
  catalog: string;
  apiBase: string;
}) {
  return (
    <dl data-slot="provider-status" data-state={stripe.status}>
      <dt>Server</dt>
      <dd>{apiBase}</dd>
      <dt>Stripe.js</dt>
      <dd>
        <span role="status">
          {stripe.status}
          {stripe.error ? `: ${stripe.error.message}` : ''}
        </span>
      </dd>
      <dt>Catalog</dt>
      <dd>{catalog}</dd>
    </dl>
  );
}

const meta = {
  title: 'Provider/TillkitProvider',
  component: ProviderStatus,
} satisfies Meta<typeof ProviderStatus>;

export default meta;
type Story = StoryObj<typeof meta>;

const state = (element: HTMLElement) => element.querySelector('[data-slot="provider-status"]');

/** Stripe.js is still loading. */
export const Loading: Story = {
  parameters: { tillkit: { stripe: 'pending' } },
  play: async ({ canvasElement }) => {
    await expect(state(canvasElement)).toHaveAttribute('data-state', 'loading');
  },
};

/** Stripe.js (the sandbox's) is ready and the catalog was read from `GET /prices`. */
export const Ready: Story = {
  play: async ({ canvasElement, canvas }) => {
    await waitFor(() => expect(state(canvasElement)).toHaveAttribute('data-state', 'ready'));
    await waitFor(() => expect(canvas.getByText(/Starter, Pro/)).toBeVisible());
  },
};

/** No key given and the server's `GET /config` fails: Stripe.js cannot be loaded. */
export const ServerError: Story = {
  parameters: {
    tillkit: { stripe: 'server' },
    msw: [serverError('get', '/config'), serverError('get', '/prices')],
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(state(canvasElement)).toHaveAttribute('data-state', 'error'));
  },
};
