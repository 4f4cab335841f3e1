/** What a webhook handler gets: the event's transaction, Stripe, and the customer directory. */
import type Stripe from 'stripe';
import type { Logger } from '../../observability/logger.js';
import type { TillkitDb } from '../../storage/database.js';
import type { CustomerDirectory } from '../../stripe/customers.js';

export interface HandlerContext {
  /** The transaction the event is handled in: use it for every write (and read). */
  db: TillkitDb;
  stripe: Stripe;
  customers: CustomerDirectory;
  log: Logger;
  /** `createTillkitRouter`'s `subscriptions.onePerCustomer` (given where webhooks are handled). */
  onePerCustomer?: boolean;
}

/** Stores what one event type brings. Throwing rolls the event back for Stripe's retry. */
export type WebhookHandler = (event: Stripe.Event, context: HandlerContext) => Promise<void>;

export const idOf = (value: string | { id: string } | null | undefined): string | null =>
  typeof value === 'string' ? value : (value?.id ?? null);
