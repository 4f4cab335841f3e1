/**
 * `POST /portal-sessions` (user) `{ returnUrl }`: a session of Stripe's customer portal for the
 * caller's own customer (subscriptions, cards, invoices), returning to a page on an allowed
 * origin. The portal's features are the account's default portal configuration.
 * @see https://docs.stripe.com/customer-management
 */
import { createPortalSessionBody } from '@tillkit/protocol';
import { ConfigurationError, stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { assertAllowedRedirect } from '../security/redirect-urls.js';

export const createPortalSession = defineRoute({
  name: 'createPortalSession',
  body: createPortalSessionBody,
  async handle({ body, user, services, idempotencyKey }) {
    const returnUrl = assertAllowedRedirect(body.returnUrl, services.allowedOrigins, 'returnUrl');
    const customer = await services.customers.ensure(user);
    const session = await stripeCall(() =>
      services.stripe.billingPortal.sessions.create(
        { customer, return_url: returnUrl },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    ).catch((error: unknown) => {
      // Nothing the caller sent is wrong: the account has no portal configuration yet.
      if (error instanceof TillkitError && error.code === 'stripe_invalid_request') {
        throw new ConfigurationError(
          `Stripe refused to open the customer portal (${error.message}). Save the portal's settings once at https://dashboard.stripe.com/settings/billing/portal (test mode: /test/settings/billing/portal).`,
        );
      }
      throw error;
    });
    return { status: 201, body: { url: session.url } };
  },
});
