/**
 * `GET /payment-methods` (user): the caller's saved cards, read from Stripe, default marked. The
 * default is the customer's (`invoice_settings.default_payment_method`); a customer who never
 * chose one (who only subscribed: the card is kept on the subscription) sees the card their
 * subscriptions renew with, the newest subscription's, as Stripe's customer portal shows it.
 */
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { idOf } from '../webhooks/handlers/context.js';
import { subscriptionsPaidWith, toPaymentMethod } from './payment-method-shared.js';

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
    const attached = new Set(methods.map((method) => method.id));
    let defaultId = idOf((customer as Stripe.Customer).invoice_settings?.default_payment_method);
    if (!defaultId && methods.length) {
      const [newest] = await subscriptionsPaidWith(services, customerId, (card) =>
        attached.has(card),
      );
      defaultId = idOf(newest?.default_payment_method ?? null);
    }
    return { body: { data: methods.map((method) => toPaymentMethod(method, defaultId)) } };
  },
});
