import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from './errors.js';
import type { StoredObject } from './store.js';

export interface ListOptions {
  limit?: number | undefined;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
  created?: number | Record<string, number> | undefined;
}

function matchesCreated(created: number, filter: ListOptions['created']): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'number') return created === filter;
  if (filter.gt !== undefined && !(created > filter.gt)) return false;
  if (filter.gte !== undefined && !(created >= filter.gte)) return false;
  if (filter.lt !== undefined && !(created < filter.lt)) return false;
  if (filter.lte !== undefined && !(created <= filter.lte)) return false;
  return true;
}

/**
 * A page of a Stripe list: newest first, cursors by object id, `has_more` when the page was cut.
 * `items` are oldest first (insertion order), as collections keep them.
 */
export function paginate<T extends StoredObject>(
  items: readonly T[],
  options: ListOptions,
  url: string,
  resource: string,
): Stripe.ApiList<T> {
  const limit = options.limit ?? 10;
  if (options.starting_after && options.ending_before) {
    throw invalidRequest(
      'You may only specify one of these parameters: ending_before, starting_after.',
      'ending_before',
    );
  }
  const newestFirst = items
    .filter((item) => matchesCreated(item.created ?? 0, options.created))
    .reverse();
  let page: T[];
  let hasMore: boolean;
  if (options.starting_after) {
    const index = newestFirst.findIndex((item) => item.id === options.starting_after);
    if (index === -1) throw resourceMissing(resource, options.starting_after, 'starting_after');
    const rest = newestFirst.slice(index + 1);
    page = rest.slice(0, limit);
    hasMore = rest.length > limit;
  } else if (options.ending_before) {
    const index = newestFirst.findIndex((item) => item.id === options.ending_before);
    if (index === -1) throw resourceMissing(resource, options.ending_before, 'ending_before');
    const before = newestFirst.slice(0, index);
    page = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    page = newestFirst.slice(0, limit);
    hasMore = newestFirst.length > limit;
  }
  return { object: 'list', data: page, has_more: hasMore, url };
}
