/**
 * setup_intents: create, retrieve, update, confirm, cancel, list, and the sandbox-only route that
 * finishes a 3D Secure challenge. A succeeded SetupIntent attaches its card to its customer and,
 * for `usage: off_session`, marks the card as set up, so later off-session payments skip 3D Secure.
 * SetupAttempts are not modeled: `latest_attempt` stays null.
 * @see https://docs.stripe.com/api/setup_intents
 */
import type Stripe from 'stripe';
import { docUrl, invalidRequest, resourceMissing, StripeApiError } from '../core/errors.js';
import { clientSecretFor, newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { bool, emptyable, listShape, metadata, oneOf, params, str, z } from '../core/params.js';
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
import { findCustomer } from './customers.js';
import {
  attachPaymentMethod,
  CONSUMED_PAYMENT_METHOD,
  cardBehaviour,
  cardError,
  isConsumed,
  markSetUpForOffSession,
  resolvePaymentMethod,
} from './payment-methods.js';
import { assertReturnUrl } from './payments-shared.js';

type Emit = (type: string, object: object, previous?: Record<string, unknown>) => void;

/** Parameters this API version removed, with the sentence Stripe adds to the 400. */
const HINTS = {
  payment_method_types: 'This API version replaced it with allowed_payment_method_types.',
};

/** Statuses a SetupIntent can be confirmed, updated (payment details) and canceled from. */
const OPEN_STATUSES: readonly Stripe.SetupIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

/** The fields Stripe.js sees when it retrieves or confirms with a publishable key. */
const PUBLISHABLE_FIELDS = [
  'id',
  'object',
  'automatic_payment_methods',
  'cancellation_reason',
  'client_secret',
  'created',
  'description',
  'last_setup_error',
  'livemode',
  'next_action',
  'payment_method',
  'payment_method_types',
  'status',
  'usage',
] as const satisfies readonly (keyof Stripe.SetupIntent)[];

/** Stripe takes any absolute URL, an app's own scheme (`myapp://done`) included. */
function isUrl(value: string): boolean {
  return URL.canParse(value);
}

const returnUrl = () => str().refine(isUrl, { error: 'Not a valid URL' });

const allowedTypes = () => z.array(oneOf(['card']));

const automaticPaymentMethodsShape = z.strictObject({
  enabled: bool(),
  allow_redirects: oneOf(['always', 'never']).optional(),
});

const createSchema = params({
  allowed_payment_method_types: allowedTypes().optional(),
  automatic_payment_methods: automaticPaymentMethodsShape.optional(),
  confirm: bool().optional(),
  customer: str().optional(),
  description: str().optional(),
  metadata: metadata().optional(),
  payment_method: str().optional(),
  return_url: returnUrl().optional(),
  usage: oneOf(['on_session', 'off_session']).optional(),
  use_stripe_sdk: bool().optional(),
});

const updateSchema = params({
  allowed_payment_method_types: emptyable(allowedTypes()).optional(),
  customer: str().optional(),
  description: emptyable(str()).optional(),
  metadata: metadata().optional(),
  payment_method: str().optional(),
});

const confirmSchema = params({
  allowed_payment_method_types: allowedTypes().optional(),
  client_secret: str().optional(),
  payment_method: str().optional(),
  return_url: returnUrl().optional(),
  use_stripe_sdk: bool().optional(),
});

const retrieveSchema = params({ client_secret: str().optional() });

const cancelSchema = params({
  cancellation_reason: oneOf(['abandoned', 'duplicate', 'requested_by_customer']).optional(),
});

const listSchema = params({
  ...listShape,
  customer: str().optional(),
  payment_method: str().optional(),
});

function collection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.SetupIntent>('setup_intents');
}

function findSetupIntent(sandbox: SandboxCore, id: string): Stripe.SetupIntent {
  const found = collection(sandbox).get(id);
  if (!found) throw resourceMissing('setup_intent', id);
  return found;
}

/** A 400 for a call the intent's status does not allow, with the intent as the caller may see it. */
function setupUnexpectedState(
  ctx: RequestContext,
  message: string,
  intent: Stripe.SetupIntent,
): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    code: 'setup_intent_unexpected_state',
    message,
    setup_intent: structuredClone(view(ctx, intent)),
  });
}

/** What the caller may see: everything with a secret key, Stripe.js's subset with a publishable one. */
function view(ctx: RequestContext, intent: Stripe.SetupIntent): object {
  if (ctx.keyType === 'secret') return intent;
  const restricted: Record<string, unknown> = {};
  for (const field of PUBLISHABLE_FIELDS) restricted[field] = structuredClone(intent[field]);
  return restricted;
}

