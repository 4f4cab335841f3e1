/**
 * payment_intents: create, retrieve, update, confirm, capture, cancel, list, and the sandbox-only
 * route that finishes a 3D Secure challenge. Card payments only. Each confirmation attempt that
 * reaches the card network makes a charge (succeeded or failed); 3D Secure happens before it.
 * @see https://docs.stripe.com/api/payment_intents
 * @see https://docs.stripe.com/payments/paymentintents/lifecycle
 */
import type Stripe from 'stripe';
import type { Decline } from '../core/cards.js';
import { assertChargeableAmount, assertPaymentAmount, currencyParam } from '../core/currencies.js';
import { docUrl, invalidRequest, resourceMissing, unexpectedState } from '../core/errors.js';
import { clientSecretFor, newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import {
  bool,
  emailAddress,
  emptyable,
  int,
  listShape,
  metadata,
  oneOf,
  params,
  str,
  z,
} from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import {
  AUTHENTICATION_FAILED,
  assertIntentAccess,
  authenticateSchema,
  authenticationAnswer,
  authenticationOutcome,
  threeDSecureNextAction,
} from '../pages/three-d-secure.js';
import { createCharge, findCharge, withChargeIncludables } from './charges.js';
import { findCustomer } from './customers.js';
import {
  attachPaymentMethod,
  CONSUMED_PAYMENT_METHOD,
  cardBehaviour,
  cardError,
  createCardPaymentMethod,
  isConsumed,
  markConsumed,
  markSetUpForOffSession,
  resolvePaymentMethod,
} from './payment-methods.js';
import {
  assertReturnUrl,
  backgroundEmit,
  type Emit,
  idOf,
  positiveAmount,
  shippingShape,
  toShipping,
} from './payments-shared.js';

/** Parameters this API version removed, with the sentence Stripe adds to the 400. */
const HINTS = {
  payment_method_types: 'This API version replaced it with allowed_payment_method_types.',
};

/** Statuses a PaymentIntent can be confirmed from, and have its amount or payment method changed. */
const OPEN_STATUSES: readonly Stripe.PaymentIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

const CANCELABLE_STATUSES: readonly Stripe.PaymentIntent.Status[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];

/** The fields Stripe.js sees when it retrieves or confirms with a publishable key. */
const PUBLISHABLE_FIELDS = [
  'id',
  'object',
  'amount',
  'amount_details',
  'automatic_payment_methods',
  'canceled_at',
  'cancellation_reason',
  'capture_method',
  'client_secret',
  'confirmation_method',
  'created',
  'currency',
  'description',
  'last_payment_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_types',
  'processing',
  'receipt_email',
  'setup_future_usage',
  'shipping',
  'source',
  'status',
] as const satisfies readonly (keyof Stripe.PaymentIntent)[];

/** The soft decline an off-session payment gets when the card asks for authentication. */
const AUTHENTICATION_REQUIRED: Decline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

const MISSING_PAYMENT_METHOD =
  "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method or ConfirmationToken.";

// --- parameters ----------------------------------------------------------------------------------

/** Stripe takes any absolute URL, an app's own scheme (`myapp://done`) included. */
const returnUrl = () => str().refine((value) => URL.canParse(value), { error: 'Not a valid URL' });

/** Only cards are modeled; any other payment method type is refused by name. */
const allowedTypes = () =>
  z.array(
    str().refine((value) => value === 'card', {
      error: (issue) =>
        `The sandbox supports card payments only, so allowed_payment_method_types cannot include ${JSON.stringify(issue.input)}. Use ['card'].`,
    }),
  );

/** `true`, or the kind of off-session payment (`one_off`, `recurring`). */
const offSession = () => z.union([bool(), oneOf(['one_off', 'recurring'])]);

const captureMethod = () => oneOf(['automatic', 'automatic_async', 'manual']);

const setupFutureUsage = () => oneOf(['on_session', 'off_session']);

const statementDescriptorSuffix = () =>
  str().max(22, { error: 'The statement descriptor suffix must be at most 22 characters long.' });

const automaticPaymentMethodsShape = z.strictObject({
  enabled: bool(),
  allow_redirects: oneOf(['always', 'never']).optional(),
});

const billingDetailsShape = z.strictObject({
  address: emptyable(
    z.strictObject({
      city: emptyable(str()).optional(),
      country: emptyable(str()).optional(),
      line1: emptyable(str()).optional(),
      line2: emptyable(str()).optional(),
      postal_code: emptyable(str()).optional(),
      state: emptyable(str()).optional(),
    }),
  ).optional(),
  email: emptyable(str()).optional(),
  name: emptyable(str()).optional(),
  phone: emptyable(str()).optional(),
  tax_id: str().optional(),
});

/** `payment_method_data`: a card made on the fly (Stripe.js sends raw card details this way). */
const paymentMethodDataShape = z.strictObject({
  type: oneOf(['card']),
  card: z
    .strictObject({
      number: str(),
      exp_month: int(),
      exp_year: int(),
      cvc: str().optional(),
    })
    .optional(),
  billing_details: billingDetailsShape.optional(),
  metadata: metadata().optional(),
  allow_redisplay: oneOf(['always', 'limited', 'unspecified']).optional(),
  // Telemetry Stripe.js adds; accepted and ignored.
  guid: str().optional(),
  muid: str().optional(),
  sid: str().optional(),
  payment_user_agent: str().optional(),
  referrer: str().optional(),
  time_on_page: z.union([int(), str()]).optional(),
});

type PaymentMethodData = z.output<typeof paymentMethodDataShape>;

const createSchema = params({
  amount: positiveAmount(),
  currency: currencyParam(),
  allowed_payment_method_types: allowedTypes().optional(),
  automatic_payment_methods: automaticPaymentMethodsShape.optional(),
  capture_method: captureMethod().optional(),
  confirm: bool().optional(),
  confirmation_method: oneOf(['automatic', 'manual']).optional(),
  customer: str().optional(),
  description: str().optional(),
  error_on_requires_action: bool().optional(),
  metadata: metadata().optional(),
  off_session: offSession().optional(),
  payment_method: str().optional(),
  payment_method_data: paymentMethodDataShape.optional(),
  receipt_email: emailAddress().optional(),
  return_url: returnUrl().optional(),
  setup_future_usage: setupFutureUsage().optional(),
  shipping: shippingShape.optional(),
  statement_descriptor_suffix: statementDescriptorSuffix().optional(),
  use_stripe_sdk: bool().optional(),
});

const updateSchema = params({
  amount: positiveAmount().optional(),
  currency: currencyParam().optional(),
  allowed_payment_method_types: allowedTypes().optional(),
  capture_method: captureMethod().optional(),
  customer: str().optional(),
  description: emptyable(str()).optional(),
  metadata: metadata().optional(),
  payment_method: str().optional(),
  receipt_email: emptyable(emailAddress()).optional(),
  setup_future_usage: emptyable(setupFutureUsage()).optional(),
  shipping: emptyable(shippingShape).optional(),
  statement_descriptor_suffix: statementDescriptorSuffix().optional(),
});

const confirmSchema = params({
  allowed_payment_method_types: allowedTypes().optional(),
  capture_method: captureMethod().optional(),
  client_secret: str().optional(),
  error_on_requires_action: bool().optional(),
  /** Stripe.js sends the type it expects the payment method to have. */
  expected_payment_method_type: oneOf(['card']).optional(),
  off_session: offSession().optional(),
  payment_method: str().optional(),
  payment_method_data: paymentMethodDataShape.optional(),
  receipt_email: emptyable(emailAddress()).optional(),
  return_url: returnUrl().optional(),
  setup_future_usage: emptyable(setupFutureUsage()).optional(),
  shipping: emptyable(shippingShape).optional(),
  use_stripe_sdk: bool().optional(),
});

const retrieveSchema = params({ client_secret: str().optional() });

const cancelSchema = params({
  cancellation_reason: oneOf([
    'abandoned',
    'duplicate',
    'fraudulent',
    'requested_by_customer',
  ]).optional(),
});

const captureSchema = params({
  amount_to_capture: positiveAmount().optional(),
  metadata: metadata().optional(),
  statement_descriptor_suffix: statementDescriptorSuffix().optional(),
});

const listSchema = params({ ...listShape, customer: str().optional() });

// --- helpers -------------------------------------------------------------------------------------

export function paymentIntentCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.PaymentIntent>('payment_intents');
}

