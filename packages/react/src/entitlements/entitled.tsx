'use client';
/** `<Entitled feature="…">`: shows its children only to callers entitled to the feature. */
import type { ReactNode } from 'react';
import { useEntitlements } from './use-entitlements.js';

export interface EntitledProps {
  /**
   * The lookup key of the Stripe Entitlements feature to check (`priority_support`), never a
   * marketing feature's name; omitted, any active or trialing subscription will do.
   */
  feature?: string;
  /** Shown to callers without it (guests, lapsed subscriptions), and while reading unless `loading` is given. */
  fallback?: ReactNode;
  /** Shown while the entitlements are read. @default fallback */
  loading?: ReactNode;
  children?: ReactNode;
}

/**
 * Gates UI on what the caller paid for. Rendered on the server it shows the loading (or fallback)
 * content; a failure to read grants nothing.
 * @example
 * <Entitled feature="priority_support" fallback={<UpgradeLink />}>
 *   <SupportChat />
 * </Entitled>
 */
export function Entitled({
  feature,
  fallback = null,
  loading,
  children,
}: EntitledProps): ReactNode {
  const entitlements = useEntitlements();
  if (entitlements.status === 'loading') return loading === undefined ? fallback : loading;
  return entitlements.has(feature) ? children : fallback;
}
