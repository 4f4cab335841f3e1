/**
 * events: retrieve and list (filters `type`, `types`, `created`, `delivery_success`).
 * @see https://docs.stripe.com/api/events
 */
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { paginate } from '../core/pagination.js';
import { bool, listShape, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';

function retrieve(ctx: RequestContext): Stripe.Event {
  ctx.parse(params({}));
  const id = ctx.path.id as string;
  const event = ctx.sandbox.store.collection<Stripe.Event>('events').get(id);
  if (!event) throw resourceMissing('event', id);
  return event;
}

const listSchema = params({
  ...listShape,
  type: str().optional(),
  types: z.array(str()).max(20).optional(),
  delivery_success: bool().optional(),
});

/** `payment_intent.*` style wildcards, as Stripe's `type` filter takes them. */
function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (type) => type === pattern;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (type) => regex.test(type);
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Event> {
  const input = ctx.parse(listSchema);
  if (input.type && input.types) {
    throw invalidRequest('You may only specify one of these parameters: type, types.', 'types');
  }
  const matchers = (input.types ?? (input.type ? [input.type] : [])).map(typeMatcher);
  const items = ctx.sandbox.store
    .collection<Stripe.Event>('events')
    .values()
    .filter(
      (event) =>
        (matchers.length === 0 || matchers.some((matches) => matches(event.type))) &&
        (input.delivery_success === undefined ||
          (event.pending_webhooks === 0) === input.delivery_success),
    );
  return paginate(items, input, ctx.url.pathname, 'event');
}

export const eventRoutes: Route[] = [
  { method: 'GET', path: '/v1/events', handler: list },
  { method: 'GET', path: '/v1/events/:id', handler: retrieve },
];
