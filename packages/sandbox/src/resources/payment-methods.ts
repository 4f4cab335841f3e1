/**
 * payment_methods: create (cards, from Stripe.js or the API), retrieve, update, attach, detach,
 * list. Test ids such as `pm_card_visa` create a fresh payment method wherever one is accepted.
 * @see https://docs.stripe.com/api/payment_methods
 */
import type Stripe from 'stripe';
import {
  cardFor,
  type Decline,
  TEST_CARDS,
  TEST_PAYMENT_METHOD_IDS,
  type TestCard,
} from '../core/cards.js';
import { invalidRequest, resourceMissing, StripeApiError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { emptyable, int, listShape, metadata, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { addressShape, toAddress } from './payments-shared.js';

/** What the sandbox remembers about a card payment method, never sent in responses. */
export interface CardBehaviour {
  card: TestCard;
  /** Set up for off-session use (a succeeded SetupIntent or an authenticated payment with setup_future_usage). */
  setUpForOffSession: boolean;
}

export function cardBehaviour(
  sandbox: SandboxCore,
  paymentMethodId: string,
): CardBehaviour | undefined {
  return sandbox.store.getInternal<CardBehaviour>(`pm_card:${paymentMethodId}`);
}

export function markSetUpForOffSession(sandbox: SandboxCore, paymentMethodId: string): void {
  const behaviour = cardBehaviour(sandbox, paymentMethodId);
  if (behaviour) behaviour.setUpForOffSession = true;
}

/** A 402 card_error for a declined card, in Stripe's shape. */
export function cardError(
  decline: Decline,
  extra: {
    param?: string;
    payment_intent?: unknown;
    setup_intent?: unknown;
    payment_method?: unknown;
    charge?: string;
  } = {},
): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code: decline.code,
    decline_code: decline.declineCode,
    message: decline.message,
    ...extra,
  });
}

const billingDetailsShape = z
  .strictObject({
    address: emptyable(addressShape).optional(),
    email: emptyable(str()).optional(),
    name: emptyable(str()).optional(),
    phone: emptyable(str()).optional(),
    tax_id: str().optional(),
  })
  .optional();

type BillingDetailsInput = z.output<typeof billingDetailsShape>;

function billingDetails(input: BillingDetailsInput, current?: Stripe.PaymentMethod.BillingDetails) {
  const address = input?.address === null ? null : input?.address;
  const base: Stripe.PaymentMethod.BillingDetails = current ?? {
    address: toAddress({}),
    email: null,
    name: null,
    phone: null,
    tax_id: null,
  };
  const result = structuredClone(base);
  if (address === null) {
    result.address = toAddress({});
  } else if (address) {
    result.address = { ...(result.address ?? {}), ...address } as Stripe.Address;
  }
  if (input?.email !== undefined) result.email = input.email;
  if (input?.name !== undefined) result.name = input.name;
  if (input?.phone !== undefined) result.phone = input.phone;
  if (input?.tax_id !== undefined) result.tax_id = input.tax_id;
  return result;
}

function cardInputError(code: string, message: string, param: string): StripeApiError {
  return new StripeApiError(402, { type: 'card_error', code, message, param });
}

/** Stripe's `display_brand` spells some brands out. */
const DISPLAY_BRANDS: Partial<Record<TestCard['brand'], string>> = {
  amex: 'american_express',
  diners: 'diners_club',
  unionpay: 'union_pay',
};