export function findPaymentIntent(
  sandbox: SandboxCore,
  id: string,
  param = 'id',
): Stripe.PaymentIntent {
  const found = paymentIntentCollection(sandbox).get(id);
  if (!found) throw resourceMissing('payment_intent', id, param);
  return found;
}

/** What the caller may see: everything with a secret key, Stripe.js's subset otherwise. */
function view(ctx: RequestContext, intent: Stripe.PaymentIntent): object {
  if (ctx.keyType === 'secret') return intent;
  const restricted: Record<string, unknown> = {};
  for (const field of PUBLISHABLE_FIELDS) {
    if (intent[field] !== undefined) restricted[field] = structuredClone(intent[field]);
  }
  restricted.payment_method = idOf(intent.payment_method);
  return restricted;
}

function unexpected(ctx: RequestContext, message: string, intent: Stripe.PaymentIntent) {
  return unexpectedState(message, { payment_intent: view(ctx, intent) });
}

function storedPaymentMethod(sandbox: SandboxCore, id: string): Stripe.PaymentMethod {
  const found = sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(id);
  if (!found) throw resourceMissing('PaymentMethod', id, 'payment_method');
  return found;
}

/** The same `pmc_…` for every automatic-payment-methods intent of this sandbox. */
function paymentMethodConfiguration(sandbox: SandboxCore): string {
  return (
    sandbox.store.getInternal<string>('payment_method_configuration') ??
    sandbox.store.setInternal('payment_method_configuration', newId('pmc'))
  );
}

