/**
 * `POST /checkout-sessions` (guests and users): a Stripe-hosted Checkout page, for a cart
 * (`payment`: guests may pay; an identified caller's customer is attached) or for a subscription
 * to one recurring price (`subscription`: identified callers only, on their own customer, with the
 * price's trial). Amounts come from Stripe's prices, and both redirect URLs must be on an allowed
 * origin, so the server can never send customers to someone else's site.
 *
 * Checkout makes the subscription only when the customer completes the page, so a page left
 * unpaid leaves nothing behind. A live subscription to the product (paid, or a trial, even one
 * whose card was never saved) is refused as `already_subscribed`. Once the new page exists, and
 * only if it is still open, an unpaid (`incomplete`) subscription to the product is canceled,
 * since the page makes the subscription anew, and the customer's open pages for the product made
 * before it (another tab, a page the back button left) are expired, so that only one of them can
 * be paid. A retry with the same idempotency key, which gets the first answer again, is refused
 * as `stale_request` when that page has been replaced since, and expires nothing.
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
  isLive,
  madeBefore,
  staleRequest,
  subscriptionsToProduct,
} from './subscription-shared.js';

/** The placeholder Stripe fills in a success URL; URL parsing percent-encodes it in a path. */
const SESSION_ID = '{CHECKOUT_SESSION_ID}';

function redirect(url: string, allowed: readonly string[], param: string): string {
  return assertAllowedRedirect(url, allowed, param).replaceAll(encodeURI(SESSION_ID), SESSION_ID);
}

/** What a new subscription page replaces: the customer's subscriptions to the product. */
interface Replaced {
  customer: string;
  productId: string;
  /** Read before the page was made. */
  subscriptions: Stripe.Subscription[];
}

/**
 * Settles what subscription page `id` replaces, once it is made (or Stripe answered it again for
 * a retry). The customer's open pages are read again: when `id` is no longer among them, a newer
 * request has expired it (this is a retry of an older request, which Stripe answers as it was
 * first, or a request overtaken by another), so nothing is touched and the answer is
 * `stale_request`. Otherwise the unpaid subscriptions to the product are canceled, and the open
 * subscription pages for the product made before `id` are expired: each could still be paid and
 * make a second subscription (`already_subscribed` is checked when a page is made, not when it
 * is paid), and an expired page can no longer be paid. Only the older ones, so that two requests
 * at the same time never expire each other's page: the later one wins. Payment-mode pages are
 * left alone: paying for a cart twice is the customer's choice, and makes no subscription.
 * @see https://docs.stripe.com/api/checkout/sessions/expire
 */
async function replaceOlder(
  services: TillkitServices,
  log: Logger,
  id: string,
  replaced: Replaced,
): Promise<void> {
  const { stripe } = services;
  const { customer, productId } = replaced;
  const open = await stripeCall(() =>
    stripe.checkout.sessions
      .list({ customer, status: 'open', limit: 100, expand: ['data.line_items'] })
      .autoPagingToArray({ limit: 1000 }),
  );
  const before = madeBefore(open, id);
  if (!before) throw staleRequest('Checkout page');
  await cancelUnpaid(services, log, replaced.subscriptions);
  let paidMeanwhile = false;
  for (const session of before) {
    if (session.mode !== 'subscription' || !(await isFor(services, session, productId))) continue;
    const status = await expireQuietly(services, log, session.id, 'replaced by a new one');
    if (status === 'complete') paidMeanwhile = true;
  }
  if (!paidMeanwhile) return;
  // The customer paid on an older page just now: it made a subscription, this one would make a
  // second.
  const subscriptions = await subscriptionsToProduct(services, customer, productId);
  if (subscriptions.some(isLive)) {
    await expireQuietly(services, log, id, 'made while another page was paid');
    assertNotSubscribed(subscriptions);
  }
}

/** Whether Checkout page `session` sells a price of `productId`. */
async function isFor(
  services: TillkitServices,
  session: Stripe.Checkout.Session,
  productId: string,
): Promise<boolean> {
  // An expanded `line_items` is its first page only: `has_more` says when there is more.
  const items =
    session.line_items && !session.line_items.has_more
      ? session.line_items.data
      : await stripeCall(() =>
          services.stripe.checkout.sessions
            .listLineItems(session.id, { limit: 100 })
            .autoPagingToArray({ limit: 1000 }),
        );
  return items.some((item) => item.price && idOf(item.price.product) === productId);
}

/**
 * Expires Checkout page `id` (`why`, for the log), best-effort: one completed or expired since it
 * was listed makes Stripe refuse, and the new page exists all the same. Answers the page's status
 * after (null when it cannot be read).
 */
async function expireQuietly(
  services: TillkitServices,
  log: Logger,
  id: string,
  why: string,
): Promise<Stripe.Checkout.Session.Status | null> {
  const { stripe } = services;
  try {
    await stripeCall(() => stripe.checkout.sessions.expire(id));
    log.info({ checkoutSession: id }, `expired an open Checkout page ${why}`);
    return 'expired';
  } catch (error) {
    log.warn({ err: error, checkoutSession: id }, 'could not expire an open Checkout page');
    const now = await stripeCall(() => stripe.checkout.sessions.retrieve(id)).catch(() => null);
    return now?.status ?? null;
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
    let replaced: Replaced | undefined;
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
      replaced = { customer, productId, subscriptions: existing };
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
    if (replaced) await replaceOlder(services, log, session.id, replaced);
    return { status: 201, body: { id: session.id, url: session.url as string } };
  },
});
