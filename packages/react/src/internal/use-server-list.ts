'use client';
/**
 * What the kit's account lists share (saved cards, subscriptions): the list read from the server
 * (again on `refresh()`), one action at a time on an item (optimistic or not, put back as it was
 * when the server refuses), the item whose confirmation step is open, an error region that
 * takes focus when an action fails, and what the last action that went through did (for a status
 * region: the list changes in silence otherwise, WCAG 4.1.3).
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { CommonMessages } from '../messages/messages.js';
import type { TillkitContextValue } from '../provider/tillkit-provider.js';
import { fromThrown, type TillkitFailure } from './errors.js';
import { useLoad } from './use-load.js';

/** `loading` until the first answer; `empty` or `ready` with items; `failed` when none came. */
export type ServerListStatus = 'loading' | 'ready' | 'empty' | 'failed';

/** `D`: what an action that went through leaves for the status region (see `done`). */
export interface ServerList<T, D = never> {
  status: ServerListStatus;
  items: T[];
  /** Why the list could not load, or why the last action failed (the list is as it was). */
  error: TillkitFailure | null;
  /** The item an action runs on; every action waits until it is done. */
  pending: string | null;
  /** The item whose confirmation step is open. */
  confirming: string | null;
  /** Opens an item's confirmation step (`null` closes it); forgets `done`. */
  setConfirming(id: string | null): void;
  /** Reads the list again (what is shown stays until the answer); forgets `done`. */
  refresh(): void;
  /**
   * What the last action that went through made with `act`'s `done`: data, not words, so that the
   * caller words it as it renders (in the provider's current language). Null while an action
   * runs, after one failed (the error region speaks then), once a confirmation step opens or
   * the list is read again, and for another transport (the caller changed).
   */
  done: D | null;
  /**
   * Runs `call` for item `id`: `optimistic` changes the list at once, `settle` with the answer;
   * a failure puts the list back as it was, reports and answers false. Once it went through,
   * `done` (given the answer and the list as it was before) makes `done` (null: nothing to say).
   */
  act<R>(
    id: string,
    call: () => Promise<R>,
    optimistic: ((items: T[]) => T[]) | undefined,
    settle: ((items: T[], result: R) => T[]) | undefined,
    done: (result: R, before: T[]) => D | null,
  ): Promise<boolean>;
  /** A ref for the error region. */
  errorRef: (node: HTMLElement | null) => void;
  /** The id of the element that holds an item's name (its buttons are described by it). */
  labelId(id: string): string;
}

export function useServerList<T, D = never>(
  tillkit: TillkitContextValue,
  messages: CommonMessages,
  load: (transport: TillkitContextValue['transport']) => Promise<{ data: T[] }>,
): ServerList<T, D> {
  const { transport } = tillkit;
  // The transport of the action on its way (null while none is): a read for another transport (a
  // new `apiBase`) is another list, which that action cannot have changed.
  const busy = useRef<unknown>(null);
  // Counts the changes made here (an action's), so that a read knows whether it is older.
  const changes = useRef(0);
  const setAside = useRef(false);
  const loaded = useLoad(
    async (): Promise<{ data: T[] } | undefined> => {
      const at = changes.current;
      const answer = await load(transport);
      const held = busy.current === transport;
      if (!held && changes.current === at) return answer;
      // The server answered what it had before a change made here since (an action that went
      // through, or is on its way): showing it would undo that change on screen. What is shown
      // stays as it is (an action settling meanwhile is not undone), and the list is read again
      // (once the action is done).
      if (held) setAside.current = true;
      else latest.current.refresh();
      return undefined;
    },
    transport,
    messages,
  );
  const { refresh } = loaded;
  const setData: typeof loaded.setData = (update) => {
    changes.current += 1;
    loaded.setData(update);
  };
  const items = loaded.data?.data ?? null;
  const [failure, setFailure] = useState<TillkitFailure | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  // With the transport it was made for: another caller's list (a new token) has nothing to say.
  const [done, setDone] = useState<{ what: D | null; for: unknown } | null>(null);
  const errorNode = useRef<HTMLElement | null>(null);
  const base = useId();
  // Each failure is a new object: focus moves to the error region once it shows one.
  useEffect(() => {
    if (failure) errorNode.current?.focus();
  }, [failure]);
  const latest = useRef({ items, messages, refresh, transport });
  latest.current = { items, messages, refresh, transport };
  // A card form of the kit went through (the provider's `changes`): read again, what is shown and
  // said staying meanwhile.
  const { changes: told } = tillkit;
  useEffect(() => {
    const read = () => latest.current.refresh();
    told.addEventListener('change', read);
    return () => told.removeEventListener('change', read);
  }, [told]);

  const error = failure ?? loaded.error;
  return {
    status: items ? (items.length ? 'ready' : 'empty') : error ? 'failed' : 'loading',
    items: items ?? [],
    error,
    pending,
    confirming,
    setConfirming: useCallback((id: string | null) => {
      setDone(null);
      setConfirming(id);
    }, []),
    refresh: useCallback(() => {
      setDone(null);
      refresh();
    }, [refresh]),
    done: done?.for === transport ? done.what : null,
    async act(id, call, optimistic, settle, made) {
      const before = latest.current.items;
      if (busy.current !== null || !before) return false;
      busy.current = transport;
      setPending(id);
      setFailure(null);
      setDone(null);
      if (optimistic) setData(() => ({ data: optimistic(before) }));
      try {
        const result = await call();
        // Another server's list is shown now (a new `apiBase`): nothing of this one to change.
        if (latest.current.transport !== transport) return true;
        // Also a change when nothing is settled: a read begun meanwhile is read again.
        setData((current) => (settle ? { data: settle(current?.data ?? [], result) } : current));
        setDone({ what: made(result, before), for: transport });
        return true;
      } catch (thrown) {
        if (latest.current.transport !== transport) return false;
        setData(() => ({ data: before }));
        setFailure(fromThrown(thrown, latest.current.messages));
        return false;
      } finally {
        busy.current = null;
        setPending(null);
        if (setAside.current) {
          setAside.current = false;
          refresh();
        }
      }
    },
    errorRef: useCallback((node: HTMLElement | null) => {
      errorNode.current = node;
    }, []),
    labelId: (id) => base + id,
  };
}