/** A card from `payment_method_data`, or the one a `payment_method` names. */
function paymentMethodFrom(
  sandbox: SandboxCore,
  input: {
    payment_method?: string | undefined;
    payment_method_data?: PaymentMethodData | undefined;
  },
): Stripe.PaymentMethod | undefined {
  if (input.payment_method && input.payment_method_data) {
    throw invalidRequest(
      'You may only specify one of these parameters: payment_method, payment_method_data.',
      'payment_method_data',
    );
  }
  const data = input.payment_method_data;
  if (data) {
    if (!data.card) {
      throw invalidRequest(
        'Missing required param: payment_method_data[card].',
        'payment_method_data[card]',
        'parameter_missing',
      );
    }
    return createCardPaymentMethod(sandbox, {
      ...data.card,
      billing_details: data.billing_details,
      metadata: data.metadata,
      allow_redisplay: data.allow_redisplay,
    });
  }
  return input.payment_method ? resolvePaymentMethod(sandbox, input.payment_method) : undefined;
}

/**
 * Stripe refuses a payment method saved to another customer than the intent's, and one that was
 * already used for a payment without being saved to a customer.
 */
function assertUsable(
  sandbox: SandboxCore,
  customer: string | null,
  paymentMethod: Stripe.PaymentMethod,
): void {
  const owner = idOf(paymentMethod.customer);
  if (owner && !customer) {
    throw invalidRequest(
      `The provided PaymentMethod is attached to a Customer (${owner}). To use it with this PaymentIntent, set the PaymentIntent's customer to that Customer.`,
      'payment_method',
    );
  }
  if (owner && owner !== customer) {
    throw invalidRequest(
      `The provided PaymentMethod belongs to a different Customer than this PaymentIntent (${customer}).`,
      'payment_method',
    );
  }
  if (!owner && isConsumed(sandbox, paymentMethod.id)) {
    throw invalidRequest(CONSUMED_PAYMENT_METHOD, 'payment_method');
  }
}

/**
 * One attempt on the card network: records the charge and moves the intent on (succeeded,
 * requires_capture, or back to requires_payment_method). Returns the decline, if any.
 */
function attemptCharge(
  sandbox: SandboxCore,
  intent: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
  options: {
    emit: Emit;
    authenticated: boolean;
    /** Where the sandbox is reached, for the charge's receipt URL. */
    origin: string;
    decline?: Decline | undefined;
    /** When the charge happened, if not now (a test clock's time). */
    created?: number | undefined;
  },
): { decline: Decline | undefined; charge: Stripe.Charge } {
  const { emit, authenticated, origin } = options;
  const card = cardBehaviour(sandbox, paymentMethod.id)?.card;
  const decline = options.decline ?? card?.decline ?? card?.chargeDecline;
  const capture = intent.capture_method !== 'manual';
  sandbox.store.setInternal(`authenticated:${intent.id}`, null);

  const customer = idOf(intent.customer);
  if (!decline && customer && intent.setup_future_usage) {
    attachPaymentMethod(sandbox, paymentMethod, customer, emit);
    if (intent.setup_future_usage === 'off_session')
      markSetUpForOffSession(sandbox, paymentMethod.id);
  }

  const charge = createCharge(sandbox, {
    intent,
    paymentMethod,
    decline,
    capture,
    authenticated,
    origin,
  });
  if (options.created !== undefined) charge.created = options.created;
  intent.latest_charge = charge.id;
  intent.next_action = null;
  if (decline) {
    intent.last_payment_error = {
      type: 'card_error',
      charge: charge.id,
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: docUrl(decline.code),
      message: decline.message,
      payment_method: structuredClone(paymentMethod),
    };
    intent.payment_method = null;
    intent.status = 'requires_payment_method';
    emit('charge.failed', charge);
    emit('payment_intent.payment_failed', intent);
    return { decline, charge };
  }

  // A payment method used without being saved to a customer cannot be used again.
  if (!idOf(paymentMethod.customer)) markConsumed(sandbox, paymentMethod.id);
  intent.last_payment_error = null;
  if (capture) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    emit('charge.succeeded', charge);
    emit('payment_intent.succeeded', intent);
  } else {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    emit('charge.succeeded', charge);
    emit('payment_intent.amount_capturable_updated', intent);
  }
  return { decline: undefined, charge };
}

