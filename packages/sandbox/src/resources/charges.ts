/**
 * charges: every confirmation attempt of a PaymentIntent makes one (succeeded, or failed with the
 * card's decline). Routes: retrieve, update, list. `refunds` is included only when expanded, as on
 * Stripe since 2022-11-15. The legacy `POST /v1/charges` and `/v1/charges/:id/capture` are not
 * served: PaymentIntents create and capture charges. A charge that succeeds gets a `receipt_url`,
 * the sandbox's hosted receipt page (pages/receipt-page.ts).
 * @see https://docs.stripe.com/api/charges
 */
import type Stripe from 'stripe';
import type { Decline } from '../core/cards.js';
import { resourceMissing } from '../core/errors.js';
import { newId, randomString } from '../core/ids.js';
import { mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { emptyable, listShape, metadata, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { cardBehaviour } from './payment-methods.js';
import { calculatedStatementDescriptor, idOf } from './payments-shared.js';

export function chargeCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Charge>('charges');
}

export function findCharge(sandbox: SandboxCore, id: string, param = 'id'): Stripe.Charge {
  const found = chargeCollection(sandbox).get(id);
  if (!found) throw resourceMissing('charge', id, param);
  return found;
}

/** The refunds of a charge, newest first, as the `refunds` list object Stripe expands. */
export function chargeRefunds(
  sandbox: SandboxCore,
  chargeId: string,
): Stripe.ApiList<Stripe.Refund> {
  const refunds = sandbox.store
    .collection<Stripe.Refund>('refunds')
    .values()
    .filter((refund) => idOf(refund.charge) === chargeId);
  return paginate(refunds, { limit: 100 }, `/v1/charges/${chargeId}/refunds`, 'refund');
}

/** Lets `expand[]=refunds` (and `latest_charge.refunds`) include a charge's refunds. */
export function registerChargeIncludables(sandbox: SandboxCore): void {
  sandbox.registerIncludable('charge', 'refunds', (charge) =>
    chargeRefunds(sandbox, String(charge.id)),
  );
}

/** Wraps a handler so that `expand[]=…refunds` reaches charges' refunds from its route. */
export function withChargeIncludables(handler: Route['handler']): Route['handler'] {
  return (ctx) => {
    registerChargeIncludables(ctx.sandbox);
    return handler(ctx);
  };
}

/** The path of a receipt page, by its token. */
function receiptPagePath(token: string): string {
  return `/v1/_sandbox/receipts/${token}`;
}

/**
 * A new receipt URL for a charge. Its path holds a random token, not the charge id, as Stripe's
 * `https://pay.stripe.com/receipts/payment/…` does: the page shows the card's brand and last four
 * to anyone with the link, so knowing a charge id (from a log line, a support ticket, an event)
 * must not be enough to open it. The token is kept in the store's internal state, so it lasts
 * with the state file and goes with a reset.
 */
function newReceiptUrl(sandbox: SandboxCore, chargeId: string, origin: string): string {
  const token = randomString(48);
  sandbox.store.setInternal(`receipt:${token}`, chargeId);
  return `${origin}${receiptPagePath(token)}`;
}

/** The charge of a receipt token; undefined for a token the sandbox never handed out. */
export function chargeForReceipt(sandbox: SandboxCore, token: string): Stripe.Charge | undefined {
  const chargeId = sandbox.store.getInternal<string>(`receipt:${token}`);
  return chargeId ? chargeCollection(sandbox).get(chargeId) : undefined;
}

function sellerMessage(decline: Decline): string {
  return decline.declineCode === 'generic_decline'
    ? 'The bank did not return any further details with this decline.'
    : `The bank returned the decline code \`${decline.declineCode}\`.`;
}

function digits(length: number): string {
  let out = '';
  for (const char of randomString(length)) out += String(char.charCodeAt(0) % 10);
  return out;
}

export interface ChargeAttempt {
  intent: Stripe.PaymentIntent;
  paymentMethod: Stripe.PaymentMethod;
  /** Why the issuer declined; undefined when the authorization went through. */
  decline?: Decline | undefined;
  /** Captured at once (automatic capture) or only authorized (manual capture). */
  capture: boolean;
  /** The cardholder authenticated with 3D Secure before this attempt. */
  authenticated: boolean;
  /** Where the sandbox is reached, for the charge's `receipt_url`. */
  origin: string;
}

/** Records the charge of one confirmation attempt and returns it (no event is emitted here). */
export function createCharge(sandbox: SandboxCore, attempt: ChargeAttempt): Stripe.Charge {
  const { intent, paymentMethod, decline, capture, authenticated } = attempt;
  const id = newId('ch');
  const card = paymentMethod.card;
  const succeeded = !decline;
  const cvcChecked = card?.checks?.cvc_check
    ? decline?.code === 'incorrect_cvc'
      ? 'fail'
      : 'pass'
    : null;
  const network = card?.brand ?? null;
  const authorizationCode = succeeded ? digits(6) : null;
  const charge: Stripe.Charge = {
    id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: succeeded && capture ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    ...(authorizationCode ? { authorization_code: authorizationCode } : {}),
    balance_transaction: null,
    billing_details: structuredClone(paymentMethod.billing_details),
    calculated_statement_descriptor: calculatedStatementDescriptor(
      intent.statement_descriptor_suffix,
    ),
    captured: succeeded && capture,
    created: sandbox.now(),
    currency: intent.currency,
    customer: idOf(intent.customer),
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: decline
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'declined_by_network',
          reason: decline.declineCode,
          risk_level: 'normal',
          seller_message: sellerMessage(decline),
          type: 'issuer_declined',
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: paymentMethod.id,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: succeeded ? intent.amount : null,
        authorization_code: authorizationCode,
        brand: card?.brand ?? null,
        checks: {
          address_line1_check: null,
          address_postal_code_check: null,
          cvc_check: cvcChecked,
        },
        country: card?.country ?? null,
        electronic_commerce_indicator: authenticated
          ? network === 'mastercard'
            ? '02'
            : '05'
          : null,
        exp_month: card?.exp_month ?? 12,
        exp_year: card?.exp_year ?? 2030,
        extended_authorization: { status: 'disabled' },
        fingerprint: card?.fingerprint ?? null,
        funding: card?.funding ?? null,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: card?.last4 ?? null,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network,
        network_token: { used: false },
        network_transaction_id: succeeded ? digits(15) : null,
        overcapture: { maximum_amount_capturable: intent.amount, status: 'unavailable' },
        regulated_status: card?.regulated_status ?? 'unregulated',
        three_d_secure: authenticated
          ? {
              authentication_flow: cardBehaviour(sandbox, paymentMethod.id)?.card.frictionless
                ? 'frictionless'
                : 'challenge',
              electronic_commerce_indicator: network === 'mastercard' ? '02' : '05',
              exemption_indicator: null,
              result: 'authenticated',
              result_reason: null,
              transaction_id: crypto.randomUUID(),
              version: '2.2.0',
            }
          : null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: intent.receipt_email,
    receipt_number: null,
    // Stripe's receipt shows the latest state of the charge (refunds included), so the URL is
    // made once; an authorization not captured yet has one too (its page says so). A declined
    // attempt has no receipt.
    receipt_url: succeeded ? newReceiptUrl(sandbox, id, attempt.origin) : null,
    refunded: false,
    review: null,
    shipping: intent.shipping ? structuredClone(intent.shipping) : null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: intent.statement_descriptor_suffix,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
  chargeCollection(sandbox).set(charge);
  return charge;
}

function retrieve(ctx: RequestContext): Stripe.Charge {
  ctx.parse(params({}));
  return findCharge(ctx.sandbox, ctx.path.id as string);
}

const updateSchema = params({
  description: emptyable(str()).optional(),
  metadata: metadata().optional(),
  receipt_email: emptyable(str()).optional(),
});

function update(ctx: RequestContext): Stripe.Charge {
  const input = ctx.parse(updateSchema);
  const charge = findCharge(ctx.sandbox, ctx.path.id as string);
  const previous = trackChanges(charge, (c) => {
    if (input.description !== undefined) c.description = input.description;
    if (input.receipt_email !== undefined) c.receipt_email = input.receipt_email;
    c.metadata = mergeMetadata(c.metadata, input.metadata);
  });
  if (Object.keys(previous).length) ctx.emit('charge.updated', charge, previous);
  return charge;
}

const listSchema = params({
  ...listShape,
  customer: str().optional(),
  payment_intent: str().optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Charge> {
  const input = ctx.parse(listSchema);
  const items = chargeCollection(ctx.sandbox)
    .values()
    .filter(
      (charge) =>
        (!input.customer || idOf(charge.customer) === input.customer) &&
        (!input.payment_intent || idOf(charge.payment_intent) === input.payment_intent),
    );
  return paginate(items, input, ctx.url.pathname, 'charge');
}

export const chargeRoutes: Route[] = [
  { method: 'GET', path: '/v1/charges', handler: withChargeIncludables(list) },
  { method: 'GET', path: '/v1/charges/:id', handler: withChargeIncludables(retrieve) },
  { method: 'POST', path: '/v1/charges/:id', handler: withChargeIncludables(update) },
];
