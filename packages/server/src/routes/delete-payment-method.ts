/** `DELETE /payment-methods/:id` (user): detaches one of the caller's cards. */
import { idParams } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { ownPaymentMethod } from './payment-method-shared.js';

export const deletePaymentMethod = defineRoute({
  name: 'deletePaymentMethod',
  params: idParams,
  async handle({ params, user, services }) {
    const { method } = await ownPaymentMethod(services, user, params.id);
    await stripeCall(() => services.stripe.paymentMethods.detach(method.id));
    return { body: { id: method.id, deleted: true as const } };
  },
});