interface ConfirmOptions {
  paymentMethod?: string | undefined;
  paymentMethodData?: PaymentMethodData | undefined;
  allowedTypes?: string[] | undefined;
  captureMethod?: Stripe.PaymentIntent.CaptureMethod | undefined;
  errorOnRequiresAction?: boolean | undefined;
  offSession?: boolean | string | undefined;
  receiptEmail?: string | null | undefined;
  returnUrl?: string | undefined;
  setupFutureUsage?: Stripe.PaymentIntent.SetupFutureUsage | null | undefined;
  shipping?: Stripe.PaymentIntent.Shipping | null | undefined;
  useStripeSdk?: boolean | undefined;
}

/**
 * Confirms a PaymentIntent: it succeeds (or waits for capture), asks for 3D Secure, or fails
 * with the card's decline (a 402 card_error carrying the intent, as Stripe answers).
 */
function confirmIntent(
  ctx: RequestContext,
  intent: Stripe.PaymentIntent,
  options: ConfirmOptions,
): void {
  const { sandbox } = ctx;
  if (intent.status === 'succeeded') {
    throw unexpected(
      ctx,
      'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
      intent,
    );
  }
  if (!OPEN_STATUSES.includes(intent.status)) {
    throw unexpected(
      ctx,
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.`,
      intent,
    );
  }
  if (intent.confirmation_method === 'manual' && ctx.keyType !== 'secret') {
    throw invalidRequest(
      "This PaymentIntent's confirmation_method is set to manual, so it can only be confirmed with your secret key.",
    );
  }
  // Stripe.js (a publishable key) may raise a saved card's use from on_session to off_session, but
  // not clear or lower a `setup_future_usage` the server set: only the server may undo it.
  // @see https://docs.stripe.com/api/payment_intents/confirm#confirm_payment_intent-setup_future_usage
  const currentUsage = intent.setup_future_usage;
  const askedUsage = options.setupFutureUsage;
  if (
    ctx.keyType !== 'secret' &&
    currentUsage &&
    askedUsage !== undefined &&
    askedUsage !== currentUsage &&
    !(currentUsage === 'on_session' && askedUsage === 'off_session')
  ) {
    throw invalidRequest(
      `This PaymentIntent's setup_future_usage is ${currentUsage}. With a publishable key, you can only update setup_future_usage from on_session to off_session; update it with your secret key instead.`,
      'setup_future_usage',
    );
  }
  assertReturnUrl(
    ctx,
    'Payment Intent',
    options.allowedTypes ? null : intent.automatic_payment_methods,
    options,
  );
  const paymentMethod =
    paymentMethodFrom(sandbox, {
      payment_method: options.paymentMethod,
      payment_method_data: options.paymentMethodData,
    }) ??
    (intent.payment_method
      ? storedPaymentMethod(sandbox, idOf(intent.payment_method) as string)
      : undefined);
  if (!paymentMethod) throw unexpected(ctx, MISSING_PAYMENT_METHOD, intent);
  assertUsable(sandbox, idOf(intent.customer), paymentMethod);

  intent.payment_method = paymentMethod.id;
  if (options.allowedTypes) {
    intent.allowed_payment_method_types = options.allowedTypes;
    intent.automatic_payment_methods = null;
    intent.payment_method_configuration_details = null;
  }
  if (options.captureMethod) intent.capture_method = options.captureMethod;
  if (options.receiptEmail !== undefined) intent.receipt_email = options.receiptEmail;
  if (options.setupFutureUsage !== undefined) intent.setup_future_usage = options.setupFutureUsage;
  if (options.shipping !== undefined) intent.shipping = options.shipping;
  intent.last_payment_error = null;
  intent.next_action = null;
  sandbox.store.setInternal(`return_url:${intent.id}`, options.returnUrl ?? null);

  const behaviour = cardBehaviour(sandbox, paymentMethod.id);
  const card = behaviour?.card;
  const authenticated =
    sandbox.store.getInternal<string | null>(`authenticated:${intent.id}`) === paymentMethod.id;
  const needsAuthentication =
    !authenticated &&
    !card?.decline &&
    (card?.threeDSecure === 'always' ||
      (card?.threeDSecure === 'unless_set_up' && !behaviour?.setUpForOffSession));

  if (needsAuthentication && options.offSession) {
    // Off session nobody can authenticate: the issuer's soft decline comes back as a failed charge.
    const { charge } = attemptCharge(sandbox, intent, paymentMethod, {
      emit: ctx.emit,
      authenticated: false,
      origin: ctx.origin,
      decline: AUTHENTICATION_REQUIRED,
    });
    throw cardError(AUTHENTICATION_REQUIRED, {
      charge: charge.id,
      payment_intent: view(ctx, intent),
      payment_method: structuredClone(paymentMethod),
    });
  }
  if (needsAuthentication && options.errorOnRequiresAction) {
    // Failed before any authorization was asked for: no charge.
    intent.last_payment_error = {
      type: 'card_error',
      code: AUTHENTICATION_REQUIRED.code,
      decline_code: AUTHENTICATION_REQUIRED.declineCode,
      doc_url: docUrl(AUTHENTICATION_REQUIRED.code),
      message: AUTHENTICATION_REQUIRED.message,
      payment_method: structuredClone(paymentMethod),
    };
    intent.payment_method = null;
    intent.status = 'requires_payment_method';
    ctx.emit('payment_intent.payment_failed', intent);
    throw cardError(AUTHENTICATION_REQUIRED, {
      payment_intent: view(ctx, intent),
      payment_method: structuredClone(paymentMethod),
    });
  }
  if (needsAuthentication) {
    intent.status = 'requires_action';
    intent.next_action = threeDSecureNextAction(ctx.origin, intent, {
      returnUrl: options.returnUrl,
      useStripeSdk: options.useStripeSdk,
    });
    ctx.emit('payment_intent.requires_action', intent);
    return;
  }

  const { decline, charge } = attemptCharge(sandbox, intent, paymentMethod, {
    emit: ctx.emit,
    authenticated,
    origin: ctx.origin,
  });
  if (decline) {
    throw cardError(decline, {
      charge: charge.id,
      payment_intent: view(ctx, intent),
      payment_method: structuredClone(paymentMethod),
    });
  }
}

