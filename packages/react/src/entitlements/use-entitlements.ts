'use client';
/**
 * `useEntitlements()`: what the signed-in caller has paid for (`GET /entitlements`): their active
 * and trialing subscriptions and the lookup keys of their Stripe Entitlements features. Every
 * component under a provider shares one answer: they make one request when they mount together,
 * and `refresh()` anywhere updates them all.
 */
import type { EntitlementsResponse } from '@tillkit/protocol';
import { getEntitlements, type Transport } from '@tillkit/protocol/client';
import { useMemo, useSyncExternalStore } from 'react';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import { useTillkitContext } from '../provider/tillkit-provider.js';

export type EntitlementsStatus = EntitlementsState['status'];

export type EntitlementsState =
  /** Reading (and on the server). */
  | { status: 'loading'; entitlements: null; error: null }
  /** Read. */
  | { status: 'ready'; entitlements: EntitlementsResponse; error: null }
  /** Not read: a guest (401), or the server could not be reached. Nothing is granted. */
  | { status: 'failed'; entitlements: null; error: TillkitFailure };

export type UseEntitlementsReturn = EntitlementsState & {
  /**
   * Whether the caller has the feature with this lookup key (a Stripe Entitlements feature's
   * `lookup_key`, as `features` lists them; not a marketing feature's name), or, without one, any
   * active or trialing subscription. False until read.
   */
  has(feature?: string): boolean;
  /**
   * Reads again (after subscribing, say) for every component under the provider, with a new
   * request even while a read is on its way: the new answer is shown, never an older one that
   * arrives after it.
   */
  refresh(): void;
};

/** What was read, and why the last read failed (what was thrown). */
interface Read {
  data: EntitlementsResponse | null;
  error: unknown;
}

interface Store {
  get(): Read;
  subscribe(listener: () => void): () => void;
  read(): void;
}

const LOADING: Read = { data: null, error: null };

/**
 * One answer per provider (its transport; a new `apiBase` makes a new one), kept for
 * `useSyncExternalStore`, which renders `LOADING` on the server and subscribes, so reads, only in
 * the browser.
 */
const stores = new WeakMap<Transport, Store>();

function storeOf(transport: Transport): Store {
  const kept = stores.get(transport);
  if (kept) return kept;
  let state = LOADING;
  // The read on its way; `refresh()` sets it aside, and the answer to one set aside is dropped.
  let going: object | undefined;
  const listeners = new Set<() => void>();
  const set = (next: Read) => {
    state = next;
    for (const listener of listeners) listener();
  };
  /** `forget`: `refresh()` shows `loading` again; a component mounting keeps a failure shown. */
  const read = (forget: boolean) => {
    const mine = {};
    going = mine;
    const settle = (next: Read) => {
      if (mine !== going) return;
      going = undefined;
      // Unmounted everywhere meanwhile: the next mount reads from `loading`, as below.
      set(listeners.size ? next : LOADING);
    };
    // refresh() forgets a failure while it reads again: `loading` again when nothing was read
    // yet. A mount does not: a fallback shown for the failure that reads itself would be taken
    // off the page (a `loading` part instead) and mounted again, each time reading again.
    if (forget && state.error) set({ data: state.data, error: null });
    getEntitlements(transport).then(
      (data) => settle({ data, error: null }),
      // What was read stays `ready` if reading it again fails.
      (error: unknown) => settle({ data: state.data, error }),
    );
  };
  const store: Store = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      // Each mount reads, as it did alone, unless a read is on its way (components mounting
      // together, or strict mode subscribing twice).
      if (!going) read(false);
      return () => {
        listeners.delete(listener);
        // Unmounted everywhere: the next mount starts from `loading` (the caller may have changed).
        if (!listeners.size) state = LOADING;
      };
    },
    read: () => read(true),
  };
  stores.set(transport, store);
  return store;
}

/**
 * The caller's entitlements.
 * @example
 * const { has } = useEntitlements();
 * if (has('unlimited_orders')) …
 */
export function useEntitlements(): UseEntitlementsReturn {
  const { transport, messages } = useTillkitContext('useEntitlements()');
  const store = storeOf(transport);
  const { data, error } = useSyncExternalStore(store.subscribe, store.get, () => LOADING);
  const failure = useMemo(
    () => (data || !error ? null : fromThrown(error, messages, 'load_error')),
    [data, error, messages],
  );
  return {
    status: data ? 'ready' : failure ? 'failed' : 'loading',
    entitlements: data,
    error: failure,
    has: (feature?: string) => !!data && (feature ? data.features.includes(feature) : data.active),
    refresh: store.read,
  } as UseEntitlementsReturn;
}
