/** `GET /payment-methods` (user): the caller's saved cards, read from Stripe, default marked. */
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { toPaymentMethod } from './payment-method-shared.js';

export const listPaymentMethods = defineRoute({
  name: 'listPaymentMethods',
  async handle({ user, services }) {
    const customerId = await services.customers.find(user.userId);
    // No customer yet: nothing saved, and a read never creates one.
    if (!customerId) return { body: { data: [] } };
    const [customer, methods] = await stripeCall(() =>
      Promise.all([
        services.stripe.customers.retrieve(customerId),
        services.stripe.customers
          .listPaymentMethods(customerId, { type: 'card', limit: 100 })
          .autoPagingToArray({ limit: 1000 }),
      ]),
    );
    const preferred = (customer as Stripe.Customer).invoice_settings?.default_payment_method;
    const defaultId = typeof preferred === 'string' ? preferred : (preferred?.id ?? null);
    return { body: { data: methods.map((method) => toPaymentMethod(method, defaultId)) } };
  },
});