/** Creates a card payment method from card details; validates them as Stripe does. */
export function createCardPaymentMethod(
  sandbox: SandboxCore,
  input: {
    number: string;
    exp_month: number;
    exp_year: number;
    cvc?: string | undefined;
    billing_details?: BillingDetailsInput;
    metadata?: Record<string, string> | null | undefined;
    allow_redisplay?: Stripe.PaymentMethod.AllowRedisplay | undefined;
  },
): Stripe.PaymentMethod {
  const number = input.number.replace(/[\s-]/g, '');
  const card = cardFor(number);
  if (!card)
    throw cardInputError('incorrect_number', 'Your card number is incorrect.', 'card[number]');
  if (input.exp_month < 1 || input.exp_month > 12) {
    throw cardInputError(
      'invalid_expiry_month',
      "Your card's expiration month is invalid.",
      'card[exp_month]',
    );
  }
  const year = input.exp_year < 100 ? 2000 + input.exp_year : input.exp_year;
  const now = new Date(sandbox.now() * 1000);
  const currentYear = now.getUTCFullYear();
  if (year < currentYear || year > currentYear + 50) {
    throw cardInputError(
      'invalid_expiry_year',
      "Your card's expiration year is invalid.",
      'card[exp_year]',
    );
  }
  if (year === currentYear && input.exp_month < now.getUTCMonth() + 1) {
    throw cardInputError(
      'invalid_expiry_month',
      "Your card's expiration month is invalid.",
      'card[exp_month]',
    );
  }
  if (input.cvc !== undefined && !/^\d{3,4}$/.test(input.cvc)) {
    throw cardInputError('invalid_cvc', "Your card's security code is invalid.", 'card[cvc]');
  }
  const paymentMethod: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: input.allow_redisplay ?? 'unspecified',
    billing_details: billingDetails(input.billing_details),
    card: {
      brand: card.brand,
      checks: {
        address_line1_check: null,
        address_postal_code_check: null,
        cvc_check: input.cvc ? 'unchecked' : null,
      },
      country: card.country,
      display_brand: DISPLAY_BRANDS[card.brand] ?? card.brand,
      exp_month: input.exp_month,
      exp_year: year,
      // A stable fingerprint per card number, as Stripe gives the same card the same one.
      fingerprint: fingerprintOf(number),
      funding: card.funding,
      generated_from: null,
      last4: number.slice(-4),
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: sandbox.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: initialMetadata(input.metadata),
    type: 'card',
  };
  sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').set(paymentMethod);
  // Only a test card's number is kept (to decide its behaviour); other numbers are reduced to
  // their brand, so no real-looking card number is ever written to the state file.
  const kept: TestCard = TEST_CARDS.has(number)
    ? card
    : { ...card, number: `****${number.slice(-4)}` };
  sandbox.store.setInternal<CardBehaviour>(`pm_card:${paymentMethod.id}`, {
    // A card whose CVC check fails is declined only when there was a CVC to check.
    card: kept.cvcDecline && input.cvc ? { ...kept, decline: kept.cvcDecline } : kept,
    setUpForOffSession: false,
  });
  return paymentMethod;
}

function fingerprintOf(number: string): string {
  let hash = 0;
  for (const char of number) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let index = 0; index < 16; index++) {
    out += alphabet[(hash >>> (index % 24)) % alphabet.length] ?? 'A';
    hash = (hash * 1103515245 + 12345) >>> 0;
  }
  return out;
}

/**
 * Turns a `payment_method` parameter into a stored payment method: an existing `pm_…`, or a test
 * id (`pm_card_visa`), which creates a new one each time, as on Stripe.
 */
export function resolvePaymentMethod(
  sandbox: SandboxCore,
  id: string,
  param = 'payment_method',
): Stripe.PaymentMethod {
  const testNumber = TEST_PAYMENT_METHOD_IDS[id];
  if (testNumber) {
    const now = new Date(sandbox.now() * 1000);
    return createCardPaymentMethod(sandbox, {
      number: testNumber,
      exp_month: 12,
      exp_year: now.getUTCFullYear() + 3,
      // `pm_card_cvcCheckFail` exists to fail its CVC check, so it comes with a CVC to check.
      cvc: TEST_CARDS.get(testNumber)?.cvcDecline ? '123' : undefined,
    });
  }
  const found = sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(id);
  if (!found) throw resourceMissing('PaymentMethod', id, param);
  return found;
}

/**
 * Stripe's 400 for a payment method that may not be used again: one used for a payment without
 * being saved to a customer, or one detached from a customer ("Detachment is permanent and
 * irreversible"). @see https://docs.stripe.com/api/payment_methods/detach
 */
export const CONSUMED_PAYMENT_METHOD =
  'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.';

/** Marks a payment method as used up: it can no longer pay or be attached. */
export function markConsumed(sandbox: SandboxCore, paymentMethodId: string): void {
  sandbox.store.setInternal(`pm_consumed:${paymentMethodId}`, true);
}

