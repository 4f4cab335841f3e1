/**
 * The storage layer on both engines: migrations (also several instances starting at once against
 * one PostgreSQL, under the advisory lock) and a restart that keeps every record.
 */
import { readFileSync } from 'node:fs';
import { count, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPostgresDatabase, ENGINES, testDatabase } from '../test-support/harness.js';
import { openDatabase } from './database.js';
import { claimEvent, markEventHandled } from './event-ledger.js';
import { paymentRowFrom, setPaymentLines, upsertPayment } from './payments.js';
import { customers, payments, stripeEvents, subscriptions } from './schema.js';
import { upsertSubscription } from './subscriptions.js';

/** Every committed migration, applied once each. */
const MIGRATIONS = (
  JSON.parse(
    readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
  ) as { entries: unknown[] }
).entries.length;

describe.each(ENGINES)('%s', (engine) => {
  it('keeps every record across a restart, and migrating again changes nothing', async () => {
    const test = await testDatabase(engine);
    try {
      const { db } = test.database;
      await db
        .insert(customers)
        .values({ userId: 'u1', stripeCustomerId: 'cus_1', email: 'u1@example.com' });
      const intent = {
        id: 'pi_1',
        customer: 'cus_1',
        status: 'succeeded',
        amount: 1200,
        currency: 'eur',
        created: 1_790_000_000,
        latest_charge: {
          amount_refunded: 200,
          receipt_url: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8x',
        },
      };
      await upsertPayment(db, paymentRowFrom({ ...intent, status: 'processing' } as never, 'u1'));
      const lines = [{ price: 'price_mug', productName: 'Mug', quantity: 2, unitAmount: 600 }];
      await setPaymentLines(db, 'pi_1', lines, 300);
      // A later state from Stripe keeps the lines and their discount.
      await upsertPayment(db, paymentRowFrom(intent as never, 'u1'));
      const subscription = {
        id: 'sub_1',
        stripeCustomerId: 'cus_1',
        userId: 'u1',
        status: 'active',
        priceId: 'price_pro',
        productId: 'prod_pro',
        productName: 'Pro',
        features: ['Priority support', 'Unlimited projects'],
        currentPeriodEnd: new Date(1_792_000_000_000),
        cancelAtPeriodEnd: true,
        cancelAt: new Date(1_792_000_000_000),
        trialEnd: null,
        latestInvoiceId: 'in_1',
        pendingAction: 'new_card' as const,
        createdAt: new Date(1_790_000_000_000),
      };
      await upsertSubscription(db, { ...subscription, status: 'incomplete' });
      await upsertSubscription(db, subscription);
      await db.transaction(async (tx) => {
        const row = await claimEvent(tx, {
          id: 'evt_1',
          type: 'payment_intent.succeeded',
          created: 1_790_000_001,
          livemode: false,
          data: { object: { id: 'pi_1' } },
        } as never);
        await markEventHandled(tx, row);
      });
      await test.database.close();

      const reopened = await test.reopen();
      expect(await reopened.db.select().from(customers)).toMatchObject([
        { userId: 'u1', stripeCustomerId: 'cus_1' },
      ]);
      expect(await reopened.db.select().from(payments)).toMatchObject([
        {
          id: 'pi_1',
          userId: 'u1',
          status: 'succeeded',
          amount: 1200,
          amountRefunded: 200,
          currency: 'eur',
          createdAt: new Date(1_790_000_000_000),
          receiptUrl: 'https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8x',
          lines,
          amountDiscount: 300,
        },
      ]);
      expect(await reopened.db.select().from(subscriptions)).toMatchObject([subscription]);
      expect(await reopened.db.select().from(stripeEvents)).toMatchObject([
        { id: 'evt_1', status: 'handled', attempts: 1, objectId: 'pi_1' },
      ]);
      const migrations = await reopened.db.execute(
        sql`select count(*)::int as n from tillkit_migrations`,
      );
      expect((migrations as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(MIGRATIONS);
    } finally {
      await test.dispose();
    }
  });
});

describe('postgres', () => {
  it('several instances starting at once migrate once, under the advisory lock', async () => {
    const url = await createPostgresDatabase();
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => openDatabase({ url, poolSize: 2 })),
    );
    try {
      const [first] = instances;
      const rows = await first?.db.execute(sql`select count(*)::int as n from tillkit_migrations`);
      expect((rows as unknown as { rows: Array<{ n: number }> }).rows[0]?.n).toBe(MIGRATIONS);
      await first?.db.insert(customers).values({ userId: 'u', stripeCustomerId: 'cus_u' });
      const [seen] = await (instances[3]?.db.select({ n: count() }).from(customers) ?? []);
      expect(seen?.n).toBe(1);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });

  it('a wrong DATABASE_URL fails with a message that names the server but not the password', async () => {
    await expect(
      openDatabase({ url: 'postgres://app:hunter2@127.0.0.1:1/nothing' }),
    ).rejects.toThrow(
      /Could not connect to the PostgreSQL server in DATABASE_URL \(postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nothing\)/,
    );
  });
});
