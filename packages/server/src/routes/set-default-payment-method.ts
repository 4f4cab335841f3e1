/**
 * `POST /payment-methods/:id/default` (user): the card later payments and renewals use. It
 * becomes the customer's default (`invoice_settings.default_payment_method`) and the default of
 * each of the customer's subscriptions that has a card of its own: a subscription's card comes
 * before the customer's when Stripe charges a renewal, and every subscription the server makes
 * keeps the card it was paid with (`save_default_payment_method: on_subscription`), so the
 * customer's default alone would change nothing that renews. Stripe's customer portal does the same.
 * @see https://docs.stripe.com/api/subscriptions/object#subscription_object-default_payment_method
 */
import { createSetupIntentBody, idParams } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import {
  ownPaymentMethod,
  subscriptionsPaidWith,
  toPaymentMethod,
} from './payment-method-shared.js';

export const setDefaultPaymentMethod = defineRoute({
  name: 'setDefaultPaymentMethod',
  params: idParams,
  // No fields; an empty body or `{}`.
  body: createSetupIntentBody,
  async handle({ params, user, services, log }) {
    const { stripe } = services;
    const { customer, method } = await ownPaymentMethod(services, user, params.id);
    await stripeCall(() =>
      stripe.customers.update(customer, {
        invoice_settings: { default_payment_method: method.id },
      }),
    );
    const paidWithOthers = await subscriptionsPaidWith(
      services,
      customer,
      (card) => card !== method.id,
    );
    for (const subscription of paidWithOthers) {
      await stripeCall(() =>
        stripe.subscriptions.update(subscription.id, { default_payment_method: method.id }),
      );
      log.info({ subscription: subscription.id }, 'moved a subscription to the default card');
    }
    return { body: toPaymentMethod(method, method.id) };
  },
});
