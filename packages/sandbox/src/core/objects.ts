/** Small helpers shared by the resources. */
import { isDeepStrictEqualJson } from './json-equal.js';

/**
 * Applies `mutate` to `object` in place and returns the top-level fields that changed with their
 * old values: Stripe's `data.previous_attributes`.
 */
export function trackChanges<T extends object>(object: T, mutate: (object: T) => void): Partial<T> {
  const before = structuredClone(object) as Record<string, unknown>;
  mutate(object);
  const after = object as Record<string, unknown>;
  // Whole old values of the top-level fields that changed. Stripe itself sends only the changed
  // keys of a hash (`{ metadata: { plan: null } }`), but stripe-node types previous_attributes
  // as `Partial<T>`, so a partial hash would not type-check in the code that reads it.
  const previous: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqualJson(before[key], after[key])) previous[key] = before[key] ?? null;
  }
  return previous as Partial<T>;
}

/**
 * Applies a `metadata` parameter as Stripe does: keys with `""` are removed, others set; `""` or
 * null for the whole parameter clears it.
 */
export function mergeMetadata(
  current: Record<string, string>,
  update: Record<string, string> | null | undefined,
): Record<string, string> {
  if (update === undefined) return current;
  if (update === null) return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}

/** `metadata` on create: empty values are dropped. */
export function initialMetadata(
  update: Record<string, string> | null | undefined,
): Record<string, string> {
  return mergeMetadata({}, update);
}
