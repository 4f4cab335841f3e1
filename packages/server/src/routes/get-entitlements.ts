/**
 * `GET /entitlements` (user): what the caller has paid for, from the state kept in the database
 * (never a Stripe call): the subscriptions that are active or trialing and their products'
 * marketing features, each once. A `past_due` subscription grants nothing until it is paid.
 */
import type { SubscriptionStatus } from '@tillkit/protocol';
import { defineRoute } from '../http/define-route.js';
import { listEntitlingSubscriptions } from '../storage/subscriptions.js';

export const getEntitlements = defineRoute({
  name: 'getEntitlements',
  async handle({ user, services }) {
    const rows = await listEntitlingSubscriptions(services.db, user.userId);
    const features = [...new Set(rows.flatMap((row) => row.features))];
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
