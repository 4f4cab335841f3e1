/**
 * The tab's pending PaymentIntent (sessionStorage, one entry per server `apiBase`, so two stores on
 * one origin keep theirs apart): what `PaymentForm` needs to reuse it after a reload, and what the
 * return page (`PaymentStatus`) clears once it shows the payment went through. Storage that throws
 * (none on the server, blocked, private mode, full) or holds something else keeps nothing: the form
 * works as it did before there was any. The receipt address and the caller's token are never kept.
 */

/** What the tab keeps of a pending intent. */
export interface PendingIntent {
  id: string;
  clientSecret: string;
  /** The cart it was priced for. */
  cartKey: string;
  save: boolean;
  /** When it was last kept (ms): a payment that went through is shown as this one's only soon after. */
  at: number;
  /** Whose it is: a hash of the caller's token (`callerKey`), so another caller is never shown it. */
  caller: string;
}

const keyOf = (apiBase: string) => `tillkit:payment-intent:${apiBase}`;

/** The tab's pending intent for `apiBase` (no `entry`), or keeps `entry`, or forgets it (null). */
export function keepPendingIntent(
  apiBase: string,
  entry?: PendingIntent | null,
): PendingIntent | null {
  try {
    if (entry) sessionStorage.setItem(keyOf(apiBase), JSON.stringify(entry));
    else if (entry === null) sessionStorage.removeItem(keyOf(apiBase));
    else {
      const kept = JSON.parse(sessionStorage.getItem(keyOf(apiBase)) as string);
      if (typeof kept?.clientSecret === 'string') return kept;
    }
  } catch {
    // Nothing kept: a reload makes a new intent, as a form with no storage always did.
  }
  return null;
}

/** Forgets the tab's pending intent for `apiBase` if it is the one with `clientSecret`. */
export function forgetPendingIntent(apiBase: string, clientSecret: string): void {
  if (keepPendingIntent(apiBase)?.clientSecret === clientSecret) keepPendingIntent(apiBase, null);
}

/**
 * A short, one-way key for the caller's token (FNV-1a): enough to tell two callers apart in the
 * tab's storage without keeping the token there. '' for a guest.
 */
export function callerKey(token: string | null | undefined): string {
  if (!token) return '';
  let hash = 0x811c9dc5;
  for (let index = 0; index < token.length; index++) {
    hash = Math.imul(hash ^ token.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
