'use client';
/** `<Entitled feature="…">`: shows its children only to callers who paid for the feature. */
import type { ReactNode } from 'react';
import { useEntitlements } from './use-entitlements.js';

export interface EntitledProps {
  /**
   * The feature to check (one of the products' features); omitted, any active or trialing
   * subscription will do.
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
 * <Entitled feature="Priority support" fallback={<UpgradeLink />}>
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
