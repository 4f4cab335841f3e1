/** The billing portal button in jsdom (React 18 and 19): the portal session, loading and errors. */
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/support/axe.js';
import { errorAnswer, fakeServerFetch } from '../../test/support/fake-stripe.js';
import { de } from '../messages/de.js';
import { TillkitProvider } from '../provider/tillkit-provider.js';
import { ManageBillingButton } from './manage-billing-button.js';
import { useManageBilling } from './use-manage-billing.js';

let routes: Record<string, (body: unknown) => unknown>;
let fetcher: ReturnType<typeof fakeServerFetch>;
beforeEach(() => {
  routes = { 'POST /portal-sessions': () => ({ url: 'https://portal.example/session' }) };
  fetcher = fakeServerFetch(new Proxy({}, { get: (_, key: string) => routes[key] }) as never);
  vi.stubGlobal('fetch', fetcher);
});
afterEach(() => vi.unstubAllGlobals());

const wrapper =
  (extra: { messages?: typeof de } = {}) =>
  ({ children }: { children: ReactNode }) => (
    <TillkitProvider apiBase="http://tillkit.test/api" stripe={null} {...extra}>
      {children}
    </TillkitProvider>
  );

describe('ManageBillingButton', () => {
  it('has no accessibility violations', async () => {
    const { container } = render(<ManageBillingButton navigate={vi.fn()} />, {
      wrapper: wrapper(),
    });
    expect(screen.getByRole('button', { name: 'Manage billing' })).toBeVisible();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('opens a portal session with the return address and goes there', async () => {
    let answer!: (value: unknown) => void;
    routes['POST /portal-sessions'] = () =>
      new Promise((resolve) => {
        answer = resolve;
      });
    const navigate = vi.fn();
    render(<ManageBillingButton returnUrl="https://shop.example/account" navigate={navigate} />, {
      wrapper: wrapper(),
    });
    const button = screen.getByRole('button', { name: 'Manage billing' });
    await userEvent.click(button);
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(button).toHaveAttribute('data-state', 'loading');
    // A second click while it opens asks for no second session.
    await userEvent.click(button);
    await act(async () => answer({ url: 'https://portal.example/session' }));
    expect(navigate).toHaveBeenCalledExactlyOnceWith('https://portal.example/session');
    expect(fetcher.requests).toHaveLength(1);
    expect(fetcher.requests[0]?.body).toEqual({ returnUrl: 'https://shop.example/account' });
  });

  it('useManageBilling().open() called twice before a render opens one session', async () => {
    const navigate = vi.fn();
    const { result } = renderHook(() => useManageBilling({ navigate }), { wrapper: wrapper() });
    // A script (or two events in one task) calling it twice: both calls see the same `idle`.
    await act(() => Promise.all([result.current.open(), result.current.open()]));
    expect(fetcher.requests).toHaveLength(1);
    expect(navigate).toHaveBeenCalledOnce();
    // Usable again afterwards.
    await act(() => result.current.open());
    expect(fetcher.requests).toHaveLength(2);
  });

  it('returns to the current page by default and uses window.location.assign', async () => {
    window.history.replaceState({}, '', '/account');
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, href: window.location.href, assign });
    render(<ManageBillingButton />, { wrapper: wrapper() });
    await userEvent.click(screen.getByRole('button', { name: 'Manage billing' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://portal.example/session'));
    expect(fetcher.requests[0]?.body).toEqual({ returnUrl: 'http://localhost:3000/account' });
  });

  it('stays busy while the browser leaves, and is usable again when Back shows the page from the back/forward cache', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, href: window.location.href, assign });
    render(<ManageBillingButton />, { wrapper: wrapper() });
    const button = screen.getByRole('button', { name: 'Manage billing' });
    await userEvent.click(button);
    await waitFor(() => expect(assign).toHaveBeenCalledOnce());
    // No usable button before the page unloads; a page shown anew (not from the cache) is not this one.
    await act(async () => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    });
    expect(button).toHaveAttribute('data-state', 'loading');
    expect(button).toHaveAttribute('aria-disabled', 'true');

    await act(async () => {
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    });
    expect(button).toHaveAttribute('data-state', 'idle');
    expect(button).not.toHaveAttribute('aria-disabled');
    await userEvent.click(button);
    await waitFor(() => expect(assign).toHaveBeenCalledTimes(2));
    expect(fetcher.requests).toHaveLength(2);
  });

  it('is usable again once a navigate of the host returns (a route of the app, a new tab)', async () => {
    let leave!: () => void;
    const navigate = vi.fn(() => new Promise<void>((resolve) => (leave = resolve)));
    render(<ManageBillingButton navigate={navigate} />, { wrapper: wrapper() });
    const button = screen.getByRole('button', { name: 'Manage billing' });
    await userEvent.click(button);
    await waitFor(() => expect(navigate).toHaveBeenCalledOnce());
    // Until the promise it answered settles.
    expect(button).toHaveAttribute('data-state', 'loading');
    await act(async () => leave());
    expect(button).toHaveAttribute('data-state', 'idle');
    expect(button).not.toHaveAttribute('aria-disabled');
    expect(button).toHaveFocus();
    await userEvent.click(button);
    await waitFor(() => expect(navigate).toHaveBeenCalledTimes(2));
    expect(fetcher.requests).toHaveLength(2);
  });

  it('says why the portal could not open; the button keeps the focus and points to the reason', async () => {
    routes['POST /portal-sessions'] = () => errorAnswer(429, 'rate_limited');
    render(<ManageBillingButton navigate={vi.fn()} />, { wrapper: wrapper() });
    const button = screen.getByRole('button', { name: 'Manage billing' });
    button.focus();
    await userEvent.keyboard('{Enter}');
    const alert = screen.getByRole('alert');
    await waitFor(() =>
      expect(alert).toHaveTextContent('Too many attempts. Please wait a moment and try again.'),
    );
    expect(button).toHaveFocus();
    expect(button).toHaveAccessibleDescription(
      'Too many attempts. Please wait a moment and try again.',
    );
    expect(button).toHaveAttribute('data-state', 'failed');
  });

  it('speaks German', () => {
    render(<ManageBillingButton />, { wrapper: wrapper({ messages: de }) });
    expect(screen.getByRole('button', { name: 'Abrechnung verwalten' })).toBeVisible();
  });
});
