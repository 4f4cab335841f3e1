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
