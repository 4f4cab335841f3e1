/**
 * The storefront's router: real paths through the History API, read with
 * `useSyncExternalStore`. A dozen flat paths need no library; `<Link>` and `navigate()` are all
 * there is.
 */
import { useMemo, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
/** How many times the page changed without a reload (the first page is not announced). */
let navigations = 0;

function changed(): void {
  navigations += 1;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  if (!listeners.size) window.addEventListener('popstate', changed);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (!listeners.size) window.removeEventListener('popstate', changed);
  };
}

/** Goes to a path of the storefront (another origin is a normal page load). */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url);
    return;
  }
  window.history[replace ? 'replaceState' : 'pushState'](null, '', url);
  window.scrollTo(0, 0);
  changed();
}

/** The current address; re-renders on every navigation. */
export function useLocation(): URL {
  const href = useSyncExternalStore(subscribe, () => window.location.href);
  return useMemo(() => new URL(href), [href]);
}

/** Whether the page changed since it loaded: then a new page's heading takes focus. */
export function hasNavigated(): boolean {
  return navigations > 0;
}

/** A same-origin path from a `?next=` parameter, or `fallback` (never another site). */
export function safePath(path: string | null, fallback: string): string {
  if (!path?.startsWith('/')) return fallback;
  // Resolved as the browser will: `//host`, `/\host` (a backslash is a slash in an http URL) and
  // `/<tab>/host` (tabs and newlines are dropped) are another site.
  try {
    const url = new URL(path, window.location.origin);
    return url.origin === window.location.origin ? url.pathname + url.search + url.hash : fallback;
  } catch {
    return fallback;
  }
}
