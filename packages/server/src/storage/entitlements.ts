/**
 * What customers are entitled to, as kept in the database: the lookup keys of each customer's
 * Stripe active entitlements, written from Stripe's list (re-read under a lock), read by
 * `GET /entitlements`.
 */
import { inArray } from 'drizzle-orm';
import type { TillkitDb } from './database.js';
import { entitlements } from './schema.js';

/** Writes the lookup keys Stripe lists for a customer now (the caller holds the lock). */
export async function storeLookupKeys(
  db: TillkitDb,
  stripeCustomerId: string,
  lookupKeys: readonly string[],
): Promise<void> {
  const row = { stripeCustomerId, lookupKeys: [...lookupKeys], syncedAt: new Date() };
  await db
    .insert(entitlements)
    .values(row)
    .onConflictDoUpdate({
      target: entitlements.stripeCustomerId,
      set: { lookupKeys: row.lookupKeys, syncedAt: row.syncedAt },
    });
}

/** The lookup keys of these customers together, each once, sorted. */
export async function findLookupKeys(
  db: TillkitDb,
  stripeCustomerIds: readonly string[],
): Promise<string[]> {
  if (!stripeCustomerIds.length) return [];
  const rows = await db
    .select({ lookupKeys: entitlements.lookupKeys })
    .from(entitlements)
    .where(inArray(entitlements.stripeCustomerId, [...stripeCustomerIds]));
  return [...new Set(rows.flatMap((row) => row.lookupKeys))].sort();
}
