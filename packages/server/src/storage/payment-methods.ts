/** Saved cards as kept in the database from webhooks (attached, detached, set up). */
import type Stripe from 'stripe';
import type { TillkitDb } from './database.js';
import { paymentMethods } from './schema.js';

/** Writes Stripe's current state of a card (the caller holds the object's lock). */
export async function upsertPaymentMethod(db: TillkitDb, method: Stripe.PaymentMethod) {
  if (!method.card) return;
  const row = {
    id: method.id,
    stripeCustomerId:
      typeof method.customer === 'string' ? method.customer : (method.customer?.id ?? null),
    brand: method.card.brand,
    last4: method.card.last4,
    expMonth: method.card.exp_month,
    expYear: method.card.exp_year,
    syncedAt: new Date(),
  };
  await db
    .insert(paymentMethods)
    .values(row)
    .onConflictDoUpdate({
      target: paymentMethods.id,
      set: {
        stripeCustomerId: row.stripeCustomerId,
        brand: row.brand,
        last4: row.last4,
        expMonth: row.expMonth,
        expYear: row.expYear,
        syncedAt: row.syncedAt,
      },
    });
}
