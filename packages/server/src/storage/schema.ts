/**
 * The server's tables: one schema for both engines (PGlite and PostgreSQL 15+). Every table is
 * prefixed `tillkit_` so the server can share a host app's database. Change this file, then run
 * `pnpm --filter @tillkit/server db:generate` and commit the new migration in `drizzle/`.
 */
import type { PaymentLine } from '@tillkit/protocol';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Links a user of the host app to the Stripe customer the server made for them. */
export const customers = pgTable('tillkit_customers', {
  userId: text('user_id').primaryKey(),
  stripeCustomerId: text('stripe_customer_id').notNull().unique(),
  email: text('email'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** Payment intents, as Stripe last said they were (kept from webhooks). */
export const payments = pgTable(
  'tillkit_payments',
  {
    id: text('id').primaryKey(),
    stripeCustomerId: text('stripe_customer_id'),
    /** The user the payment belongs to; null for a guest's. */
    userId: text('user_id'),
    status: text('status').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    amountRefunded: bigint('amount_refunded', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull(),
    /** When Stripe created the intent. */
    createdAt: timestamptz('created_at').notNull(),
    /** When the row was last written from Stripe's state. */
    syncedAt: timestamptz('synced_at').notNull().defaultNow(),
    /**
     * Stripe's receipt page for the payment: its latest charge's `receipt_url`, null until a
     * charge succeeds. Written with the rest of Stripe's state, so a refund keeps it (the
     * receipt is the same page, showing the refund).
     */
    receiptUrl: text('receipt_url'),
    /**
     * What was bought, as the server priced it (`POST`/`PATCH /payment-intents`) or as Stripe
     * kept a Checkout page's line items; empty for a payment whose cart the server never saw.
     * Written by the routes and the Checkout webhook only: Stripe's payment intent has no cart,
     * so the payment intent webhooks never touch it.
     */
    lines: jsonb('lines').$type<PaymentLine[]>().notNull().default([]),
    /**
     * What a discount took off the lines' prices (a Checkout page's promotion code: the
     * session's `total_details.amount_discount`); 0 when none. Written with the lines (0 by the
     * routes, the page's by the Checkout webhook): the payment intent webhooks never touch it.
     */
    amountDiscount: bigint('amount_discount', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    index('tillkit_payments_created_idx').on(table.createdAt, table.id),
    // A user's history, newest first (`GET /payments` for a user), and a user's payments.
    index('tillkit_payments_user_idx').on(table.userId, table.createdAt, table.id),
  ],
);

/** Saved cards, as Stripe last said they were; `stripeCustomerId` is null once detached. */
export const paymentMethods = pgTable(
  'tillkit_payment_methods',
  {
    id: text('id').primaryKey(),
    stripeCustomerId: text('stripe_customer_id'),
    brand: text('brand').notNull(),
    last4: text('last4').notNull(),
    expMonth: integer('exp_month').notNull(),
    expYear: integer('exp_year').notNull(),
    syncedAt: timestamptz('synced_at').notNull().defaultNow(),
  },
  (table) => [index('tillkit_payment_methods_customer_idx').on(table.stripeCustomerId)],
);

/**
 * Subscriptions, as Stripe last said they were (kept from webhooks, re-read under a lock): which
 * ones entitle their user (active or trialing), and the product with its marketing features.
 */
export const subscriptions = pgTable(
  'tillkit_subscriptions',
  {
    id: text('id').primaryKey(),
    stripeCustomerId: text('stripe_customer_id').notNull(),
    /** The user the subscription belongs to; null when its customer is not linked to one. */
    userId: text('user_id'),
    status: text('status').notNull(),
    /** The first item's price and product (Tillkit subscribes to one price at a time). */
    priceId: text('price_id').notNull(),
    productId: text('product_id').notNull(),
    productName: text('product_name').notNull(),
    /** The product's `marketing_features` names. */
    features: jsonb('features').$type<string[]>().notNull().default([]),
    quantity: integer('quantity').notNull().default(1),
    currentPeriodEnd: timestamptz('current_period_end'),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /**
     * When it ends, when set to: Stripe's `cancel_at` (the period's end for
     * `cancel_at_period_end`, or a date); null when it renews.
     */
    cancelAt: timestamptz('cancel_at'),
    trialEnd: timestamptz('trial_end'),
    latestInvoiceId: text('latest_invoice_id'),
    /**
     * What the subscription waits for from the customer: its latest invoice (`authenticate`,
     * `new_card`), or else the card its renewals will charge (`save_card`: a trial, or one a
     * promotion code made free, whose SetupIntent is not confirmed yet); null for nothing. The
     * client secret itself is never stored: it is read from Stripe when listed. (A text column:
     * the enum is TypeScript's only, so a new value needs no migration.)
     */
    pendingAction: text('pending_action', { enum: ['authenticate', 'new_card', 'save_card'] }),
    /** When Stripe created the subscription. */
    createdAt: timestamptz('created_at').notNull(),
    syncedAt: timestamptz('synced_at').notNull().defaultNow(),
  },
  (table) => [
    index('tillkit_subscriptions_user_idx').on(table.userId, table.createdAt),
    index('tillkit_subscriptions_customer_idx').on(table.stripeCustomerId),
  ],
);

/**
 * What each customer is entitled to: the lookup keys of their Stripe active entitlements (the
 * Entitlements features of their subscriptions' products), as Stripe last listed them (re-read
 * under a lock on every `entitlements.active_entitlement_summary.updated` event and whenever a
 * subscription is stored). `GET /entitlements` answers them while a subscription is entitling.
 */
export const entitlements = pgTable('tillkit_entitlements', {
  stripeCustomerId: text('stripe_customer_id').primaryKey(),
  lookupKeys: jsonb('lookup_keys').$type<string[]>().notNull().default([]),
  syncedAt: timestamptz('synced_at').notNull().defaultNow(),
});

/**
 * The event ledger: one row per Stripe event id. The primary key is what makes handling
 * exactly-once; the row lock taken while an event is handled makes duplicates wait for the outcome.
 */
export const stripeEvents = pgTable(
  'tillkit_stripe_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    /** The id of `data.object`. */
    objectId: text('object_id'),
    livemode: boolean('livemode').notNull(),
    /** When Stripe created the event. */
    stripeCreatedAt: timestamptz('stripe_created_at').notNull(),
    /**
     * `invalid`: signed, but not shaped as Stripe sends events (a field a handler reads is missing
     * or of the wrong type), so it was refused with a 400 and never handled; `last_error` says
     * what was wrong. A plain text column: the value needs no migration.
     */
    status: text('status', { enum: ['pending', 'handled', 'failed', 'invalid'] }).notNull(),
    /** Deliveries that tried to handle it (failed and invalid ones included). */
    attempts: integer('attempts').notNull().default(0),
    /** Why the last attempt failed or was refused (an error message, never a payload). */
    lastError: text('last_error'),
    receivedAt: timestamptz('received_at').notNull().defaultNow(),
    handledAt: timestamptz('handled_at'),
  },
  (table) => [index('tillkit_stripe_events_status_idx').on(table.status, table.receivedAt)],
);
