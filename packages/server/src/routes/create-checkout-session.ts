/**
 * `POST /checkout-sessions` (guests and users): a Stripe-hosted Checkout page, for a cart
 * (`payment`: guests may pay; an identified caller's customer is attached) or for a subscription
 * to one recurring price (`subscription`: identified callers only, on their own customer, with the
 * price's trial if the customer never had the product). Amounts come from Stripe's prices, and both redirect URLs must be on an allowed
 * origin, so the server can never send customers to someone else's site.
 *
 * Checkout makes the subscription only when the customer completes the page, so a page left
 * unpaid leaves nothing behind. A live subscription to the product (paid, or a trial, even one
 * whose card was never saved) is refused as `already_subscribed`, before the page is made and
 * again once it is (then the page is expired). Once the new page exists, and only if it is still
 * open, the customer's open pages for the product made before it (another tab, a page the back
 * button left) are expired, so that only one of them can be paid, and an unpaid (`incomplete`)
 * subscription to the product made no later than it is canceled, since the page makes the
 * subscription anew. A retry with the same idempotency key, which gets the first answer again, is
 * refused as `stale_request` when that page has been replaced since, and expires nothing.
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
  expireCheckoutPage,
  expireSubscriptionPages,
  hadProductBefore,
  isLive,
  madeBefore,
  openCheckoutPages,
  rivalSubscriptions,
  staleRequest,
} from './subscription-shared.js';

/** The placeholder Stripe fills in a success URL; URL parsing percent-encodes it in a path. */
const SESSION_ID = '{CHECKOUT_SESSION_ID}';

function redirect(url: string, allowed: readonly string[], param: string): string {
  return assertAllowedRedirect(url, allowed, param).replaceAll(encodeURI(SESSION_ID), SESSION_ID);
}

/** What a new subscription page is for: the customer and the product. */
interface Replaced {
  customer: string;
  productId: string;
}

/**
 * Settles what subscription page `session` replaces, once it is made (or Stripe answered it again
 * for a retry). The customer's open pages are read again: when `session` is no longer among them,
 * a newer request has expired it (this is a retry of an older request, which Stripe answers as it
 * was first, or a request overtaken by another), so nothing is touched and the answer is
 * `stale_request`. Otherwise the open subscription pages for the product made before it are
 * expired (only the older ones, so that two requests at the same time never expire each other's
 * page: the later one wins). Then the customer's subscriptions to the product are read, now that
 * the page exists: the customer may have subscribed since the check before it was made (another
 * page paid, a trial started), and then this page is expired and the answer is
 * `already_subscribed`. Otherwise the unpaid (`incomplete`) ones made no later than the page are
 * canceled, since the page makes the subscription anew; one made after it (when this request is
 * a retry) is the customer's newer choice, and is left alone. One on a test clock (the sandbox's
 * per-customer clocks) is dated by its clock, the page by the real time: every unpaid one is
 * canceled then.
 */
async function replaceOlder(
  services: TillkitServices,
  log: Logger,
  session: Stripe.Checkout.Session,
  { customer, productId }: Replaced,
): Promise<void> {
  const before = madeBefore(await openCheckoutPages(services, customer), session.id);
  if (!before) throw staleRequest('Checkout page');
  await expireSubscriptionPages(services, log, before, productId, 'replaced by a new one');
  const subscriptions = await rivalSubscriptions(services, customer, productId);
  const live = subscriptions.some(isLive)
    ? subscriptions
    : await cancelUnpaid(
        services,
        log,
        subscriptions.filter(
          (subscription) =>
            subscription.test_clock !== null || subscription.created <= session.created,
        ),
      );
  if (!live.some(isLive)) return;
  // The customer has the product now: this page would make a second subscription to it.
  await expireCheckoutPage(services, log, session.id, 'made while the customer subscribed');
  assertNotSubscribed(live);
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
      // Refused before a page is made; checked again once it is (see `replaceOlder`).
      assertNotSubscribed(await rivalSubscriptions(services, customer, productId));
      // The hosted page makes a subscription of its own: one left unpaid by the subscribe form
      // could still be paid from the subscription list, and the customer would have two.
      replaced = { customer, productId };
      const metadata = { tillkit: 'true', ...owner };
      // Checkout does not apply a price's trial by itself (`trial_from_plan` is for the API);
      // it is given to a customer who never had the product only.
      const trialDays =
        price.recurring?.trial_period_days &&
        !(await hadProductBefore(services, customer, productId))
          ? price.recurring.trial_period_days
          : undefined;
      params = {
        mode: 'subscription',
        line_items: [{ price: price.id, quantity: body.quantity ?? 1 }],
        customer,
        ...urls,
        metadata,
        subscription_data: { metadata, ...(trialDays ? { trial_period_days: trialDays } : {}) },
      };
    }
    if (services.checkout.allowPromotionCodes) params.allow_promotion_codes = true;
    const session = await stripeCall(() =>
      stripe.checkout.sessions.create(params, idempotencyKey ? { idempotencyKey } : undefined),
    );
    if (replaced) await replaceOlder(services, log, session, replaced);
    return { status: 201, body: { id: session.id, url: session.url as string } };
  },
});
