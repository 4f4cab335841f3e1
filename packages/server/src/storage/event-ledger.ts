/**
 * The event ledger: every verified Stripe event, keyed by its id. `claimEvent()` inserts the row
 * if new and locks it (`SELECT … FOR UPDATE`) inside the caller's transaction, so a duplicate
 * delivery, on this instance or another one sharing the database, waits until the first one
 * committed (then sees it handled) or rolled back (then handles it itself).
 */
import { eq, ne, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { TillkitDb } from './database.js';
import { stripeEvents } from './schema.js';

export type EventRow = typeof stripeEvents.$inferSelect;

/**
 * What the ledger keeps of an event: its key and when and where Stripe made it, never its
 * payload. `data` is read only for the object's id, and may be anything (an invalid event's).
 */
export type LedgerEvent = Pick<Stripe.Event, 'id' | 'type' | 'created' | 'livemode'> & {
  data?: unknown;
};

/** The id of `data.object`, when it is one the database can store. */
function objectIdOf(event: LedgerEvent): string | null {
  const object: unknown = (event.data as { object?: unknown } | null | undefined)?.object;
  const id = typeof object === 'object' && object ? (object as { id?: unknown }).id : undefined;
  return typeof id === 'string' && !id.includes('\u0000') ? id : null;
}

/** Inserts the event if new, then locks its row until the transaction ends. */
export async function claimEvent(tx: TillkitDb, event: Stripe.Event): Promise<EventRow> {
  await tx
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      objectId: objectIdOf(event),
      livemode: event.livemode,
      stripeCreatedAt: new Date(event.created * 1000),
      status: 'pending',
    })
    .onConflictDoNothing({ target: stripeEvents.id });
  const [row] = await tx
    .select()
    .from(stripeEvents)
    .where(eq(stripeEvents.id, event.id))
    .for('update');
  if (!row) throw new Error(`Event ${event.id} vanished from the ledger`);
  return row;
}

/** Marks a claimed event handled (same transaction as the state it changed). */
export async function markEventHandled(tx: TillkitDb, row: EventRow): Promise<void> {
  await tx
    .update(stripeEvents)
    .set({ status: 'handled', attempts: row.attempts + 1, handledAt: new Date(), lastError: null })
    .where(eq(stripeEvents.id, row.id));
}

/**
 * Records a failed attempt (after its transaction rolled back), or an event refused as `invalid`
 * (never handled); a handled event stays handled.
 */
export async function recordEventFailure(
  db: TillkitDb,
  event: LedgerEvent,
  message: string,
  status: 'failed' | 'invalid' = 'failed',
): Promise<void> {
  await db
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      objectId: objectIdOf(event),
      livemode: event.livemode,
      stripeCreatedAt: new Date(event.created * 1000),
      status,
      attempts: 1,
      lastError: message,
    })
    .onConflictDoUpdate({
      target: stripeEvents.id,
      set: {
        status,
        attempts: sql`${stripeEvents.attempts} + 1`,
        lastError: message,
      },
      setWhere: ne(stripeEvents.status, 'handled'),
    });
}

/** Waits at most this long for a lock held by another delivery of the same event or object. */
export async function setLockTimeout(tx: TillkitDb, timeout: string): Promise<void> {
  await tx.execute(sql`select set_config('lock_timeout', ${timeout}, true)`);
}

/**
 * Serializes work on one Stripe object across deliveries and instances until the transaction
 * ends (a transaction-scoped advisory lock on a hash of the object id).
 */
export async function lockObject(tx: TillkitDb, objectId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${objectId}, 0))`);
}

export async function findEvent(db: TillkitDb, id: string): Promise<EventRow | undefined> {
  const [row] = await db.select().from(stripeEvents).where(eq(stripeEvents.id, id)).limit(1);
  return row;
}
