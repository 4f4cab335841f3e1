/**
 * `GET /subscriptions` (user): the caller's subscriptions that have not ended, newest first, as
 * kept in the database from Stripe's webhooks. A pending action's client secret is read from the
 * latest invoice (`save_card`: the subscription's SetupIntent) when listed (it is never stored);
 * one whose invoice was paid, or whose card was saved, meanwhile is read again from Stripe
 * (`currentSubscription`). Never cached: the answer holds those secrets.
 */
import { defineRoute } from '../http/define-route.js';
import { listCurrentSubscriptions } from '../storage/subscriptions.js';
import { currentSubscription } from './subscription-shared.js';

export const listSubscriptions = defineRoute({
  name: 'listSubscriptions',
  async handle({ user, services, log, res }) {
    res.setHeader('Cache-Control', 'private, no-store');
    const rows = await listCurrentSubscriptions(services.db, user.userId);
    const data = await Promise.all(rows.map((row) => currentSubscription(services, log, row)));
    return { body: { data } };
  },
});
