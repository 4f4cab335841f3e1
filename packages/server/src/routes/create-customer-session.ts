/**
 * `POST /customer-sessions` (user): a Customer Session for the Payment Element, whose client
 * secret (`customerSessionClientSecret` in the browser's Elements options) makes the element list
 * the caller's saved cards beside a new one. A saved card then confirms the deferred intent of
 * `POST /payment-intents`, which carries the same customer; Stripe refuses it for any other
 * intent (a guest's has no customer). A caller without a Stripe customer has no saved cards: the
 * answer is `{ clientSecret: null, expiresAt: null }`, with no Stripe call and no customer made. Rate limited with
 * the routes that create things (it is one, at Stripe).
 * @see https://docs.stripe.com/payments/existing-customers?platform=web&ui=elements
 * @see https://docs.stripe.com/api/customer_sessions/create
 */
import { createCustomerSessionBody } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';

export const createCustomerSession = defineRoute({
  name: 'createCustomerSession',
  body: createCustomerSessionBody,
  async handle({ user, services, res, idempotencyKey }) {
    // A secret that shows the caller's cards: never kept by a shared cache, nor by the browser's.
    res.setHeader('Cache-Control', 'private, no-store');
    const customer = await services.customers.find(user.userId);
    if (!customer) return { body: { clientSecret: null, expiresAt: null } };
    const session = await stripeCall(() =>
      services.stripe.customerSessions.create(
        {
          customer,
          components: {
            payment_element: {
              enabled: true,
              features: {
                payment_method_redisplay: 'enabled',
                // Stripe's default: only cards saved for reuse at checkout (`always`), as the kit's
                // forms mark them when confirming (`payment_method_data.allow_redisplay`) where the
                // customer, or the host for them, asked to save one (SaveCardForm, PaymentForm's
                // savePaymentMethod). A card saved for a subscription
                // stays `limited` (charged again, never offered at checkout); Stripe shows
                // `limited` and `unspecified` ones only where the customer agreed to that.
                // https://docs.stripe.com/api/payment_methods/object#payment_method_object-allow_redisplay
                payment_method_allow_redisplay_filters: ['always'],
                // `SavedCards` removes cards: it first moves the subscriptions a card pays.
                payment_method_remove: 'disabled',
                // Saving is the host's `savePaymentMethod`, which the server sets on the deferred
                // intent before it is confirmed (and the Elements group must say the same): a
                // checkbox in the element would let the two disagree.
                payment_method_save: 'disabled',
              },
            },
          },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );
    return {
      status: 201,
      body: {
        clientSecret: session.client_secret,
        expiresAt: new Date(session.expires_at * 1000).toISOString(),
      },
    };
  },
});
