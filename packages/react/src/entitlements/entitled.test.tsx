/** Gating UI on entitlements in jsdom (React 18 and 19). */
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { errorAnswer, fakeServerFetch } from '../../test/support/fake-stripe.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { Entitled } from './entitled.js';
import { type UseEntitlementsReturn, useEntitlements } from './use-entitlements.js';

const ENTITLEMENTS = {
  active: true,
  subscriptions: [
    {
      id: 'sub_1',
      status: 'active',
      productId: 'prod_pro',
      productName: 'Pro',
      priceId: 'price_pro_month',
      currentPeriodEnd: '2026-06-01T12:00:00.000Z',
    },
  ],
  features: ['unlimited_projects', 'priority_support'],
};

let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  routes = { 'GET /entitlements': () => ENTITLEMENTS };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

const wrapper = ({ children }: { children: ReactNode }) => (
  <TillkitProvider apiBase="http://tillkit.test/api" stripe={null}>
    {children}
  </TillkitProvider>
);

/** A fallback that offers to try again: it reads the entitlements itself. */
function Locked() {
  const { status, refresh } = useEntitlements();
  return (
    <button type="button" onClick={refresh}>
      Locked ({status})
    </button>
  );
}

describe('Entitled', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(
      <Entitled feature="priority_support" fallback={<a href="/pricing">Upgrade</a>}>
        <p>Support chat</p>
      </Entitled>,
      { wrapper },
    );
    await screen.findByText('Support chat');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('shows the fallback while loading, then the children to a caller who has the feature', async () => {
    render(
      <Entitled feature="unlimited_projects" fallback={<p>Upgrade</p>}>
        <p>Projects</p>
      </Entitled>,
      { wrapper },
    );
    expect(screen.getByText('Upgrade')).toBeVisible();
    expect(await screen.findByText('Projects')).toBeVisible();
    expect(screen.queryByText('Upgrade')).toBeNull();
  });

  it('shows `loading` while loading, and the fallback without the feature', async () => {
    render(
      <Entitled feature="white_label" fallback={<p>Upgrade</p>} loading={<p>Checking…</p>}>
        <p>Branding</p>
      </Entitled>,
      { wrapper },
    );
    expect(screen.getByText('Checking…')).toBeVisible();
    expect(await screen.findByText('Upgrade')).toBeVisible();
    expect(screen.queryByText('Branding')).toBeNull();
  });

  it('grants nothing to a guest (401), and any active subscription without a feature', async () => {
    routes['GET /entitlements'] = () => errorAnswer(401, 'unauthenticated');
    const { unmount } = render(
      <Entitled fallback={<p>Sign in</p>}>
        <p>Members</p>
      </Entitled>,
      { wrapper },
    );
    await waitFor(() => expect(fetcher.requests).toHaveLength(1));
    expect(await screen.findByText('Sign in')).toBeVisible();
    unmount();

    routes['GET /entitlements'] = () => ENTITLEMENTS;
    render(
      <Entitled fallback={<p>Sign in</p>}>
        <p>Members</p>
      </Entitled>,
      { wrapper },
    );
    expect(await screen.findByText('Members')).toBeVisible();
  });

  it('makes one request for the components that mount together', async () => {
    render(
      <>
        <Entitled feature="unlimited_projects">
          <p>One</p>
        </Entitled>
        <Entitled feature="priority_support">
          <p>Two</p>
        </Entitled>
      </>,
      { wrapper },
    );
    expect(await screen.findByText('One')).toBeVisible();
    expect(screen.getByText('Two')).toBeVisible();
    expect(fetcher.requests).toHaveLength(1);
  });
});

/** Keeps what `useEntitlements()` answers under `name`. */
function Probe({ name, seen }: { name: string; seen: Record<string, UseEntitlementsReturn> }) {
  seen[name] = useEntitlements();
  return null;
}

/** Where the host calls `refresh()`: the pricing page's `onSubscribed`, say. */
function Subscribed() {
  const { refresh } = useEntitlements();
  return (
    <button type="button" onClick={refresh}>
      Subscribed
    </button>
  );
}

