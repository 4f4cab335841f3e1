/**
 * One Stripe customer per user of the host app, made on first use and linked in the database.
 * Concurrent first requests of one user make one customer: the create call carries an idempotency
 * key derived from the user, and the database keeps the first link.
 */
import { createHash } from 'node:crypto';
import { emailAddress } from '@tillkit/protocol';
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { stripeCall } from '../errors.js';
import { findCustomerId, findUserIdByCustomer, linkCustomer } from '../storage/customers.js';
import type { TillkitDb } from '../storage/database.js';

export interface CustomerDirectoryOptions {
  /**
   * Adds parameters to every customer the server creates (billing uses it to give each customer
   * of the embedded sandbox its own test clock).
   */
  createParams?: (identity: Identity) => Promise<Partial<Stripe.CustomerCreateParams>>;
}

export class CustomerDirectory {
  readonly #stripe: Stripe;
  readonly #db: TillkitDb;
  readonly #options: CustomerDirectoryOptions;

  constructor(stripe: Stripe, db: TillkitDb, options: CustomerDirectoryOptions = {}) {
    this.#stripe = stripe;
    this.#db = db;
    this.#options = options;
  }

  /** The caller's customer id, if the server made one already. */
  find(userId: string): Promise<string | undefined> {
    return findCustomerId(this.#db, userId);
  }

  /** The caller's customer id, made now if needed. */
  async ensure(identity: Identity): Promise<string> {
    const existing = await this.find(identity.userId);
    if (existing) return existing;
    const extra = (await this.#options.createParams?.(identity)) ?? {};
    // An address Stripe would refuse (`buyer@localhost`, from a token or a host's identify()) is
    // left off: the customer is made without one rather than not at all, which would keep the
    // user from paying.
    const email = emailAddress.safeParse(identity.email).success ? identity.email : undefined;
    const key = createHash('sha256')
      .update(`${identity.userId}\u0000${email ?? ''}`)
      .digest('hex');
    const customer = await stripeCall(() =>
      this.#stripe.customers.create(
        {
          ...(email ? { email } : {}),
          ...extra,
          metadata: { tillkit_user_id: identity.userId },
        },
        { idempotencyKey: `tillkit-customer-${key}` },
      ),
    );
    return linkCustomer(this.#db, {
      userId: identity.userId,
      stripeCustomerId: customer.id,
      email,
    });
  }

  /** The user a customer belongs to (within a transaction when given one). */
  userIdFor(stripeCustomerId: string, db: TillkitDb = this.#db): Promise<string | undefined> {
    return findUserIdByCustomer(db, stripeCustomerId);
  }
}
