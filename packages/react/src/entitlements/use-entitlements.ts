'use client';
/**
 * `useEntitlements()`: what the signed-in caller has paid for (`GET /entitlements`): their active
 * and trialing subscriptions and their products' features. Components that mount together share
 * one request.
 */
import type { EntitlementsResponse } from '@tillkit/protocol';
import { getEntitlements } from '@tillkit/protocol/client';
import type { TillkitFailure } from '../internal/errors.js';
import { useLoad } from '../internal/use-load.js';
import type { TillkitContextValue } from '../provider/tillkit-provider.js';
import { useTillkitContext } from '../provider/tillkit-provider.js';

export type EntitlementsState =
  /** Reading (and on the server). */
  | { status: 'loading'; entitlements: null; error: null }
  /** Read. */
  | { status: 'ready'; entitlements: EntitlementsResponse; error: null }
  /** Not read: a guest (401), or the server could not be reached. Nothing is granted. */
  | { status: 'failed'; entitlements: null; error: TillkitFailure };

export type UseEntitlementsReturn = EntitlementsState & {
  /**
   * Whether the caller has `feature` (one of the products' features, as `GET /prices` lists
   * them), or, without one, any active or trialing subscription. False until read.
   */
  has(feature?: string): boolean;
  /** Reads again (after subscribing, say). */
  refresh(): void;
};

/** In-flight reads, per transport: components that mount together make one request. */
const reads = new WeakMap<object, Promise<EntitlementsResponse>>();

function read(transport: TillkitContextValue['transport']): Promise<EntitlementsResponse> {
  let answer = reads.get(transport);
  if (!answer) {
    answer = getEntitlements(transport).finally(() => reads.delete(transport));
    reads.set(transport, answer);
  }
  return answer;
}

/**
 * The caller's entitlements.
 * @example
 * const { has } = useEntitlements();
 * if (has('Unlimited projects')) …
 */
export function useEntitlements(): UseEntitlementsReturn {
  const tillkit = useTillkitContext('useEntitlements()');
  const { transport } = tillkit;
  const { data, error, refresh } = useLoad(() => read(transport), transport, tillkit.messages);
  return {
    status: data ? 'ready' : error ? 'failed' : 'loading',
    entitlements: data,
    // What was read stays `ready` if reading it again fails.
    error: data ? null : error,
    has: (feature?: string) => !!data && (feature ? data.features.includes(feature) : data.active),
    refresh,
  } as UseEntitlementsReturn;
}