// --- invoices (Billing) ---------------------------------------------------------------------------

/**
 * Creates the PaymentIntent Billing makes when it finalizes an invoice that is charged
 * automatically: card only, `setup_future_usage: off_session` (the card is saved for renewals),
 * no payment method yet. Emits `payment_intent.created`. No API request is involved.
 */
export function createInvoicePaymentIntent(
  sandbox: SandboxCore,
  input: {
    amount: number;
    currency: string;
    customer: string;
    description: string | null;
    created: number;
  },
  emit: Emit,
): Stripe.PaymentIntent {
  const id = newId('pi');
  const intent: Stripe.PaymentIntent = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: ['card'],
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: clientSecretFor(id),
    confirmation_method: 'automatic',
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: {
        installments: null,
        mandate_options: null,
        network: null,
        request_three_d_secure: 'automatic',
      },
    },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: 'off_session',
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
  paymentIntentCollection(sandbox).set(intent);
  emit('payment_intent.created', intent);
  return intent;
}

/** What Billing's attempt to pay an invoice's PaymentIntent came to. */
export type InvoiceChargeOutcome =
  | { status: 'succeeded'; charge: Stripe.Charge }
  | { status: 'requires_action' }
  | { status: 'failed'; decline: Decline; charge: Stripe.Charge };

/**
 * Billing's payment attempt on an invoice's PaymentIntent with a saved card: it succeeds, fails
 * with the card's decline (a failed charge, the intent back to `requires_payment_method`), or,
 * when the card asks for 3D Secure, the intent waits in `requires_action` (`use_stripe_sdk`) for
 * the customer to come back and authenticate, as Stripe leaves subscription payments. Emits the
 * same events as a confirmation; throws nothing for a decline (the caller decides).
 */
export function chargeInvoicePaymentIntent(
  sandbox: SandboxCore,
  intent: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
  options: { emit: Emit; origin: string; created: number },
): InvoiceChargeOutcome {
  if (!OPEN_STATUSES.includes(intent.status)) {
    throw unexpectedState(
      `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`,
      { payment_intent: structuredClone(intent) },
    );
  }
  intent.payment_method = paymentMethod.id;
  intent.last_payment_error = null;
  intent.next_action = null;
  sandbox.store.setInternal(`return_url:${intent.id}`, null);
  const behaviour = cardBehaviour(sandbox, paymentMethod.id);
  const card = behaviour?.card;
  const authenticated =
    sandbox.store.getInternal<string | null>(`authenticated:${intent.id}`) === paymentMethod.id;
  const needsAuthentication =
    !authenticated &&
    !card?.decline &&
    (card?.threeDSecure === 'always' ||
      (card?.threeDSecure === 'unless_set_up' && !behaviour?.setUpForOffSession));
  if (needsAuthentication) {
    intent.status = 'requires_action';
    intent.next_action = threeDSecureNextAction(options.origin, intent, { useStripeSdk: true });
    options.emit('payment_intent.requires_action', intent);
    return { status: 'requires_action' };
  }
  const { decline, charge } = attemptCharge(sandbox, intent, paymentMethod, {
    emit: options.emit,
    authenticated,
    origin: options.origin,
    created: options.created,
  });
  return decline ? { status: 'failed', decline, charge } : { status: 'succeeded', charge };
}

