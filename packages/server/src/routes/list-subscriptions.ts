/**
 * `GET /subscriptions` (user): the caller's subscriptions that have not ended, newest first, as
 * kept in the database from Stripe's webhooks. A pending action's client secret is read from the
 * latest invoice when listed (it is never stored).
 */
import { defineRoute } from '../http/define-route.js';
import { listCurrentSubscriptions } from '../storage/subscriptions.js';
import { toSubscription } from './subscription-shared.js';

export const listSubscriptions = defineRoute({
  name: 'listSubscriptions',
  async handle({ user, services }) {
    const rows = await listCurrentSubscriptions(services.db, user.userId);
    return { body: { data: await Promise.all(rows.map((row) => toSubscription(services, row))) } };
  },
});
