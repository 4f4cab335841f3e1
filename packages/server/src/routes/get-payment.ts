/** `GET /payments/:id`: a payment as kept in the database; the caller's own, or any for an admin. */
import { idParams } from '@tillkit/protocol';
import { isAdmin } from '../auth/identify.js';
import { NotFoundError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { findPayment, toPayment } from '../storage/payments.js';

export const getPayment = defineRoute({
  name: 'getPayment',
  params: idParams,
  async handle({ params, user, services }) {
    const row = await findPayment(services.db, params.id);
    if (!row || (!isAdmin(user) && row.userId !== user.userId)) {
      throw new NotFoundError('payment', params.id);
    }
    return { body: toPayment(row) };
  },
});
