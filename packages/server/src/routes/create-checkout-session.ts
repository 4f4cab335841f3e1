/**
 * `POST /checkout-sessions` (guests and users): a Stripe-hosted Checkout page, for a cart
 * (`payment`: guests may pay; an identified caller's customer is attached) or for a subscription
 * to one recurring price (`subscription`: identified callers only, on their own customer, with the
 * price's trial). Amounts come from Stripe's prices, and both redirect URLs must be on an allowed
 * origin, so the server can never send customers to someone else's site.
 *
 * Checkout makes the subscription only when the customer completes the page, so a page left
 * unpaid leaves nothing behind. A live subscription to the product (paid, or a trial, even one
 * whose card was never saved) is refused as `already_subscribed`; an unpaid (`incomplete`) one is
 * canceled, since the page makes the subscription anew. The customer's other open pages for the
 * product (another tab, a page the back button left) are expired once the new one exists, so that
 * only one of them can be paid.
 * @see https://docs.stripe.com/payments/checkout/how-checkout-works
 */
import { createCheckoutSessionBody } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import type { TillkitServices } from '../http/services.js';
import type { Logger } from '../observability/logger.js';
import { assertAllowedRedirect } from '../security/redirect-urls.js';
import { idOf } from '../webhooks/handlers/context.js';
import { cartMetadata } from './payment-intent-shared.js';
import {
  assertNotSubscribed,
  cancelUnpaid,
  subscriptionsToProduct,
} from './subscription-shared.js';

/** The placeholder Stripe fills in a success URL; URL parsing percent-encodes it in a path. */
const SESSION_ID = '{CHECKOUT_SESSION_ID}';

function redirect(url: string, allowed: readonly string[], param: string): string {
  return assertAllowedRedirect(url, allowed, param).replaceAll(encodeURI(SESSION_ID), SESSION_ID);
}

/**
 * Expires the customer's open subscription-mode Checkout Sessions for `productId` other than
 * `keep`. Each could still be paid and make a second subscription to the product:
 * `already_subscribed` is checked when a page is made, not when it is paid, and an expired page
 * can no longer be paid. Runs after the new session is made, so that a retry with the same
 * idempotency key, which gets that same session back, never expires it. Payment-mode pages are
 * left alone: paying for a cart twice is the customer's choice, and makes no subscription.
 * @see https://docs.stripe.com/api/checkout/sessions/expire
 */
async function expireOtherCheckouts(
  services: TillkitServices,
  log: Logger,
  customer: string,
  productId: string,
  keep: string,
): Promise<void> {
  const { stripe } = services;
  const open = await stripeCall(() =>
    stripe.checkout.sessions
      .list({ customer, status: 'open', limit: 100, expand: ['data.line_items'] })
      .autoPagingToArray({ limit: 1000 }),
  );
  for (const session of open) {
    if (session.id === keep || session.mode !== 'subscription') continue;
    // An expanded `line_items` is its first page only: `has_more` says when there is more.
    const items =
      session.line_items && !session.line_items.has_more
        ? session.line_items.data
        : await stripeCall(() =>
            stripe.checkout.sessions
              .listLineItems(session.id, { limit: 100 })
              .autoPagingToArray({ limit: 1000 }),
          );
    if (!items.some((item) => item.price && idOf(item.price.product) === productId)) continue;
    await stripeCall(() => stripe.checkout.sessions.expire(session.id));
    log.info(
      { checkoutSession: session.id },
      'expired an open Checkout page replaced by a new one',
    );
  }
}

export const createCheckoutSession = defineRoute({
  name: 'createCheckoutSession',
  body: createCheckoutSessionBody,
  async handle({ body, identity, services, idempotencyKey, log }) {
    const { stripe, allowedOrigins } = services;
    const urls = {
      success_url: redirect(body.successUrl, allowedOrigins, 'successUrl'),
      cancel_url: redirect(body.cancelUrl, allowedOrigins, 'cancelUrl'),
    };
    const owner: Record<string, string> = identity ? { tillkit_user_id: identity.userId } : {};
    let params: Stripe.Checkout.SessionCreateParams;
    let replaces: { customer: string; productId: string } | undefined;
    if (body.mode === 'payment') {
      const cart = await services.catalog.priceCart(body.items);
      const customer = identity ? await services.customers.ensure(identity) : undefined;
      const metadata = { tillkit: 'true', ...cartMetadata(body.items), ...owner };
      params = {
        mode: 'payment',
        line_items: cart.lines.map((line) => ({ price: line.price.id, quantity: line.quantity })),
        ...(customer ? { customer } : {}),
        ...urls,
        metadata,
        payment_intent_data: { metadata },
      };
    } else {
      if (!identity) {
        throw new TillkitError(
          'unauthenticated',
          'Sign in to subscribe: a subscription belongs to a customer of yours.',
          { param: 'mode' },
        );
      }
      const price = await services.catalog.subscriptionPrice(body.price, 'price');
      const customer = await services.customers.ensure(identity);
      const productId = idOf(price.product as string | Stripe.Product) as string;
      const existing = await subscriptionsToProduct(services, customer, productId);
      assertNotSubscribed(existing);
      // The hosted page makes a subscription of its own: one left unpaid by the subscribe form
      // could still be paid from the subscription list, and the customer would have two.
      await cancelUnpaid(services, log, existing);
      replaces = { customer, productId };
      const metadata = { tillkit: 'true', ...owner };
      // Checkout does not apply a price's trial by itself (`trial_from_plan` is for the API).
      const trialDays = price.recurring?.trial_period_days;
      params = {
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: body.quantity ?? 1 }],
        customer,
        ...urls,
        metadata,
        subscription_data: { metadata, ...(trialDays ? { trial_period_days: trialDays } : {}) },
      };
    }
    const session = await stripeCall(() =>
      stripe.checkout.sessions.create(params, idempotencyKey ? { idempotencyKey } : undefined),
    );
    if (replaces) {
      await expireOtherCheckouts(services, log, replaces.customer, replaces.productId, session.id);
    }
    return { status: 201, body: { id: session.id, url: session.url as string } };
  },
});
