/** The link between a host app's users and the Stripe customers the server made for them. */
import { eq } from 'drizzle-orm';
import type { TillkitDb } from './database.js';
import { customers } from './schema.js';

export async function findCustomerId(db: TillkitDb, userId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: customers.stripeCustomerId })
    .from(customers)
    .where(eq(customers.userId, userId))
    .limit(1);
  return row?.id;
}

export async function findUserIdByCustomer(
  db: TillkitDb,
  stripeCustomerId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ userId: customers.userId })
    .from(customers)
    .where(eq(customers.stripeCustomerId, stripeCustomerId))
    .limit(1);
  return row?.userId;
}

/** Links a user to a customer; the first link wins (concurrent first requests race here). */
export async function linkCustomer(
  db: TillkitDb,
  link: { userId: string; stripeCustomerId: string; email?: string | undefined },
): Promise<string> {
  await db
    .insert(customers)
    .values({ userId: link.userId, stripeCustomerId: link.stripeCustomerId, email: link.email })
    .onConflictDoNothing();
  const id = await findCustomerId(db, link.userId);
  if (!id) throw new Error(`Could not link user ${link.userId} to a Stripe customer`);
  return id;
}
