/** Payments as kept in the database: written from Stripe's state, read by the payments routes. */
import type { Payment } from '@tillkit/protocol';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { TillkitDb } from './database.js';
import { payments } from './schema.js';

export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** A row from a payment intent (with `latest_charge` expanded for the refunded amount). */
export function paymentRowFrom(intent: Stripe.PaymentIntent, userId: string | null): NewPaymentRow {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  return {
    id: intent.id,
    stripeCustomerId: idOf(intent.customer),
    userId,
    status: intent.status,
    amount: intent.amount,
    amountRefunded: charge?.amount_refunded ?? 0,
    currency: intent.currency,
    createdAt: new Date(intent.created * 1000),
    syncedAt: new Date(),
  };
}

/** Writes Stripe's current state of a payment (the caller holds the object's lock). */
export async function upsertPayment(db: TillkitDb, row: NewPaymentRow): Promise<void> {
  await db
    .insert(payments)
    .values(row)
    .onConflictDoUpdate({
      target: payments.id,
      set: {
        stripeCustomerId: row.stripeCustomerId,
        userId: row.userId,
        status: row.status,
        amount: row.amount,
        amountRefunded: row.amountRefunded,
        currency: row.currency,
        syncedAt: row.syncedAt,
      },
    });
}

/** Records a payment just created, unless a webhook already wrote a newer state of it. */
export async function insertPaymentIfAbsent(db: TillkitDb, row: NewPaymentRow): Promise<void> {
  await db.insert(payments).values(row).onConflictDoNothing({ target: payments.id });
}

export async function findPayment(db: TillkitDb, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return row;
}

/** A page of payments, newest first; `startingAfter` is the last id of the previous page. */
export async function listPayments(
  db: TillkitDb,
  options: { limit: number; startingAfter?: string | undefined },
): Promise<{ rows: PaymentRow[]; hasMore: boolean }> {
  let cursor: PaymentRow | undefined;
  if (options.startingAfter) {
    cursor = await findPayment(db, options.startingAfter);
    if (!cursor) return { rows: [], hasMore: false };
  }
  const rows = await db
    .select()
    .from(payments)
    .where(
      cursor
        ? or(
            lt(payments.createdAt, cursor.createdAt),
            and(eq(payments.createdAt, cursor.createdAt), lt(payments.id, cursor.id)),
          )
        : undefined,
    )
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(options.limit + 1);
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

/** The protocol's view of a payment. */
export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    status: row.status,
    amount: row.amount,
    amountRefunded: row.amountRefunded,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
  };
}