/** Cancels an invoice's PaymentIntent when the invoice is voided (`cancellation_reason: void_invoice`). */
export function cancelInvoicePaymentIntent(
  sandbox: SandboxCore,
  intent: Stripe.PaymentIntent,
  options: { emit: Emit; created: number },
): void {
  if (!CANCELABLE_STATUSES.includes(intent.status)) return;
  intent.status = 'canceled';
  intent.canceled_at = options.created;
  intent.cancellation_reason = 'void_invoice';
  intent.next_action = null;
  sandbox.store.setInternal(`authenticated:${intent.id}`, null);
  options.emit('payment_intent.canceled', intent);
}

// --- handlers ------------------------------------------------------------------------------------

function create(ctx: RequestContext): object {
  const input = ctx.parse(createSchema, HINTS);
  const { sandbox } = ctx;
  assertPaymentAmount(input.amount, input.currency);
  if (input.allowed_payment_method_types && input.automatic_payment_methods) {
    throw invalidRequest(
      'You may only specify one of these parameters: allowed_payment_method_types, automatic_payment_methods.',
      'automatic_payment_methods',
    );
  }
  if (!input.confirm) {
    for (const name of ['return_url', 'off_session', 'error_on_requires_action'] as const) {
      if (input[name] !== undefined) {
        throw invalidRequest(`You can only specify ${name} when confirm is true.`, name);
      }
    }
  }
  if (input.customer) findCustomer(sandbox, input.customer);
  const automatic =
    input.allowed_payment_method_types || input.automatic_payment_methods?.enabled === false
      ? null
      : {
          allow_redirects: input.automatic_payment_methods?.allow_redirects ?? 'always',
          enabled: true,
        };
  const confirmOptions: ConfirmOptions = {
    errorOnRequiresAction: input.error_on_requires_action,
    offSession: input.off_session,
    returnUrl: input.return_url,
    useStripeSdk: input.use_stripe_sdk,
  };
  if (input.confirm) {
    // Refused before anything is created, as Stripe does.
    if (!input.payment_method && !input.payment_method_data) {
      throw unexpectedState(MISSING_PAYMENT_METHOD, { param: 'payment_method' });
    }
    assertReturnUrl(ctx, 'Payment Intent', automatic, confirmOptions);
  }
  const paymentMethod = paymentMethodFrom(sandbox, input);
  if (paymentMethod) assertUsable(sandbox, input.customer ?? null, paymentMethod);

  const id = newId('pi');
  const intent: Stripe.PaymentIntent = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: input.allowed_payment_method_types ?? null,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: automatic,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: input.capture_method ?? 'automatic_async',
    client_secret: clientSecretFor(id),
    confirmation_method: input.confirmation_method ?? 'automatic',
    created: sandbox.now(),
    currency: input.currency,
    customer: input.customer ?? null,
    customer_account: null,
    description: input.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: initialMetadata(input.metadata),
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod?.id ?? null,
    payment_method_configuration_details: automatic
      ? { id: paymentMethodConfiguration(sandbox), parent: null }
      : null,
    payment_method_options: {
      card: {
        installments: null,
        mandate_options: null,
        network: null,
        request_three_d_secure: 'automatic',
      },
    },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: input.receipt_email ?? null,
    review: null,
    setup_future_usage: input.setup_future_usage ?? null,
    shipping: input.shipping ? toShipping(input.shipping) : null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: input.statement_descriptor_suffix ?? null,
    status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  };
  paymentIntentCollection(sandbox).set(intent);
  ctx.emit('payment_intent.created', intent);
  if (input.confirm) confirmIntent(ctx, intent, confirmOptions);
  return intent;
}

function retrieve(ctx: RequestContext): object {
  const input = ctx.parse(retrieveSchema);
  const intent = findPaymentIntent(ctx.sandbox, ctx.path.id as string);
  assertIntentAccess(ctx, intent, input.client_secret);
  return view(ctx, intent);
}

