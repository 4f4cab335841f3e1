/**
 * `GET /config`: what the browser needs to load Stripe.js (or the sandbox's), and whether
 * promotion codes are taken (on Checkout pages and by `POST /subscriptions`).
 */
import { defineRoute } from '../http/define-route.js';

export const getConfig = defineRoute({
  name: 'getConfig',
  async handle({ services }) {
    return {
      body: {
        publishableKey: services.publishableKey,
        mode: services.mode,
        ...(services.sandbox ? { sandbox: { apiBase: services.sandbox.apiBase } } : {}),
        promotionCodes: services.checkout.allowPromotionCodes,
        oneSubscriptionPerCustomer: services.subscriptions.onePerCustomer,
      },
    };
  },
});
