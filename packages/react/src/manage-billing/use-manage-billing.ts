'use client';
/**
 * `useManageBilling()`: opens Stripe's customer portal for the signed-in caller:
 * `POST /portal-sessions { returnUrl }`, then the browser goes to the session's URL.
 */
import { createPortalSession } from '@tillkit/protocol/client';
import { useRef, useState } from 'react';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import { leavePage } from '../internal/leave-page.js';
import type { CommonMessages } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type ManageBillingMessages, manageBillingMessages } from './messages.js';

export interface UseManageBillingProps {
  /** Where the portal's "Return" link goes (an allowed origin of the server). @default the current page */
  returnUrl?: string;
  /**
   * How to leave for the portal (tests, routers, a new tab). The button is usable again once it
   * returns (or the promise it returns settles), as the page stayed. @default
   * `window.location.assign(url)`: busy until the page goes, usable again if the customer comes
   * back to it with the Back button
   */
  navigate?: (url: string) => unknown;
}

/** `data-state` of the button. */
export type ManageBillingStatus = ManageBillingState['status'];

export type ManageBillingState =
  | { status: 'idle'; error: null }
  /** Asking the server for a session, then leaving for it (until `navigate` returns). */
  | { status: 'loading'; error: null }
  /** The server refused (a guest, no portal configuration) or could not be reached. */
  | { status: 'failed'; error: TillkitFailure };

export type UseManageBillingReturn = ManageBillingState & {
  /** Opens the portal. Does nothing while it is opening. */
  open(): Promise<void>;
  messages: CommonMessages & ManageBillingMessages;
};

/**
 * The headless billing portal button.
 * @example
 * const billing = useManageBilling();
 * <button onClick={billing.open} disabled={billing.status === 'loading'}>Billing</button>
 */
export function useManageBilling(props: UseManageBillingProps = {}): UseManageBillingReturn {
  const tillkit = useTillkitContext('useManageBilling()');
  const messages = useMessages(tillkit, manageBillingMessages);
  const [state, setState] = useState<ManageBillingState>({ status: 'idle', error: null });
  // Not the state: two calls before React renders again (a script, a double event) both see
  // `idle`, and would open two portal sessions.
  const opening = useRef(false);
  return {
    ...state,
    messages,
    async open() {
      if (opening.current) return;
      opening.current = true;
      setState({ status: 'loading', error: null });
      try {
        const { url } = await createPortalSession(tillkit.transport, {
          returnUrl: props.returnUrl ?? window.location.href,
        });
        await leavePage(url, props.navigate);
        setState({ status: 'idle', error: null });
      } catch (error) {
        setState({ status: 'failed', error: fromThrown(error, messages) });
      } finally {
        opening.current = false;
      }
    },
  };
}
