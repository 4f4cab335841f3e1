/**
 * `POST /subscriptions` (user): subscribes the caller's customer to a recurring price. Created
 * with `payment_behavior: default_incomplete`, which never charges at creation: the answer's
 * client secret is what the browser confirms with Stripe.js, the first invoice's PaymentIntent
 * (`"payment"`) or, for a trial, the SetupIntent that saves its card (`"setup"`). The price's own
 * trial applies (`trial_from_plan`), and the card paid (or set up) with becomes the
 * subscription's default for renewals (`save_default_payment_method: on_subscription`).
 * @see https://docs.stripe.com/billing/subscriptions/build-subscriptions?ui=elements
 */
import { createSubscriptionBody, type SubscriptionStatus } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { idOf } from '../webhooks/handlers/context.js';
import { assertNotSubscribed, storeSubscription } from './subscription-shared.js';

export const createSubscription = defineRoute({
  name: 'createSubscription',
  body: createSubscriptionBody,
  async handle({ body, user, services, idempotencyKey, log }) {
    const { stripe } = services;
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    const productId = idOf(price.product as string | Stripe.Product) as string;
    const customer = await services.customers.ensure(user);

    await assertNotSubscribed(services, customer, productId);

    const created = await stripeCall(() =>
      stripe.subscriptions.create(
        {
          customer,
          items: [{ price: price.id, quantity: body.quantity ?? 1 }],
          payment_behavior: 'default_incomplete',
          payment_settings: { save_default_payment_method: 'on_subscription' },
          trial_from_plan: true,
          expand: ['latest_invoice.confirmation_secret', 'pending_setup_intent'],
          metadata: { tillkit: 'true', tillkit_user_id: user.userId },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );

    const invoice = created.latest_invoice as Stripe.Invoice | null;
    const setupIntent = created.pending_setup_intent as Stripe.SetupIntent | null;
    const paymentSecret =
      invoice?.status === 'open' && invoice.amount_remaining > 0
        ? (invoice.confirmation_secret?.client_secret ?? null)
        : null;
    const setupSecret = setupIntent?.client_secret ?? null;

    // The first state of the subscription; webhooks bring the later ones.
    await storeSubscription(services, log, created.id).catch((error: unknown) =>
      log.warn({ err: error }, 'could not store the new subscription; its webhooks will'),
    );
    return {
      status: 201,
      body: {
        id: created.id,
        status: created.status as SubscriptionStatus,
        clientSecret: paymentSecret ?? setupSecret,
        clientSecretType: paymentSecret ? 'payment' : setupSecret ? 'setup' : null,
      },
    };
  },
});