/** An emitter for events that no API request caused (the cardholder's 3D Secure answer). */
function backgroundEmit(sandbox: SandboxCore): Emit {
  return (type, object, previous) => {
    sandbox.emit(type, object, { previousAttributes: previous });
  };
}

function customerId(intent: Stripe.SetupIntent): string | null {
  const { customer } = intent;
  return typeof customer === 'string' ? customer : (customer?.id ?? null);
}

function paymentMethodId(intent: Stripe.SetupIntent): string | null {
  const { payment_method: pm } = intent;
  return typeof pm === 'string' ? pm : (pm?.id ?? null);
}

function storedPaymentMethod(sandbox: SandboxCore, id: string): Stripe.PaymentMethod {
  const found = sandbox.store.collection<Stripe.PaymentMethod>('payment_methods').get(id);
  if (!found) throw resourceMissing('PaymentMethod', id, 'payment_method');
  return found;
}

/**
 * Stripe refuses a payment method that belongs to another customer than the intent's, and one
 * that may not be used again (used without a customer, or detached).
 */
function assertUsable(
  sandbox: SandboxCore,
  intent: Stripe.SetupIntent,
  paymentMethod: Stripe.PaymentMethod,
): void {
  const owner =
    typeof paymentMethod.customer === 'string'
      ? paymentMethod.customer
      : (paymentMethod.customer?.id ?? null);
  if (!owner) {
    if (isConsumed(sandbox, paymentMethod.id)) {
      throw invalidRequest(CONSUMED_PAYMENT_METHOD, 'payment_method');
    }
    return;
  }
  const customer = customerId(intent);
  if (!customer) {
    throw invalidRequest(
      'The provided PaymentMethod is attached to a Customer. To use it with this SetupIntent, set the customer of this SetupIntent to that Customer.',
      'payment_method',
    );
  }
  if (owner !== customer) {
    throw invalidRequest(
      `The provided PaymentMethod belongs to a different Customer than this SetupIntent (${customer}).`,
      'payment_method',
    );
  }
}

/** Finishes a setup: attaches the card, marks it for off-session use, `setup_intent.succeeded`. */
function succeed(sandbox: SandboxCore, intent: Stripe.SetupIntent, emit: Emit): void {
  const pmId = paymentMethodId(intent) as string;
  const paymentMethod = storedPaymentMethod(sandbox, pmId);
  const customer = customerId(intent);
  if (customer) attachPaymentMethod(sandbox, paymentMethod, customer, emit);
  if (intent.usage === 'off_session') markSetUpForOffSession(sandbox, pmId);
  intent.status = 'succeeded';
  intent.next_action = null;
  intent.last_setup_error = null;
  emit('setup_intent.succeeded', intent);
}

/** A failed attempt: back to `requires_payment_method` with `last_setup_error`. */
function fail(
  intent: Stripe.SetupIntent,
  paymentMethod: Stripe.PaymentMethod,
  error: Omit<Stripe.SetupIntent.LastSetupError, 'payment_method' | 'doc_url'>,
  emit: Emit,
): void {
  intent.last_setup_error = {
    ...error,
    ...(error.code ? { doc_url: docUrl(error.code) } : {}),
    payment_method: structuredClone(paymentMethod),
  };
  intent.payment_method = null;
  intent.next_action = null;
  intent.status = 'requires_payment_method';
  emit('setup_intent.setup_failed', intent);
}

interface ConfirmOptions {
  paymentMethod?: string | undefined;
  returnUrl?: string | undefined;
  useStripeSdk?: boolean | undefined;
  allowedTypes?: Array<'card'> | undefined;
}

