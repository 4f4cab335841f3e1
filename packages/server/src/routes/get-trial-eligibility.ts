/**
 * `GET /trial-eligibility` (user): the products whose trial the caller will not get, because they
 * had the product before: the very rule `POST /subscriptions` and `POST /checkout-sessions` give
 * trials by (`productsHadBefore`), read from one Stripe list of the caller's subscriptions. A
 * pricing page reads it to leave out the trial badges it would otherwise show from the public
 * `GET /prices`, which stays the same for everyone (and cacheable). A caller without a Stripe
 * customer had nothing, and none is made for them. Rate limited like the routes that create
 * things: each call reads Stripe for whoever asks.
 */
import { defineRoute } from '../http/define-route.js';
import { productsHadBefore } from './subscription-shared.js';

export const getTrialEligibility = defineRoute({
  name: 'getTrialEligibility',
  rateLimited: true,
  async handle({ user, services, res }) {
    // The caller's own history: never kept by a shared cache, nor by the browser's.
    res.setHeader('Cache-Control', 'private, no-store');
    const customer = await services.customers.find(user.userId);
    const had = customer ? await productsHadBefore(services, customer) : new Set<string>();
    return { body: { usedTrialProducts: [...had] } };
  },
});
