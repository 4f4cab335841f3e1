/**
 * `POST /refunds` (admin): refunds a payment in full or in part. Stripe's refusals (more than is
 * left, already refunded, nothing captured) come back as clear 400s with Stripe's message.
 */
import { createRefundBody } from '@tillkit/protocol';
import { fromStripeError, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';

export const createRefund = defineRoute({
  name: 'createRefund',
  body: createRefundBody,
  async handle({ body, services, idempotencyKey }) {
    let refund: Awaited<ReturnType<typeof services.stripe.refunds.create>>;
    try {
      refund = await services.stripe.refunds.create(
        {
          payment_intent: body.paymentIntent,
          ...(body.amount ? { amount: body.amount } : {}),
          ...(body.reason ? { reason: body.reason } : {}),
          metadata: { tillkit: 'true' },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      );
    } catch (error) {
      const converted = fromStripeError(error);
      if (converted instanceof TillkitError && converted.code === 'not_found') {
        throw new TillkitError('not_found', `No such payment: '${body.paymentIntent}'`, {
          param: 'paymentIntent',
          cause: error,
        });
      }
      if (converted instanceof TillkitError && converted.code === 'stripe_invalid_request') {
        throw new TillkitError('refund_refused', converted.message, {
          param: converted.param === 'amount' ? 'amount' : undefined,
          cause: error,
        });
      }
      throw converted;
    }
    return {
      status: 201,
      body: { id: refund.id, amount: refund.amount, status: refund.status ?? 'pending' },
    };
  },
});
