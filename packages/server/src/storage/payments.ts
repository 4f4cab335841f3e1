/** Payments as kept in the database: written from Stripe's state, read by the payments routes. */
import type { Payment, PaymentLine } from '@tillkit/protocol';
import { and, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { TillkitDb } from './database.js';
import { payments } from './schema.js';

export type PaymentRow = typeof payments.$inferSelect;
export type NewPaymentRow = typeof payments.$inferInsert;

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/**
 * Stripe's state of a payment: everything but its lines and their discount, which a payment
 * intent does not have.
 */
export type PaymentState = Omit<NewPaymentRow, 'lines' | 'amountDiscount'>;

/**
 * A row from a payment intent, with `latest_charge` expanded for the refunded amount and the
 * receipt (the charge that succeeded, once one has: no charge is made after it).
 */
export function paymentRowFrom(intent: Stripe.PaymentIntent, userId: string | null): PaymentState {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  return {
    id: intent.id,
    stripeCustomerId: idOf(intent.customer),
    userId,
    status: intent.status,
    amount: intent.amount,
    amountRefunded: charge?.amount_refunded ?? 0,
    currency: intent.currency,
    receiptUrl: charge?.receipt_url ?? null,
    createdAt: new Date(intent.created * 1000),
    syncedAt: new Date(),
  };
}

/**
 * Writes Stripe's current state of a payment (the caller holds the object's lock). The lines and
 * their discount are left as they are: only the routes and the Checkout webhook know them.
 */
export async function upsertPayment(db: TillkitDb, row: PaymentState): Promise<void> {
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
        receiptUrl: row.receiptUrl,
        syncedAt: row.syncedAt,
      },
    });
}

/**
 * Records a payment just created, with its lines. When the row is there already, its state is
 * newer than this one (a webhook wrote it first, or this is a replayed creation): that state is
 * kept, and the lines are filled in only when the row has none, so a creation replayed after a
 * `PATCH` (Stripe answers an idempotent retry as it first did) cannot bring back the old cart.
 */
export async function insertCreatedPayment(db: TillkitDb, row: NewPaymentRow): Promise<void> {
  await db
    .insert(payments)
    .values(row)
    .onConflictDoUpdate({
      target: payments.id,
      set: { lines: sql`excluded.lines` },
      setWhere: sql`${payments.lines} = '[]'::jsonb`,
    });
}

/**
 * Replaces a payment's lines and what a discount took off them (the caller holds the object's
 * lock). `amountDiscount`: a Checkout page's promotion code; a cart priced by the routes has none.
 */
export async function setPaymentLines(
  db: TillkitDb,
  id: string,
  lines: PaymentLine[],
  amountDiscount = 0,
): Promise<void> {
  await db.update(payments).set({ lines, amountDiscount }).where(eq(payments.id, id));
}

export async function findPayment(db: TillkitDb, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return row;
}

/** Which payments a listing holds: one user's, in some statuses. */
export interface PaymentOwnerFilter {
  userId: string;
  statuses: readonly string[];
}

/**
 * A page of payments, newest first (every payment, or `owner`'s only); `startingAfter` is the
 * last id of the previous page. Undefined when `startingAfter` is not a payment of the listing's
 * owner. Any of the owner's payments places the page, whatever its status now: one that left the
 * listing since it was paged (`processing` that then failed) still does.
 */
export async function listPayments(
  db: TillkitDb,
  options: {
    limit: number;
    startingAfter?: string | undefined;
    owner?: PaymentOwnerFilter | undefined;
  },
): Promise<{ rows: PaymentRow[]; hasMore: boolean } | undefined> {
  const { owner } = options;
  // With an owner, `tillkit_payments_user_idx` (user, created, id) serves both the filter and
  // the order.
  const listed: SQL | undefined = owner
    ? and(eq(payments.userId, owner.userId), inArray(payments.status, [...owner.statuses]))
    : undefined;
  let cursor: PaymentRow | undefined;
  if (options.startingAfter) {
    cursor = await findPayment(db, options.startingAfter);
    if (!cursor || (owner && cursor.userId !== owner.userId)) return undefined;
  }
  const rows = await db
    .select()
    .from(payments)
    .where(
      and(
        listed,
        cursor
          ? or(
              lt(payments.createdAt, cursor.createdAt),
              and(eq(payments.createdAt, cursor.createdAt), lt(payments.id, cursor.id)),
            )
          : undefined,
      ),
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
    amountDiscount: row.amountDiscount,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    receiptUrl: row.receiptUrl,
    lines: row.lines,
  };
}
