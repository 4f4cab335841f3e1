/**
 * `POST /subscriptions` (user): subscribes the caller's customer to a recurring price. Created
 * with `payment_behavior: default_incomplete`, which never charges at creation: the answer's
 * client secret is what the browser confirms with Stripe.js, the first invoice's PaymentIntent
 * (`"payment"`) or, for a trial, the SetupIntent that saves its card (`"setup"`). The price's own
 * trial applies (`trial_from_plan`), and the card paid (or set up) with becomes the
 * subscription's default for renewals (`save_default_payment_method: on_subscription`).
 *
 * A subscription is answered again rather than made twice: when the caller already has one to
 * the same price and quantity that still waits for its first step (`incomplete` with its first
 * invoice open, or `trialing` with its card not saved yet), the answer is that one, with its
 * secret (200 instead of 201). So a form that was left, or a page that was reloaded, picks up
 * where the customer was, and never leaves a second unpaid subscription or refuses a trial whose
 * card is missing. An unpaid one to another price (or quantity) of the product is canceled before
 * the new one is made; a live one (paid, or a trial) is still refused as `already_subscribed`.
 * @see https://docs.stripe.com/billing/subscriptions/build-subscriptions?ui=elements
 */
import {
  type CreateSubscriptionResponse,
  createSubscriptionBody,
  type SubscriptionStatus,
} from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import type { TillkitServices } from '../http/services.js';
import { idOf } from '../webhooks/handlers/context.js';
import {
  assertNotSubscribed,
  cancelUnpaid,
  storeSubscription,
  subscriptionsToProduct,
} from './subscription-shared.js';

/** What the answer needs expanded: the first invoice's secret, and a trial's SetupIntent. */
const EXPAND = ['latest_invoice.confirmation_secret', 'pending_setup_intent'];

export const createSubscription = defineRoute({
  name: 'createSubscription',
  body: createSubscriptionBody,
  async handle({ body, user, services, idempotencyKey, log }) {
    const { stripe } = services;
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    const productId = idOf(price.product as string | Stripe.Product) as string;
    const quantity = body.quantity ?? 1;
    const customer = await services.customers.ensure(user);

    const existing = await subscriptionsToProduct(services, customer, productId);
    for (const subscription of existing) {
      if (!isPlan(subscription, price.id, quantity)) continue;
      const waiting = await firstStepStillWaiting(services, subscription.id);
      if (waiting) return { status: 200, body: waiting };
    }
    assertNotSubscribed(existing);
    await cancelUnpaid(services, log, existing);

    const created = await stripeCall(() =>
      stripe.subscriptions.create(
        {
          customer,
          items: [{ price: price.id, quantity }],
          payment_behavior: 'default_incomplete',
          payment_settings: { save_default_payment_method: 'on_subscription' },
          trial_from_plan: true,
          expand: EXPAND,
          metadata: { tillkit: 'true', tillkit_user_id: user.userId },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );

    // The first state of the subscription; webhooks bring the later ones.
    await storeSubscription(services, log, created.id).catch((error: unknown) =>
      log.warn({ err: error }, 'could not store the new subscription; its webhooks will'),
    );
    return { status: 201, body: firstStep(created) };
  },
});

/** Whether `subscription` is `quantity` of `priceId` and nothing else. */
function isPlan(subscription: Stripe.Subscription, priceId: string, quantity: number): boolean {
  const [item, ...others] = subscription.items.data;
  return !others.length && item?.price.id === priceId && (item.quantity ?? 1) === quantity;
}

/** The answer for a subscription read with `EXPAND`: the secret of what the browser confirms. */
function firstStep(subscription: Stripe.Subscription): CreateSubscriptionResponse {
  const invoice = subscription.latest_invoice as Stripe.Invoice | null;
  const setupIntent = subscription.pending_setup_intent as Stripe.SetupIntent | null;
  const paymentSecret =
    invoice?.status === 'open' && invoice.amount_remaining > 0
      ? (invoice.confirmation_secret?.client_secret ?? null)
      : null;
  const setupSecret = setupIntent?.client_secret ?? null;
  return {
    id: subscription.id,
    status: subscription.status as SubscriptionStatus,
    clientSecret: paymentSecret ?? setupSecret,
    clientSecretType: paymentSecret ? 'payment' : setupSecret ? 'setup' : null,
  };
}

/** SetupIntent statuses after which its secret is of no more use. */
const SETUP_DONE: readonly Stripe.SetupIntent.Status[] = ['succeeded', 'canceled'];

/**
 * The answer for subscription `id` if it still waits for its first step, read from Stripe now:
 * `incomplete` with its first invoice open (its PaymentIntent's secret; Invoice.payment_intent
 * is gone since API 2025-03-31, `confirmation_secret` replaces it), or `trialing` with its
 * `pending_setup_intent` not succeeded (Stripe clears that field once the card is saved).
 * Null otherwise.
 * @see https://docs.stripe.com/changelog/basil
 * @see https://docs.stripe.com/billing/subscriptions/deferred-payment
 */
async function firstStepStillWaiting(
  services: TillkitServices,
  id: string,
): Promise<CreateSubscriptionResponse | null> {
  const subscription = await stripeCall(() =>
    services.stripe.subscriptions.retrieve(id, { expand: EXPAND }),
  );
  const answer = firstStep(subscription);
  if (subscription.status === 'incomplete') {
    return answer.clientSecretType === 'payment' ? answer : null;
  }
  const setupIntent = subscription.pending_setup_intent as Stripe.SetupIntent | null;
  // A trial canceled at its end waits for nothing: it is resumed from the subscriptions instead.
  return subscription.status === 'trialing' &&
    !subscription.cancel_at_period_end &&
    answer.clientSecretType === 'setup' &&
    setupIntent &&
    !SETUP_DONE.includes(setupIntent.status)
    ? answer
    : null;
}
