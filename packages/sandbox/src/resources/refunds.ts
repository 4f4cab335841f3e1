/**
 * refunds: create (by `charge` or `payment_intent`, full or partial), retrieve, update, list.
 * Card refunds succeed at once. Each refund raises the charge's `amount_refunded`; the charge is
 * `refunded` once nothing is left.
 * @see https://docs.stripe.com/api/refunds
 */
import type Stripe from 'stripe';
import { assertChargeableAmount, formatAmount } from '../core/currencies.js';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { listShape, metadata, oneOf, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { chargeCollection, findCharge, withChargeIncludables } from './charges.js';
import { findPaymentIntent } from './payment-intents.js';
import { idOf, positiveAmount } from './payments-shared.js';

const createSchema = params({
  amount: positiveAmount('Invalid positive integer').optional(),
  charge: str().optional(),
  payment_intent: str().optional(),
  reason: oneOf(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadata().optional(),
});

const updateSchema = params({ metadata: metadata().optional() });

const listSchema = params({
  ...listShape,
  charge: str().optional(),
  payment_intent: str().optional(),
});

function refundCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Refund>('refunds');
}

function findRefund(sandbox: SandboxCore, id: string): Stripe.Refund {
  const found = refundCollection(sandbox).get(id);
  if (!found) throw resourceMissing('refund', id);
  return found;
}

function noSuccessfulCharge(paymentIntentId: string) {
  return invalidRequest(
    `This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`,
    'payment_intent',
  );
}

/** The charge a refund request is about: the one named, or the intent's succeeded charge. */
function chargeToRefund(
  sandbox: SandboxCore,
  input: { charge?: string | undefined; payment_intent?: string | undefined },
): Stripe.Charge {
  if (!input.charge && !input.payment_intent) {
    throw invalidRequest(
      'One of the following params should be provided for this request: payment_intent or charge.',
    );
  }
  if (input.charge) {
    const charge = findCharge(sandbox, input.charge, 'charge');
    const intentId = idOf(charge.payment_intent);
    if (input.payment_intent && input.payment_intent !== intentId) {
      throw invalidRequest(
        `Charge ${charge.id} does not belong to PaymentIntent ${input.payment_intent}.`,
        'charge',
      );
    }
    if (charge.status !== 'succeeded') {
      if (intentId) throw noSuccessfulCharge(intentId);
      throw invalidRequest(`Charge ${charge.id} has failed and cannot be refunded.`, 'charge');
    }
    return charge;
  }
  const intent = findPaymentIntent(sandbox, input.payment_intent as string, 'payment_intent');
  const latest = idOf(intent.latest_charge);
  const charge = latest ? chargeCollection(sandbox).get(latest) : undefined;
  if (charge?.status !== 'succeeded') throw noSuccessfulCharge(intent.id);
  return charge;
}

function create(ctx: RequestContext): Stripe.Refund {
  const input = ctx.parse(createSchema);
  const { sandbox } = ctx;
  const charge = chargeToRefund(sandbox, input);
  const intentId = idOf(charge.payment_intent);
  if (!charge.captured) {
    throw invalidRequest(
      `Charge ${charge.id} has not been captured, so there is nothing to refund yet. Cancel its PaymentIntent${intentId ? ` (${intentId})` : ''} to release the authorization instead.`,
      'charge',
    );
  }
  const unrefunded = charge.amount - charge.amount_refunded;
  if (charge.refunded || unrefunded <= 0) {
    throw invalidRequest(
      `Charge ${charge.id} has already been refunded.`,
      undefined,
      'charge_already_refunded',
    );
  }
  const amount = input.amount ?? unrefunded;
  // Refunds take the same steps as charges: KWD and the other three-decimal currencies in tens,
  // ISK and UGX in whole units (multiples of 100).
  // @see https://docs.stripe.com/currencies#three-decimal
  // @see https://support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds
  assertChargeableAmount(amount, charge.currency);
  if (amount > unrefunded) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(unrefunded, charge.currency)})`,
      'amount',
    );
  }
  const refund: Stripe.Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: sandbox.now(),
    currency: charge.currency,
    customer: idOf(charge.customer),
    customer_account: null,
    destination_details: {
      type: 'card',
      card: {
        reference_status: 'pending',
        reference_type: 'acquirer_reference_number',
        type: 'refund',
      },
    },
    metadata: initialMetadata(input.metadata),
    payment_intent: intentId,
    payment_method: charge.payment_method,
    reason: input.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  refundCollection(sandbox).set(refund);
  const previous = trackChanges(charge, (c) => {
    c.amount_refunded += amount;
    c.refunded = c.amount_refunded >= c.amount;
  });
  ctx.emit('refund.created', refund);
  ctx.emit('charge.refunded', charge, previous);
  return refund;
}

function retrieve(ctx: RequestContext): Stripe.Refund {
  ctx.parse(params({}));
  return findRefund(ctx.sandbox, ctx.path.id as string);
}

function update(ctx: RequestContext): Stripe.Refund {
  const input = ctx.parse(updateSchema);
  const refund = findRefund(ctx.sandbox, ctx.path.id as string);
  const previous = trackChanges(refund, (r) => {
    r.metadata = mergeMetadata(r.metadata ?? {}, input.metadata);
  });
  if (Object.keys(previous).length) ctx.emit('refund.updated', refund, previous);
  return refund;
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Refund> {
  const input = ctx.parse(listSchema);
  const items = refundCollection(ctx.sandbox)
    .values()
    .filter(
      (refund) =>
        (!input.charge || idOf(refund.charge) === input.charge) &&
        (!input.payment_intent || idOf(refund.payment_intent) === input.payment_intent),
    );
  return paginate(items, input, ctx.url.pathname, 'refund');
}

export const refundRoutes: Route[] = [
  { method: 'POST', path: '/v1/refunds', handler: withChargeIncludables(create) },
  { method: 'GET', path: '/v1/refunds', handler: withChargeIncludables(list) },
  { method: 'GET', path: '/v1/refunds/:id', handler: withChargeIncludables(retrieve) },
  { method: 'POST', path: '/v1/refunds/:id', handler: withChargeIncludables(update) },
];