/** Whether a payment method was used without a customer or detached (see `markConsumed`). */
export function isConsumed(sandbox: SandboxCore, paymentMethodId: string): boolean {
  return sandbox.store.getInternal<boolean>(`pm_consumed:${paymentMethodId}`) === true;
}

/** Attaches a payment method to a customer, checking the card as Stripe does ($0 authorization). */
export function attachPaymentMethod(
  sandbox: SandboxCore,
  paymentMethod: Stripe.PaymentMethod,
  customerId: string,
  emit: (type: string, object: object, previous?: Record<string, unknown>) => void,
): Stripe.PaymentMethod {
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(customerId);
  if (!customer) throw resourceMissing('customer', customerId, 'customer');
  if (paymentMethod.customer === customerId) return paymentMethod;
  if (paymentMethod.customer) {
    throw invalidRequest(
      'The payment method you provided has already been attached to a customer.',
      'payment_method',
      'payment_method_already_attached',
    );
  }
  if (isConsumed(sandbox, paymentMethod.id)) {
    throw invalidRequest(CONSUMED_PAYMENT_METHOD, 'payment_method');
  }
  const behaviour = cardBehaviour(sandbox, paymentMethod.id);
  if (behaviour?.card.decline) {
    throw cardError(behaviour.card.decline, { param: '' });
  }
  const previous = trackChanges(paymentMethod, (pm) => {
    pm.customer = customerId;
  });
  emit('payment_method.attached', paymentMethod, previous);
  return paymentMethod;
}

/** Detaches a payment method; clears it as the customer's default. */
export function detachPaymentMethod(
  sandbox: SandboxCore,
  paymentMethod: Stripe.PaymentMethod,
  emit: (type: string, object: object, previous?: Record<string, unknown>) => void,
): Stripe.PaymentMethod {
  const customerId =
    typeof paymentMethod.customer === 'string'
      ? paymentMethod.customer
      : paymentMethod.customer?.id;
  if (!customerId) {
    throw invalidRequest(
      'The payment method you provided is not attached to a customer so detachment is impossible.',
      'payment_method',
    );
  }
  const previous = trackChanges(paymentMethod, (pm) => {
    pm.customer = null;
  });
  markConsumed(sandbox, paymentMethod.id);
  emit('payment_method.detached', paymentMethod, previous);
  const customer = sandbox.store.collection<Stripe.Customer>('customers').get(customerId);
  if (customer && customer.invoice_settings.default_payment_method === paymentMethod.id) {
    const changed = trackChanges(customer, (c) => {
      c.invoice_settings = { ...c.invoice_settings, default_payment_method: null };
    });
    emit('customer.updated', customer, changed);
  }
  return paymentMethod;
}

const cardParams = z.strictObject({
  number: str(),
  exp_month: int(),
  exp_year: int(),
  cvc: str().optional(),
});

const createSchema = params({
  type: oneOf(['card']),
  card: cardParams.optional(),
  billing_details: billingDetailsShape,
  metadata: metadata().optional(),
  allow_redisplay: oneOf(['always', 'limited', 'unspecified']).optional(),
  customer: str().optional(),
  payment_method: str().optional(),
});

function create(ctx: RequestContext): Stripe.PaymentMethod {
  const input = ctx.parse(createSchema);
  if (input.payment_method) {
    // Cloning a platform's payment method is a Connect feature.
    throw invalidRequest(
      'Cloning payment methods is not supported by the sandbox.',
      'payment_method',
    );
  }
  if (!input.card)
    throw invalidRequest('Missing required param: card.', 'card', 'parameter_missing');
  const paymentMethod = createCardPaymentMethod(ctx.sandbox, {
    ...input.card,
    billing_details: input.billing_details,
    metadata: input.metadata,
    allow_redisplay: input.allow_redisplay,
  });
  if (input.customer) attachPaymentMethod(ctx.sandbox, paymentMethod, input.customer, ctx.emit);
  return paymentMethod;
}