function update(ctx: RequestContext): Stripe.PaymentIntent {
  const input = ctx.parse(updateSchema, HINTS);
  const { sandbox } = ctx;
  const intent = findPaymentIntent(sandbox, ctx.path.id as string);
  const open = OPEN_STATUSES.includes(intent.status);
  const restricted = [
    'amount',
    'currency',
    'allowed_payment_method_types',
    'capture_method',
    'customer',
    'payment_method',
    'setup_future_usage',
  ] as const;
  for (const field of restricted) {
    if (input[field] !== undefined && !open) {
      throw unexpected(
        ctx,
        `This PaymentIntent's ${field} could not be updated because it has a status of ${intent.status}. You may only update the ${field} of a PaymentIntent with one of the following statuses: ${OPEN_STATUSES.join(', ')}.`,
        intent,
      );
    }
  }
  if (
    input.statement_descriptor_suffix !== undefined &&
    !open &&
    intent.status !== 'requires_capture'
  ) {
    throw unexpected(
      ctx,
      `This PaymentIntent's statement_descriptor_suffix could not be updated because it has a status of ${intent.status}.`,
      intent,
    );
  }
  if (input.amount !== undefined || input.currency !== undefined) {
    assertPaymentAmount(input.amount ?? intent.amount, input.currency ?? intent.currency);
  }
  if (input.customer) findCustomer(sandbox, input.customer);
  const customer = input.customer ?? idOf(intent.customer);
  const paymentMethod = input.payment_method
    ? resolvePaymentMethod(sandbox, input.payment_method)
    : undefined;
  if (paymentMethod) assertUsable(sandbox, customer, paymentMethod);

  const previous = trackChanges(intent, (pi) => {
    if (input.amount !== undefined) pi.amount = input.amount;
    if (input.currency !== undefined) pi.currency = input.currency;
    if (input.allowed_payment_method_types !== undefined) {
      pi.allowed_payment_method_types = input.allowed_payment_method_types;
      pi.automatic_payment_methods = null;
      pi.payment_method_configuration_details = null;
    }
    if (input.capture_method !== undefined) pi.capture_method = input.capture_method;
    if (input.customer !== undefined) pi.customer = input.customer;
    if (input.description !== undefined) pi.description = input.description;
    if (input.receipt_email !== undefined) pi.receipt_email = input.receipt_email;
    if (input.setup_future_usage !== undefined) pi.setup_future_usage = input.setup_future_usage;
    if (input.shipping !== undefined)
      pi.shipping = input.shipping ? toShipping(input.shipping) : null;
    if (input.statement_descriptor_suffix !== undefined) {
      pi.statement_descriptor_suffix = input.statement_descriptor_suffix;
    }
    pi.metadata = mergeMetadata(pi.metadata, input.metadata);
    if (paymentMethod) pi.payment_method = paymentMethod.id;
  });
  // A new amount, currency or card voids a pending authentication: the intent waits for a new
  // confirmation.
  const voidsAuthentication = ['amount', 'currency', 'payment_method'].some(
    (field) => field in previous,
  );
  if (voidsAuthentication && intent.payment_method && open) {
    intent.status = 'requires_confirmation';
    intent.next_action = null;
    sandbox.store.setInternal(`authenticated:${intent.id}`, null);
  }
  // Stripe has no `payment_intent.updated` event.
  return intent;
}

function confirm(ctx: RequestContext): object {
  const input = ctx.parse(confirmSchema, HINTS);
  const intent = findPaymentIntent(ctx.sandbox, ctx.path.id as string);
  assertIntentAccess(ctx, intent, input.client_secret);
  confirmIntent(ctx, intent, {
    paymentMethod: input.payment_method,
    paymentMethodData: input.payment_method_data,
    allowedTypes: input.allowed_payment_method_types,
    captureMethod: input.capture_method,
    errorOnRequiresAction: input.error_on_requires_action,
    offSession: input.off_session,
    receiptEmail: input.receipt_email,
    returnUrl: input.return_url,
    setupFutureUsage: input.setup_future_usage,
    shipping:
      input.shipping === undefined ? undefined : input.shipping && toShipping(input.shipping),
    useStripeSdk: input.use_stripe_sdk,
  });
  return view(ctx, intent);
}

function cancel(ctx: RequestContext): Stripe.PaymentIntent {
  const input = ctx.parse(cancelSchema);
  const { sandbox } = ctx;
  const intent = findPaymentIntent(sandbox, ctx.path.id as string);
  if (!CANCELABLE_STATUSES.includes(intent.status)) {
    throw unexpected(
      ctx,
      `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE_STATUSES.join(', ')}.`,
      intent,
    );
  }
  const chargeId = idOf(intent.latest_charge);
  if (intent.status === 'requires_capture' && chargeId) {
    // The authorization is released: the uncaptured charge counts as refunded in full.
    const charge = findCharge(sandbox, chargeId);
    const previous = trackChanges(charge, (c) => {
      c.amount_refunded = c.amount;
      c.refunded = true;
    });
    ctx.emit('charge.refunded', charge, previous);
  }
  intent.status = 'canceled';
  intent.canceled_at = sandbox.now();
  intent.cancellation_reason = input.cancellation_reason ?? null;
  intent.amount_capturable = 0;
  intent.next_action = null;
  sandbox.store.setInternal(`authenticated:${intent.id}`, null);
  ctx.emit('payment_intent.canceled', intent);
  return intent;
}