describe('useEntitlements', () => {
  it('reads the entitlements, answers has(), and reads again on refresh()', async () => {
    const { result } = renderHook(() => useEntitlements(), { wrapper });
    expect(result.current.status).toBe('loading');
    expect(result.current.has()).toBe(false);
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(result.current.entitlements?.subscriptions[0]?.productName).toBe('Pro');
    expect(result.current.has('priority_support')).toBe(true);
    expect(result.current.has('white_label')).toBe(false);
    expect(result.current.has()).toBe(true);

    routes['GET /entitlements'] = () => ({ active: false, subscriptions: [], features: [] });
    act(() => result.current.refresh());
    await waitFor(() => expect(result.current.has()).toBe(false));
    expect(fetcher.requests).toHaveLength(2);
  });

  it('refresh() asks again while a read is on its way; its answer wins and later mounts share it', async () => {
    // The read on mount was asked before the customer subscribed; it answers after the new one.
    const answers: Array<(value: unknown) => void> = [];
    routes['GET /entitlements'] = () => new Promise((resolve) => answers.push(resolve));
    const seen: Record<string, UseEntitlementsReturn> = {};
    const { rerender } = render(<Probe name="first" seen={seen} />, { wrapper });
    await waitFor(() => expect(answers).toHaveLength(1));

    act(() => seen.first?.refresh());
    await waitFor(() => expect(answers).toHaveLength(2));
    await act(async () => answers[0]?.({ active: false, subscriptions: [], features: [] }));
    expect(seen.first?.status).toBe('loading');

    rerender(
      <>
        <Probe name="first" seen={seen} />
        <Probe name="later" seen={seen} />
      </>,
    );
    await act(async () => answers[1]?.(ENTITLEMENTS));
    expect(seen.first?.has('priority_support')).toBe(true);
    expect(seen.later?.has('priority_support')).toBe(true);
    expect(fetcher.requests).toHaveLength(2);
  });

  it('refresh() in one component updates an <Entitled> in another', async () => {
    // The gate lives elsewhere on the page than where the host refreshes.
    routes['GET /entitlements'] = () => ({ active: false, subscriptions: [], features: [] });
    render(
      <>
        <Subscribed />
        <Entitled feature="priority_support" fallback={<p>Upgrade</p>} loading={<p>Checking…</p>}>
          <p>Support chat</p>
        </Entitled>
      </>,
      { wrapper },
    );
    expect(await screen.findByText('Upgrade')).toBeVisible();

    routes['GET /entitlements'] = () => ENTITLEMENTS;
    act(() => screen.getByRole('button', { name: 'Subscribed' }).click());
    expect(await screen.findByText('Support chat')).toBeVisible();
    expect(screen.queryByText('Upgrade')).toBeNull();
    expect(fetcher.requests).toHaveLength(2);
  });

  it('a failed read is retried everywhere by refresh() in one component', async () => {
    routes['GET /entitlements'] = () => errorAnswer(503, 'stripe_unavailable');
    const seen: Record<string, UseEntitlementsReturn> = {};
    render(
      <>
        <Subscribed />
        <Probe name="gate" seen={seen} />
      </>,
      { wrapper },
    );
    await waitFor(() => expect(seen.gate?.status).toBe('failed'));
    expect(fetcher.requests).toHaveLength(1);

    routes['GET /entitlements'] = () => ENTITLEMENTS;
    act(() => screen.getByRole('button', { name: 'Subscribed' }).click());
    // The failure is forgotten while it reads again.
    expect(seen.gate?.status).toBe('loading');
    await waitFor(() => expect(seen.gate?.has('priority_support')).toBe(true));
    expect(seen.gate?.error).toBeNull();
    expect(fetcher.requests).toHaveLength(2);
  });

  it('a component mounted after a failed read reads again without forgetting the failure (a fallback that reads does not loop)', async () => {
    routes['GET /entitlements'] = () => errorAnswer(401, 'unauthenticated');
    render(
      <Entitled feature="priority_support" fallback={<Locked />} loading={<p>Checking…</p>}>
        <p>Support chat</p>
      </Entitled>,
      { wrapper },
    );
    const locked = await screen.findByRole('button', { name: 'Locked (failed)' });
    // Its own read (it mounted after the failure) keeps the failure shown, and then ends.
    await waitFor(() => expect(fetcher.requests).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fetcher.requests).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Locked (failed)' })).toBe(locked);

    // Trying again is `loading` again, and reads once.
    routes['GET /entitlements'] = () => ENTITLEMENTS;
    act(() => locked.click());
    expect(screen.getByText('Checking…')).toBeVisible();
    expect(await screen.findByText('Support chat')).toBeVisible();
    expect(fetcher.requests).toHaveLength(3);
  });

  it('reports a failure as a value', async () => {
    routes['GET /entitlements'] = () => errorAnswer(401, 'unauthenticated');
    const { result } = renderHook(() => useEntitlements(), { wrapper });
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.error).toMatchObject({ type: 'load_error', code: 'unauthenticated' });
  });
});
