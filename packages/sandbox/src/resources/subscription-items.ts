/**
 * subscription_items: retrieve and list (`subscription`, required). Items are changed through
 * `POST /v1/subscriptions/:id` (`items[n][id]`), which prorates as Stripe does.
 * @see https://docs.stripe.com/api/subscription_items
 */
import type Stripe from 'stripe';
import { resourceMissing } from '../core/errors.js';
import { paginate } from '../core/pagination.js';
import { listShape, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import { findSubscription } from './subscriptions.js';

function retrieve(ctx: RequestContext): Stripe.SubscriptionItem {
  ctx.parse(params({}));
  const id = ctx.path.id as string;
  const item = ctx.sandbox.store.collection<Stripe.SubscriptionItem>('subscription_items').get(id);
  if (!item) throw resourceMissing('subscription_item', id);
  return item;
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.SubscriptionItem> {
  const input = ctx.parse(params({ ...listShape, subscription: str() }));
  const subscription = findSubscription(ctx.sandbox, input.subscription, 'subscription');
  // Items list in the order they were added, oldest first, as on Stripe.
  return paginate(
    [...subscription.items.data].reverse(),
    input,
    `/v1/subscription_items`,
    'subscription_item',
  );
}

export const subscriptionItemRoutes: Route[] = [
  { method: 'GET', path: '/v1/subscription_items', handler: list },
  { method: 'GET', path: '/v1/subscription_items/:id', handler: retrieve },
];
