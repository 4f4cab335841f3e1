/**
 * `GET /payments/:id`: a payment as kept in the database. An admin reads any; a user their own;
 * anyone, a guest too, the one whose PaymentIntent client secret they give in `?clientSecret=`
 * (what Stripe.js gave the browser that paid), checked against Stripe's and never kept. Everything
 * else is the same 404, so the answer tells nothing about payments the caller may not read; and so
 * is a payment Stripe has but whose webhook has not come yet (the caller polls).
 */
import { getPaymentQuery, idParams } from '@tillkit/protocol';
import { isAdmin } from '../auth/identify.js';
import { NotFoundError, rethrowAs, stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { findPayment, toPayment } from '../storage/payments.js';
import { sameSecret } from './payment-intent-shared.js';

export const getPayment = defineRoute({
  name: 'getPayment',
  params: idParams,
  query: getPaymentQuery,
  async handle({ params, query, identity, services }) {
    const notFound = new NotFoundError('payment', params.id);
    const row = await findPayment(services.db, params.id);
    if (row && (isAdmin(identity) || (identity && row.userId === identity.userId))) {
      return { body: toPayment(row) };
    }
    if (!query.clientSecret) throw notFound;
    // Stripe is asked whether or not the row exists yet, so a secret's answer takes as long either way.
    const intent = await stripeCall(() => services.stripe.paymentIntents.retrieve(params.id)).catch(
      rethrowAs(notFound),
    );
    if (!row || !sameSecret(query.clientSecret, intent.client_secret)) throw notFound;
    return { body: toPayment(row) };
  },
});