/** Confirms a SetupIntent: succeeds, asks for 3D Secure, or fails with the card's decline. */
function confirmIntent(
  ctx: RequestContext,
  intent: Stripe.SetupIntent,
  options: ConfirmOptions,
): void {
  const { sandbox } = ctx;
  if (intent.status === 'succeeded') {
    throw setupUnexpectedState(
      ctx,
      'You cannot confirm this SetupIntent because it has already succeeded after being previously confirmed.',
      intent,
    );
  }
  if (!OPEN_STATUSES.includes(intent.status)) {
    throw setupUnexpectedState(
      ctx,
      `You cannot confirm this SetupIntent because it has a status of ${intent.status}.`,
      intent,
    );
  }
  const paymentMethod = options.paymentMethod
    ? resolvePaymentMethod(sandbox, options.paymentMethod)
    : intent.payment_method
      ? storedPaymentMethod(sandbox, paymentMethodId(intent) as string)
      : undefined;
  if (!paymentMethod) {
    throw setupUnexpectedState(
      ctx,
      "You cannot confirm this SetupIntent because it's missing a payment method. You can either update the SetupIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      intent,
    );
  }
  assertUsable(sandbox, intent, paymentMethod);
  assertReturnUrl(
    ctx,
    'Setup Intent',
    options.allowedTypes ? null : intent.automatic_payment_methods,
    options,
  );

  intent.payment_method = paymentMethod.id;
  if (options.allowedTypes) {
    intent.allowed_payment_method_types = options.allowedTypes;
    intent.automatic_payment_methods = null;
  }
  intent.last_setup_error = null;
  intent.next_action = null;
  // Each confirmation has its own return_url (none: Stripe.js handles the challenge in place).
  sandbox.store.setInternal(`return_url:${intent.id}`, options.returnUrl ?? null);

  const behaviour = cardBehaviour(sandbox, paymentMethod.id);
  const decline = behaviour?.card.decline;
  if (decline) {
    fail(
      intent,
      paymentMethod,
      {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
      },
      ctx.emit,
    );
    throw cardError(decline, {
      setup_intent: view(ctx, intent),
      payment_method: structuredClone(paymentMethod),
    });
  }
  const threeDSecure = behaviour?.card.threeDSecure ?? 'none';
  if (threeDSecure === 'always' || threeDSecure === 'unless_set_up') {
    intent.status = 'requires_action';
    intent.next_action = threeDSecureNextAction(ctx.origin, intent, {
      returnUrl: options.returnUrl,
      useStripeSdk: options.useStripeSdk,
    }) as Stripe.SetupIntent.NextAction;
    ctx.emit('setup_intent.requires_action', intent);
    return;
  }
  succeed(sandbox, intent, ctx.emit);
}

function create(ctx: RequestContext): Stripe.SetupIntent {
  const input = ctx.parse(createSchema, HINTS);
  const { sandbox } = ctx;
  if (input.allowed_payment_method_types && input.automatic_payment_methods) {
    throw invalidRequest(
      'You may only specify one of these parameters: allowed_payment_method_types, automatic_payment_methods.',
      'automatic_payment_methods',
    );
  }
  if (!input.confirm && input.return_url !== undefined) {
    throw invalidRequest('You can only specify return_url when confirm is true.', 'return_url');
  }
  if (input.customer) findCustomer(sandbox, input.customer);
  const paymentMethod = input.payment_method
    ? resolvePaymentMethod(sandbox, input.payment_method)
    : undefined;

  const id = newId('seti');
  const automatic =
    input.allowed_payment_method_types || input.automatic_payment_methods?.enabled === false
      ? null
      : {
          allow_redirects: input.automatic_payment_methods?.allow_redirects ?? 'always',
          enabled: true,
        };
  // Refused before anything is created, as for PaymentIntents.
  if (input.confirm) {
    assertReturnUrl(ctx, 'Setup Intent', automatic, {
      returnUrl: input.return_url,
      useStripeSdk: input.use_stripe_sdk,
    });
  }
  const intent: Stripe.SetupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: input.allowed_payment_method_types ?? null,
    application: null,
    automatic_payment_methods: automatic,
    cancellation_reason: null,
    client_secret: clientSecretFor(id),
    created: sandbox.now(),
    customer: input.customer ?? null,
    customer_account: null,
    description: input.description ?? null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: initialMetadata(input.metadata),
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    usage: input.usage ?? 'off_session',
  };
  collection(sandbox).set(intent);
  ctx.emit('setup_intent.created', intent);
  if (input.confirm) {
    confirmIntent(ctx, intent, { returnUrl: input.return_url, useStripeSdk: input.use_stripe_sdk });
  }
  return intent;
}

function retrieve(ctx: RequestContext): object {
  const input = ctx.parse(retrieveSchema);
  const intent = findSetupIntent(ctx.sandbox, ctx.path.id as string);
  assertIntentAccess(ctx, intent, input.client_secret);
  return view(ctx, intent);
}

function update(ctx: RequestContext): Stripe.SetupIntent {
  const input = ctx.parse(updateSchema, HINTS);
  const { sandbox } = ctx;
  const intent = findSetupIntent(sandbox, ctx.path.id as string);
  const changesSetup =
    input.payment_method !== undefined ||
    input.customer !== undefined ||
    input.allowed_payment_method_types !== undefined;
  if (changesSetup && !OPEN_STATUSES.includes(intent.status)) {
    throw setupUnexpectedState(
      ctx,
      `You cannot update this SetupIntent because it has a status of ${intent.status}. Updates are only allowed when the status is one of: ${OPEN_STATUSES.join(', ')}.`,
      intent,
    );
  }
  if (input.customer) findCustomer(sandbox, input.customer);
  const paymentMethod = input.payment_method
    ? resolvePaymentMethod(sandbox, input.payment_method)
    : undefined;

  if (input.customer !== undefined) intent.customer = input.customer;
  if (input.description !== undefined) intent.description = input.description;
  if (input.allowed_payment_method_types !== undefined) {
    intent.allowed_payment_method_types = input.allowed_payment_method_types;
    if (input.allowed_payment_method_types) intent.automatic_payment_methods = null;
  }
  intent.metadata = mergeMetadata(intent.metadata ?? {}, input.metadata);
  if (paymentMethod) {
    intent.payment_method = paymentMethod.id;
    intent.status = 'requires_confirmation';
    intent.next_action = null;
  }
  // Stripe has no `setup_intent.updated` event.
  return intent;
}

