/** `POST /payment-methods/:id/default` (user): the card later payments and renewals use. */
import { createSetupIntentBody, idParams } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { ownPaymentMethod, toPaymentMethod } from './payment-method-shared.js';

export const setDefaultPaymentMethod = defineRoute({
  name: 'setDefaultPaymentMethod',
  params: idParams,
  // No fields; an empty body or `{}`.
  body: createSetupIntentBody,
  async handle({ params, user, services }) {
    const { customer, method } = await ownPaymentMethod(services, user, params.id);
    await stripeCall(() =>
      services.stripe.customers.update(customer, {
        invoice_settings: { default_payment_method: method.id },
      }),
    );
    return { body: toPaymentMethod(method, method.id) };
  },
});
