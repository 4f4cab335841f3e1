/**
 * `POST /payment-intents`: a payment intent for a cart. The amount is computed from Stripe's
 * prices (never from anything the client sends); an identified caller's customer is attached.
 * `receiptEmail` is where Stripe sends this payment's receipt (a guest's only address).
 */
import { createPaymentIntentBody } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { insertCreatedPayment, paymentRowFrom } from '../storage/payments.js';
import {
  assertMaySave,
  cartMetadata,
  OWN_INTENT_METADATA,
  paymentLines,
  toPaymentIntentResponse,
} from './payment-intent-shared.js';

export const createPaymentIntent = defineRoute({
  name: 'createPaymentIntent',
  body: createPaymentIntentBody,
  async handle({ body, identity, services, idempotencyKey }) {
    assertMaySave(body.savePaymentMethod, identity);
    const cart = await services.catalog.priceCart(body.items);
    const customer = identity ? await services.customers.ensure(identity) : undefined;
    const intent = await stripeCall(() =>
      services.stripe.paymentIntents.create(
        {
          amount: cart.amount,
          currency: cart.currency,
          automatic_payment_methods: { enabled: true },
          ...(customer ? { customer } : {}),
          ...(body.savePaymentMethod ? { setup_future_usage: 'off_session' as const } : {}),
          ...(body.receiptEmail ? { receipt_email: body.receiptEmail } : {}),
          metadata: {
            tillkit: 'true',
            // Lets PATCH tell it from a Checkout page's intent without asking Stripe.
            ...OWN_INTENT_METADATA,
            ...cartMetadata(body.items),
            ...(identity ? { tillkit_user_id: identity.userId } : {}),
          },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );
    // The first state of the payment and what it is for; webhooks bring the later states.
    await insertCreatedPayment(services.db, {
      ...paymentRowFrom(intent, identity?.userId ?? null),
      lines: paymentLines(cart),
    });
    return { status: 201, body: toPaymentIntentResponse(intent) };
  },
});
