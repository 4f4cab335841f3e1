/**
 * A value kept in localStorage, shared by every component that reads it
 * (`useSyncExternalStore`) and by every tab of the store (the `storage` event). What is read back
 * is checked by `parse`, never trusted: an old or hand-edited entry falls back to the default.
 */
import { useSyncExternalStore } from 'react';

export interface LocalStore<T> {
  get(): T;
  set(next: T | ((current: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

export function localStore<T>(
  key: string,
  fallback: T,
  parse: (stored: unknown) => T | undefined,
): LocalStore<T> {
  const read = (): T => {
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? fallback : (parse(JSON.parse(raw)) ?? fallback);
    } catch {
      return fallback;
    }
  };
  let value = read();
  // Whether localStorage keeps what is set (not in a private window that refuses it): then what
  // is stored, not this tab's copy, is the current value.
  let persisted = true;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key !== key && event.key !== null) return;
    value = read();
    notify();
  };
  return {
    get: () => value,
    set(next) {
      // From what is stored: another tab may have changed it since this one last read it (its
      // `storage` event comes later, and is not listened to while nothing here shows the value,
      // as the orders while paying), and an update of a stale copy would undo that change.
      if (persisted) value = read();
      value = typeof next === 'function' ? (next as (current: T) => T)(value) : next;
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
        persisted = true;
      } catch {
        // Storage full or disabled (private windows): the value lives in memory for this tab.
        persisted = false;
      }
      notify();
    },
    subscribe(listener) {
      if (!listeners.size) window.addEventListener('storage', onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (!listeners.size) window.removeEventListener('storage', onStorage);
      };
    },
  };
}

/** The store's value, re-rendering when it changes (in this tab or another). */
export function useLocalStore<T>(store: LocalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

/** A plain object read back from storage, or undefined. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