function retrieve(ctx: RequestContext): Stripe.PaymentMethod {
  ctx.parse(params({}));
  const id = ctx.path.id as string;
  const found = ctx.sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(id);
  if (!found) throw resourceMissing('PaymentMethod', id);
  if (ctx.path.customer && found.customer !== ctx.path.customer) {
    throw resourceMissing('PaymentMethod', id);
  }
  return found;
}

const updateSchema = params({
  billing_details: billingDetailsShape,
  card: z.strictObject({ exp_month: int().optional(), exp_year: int().optional() }).optional(),
  metadata: metadata().optional(),
  allow_redisplay: oneOf(['always', 'limited', 'unspecified']).optional(),
});

function update(ctx: RequestContext): Stripe.PaymentMethod {
  const input = ctx.parse(updateSchema);
  const paymentMethod = retrieveById(ctx.sandbox, ctx.path.id as string);
  if (!paymentMethod.customer && (input.billing_details || input.card)) {
    throw invalidRequest(
      'You must save this PaymentMethod to a customer before you can update it.',
      'payment_method',
    );
  }
  const previous = trackChanges(paymentMethod, (pm) => {
    if (input.billing_details)
      pm.billing_details = billingDetails(input.billing_details, pm.billing_details);
    if (input.card && pm.card) {
      if (input.card.exp_month !== undefined) pm.card.exp_month = input.card.exp_month;
      if (input.card.exp_year !== undefined) pm.card.exp_year = input.card.exp_year;
    }
    pm.metadata = mergeMetadata(pm.metadata ?? {}, input.metadata);
    if (input.allow_redisplay) pm.allow_redisplay = input.allow_redisplay;
  });
  if (Object.keys(previous).length) ctx.emit('payment_method.updated', paymentMethod, previous);
  return paymentMethod;
}

function retrieveById(sandbox: SandboxCore, id: string): Stripe.PaymentMethod {
  const found = sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(id);
  if (!found) throw resourceMissing('PaymentMethod', id);
  return found;
}

function attach(ctx: RequestContext): Stripe.PaymentMethod {
  const input = ctx.parse(params({ customer: str() }));
  const paymentMethod = resolvePaymentMethod(ctx.sandbox, ctx.path.id as string, 'payment_method');
  return attachPaymentMethod(ctx.sandbox, paymentMethod, input.customer, ctx.emit);
}

function detach(ctx: RequestContext): Stripe.PaymentMethod {
  ctx.parse(params({}));
  return detachPaymentMethod(
    ctx.sandbox,
    retrieveById(ctx.sandbox, ctx.path.id as string),
    ctx.emit,
  );
}

const listSchema = params({
  ...listShape,
  customer: str().optional(),
  type: oneOf(['card']).optional(),
  allow_redisplay: oneOf(['always', 'limited', 'unspecified']).optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.PaymentMethod> {
  const input = ctx.parse(listSchema);
  const customer = ctx.path.customer ?? input.customer;
  if (customer && !ctx.sandbox.store.collection('customers').has(customer)) {
    throw resourceMissing('customer', customer, 'customer');
  }
  const items = ctx.sandbox.store
    .collection<Stripe.PaymentMethod>('payment_methods')
    .values()
    .filter(
      (pm) =>
        // Stripe lists only attached payment methods; without a customer it lists nothing useful.
        pm.customer !== null &&
        (!customer || pm.customer === customer) &&
        (!input.type || pm.type === input.type) &&
        (!input.allow_redisplay || pm.allow_redisplay === input.allow_redisplay),
    );
  return paginate(items, input, ctx.url.pathname, 'payment_method');
}

export const paymentMethodRoutes: Route[] = [
  { method: 'POST', path: '/v1/payment_methods', auth: 'publishable', handler: create },
  { method: 'GET', path: '/v1/payment_methods', handler: list },
  { method: 'GET', path: '/v1/payment_methods/:id', handler: retrieve },
  { method: 'POST', path: '/v1/payment_methods/:id', handler: update },
  { method: 'POST', path: '/v1/payment_methods/:id/attach', handler: attach },
  { method: 'POST', path: '/v1/payment_methods/:id/detach', handler: detach },
  { method: 'GET', path: '/v1/customers/:customer/payment_methods', handler: list },
  { method: 'GET', path: '/v1/customers/:customer/payment_methods/:id', handler: retrieve },
];
