/**
 * `GET /entitlements` (user): what the caller has paid for, from the state kept in the database
 * (never a Stripe call): the subscriptions that are active or trialing, and the lookup keys of
 * their customer's Stripe active entitlements (the Entitlements features attached to the
 * products), each once. A `past_due` subscription grants nothing until it is paid, though Stripe
 * keeps its entitlements active meanwhile: features are answered only beside an entitling
 * subscription.
 */
import type { SubscriptionStatus } from '@tillkit/protocol';
import { defineRoute } from '../http/define-route.js';
import { findLookupKeys } from '../storage/entitlements.js';
import { listEntitlingSubscriptions } from '../storage/subscriptions.js';

export const getEntitlements = defineRoute({
  name: 'getEntitlements',
  async handle({ user, services }) {
    const rows = await listEntitlingSubscriptions(services.db, user.userId);
    const customers = [...new Set(rows.map((row) => row.stripeCustomerId))];
    const features = await findLookupKeys(services.db, customers);
    return {
      body: {
        active: rows.length > 0,
        subscriptions: rows.map((row) => ({
          id: row.id,
          status: row.status as SubscriptionStatus,
          productId: row.productId,
          productName: row.productName,
          priceId: row.priceId,
          currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
        })),
        features,
      },
    };
  },
});
