/**
 * Idempotency keys as Stripe keeps them: once a request began executing, the same key with the same
 * parameters replays its saved answer (402s and 500s included); other parameters get a 400
 * `idempotency_error`; a key still in use by a running request gets a 409. Requests that failed
 * validation, or that conflicted, save nothing. Keys expire after 24 hours.
 * @see https://docs.stripe.com/api/idempotent_requests
 */
import { StripeApiError } from './errors.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SavedResponse {
  status: number;
  body: string;
  requestId: string;
}

interface Entry {
  fingerprint: string;
  createdAt: number;
  saved: SavedResponse | null;
}

export type IdempotencyDecision = { kind: 'new' } | { kind: 'replay'; saved: SavedResponse };

/** Canonical JSON with sorted keys, so that parameter order never matters. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableStringify(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  begin(key: string, fingerprint: string): IdempotencyDecision {
    this.#expire();
    const entry = this.#entries.get(key);
    if (!entry) {
      this.#entries.set(key, { fingerprint, createdAt: this.#now(), saved: null });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) {
      throw new StripeApiError(400, {
        type: 'idempotency_error',
        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      });
    }
    if (!entry.saved) {
      throw new StripeApiError(409, {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      });
    }
    return { kind: 'replay', saved: entry.saved };
  }

  /** Saves the answer of a request that began executing. */
  complete(key: string, saved: SavedResponse): void {
    const entry = this.#entries.get(key);
    if (entry) entry.saved = saved;
  }

  /** Forgets a key whose request never began executing (a validation error). */
  abandon(key: string): void {
    const entry = this.#entries.get(key);
    if (entry && !entry.saved) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  #expire(): void {
    const cutoff = this.#now() - DAY_MS;
    for (const [key, entry] of this.#entries) {
      if (entry.createdAt < cutoff) this.#entries.delete(key);
    }
  }
}