function confirm(ctx: RequestContext): object {
  const input = ctx.parse(confirmSchema, HINTS);
  const intent = findSetupIntent(ctx.sandbox, ctx.path.id as string);
  assertIntentAccess(ctx, intent, input.client_secret);
  confirmIntent(ctx, intent, {
    paymentMethod: input.payment_method,
    returnUrl: input.return_url,
    useStripeSdk: input.use_stripe_sdk,
    allowedTypes: input.allowed_payment_method_types,
  });
  return view(ctx, intent);
}

function cancel(ctx: RequestContext): Stripe.SetupIntent {
  const input = ctx.parse(cancelSchema);
  const intent = findSetupIntent(ctx.sandbox, ctx.path.id as string);
  if (!OPEN_STATUSES.includes(intent.status)) {
    throw setupUnexpectedState(
      ctx,
      `You cannot cancel this SetupIntent because it has a status of ${intent.status}. Only a SetupIntent with one of the following statuses may be canceled: ${OPEN_STATUSES.join(', ')}.`,
      intent,
    );
  }
  intent.status = 'canceled';
  intent.cancellation_reason = input.cancellation_reason ?? null;
  intent.next_action = null;
  ctx.emit('setup_intent.canceled', intent);
  return intent;
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.SetupIntent> {
  const input = ctx.parse(listSchema);
  const items = collection(ctx.sandbox)
    .values()
    .filter(
      (intent) =>
        (!input.customer || customerId(intent) === input.customer) &&
        (!input.payment_method || paymentMethodId(intent) === input.payment_method),
    );
  return paginate(items, input, ctx.url.pathname, 'setup_intent');
}

/**
 * The cardholder's answer on the 3D Secure challenge page (or a test's shortcut): `complete`
 * succeeds the setup, `fail` sends it back to `requires_payment_method`. Without an answer the
 * issuer's stands: a frictionless card is set up, any other stays in `requires_action`.
 */
function authenticate(ctx: RequestContext): object | Response {
  const input = ctx.parse(authenticateSchema);
  const { sandbox } = ctx;
  const intent = findSetupIntent(sandbox, ctx.path.id as string);
  assertIntentAccess(ctx, intent, input.client_secret);
  if (intent.status !== 'requires_action') {
    throw setupUnexpectedState(
      ctx,
      `This SetupIntent is not awaiting authentication: its status is ${intent.status}.`,
      intent,
    );
  }
  const emit = backgroundEmit(sandbox);
  const outcome = authenticationOutcome(sandbox, intent, input.outcome);
  if (outcome === 'complete') {
    succeed(sandbox, intent, emit);
  } else if (outcome === 'fail') {
    const paymentMethod = storedPaymentMethod(sandbox, paymentMethodId(intent) as string);
    fail(
      intent,
      paymentMethod,
      {
        type: 'invalid_request_error',
        code: 'setup_intent_authentication_failure',
        message: AUTHENTICATION_FAILED,
      },
      emit,
    );
  }
  const answer = authenticationAnswer(ctx, intent, input.redirect, {
    done: 'The card is set up.',
    notDone: 'The card was not set up.',
  });
  if (answer) return answer;
  return view(ctx, intent);
}

export const setupIntentRoutes: Route[] = [
  { method: 'POST', path: '/v1/setup_intents', handler: create },
  { method: 'GET', path: '/v1/setup_intents', handler: list },
  { method: 'GET', path: '/v1/setup_intents/:id', auth: 'publishable', handler: retrieve },
  { method: 'POST', path: '/v1/setup_intents/:id', handler: update },
  { method: 'POST', path: '/v1/setup_intents/:id/confirm', auth: 'publishable', handler: confirm },
  { method: 'POST', path: '/v1/setup_intents/:id/cancel', handler: cancel },
  {
    method: 'POST',
    path: '/v1/_sandbox/setup_intents/:id/authenticate',
    auth: 'none',
    chaos: false,
    handler: authenticate,
  },
];
