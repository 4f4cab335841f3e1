'use client';
/**
 * What the kit's account lists share (saved cards, subscriptions): the list read from the server
 * (again on `refresh()`), one action at a time on an item (optimistic or not, put back as it was
 * when the server refuses), the item whose confirmation step is open, and an error region that
 * takes focus when an action fails.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommonMessages } from '../messages/messages.js';
import type { TillkitContextValue } from '../provider/tillkit-provider.js';
import { fromThrown, type TillkitFailure } from './errors.js';
import { useLoad } from './use-load.js';

/** `loading` until the first answer; `empty` or `ready` with items; `failed` when none came. */
export type ServerListStatus = 'loading' | 'ready' | 'empty' | 'failed';

export interface ServerList<T> {
  status: ServerListStatus;
  items: T[];
  /** Why the list could not load, or why the last action failed (the list is as it was). */
  error: TillkitFailure | null;
  /** The item an action runs on; every action waits until it is done. */
  pending: string | null;
  /** The item whose confirmation step is open. */
  confirming: string | null;
  /** Opens an item's confirmation step (`null` closes it). */
  setConfirming(id: string | null): void;
  /** Reads the list again (what is shown stays until the answer). */
  refresh(): void;
  /**
   * Runs `call` for item `id`: `optimistic` changes the list at once, `settle` with the answer;
   * a failure puts the list back as it was, reports and answers false.
   */
  act<R>(
    id: string,
    call: () => Promise<R>,
    optimistic?: (items: T[]) => T[],
    settle?: (items: T[], result: R) => T[],
  ): Promise<boolean>;
  /** A ref for the error region. */
  errorRef: (node: HTMLElement | null) => void;
}

export function useServerList<T>(
  tillkit: TillkitContextValue,
  messages: CommonMessages,
  load: (transport: TillkitContextValue['transport']) => Promise<{ data: T[] }>,
): ServerList<T> {
  const { transport } = tillkit;
  const loaded = useLoad(() => load(transport), transport, messages);
  const items = loaded.data?.data ?? null;
  const [failure, setFailure] = useState<TillkitFailure | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const errorNode = useRef<HTMLElement | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest) errorNode.current?.focus();
  }, [focusRequest]);
  const latest = useRef({ items, messages, loaded });
  latest.current = { items, messages, loaded };
  const busy = useRef(false);

  const act = useCallback(
    async <R>(
      id: string,
      call: () => Promise<R>,
      optimistic?: (items: T[]) => T[],
      settle?: (items: T[], result: R) => T[],
    ): Promise<boolean> => {
      const { items: before, loaded: list } = latest.current;
      if (busy.current || !before) return false;
      busy.current = true;
      const put = (next: T[]) => list.setData(() => ({ data: next }));
      setPending(id);
      setFailure(null);
      if (optimistic) put(optimistic(before));
      try {
        const result = await call();
        if (settle) list.setData((current) => ({ data: settle(current?.data ?? [], result) }));
        return true;
      } catch (thrown) {
        put(before);
        setFailure(fromThrown(thrown, latest.current.messages));
        setFocusRequest((count) => count + 1);
        return false;
      } finally {
        busy.current = false;
        setPending(null);
      }
    },
    [],
  );

  const error = failure ?? loaded.error;
  return {
    status: items ? (items.length ? 'ready' : 'empty') : error ? 'failed' : 'loading',
    items: items ?? [],
    error,
    pending,
    confirming,
    setConfirming,
    refresh: loaded.refresh,
    act,
    errorRef: useCallback((node: HTMLElement | null) => {
      errorNode.current = node;
    }, []),
  };
}
