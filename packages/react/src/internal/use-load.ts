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
  /** Replaces what was read (an action's answer). */
  setData(update: (data: T | null) => T | null): void;
}

export function useLoad<T>(
  /** Answers `undefined` when it has nothing new (what is shown stays, as it is). */
  load: () => Promise<T | undefined>,
  key: unknown,
  messages: CommonMessages,
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<TillkitFailure | null>(null);
  const [run, setRun] = useState(0);
  // The messages at the time of a failure (a host may switch languages while it reads).
  const latest = useRef(messages);
  latest.current = messages;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` and `run` say when to read again
  useEffect(() => {
    let active = true;
    load().then(
      (answer) => {
        if (!active || answer === undefined) return;
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
    setData,
  };
}
