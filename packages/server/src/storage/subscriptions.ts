/**
 * Subscriptions as kept in the database: written from Stripe's state (re-read under a lock by the
 * webhook handlers and by the routes that change one), read by the subscription and entitlement
 * routes.
 */
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import type { TillkitDb } from './database.js';
import { subscriptions } from './schema.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type NewSubscriptionRow = typeof subscriptions.$inferInsert;

/** Statuses that grant what the product sells. */
export const ENTITLING_STATUSES = ['active', 'trialing'] as const;

/** Statuses of subscriptions that are over: not listed, never charged again. */
export const ENDED_STATUSES = ['canceled', 'incomplete_expired'] as const;

/** Writes Stripe's current state of a subscription (the caller holds the object's lock). */
export async function upsertSubscription(db: TillkitDb, row: NewSubscriptionRow): Promise<void> {
  const { id: _id, createdAt: _createdAt, ...changes } = row;
  await db
    .insert(subscriptions)
    .values(row)
    .onConflictDoUpdate({
      target: subscriptions.id,
      set: { ...changes, syncedAt: row.syncedAt ?? new Date() },
    });
}

export async function findSubscriptionRow(
  db: TillkitDb,
  id: string,
): Promise<SubscriptionRow | undefined> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id)).limit(1);
  return row;
}

/** A user's subscriptions that have not ended, newest first. */
export async function listCurrentSubscriptions(
  db: TillkitDb,
  userId: string,
): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(subscriptions)
    .where(
      and(eq(subscriptions.userId, userId), notInArray(subscriptions.status, [...ENDED_STATUSES])),
    )
    .orderBy(desc(subscriptions.createdAt), desc(subscriptions.id));
}

/** A user's subscriptions that grant access (active or trialing), oldest first. */
export async function listEntitlingSubscriptions(
  db: TillkitDb,
  userId: string,
): Promise<SubscriptionRow[]> {
  return db
    .select()
    .from(subscriptions)
    .where(
      and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...ENTITLING_STATUSES])),
    )
    .orderBy(subscriptions.createdAt, subscriptions.id);
}
