/**
 * `GET /payments?limit&startingAfter`, newest first: for an admin, every payment; for any other
 * user, their own order history, the payments that went through or are on their way.
 */
import { listPaymentsQuery } from '@tillkit/protocol';
import { isAdmin } from '../auth/identify.js';
import { InvalidRequestError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { listPayments as listStoredPayments, toPayment } from '../storage/payments.js';

/**
 * What a user's history shows. A refunded payment stays `succeeded` (with `amountRefunded`);
 * unpaid, failed and canceled attempts are left out.
 */
const HISTORY_STATUSES = ['succeeded', 'processing'] as const;

export const listPayments = defineRoute({
  name: 'listPayments',
  query: listPaymentsQuery,
  async handle({ query, user, services }) {
    const admin = isAdmin(user);
    const page = await listStoredPayments(services.db, {
      limit: query.limit ?? 20,
      startingAfter: query.startingAfter,
      owner: admin ? undefined : { userId: user.userId, statuses: HISTORY_STATUSES },
    });
    if (!page && !admin) {
      // The same answer for an unknown id and someone else's: it tells nothing about theirs. Any
      // of the caller's own places the page, even one the history no longer shows.
      throw new InvalidRequestError(
        `startingAfter must be the id of one of your payments (the last of the page before); '${query.startingAfter}' is not one of them.`,
        'startingAfter',
      );
    }
    // An admin's unknown cursor is an empty page, as it always was.
    const { rows, hasMore } = page ?? { rows: [], hasMore: false };
    return { body: { data: rows.map(toPayment), hasMore } };
  },
});
