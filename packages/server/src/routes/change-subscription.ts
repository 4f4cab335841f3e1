/**
 * `POST /subscriptions/:id/change` (user) `{ price }`: moves the subscription to another
 * recurring price, prorated to the second: the unused time of the old price is credited and the
 * rest of the period on the new one charged now (`proration_behavior: always_invoice`), so an
 * upgrade is paid when it is granted, and a downgrade becomes credit for the next invoices. A
 * price with another interval starts a new billing period now. A charge that fails or needs 3D
 * Secure leaves the subscription `past_due` with a `pendingAction`, as a failed renewal does.
 * A price of a product the customer has another live subscription to is refused as
 * `already_subscribed`, as `POST /subscriptions` refuses it. With `prorationDate` (from
 * `POST /subscriptions/:id/change-preview`) the prorations are those of that time, so that the
 * charge is what the preview showed; one older than `PRORATION_DATE_MAX_AGE`, or made before the
 * current period began (a renewal or the trial's end since), is a 400 `preview_expired`.
 * @see https://docs.stripe.com/billing/subscriptions/prorations
 */
import { changeSubscriptionBody, idParams } from '@tillkit/protocol';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { PRODUCTS_KEY, productsOf } from '../webhooks/handlers/customer-subscription.js';
import { assertProrationDate, planChange } from './plan-change-shared.js';
import {
  assertNotSubscribed,
  cancelUnpaid,
  expireSubscriptionPages,
  openCheckoutPages,
  storeSubscription,
  toSubscription,
} from './subscription-shared.js';

export const changeSubscription = defineRoute({
  name: 'changeSubscription',
  params: idParams,
  body: changeSubscriptionBody,
  async handle({ params, body, user, services, log }) {
    const { stripe } = services;
    const { subscription, price, item, customer, productId, others } = await planChange(
      services,
      user,
      params.id,
      body.price,
    );
    // Before anything is ended below: a refused date leaves everything as it was.
    if (body.prorationDate !== undefined) {
      await assertProrationDate(services, subscription, body.prorationDate);
    }
    if (item) {
      // Unpaid subscriptions to the new product, and open Checkout pages for it (to any product
      // with `onePerCustomer`), are ended, as either could still be paid and make a second one.
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
          // The preview's time, so that the charge is the amount the customer confirmed.
          ...(body.prorationDate === undefined ? {} : { proration_date: body.prorationDate }),
          metadata: { [PRODUCTS_KEY]: [...products].join(',') },
        }),
      );
    }
    const row = await storeSubscription(services, log, subscription.id);
    return { body: await toSubscription(services, row) };
  },
});