function capture(ctx: RequestContext): Stripe.PaymentIntent {
  const input = ctx.parse(captureSchema);
  const { sandbox } = ctx;
  const intent = findPaymentIntent(sandbox, ctx.path.id as string);
  if (intent.status !== 'requires_capture') {
    throw unexpected(
      ctx,
      `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      intent,
    );
  }
  const amount = input.amount_to_capture ?? intent.amount_capturable;
  assertChargeableAmount(amount, intent.currency, 'amount_to_capture');
  if (amount > intent.amount_capturable) {
    throw invalidRequest(
      `The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${intent.amount_capturable}).`,
      'amount_to_capture',
      'amount_too_large',
    );
  }
  const charge = findCharge(sandbox, idOf(intent.latest_charge) as string);
  charge.captured = true;
  charge.amount_captured = amount;
  // A partial capture releases the rest of the authorization: it counts as refunded.
  charge.amount_refunded = charge.amount - amount;
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  intent.status = 'succeeded';
  intent.metadata = mergeMetadata(intent.metadata, input.metadata);
  if (input.statement_descriptor_suffix !== undefined) {
    intent.statement_descriptor_suffix = input.statement_descriptor_suffix;
    charge.statement_descriptor_suffix = input.statement_descriptor_suffix;
  }
  ctx.emit('charge.captured', charge);
  ctx.emit('payment_intent.succeeded', intent);
  return intent;
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.PaymentIntent> {
  const input = ctx.parse(listSchema);
  const items = paymentIntentCollection(ctx.sandbox)
    .values()
    .filter((intent) => !input.customer || idOf(intent.customer) === input.customer);
  return paginate(items, input, ctx.url.pathname, 'payment_intent');
}

/**
 * The cardholder's answer on the 3D Secure challenge page (or a test's shortcut): `complete`
 * lets the payment go to the card network, `fail` sends the intent back to
 * `requires_payment_method`. Without an answer the issuer's stands: a frictionless card is
 * authenticated as if completed, any other stays in `requires_action`.
 */
function authenticate(ctx: RequestContext): object | Response {
  const input = ctx.parse(authenticateSchema);
  const { sandbox } = ctx;
  const intent = findPaymentIntent(sandbox, ctx.path.id as string);
  assertIntentAccess(ctx, intent, input.client_secret);
  if (intent.status !== 'requires_action') {
    throw unexpected(
      ctx,
      `This PaymentIntent is not awaiting authentication: its status is ${intent.status}.`,
      intent,
    );
  }
  const emit = backgroundEmit(sandbox);
  const paymentMethod = storedPaymentMethod(sandbox, idOf(intent.payment_method) as string);
  const outcome = authenticationOutcome(sandbox, intent, input.outcome);
  if (outcome === 'complete' && intent.confirmation_method === 'manual') {
    // Manual confirmation: the server confirms again, and the payment goes through then.
    sandbox.store.setInternal(`authenticated:${intent.id}`, paymentMethod.id);
    intent.status = 'requires_confirmation';
    intent.next_action = null;
  } else if (outcome === 'complete') {
    attemptCharge(sandbox, intent, paymentMethod, {
      emit,
      authenticated: true,
      origin: ctx.origin,
    });
  } else if (outcome === 'fail') {
    intent.last_payment_error = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      doc_url: docUrl('payment_intent_authentication_failure'),
      message: AUTHENTICATION_FAILED,
      payment_method: structuredClone(paymentMethod),
    };
    intent.payment_method = null;
    intent.next_action = null;
    intent.status = 'requires_payment_method';
    emit('payment_intent.payment_failed', intent);
  }
  const answer = authenticationAnswer(ctx, intent, input.redirect, {
    done: 'The bank has the answer it needed.',
    notDone: 'The payment was not made.',
  });
  if (answer) return answer;
  return view(ctx, intent);
}

export const paymentIntentRoutes: Route[] = [
  { method: 'POST', path: '/v1/payment_intents', handler: withChargeIncludables(create) },
  { method: 'GET', path: '/v1/payment_intents', handler: withChargeIncludables(list) },
  {
    method: 'GET',
    path: '/v1/payment_intents/:id',
    auth: 'publishable',
    handler: withChargeIncludables(retrieve),
  },
  { method: 'POST', path: '/v1/payment_intents/:id', handler: withChargeIncludables(update) },
  {
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    auth: 'publishable',
    handler: withChargeIncludables(confirm),
  },
  {
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    handler: withChargeIncludables(cancel),
  },
  {
    method: 'POST',
    path: '/v1/payment_intents/:id/capture',
    handler: withChargeIncludables(capture),
  },
  {
    method: 'POST',
    path: '/v1/_sandbox/payment_intents/:id/authenticate',
    auth: 'none',
    chaos: false,
    handler: authenticate,
  },
];
