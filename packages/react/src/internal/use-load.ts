'use client';
/**
 * Reads something from the server once the page runs (never on the server), again when `key`
 * changes or on `refresh()`; what was read stays shown while it reads again. A failure is a
 * value (`error`), in the customer's words.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommonMessages } from '../messages/messages.js';
import { fromThrown, type TillkitFailure } from './errors.js';

export interface Loaded<T> {
  /** The answer; null until the first one. */
  data: T | null;
  /** Why the last read failed, if it did. */
  error: TillkitFailure | null;
  /** Reads again. */
  refresh(): void;
  /**
   * Replaces what was read (an action's answer). An answer to a read that began before it is
   * older than the change: it is set aside and the data read again.
   */
  setData(update: (data: T | null) => T | null): void;
  /** Reads again if an answer was set aside while `hold()` said so (call it once released). */
  flush(): void;
}

export function useLoad<T>(
  load: () => Promise<T>,
  key: unknown,
  messages: CommonMessages,
  /** While it answers true (an action on its way), answers are set aside until `flush()`. */
  hold?: () => boolean,
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<TillkitFailure | null>(null);
  const [run, setRun] = useState(0);
  // The messages at the time of a failure (a host may switch languages while it reads).
  const latest = useRef(messages);
  latest.current = messages;
  // Counts the local changes (`setData`), so that a read knows whether it is older than one.
  const changes = useRef(0);
  const setAside = useRef(false);
  const holding = useRef(hold);
  holding.current = hold;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `run` say when to read again
  useEffect(() => {
    let active = true;
    const at = changes.current;
    load().then(
      (answer) => {
        if (!active) return;
        // The server answered what it had before a change made here since (an action that
        // went through, or is on its way): showing it would undo that change on screen.
        if (holding.current?.()) {
          setAside.current = true;
          return;
        }
        if (changes.current !== at) {
          setRun((count) => count + 1);
          return;
        }
        setData(answer);
        setError(null);
      },
      (thrown: unknown) => {
        if (active) setError(fromThrown(thrown, latest.current, 'load_error'));
      },
    );
    return () => {
      active = false;
    };
  }, [key, run]);
  return {
    data,
    error,
    // A failure is forgotten while reading again: `loading` again when nothing was read yet.
    refresh: useCallback(() => {
      setError(null);
      setRun((count) => count + 1);
    }, []),
    setData: useCallback((update: (data: T | null) => T | null) => {
      changes.current += 1;
      setData(update);
    }, []),
    flush: useCallback(() => {
      if (!setAside.current) return;
      setAside.current = false;
      setRun((count) => count + 1);
    }, []),
  };
}
