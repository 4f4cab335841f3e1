/** `GET /payments?limit&startingAfter` (admin): every payment, newest first. */
import { listPaymentsQuery } from '@tillkit/protocol';
import { defineRoute } from '../http/define-route.js';
import { listPayments as listStoredPayments, toPayment } from '../storage/payments.js';

export const listPayments = defineRoute({
  name: 'listPayments',
  query: listPaymentsQuery,
  async handle({ query, services }) {
    const page = await listStoredPayments(services.db, {
      limit: query.limit ?? 20,
      startingAfter: query.startingAfter,
    });
    return { body: { data: page.rows.map(toPayment), hasMore: page.hasMore } };
  },
});
