/**
 * `POST /subscriptions/:id/change` (user) `{ price }`: moves the subscription to another
 * recurring price, prorated to the second: the unused time of the old price is credited and the
 * rest of the period on the new one charged now (`proration_behavior: always_invoice`), so an
 * upgrade is paid when it is granted, and a downgrade becomes credit for the next invoices. A
 * price with another interval starts a new billing period now. A charge that fails or needs 3D
 * Secure leaves the subscription `past_due` with a `pendingAction`, as a failed renewal does.
 * A price of a product the customer has another live subscription to is refused as
 * `already_subscribed`, as `POST /subscriptions` refuses it.
 * @see https://docs.stripe.com/billing/subscriptions/prorations
 */
import { changeSubscriptionBody, idParams } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { idOf } from '../webhooks/handlers/context.js';
import { PRODUCTS_KEY, productsOf } from '../webhooks/handlers/customer-subscription.js';
import {
  assertNotEnded,
  assertNotSubscribed,
  cancelUnpaid,
  expireSubscriptionPages,
  openCheckoutPages,
  ownSubscription,
  storeSubscription,
  subscriptionsToProduct,
  toSubscription,
} from './subscription-shared.js';

const CHANGEABLE = ['active', 'trialing', 'past_due'];

export const changeSubscription = defineRoute({
  name: 'changeSubscription',
  params: idParams,
  body: changeSubscriptionBody,
  async handle({ params, body, user, services, log }) {
    const { stripe } = services;
    const subscription = await ownSubscription(services, user, params.id);
    assertNotEnded(subscription, 'change plan; subscribe again instead');
    if (!CHANGEABLE.includes(subscription.status)) {
      throw new TillkitError(
        'invalid_state',
        subscription.status === 'incomplete'
          ? 'This subscription’s first payment has not been made: pay for it (or cancel it) before changing plan.'
          : `A ${subscription.status} subscription cannot change plan; resume it first.`,
      );
    }
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    if (price.currency !== subscription.currency) {
      throw new TillkitError(
        'currency_mismatch',
        `Price ${price.id} is in ${price.currency.toUpperCase()} but this subscription is billed in ${subscription.currency.toUpperCase()}.`,
        { param: 'price' },
      );
    }
    const item = subscription.items.data[0];
    if (item && item.price.id !== price.id) {
      const productId = idOf(price.product as string | Stripe.Product) as string;
      const customer = idOf(subscription.customer) as string;
      // One subscription per product, as `POST /subscriptions` keeps it: a live one to the new
      // price's product (besides this one) is refused; unpaid ones to it, and open Checkout pages
      // for it, are ended, as either could still be paid and make a second one.
      const others = (await subscriptionsToProduct(services, customer, productId)).filter(
        (other) => other.id !== subscription.id,
      );
      assertNotSubscribed(others);
      assertNotSubscribed(await cancelUnpaid(services, log, others));
      await expireSubscriptionPages(
        services,
        log,
        await openCheckoutPages(services, customer),
        productId,
        'replaced by a plan change',
      );
      // The products it was for stay known, so that a trial of one cannot be had again.
      const products = productsOf(subscription);
      products.add(productId);
      await stripeCall(() =>
        stripe.subscriptions.update(subscription.id, {
          items: [{ id: item.id, price: price.id, quantity: item.quantity ?? 1 }],
          proration_behavior: 'always_invoice',
          metadata: { [PRODUCTS_KEY]: [...products].join(',') },
        }),
      );
    }
    const row = await storeSubscription(services, log, subscription.id);
    return { body: await toSubscription(services, row) };
  },
});
