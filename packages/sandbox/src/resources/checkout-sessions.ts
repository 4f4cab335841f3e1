/**
 * checkout/sessions: create (modes `payment`, `subscription` and `setup`, prices or inline
 * `price_data`), retrieve, update (`metadata`), list, expire, and `GET …/:id/line_items`. The
 * session's `url` is the sandbox's hosted Checkout page (pages/checkout-page.ts), where paying
 * creates the customer, the payment method and then a PaymentIntent, a subscription or a
 * SetupIntent through the same route handlers as the API, so the same events are emitted. The
 * session completes when that payment (or setup) succeeds, 3D Secure included: see the reactions
 * at the bottom. Only Stripe-hosted pages (`ui_mode: hosted_page`) are served, cards only.
 * @see https://docs.stripe.com/api/checkout/sessions
 */
import type Stripe from 'stripe';
import { emitter } from '../core/billing-time.js';
import { chargeAmountLimitError } from '../core/currencies.js';
import { invalidRequest, missingParameter, resourceMissing } from '../core/errors.js';
import { newId, randomString } from '../core/ids.js';
import { initialMetadata, mergeMetadata } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import {
  bool,
  emailAddress,
  int,
  listShape,
  metadata,
  oneOf,
  params,
  type RawParams,
  str,
  validate,
  z,
} from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { Reaction, SandboxCore } from '../core/sandbox.js';
import type { StoredObject } from '../core/store.js';
import { emptyStringError } from './catalog-shared.js';
import { couponCollection } from './coupons.js';
import { findCustomer } from './customers.js';
import {
  computeDiscountAmounts,
  countRedemption,
  type DiscountableLine,
  type ResolvedDiscount,
  resolveDiscounts,
} from './discounts.js';
import { invoiceCollection, invoiceSubscriptionId } from './invoices.js';
import { paymentIntentRoutes } from './payment-intents.js';
import { backgroundEmit, type Emit, idOf } from './payments-shared.js';
import {
  assertBillablePrice,
  checkPriceData,
  createPrice,
  findPrice,
  INTERVALS,
} from './prices.js';
import { findProduct } from './products.js';
import { promotionCodeCollection } from './promotion-codes.js';
import { setupIntentRoutes } from './setup-intents.js';

/** Parameters this API version removed, with the sentence Stripe adds to the 400. */
const HINTS = {
  payment_method_types: 'This API version replaced it with allowed_payment_method_types.',
};

/** How long a session stays open by default, and the bounds of `expires_at`. */
const DEFAULT_LIFETIME = 24 * 3_600;
const MIN_LIFETIME = 30 * 60;

/** The ui_mode values of this API version; the sandbox serves the first only. */
const UI_MODES = ['hosted_page', 'embedded_page', 'elements', 'form'] as const;

/** The most line items a session takes (Stripe: 100 in payment mode, 20 in subscription mode). */
const MAX_LINE_ITEMS = { payment: 100, subscription: 20 } as const;

// --- parameters ----------------------------------------------------------------------------------

/** success_url and cancel_url: absolute http(s) URLs (`{CHECKOUT_SESSION_ID}` may be in them). */
const url = () =>
  str().refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), {
    error: 'Not a valid URL',
  });

const quantity = () =>
  int().pipe(z.number().min(1, { error: 'This value must be greater than or equal to 1.' }));

const priceDataShape = z.strictObject({
  currency: str(),
  product: str().optional(),
  product_data: z
    .strictObject({
      name: str(),
      description: str().optional(),
      images: z.array(str()).optional(),
      metadata: metadata().optional(),
      unit_label: str().optional(),
    })
    .optional(),
  unit_amount: int().optional(),
  unit_amount_decimal: str().optional(),
  recurring: z
    .strictObject({ interval: oneOf(INTERVALS), interval_count: int().optional() })
    .optional(),
  tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']).optional(),
});

const lineItemShape = z.strictObject({
  price: str().optional(),
  price_data: priceDataShape.optional(),
  quantity: quantity().optional(),
  metadata: metadata().optional(),
});

const createSchema = params({
  mode: oneOf(['payment', 'setup', 'subscription']),
  line_items: z.array(lineItemShape).optional(),
  customer: str().optional(),
  customer_email: emailAddress().optional(),
  customer_creation: oneOf(['always', 'if_required']).optional(),
  success_url: url().optional(),
  cancel_url: url().optional(),
  return_url: str().optional(),
  metadata: metadata().optional(),
  client_reference_id: str()
    .max(200, { error: 'client_reference_id can be at most 200 characters.' })
    .optional(),
  allowed_payment_method_types: z
    .array(
      str().refine((value) => value === 'card', {
        error: (issue) =>
          `The sandbox supports card payments only, so allowed_payment_method_types cannot include ${JSON.stringify(issue.input)}. Use ['card'].`,
      }),
    )
    .optional(),
  currency: str().optional(),
  subscription_data: z
    .strictObject({
      trial_period_days: int()
        .pipe(
          z
            .number()
            .min(1, { error: 'This value must be greater than or equal to 1.' })
            .max(730, { error: 'The maximum number of trial period days is 730 (2 years).' }),
        )
        .optional(),
      metadata: metadata().optional(),
      description: str().optional(),
    })
    .optional(),
  payment_intent_data: z
    .strictObject({
      setup_future_usage: oneOf(['on_session', 'off_session']).optional(),
      description: str().optional(),
      metadata: metadata().optional(),
      receipt_email: emailAddress().optional(),
    })
    .optional(),
  setup_intent_data: z
    .strictObject({ description: str().optional(), metadata: metadata().optional() })
    .optional(),
  ui_mode: str().optional(),
  expires_at: int().optional(),
  locale: str().optional(),
  submit_type: oneOf(['auto', 'book', 'donate', 'pay', 'subscribe']).optional(),
  discounts: z
    .array(z.strictObject({ coupon: str().optional(), promotion_code: str().optional() }))
    .optional(),
  allow_promotion_codes: bool().optional(),
});

type CreateInput = z.output<typeof createSchema>;
type LineItemInput = z.output<typeof lineItemShape>;

const updateSchema = params({ metadata: metadata().optional() });

const listSchema = params({
  ...listShape,
  customer: str().optional(),
  payment_intent: str().optional(),
  subscription: str().optional(),
  status: oneOf(['complete', 'expired', 'open']).optional(),
});

// --- internal state ------------------------------------------------------------------------------

/** What the sandbox keeps about a session besides the object (never sent). */
export interface CheckoutState {
  /** The customer paying: given at creation, or created by the page. */
  customer: string | null;
  paymentIntent: string | null;
  setupIntent: string | null;
  subscription: string | null;
  /** What the customer typed on the page. */
  email: string | null;
  name: string | null;
}

/** The session's options for what paying creates. */
export interface CheckoutOptions {
  subscriptionData: CreateInput['subscription_data'] | null;
  paymentIntentData: CreateInput['payment_intent_data'] | null;
  setupIntentData: CreateInput['setup_intent_data'] | null;
}

export function checkoutState(sandbox: SandboxCore, sessionId: string): CheckoutState {
  const key = `checkout:${sessionId}`;
  return (
    sandbox.store.getInternal<CheckoutState>(key) ??
    sandbox.store.setInternal<CheckoutState>(key, {
      customer: null,
      paymentIntent: null,
      setupIntent: null,
      subscription: null,
      email: null,
      name: null,
    })
  );
}

export function checkoutOptions(sandbox: SandboxCore, sessionId: string): CheckoutOptions {
  return (
    sandbox.store.getInternal<CheckoutOptions>(`checkout_options:${sessionId}`) ?? {
      subscriptionData: null,
      paymentIntentData: null,
      setupIntentData: null,
    }
  );
}

/** The session's line items, in the order they were given. */
export function checkoutLineItems(sandbox: SandboxCore, sessionId: string): Stripe.LineItem[] {
  return sandbox.store.getInternal<Stripe.LineItem[]>(`checkout_line_items:${sessionId}`) ?? [];
}

/**
 * Links an intent or subscription made by the page to its session, so that its success completes
 * the session (also when it succeeds later, after 3D Secure).
 */
export function linkToSession(sandbox: SandboxCore, objectId: string, sessionId: string): void {
  sandbox.store.setInternal(`checkout_session_for:${objectId}`, sessionId);
}

function sessionFor(sandbox: SandboxCore, objectId: string): Stripe.Checkout.Session | undefined {
  const id = sandbox.store.getInternal<string>(`checkout_session_for:${objectId}`);
  return id ? sessionCollection(sandbox).get(id) : undefined;
}

// --- discounts -----------------------------------------------------------------------------------

/** The discount a session carries: given at creation, or a code typed on the page. */
export interface CheckoutDiscount {
  coupon: string;
  promotionCode: string | null;
}

export function checkoutDiscount(sandbox: SandboxCore, sessionId: string): CheckoutDiscount | null {
  return (
    sandbox.store.getInternal<CheckoutDiscount | null>(`checkout_discount:${sessionId}`) ?? null
  );
}

/** Who is redeeming, for a promotion code's restrictions. */
export function checkoutRedemptionContext(
  sandbox: SandboxCore,
  session: Pick<Stripe.Checkout.Session, 'mode' | 'customer_creation' | 'currency' | 'created'> & {
    customer: string | null;
  },
  subtotal: number,
) {
  return {
    customer: session.customer,
    currency: session.currency ?? 'usd',
    amount: subtotal,
    at: sandbox.now(),
    // "Promotion codes limited to first time customers will return invalid" for sessions that
    // create no Customer. @see https://docs.stripe.com/payments/checkout/guest-customers
    guest:
      !session.customer && session.mode === 'payment' && session.customer_creation !== 'always',
  };
}

/** The `discounts` param that resolves a saved checkout discount again. */
export function checkoutDiscountParam(
  discount: CheckoutDiscount,
): { promotion_code: string } | { coupon: string } {
  return discount.promotionCode
    ? { promotion_code: discount.promotionCode }
    : { coupon: discount.coupon };
}

/** The sum of the session's line items before any discount. */
export function checkoutSubtotal(sandbox: SandboxCore, sessionId: string): number {
  return checkoutLineItems(sandbox, sessionId).reduce((sum, item) => sum + item.amount_subtotal, 0);
}

/**
 * What a discount takes off each line (full periods in subscription mode) and what the lines
 * come to after it. Changes nothing.
 */
function discountLines(
  sandbox: SandboxCore,
  lines: DiscountableLine[],
  discount: ResolvedDiscount | null,
  currency: string,
): { perLine: number[]; total: number } {
  const perLine = discount
    ? computeDiscountAmounts(
        sandbox,
        lines,
        [{ id: 'checkout', coupon: discount.coupon }],
        currency,
      ).perLine.map((row) => row[0] ?? 0)
    : lines.map(() => 0);
  const amount = lines.reduce((sum, line) => sum + line.amount, 0);
  return { perLine, total: amount - perLine.reduce((a, b) => a + b, 0) };
}

/**
 * What `discount` would take off each of the session's line items and what they would come to
 * after it, without changing the session (to check a candidate discount before applying it).
 */
export function checkoutDiscountAmounts(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  discount: ResolvedDiscount | null,
): { perLine: number[]; total: number } {
  const lines: DiscountableLine[] = checkoutLineItems(sandbox, session.id).map((item) => ({
    amount: item.amount_subtotal,
    discountable: true,
    product: idOf(item.price?.product as string | { id: string } | undefined),
  }));
  return discountLines(sandbox, lines, discount, session.currency ?? 'usd');
}

/**
 * Sets a session's discount (or none) and its amounts: each line item's `amount_discount` and
 * `amount_total`, the session's `discounts`, `amount_total` and `total_details.amount_discount`.
 * A trial's first invoice is free, so nothing is taken off today.
 */
export function applyCheckoutDiscount(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  discount: ResolvedDiscount | null,
): void {
  const items = checkoutLineItems(sandbox, session.id);
  const off = checkoutDiscountAmounts(sandbox, session, discount).perLine;
  items.forEach((item, index) => {
    item.amount_discount = off[index] ?? 0;
    item.amount_total = item.amount_subtotal - item.amount_discount;
  });
  const trial = Boolean(checkoutOptions(sandbox, session.id).subscriptionData?.trial_period_days);
  const subtotal = checkoutSubtotal(sandbox, session.id);
  const taken = trial ? 0 : off.reduce((a, b) => a + b, 0);
  const due = trial ? 0 : subtotal;
  session.amount_subtotal = due;
  session.amount_total = due - taken;
  session.total_details = {
    amount_discount: taken,
    amount_shipping: session.total_details?.amount_shipping ?? 0,
    amount_tax: 0,
  };
  session.discounts = discount
    ? [
        discount.promotionCode
          ? { coupon: null, promotion_code: discount.promotionCode.id }
          : { coupon: discount.coupon.id, promotion_code: null },
      ]
    : [];
  sandbox.store.setInternal<CheckoutDiscount | null>(
    `checkout_discount:${session.id}`,
    discount
      ? { coupon: discount.coupon.id, promotionCode: discount.promotionCode?.id ?? null }
      : null,
  );
}

/** The session's discount checked again (a code may have run out since it was applied). */
export function recheckCheckoutDiscount(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  customer: string | null,
): ResolvedDiscount | null {
  const current = checkoutDiscount(sandbox, session.id);
  if (!current) return null;
  const subtotal = checkoutSubtotal(sandbox, session.id);
  const [resolved] = resolveDiscounts(
    sandbox,
    [checkoutDiscountParam(current)],
    checkoutRedemptionContext(sandbox, { ...session, customer }, subtotal),
  );
  return resolved ?? null;
}

// --- helpers -------------------------------------------------------------------------------------

export function sessionCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Checkout.Session>('checkout_sessions');
}

/** The path of a session's hosted page; the page's routes (pages/checkout-page.ts) serve it. */
export function checkoutPagePath(sessionId: string): string {
  return `/v1/_sandbox/checkout/${encodeURIComponent(sessionId)}`;
}

/** `success_url` with `{CHECKOUT_SESSION_ID}` replaced, as Stripe redirects to it. */
export function successUrlFor(session: Stripe.Checkout.Session): string | null {
  return session.success_url?.replaceAll('{CHECKOUT_SESSION_ID}', session.id) ?? null;
}

/**
 * A session, or Stripe's 404. A session past its `expires_at` expires when it is next looked at
 * (retrieved, listed, visited): `checkout.session.expired` comes then.
 */
export function findSession(
  sandbox: SandboxCore,
  id: string,
  origin: string,
  param = 'id',
): Stripe.Checkout.Session {
  const session = sessionCollection(sandbox).get(id);
  if (!session) throw resourceMissing('checkout.session', id, param);
  expireIfDue(sandbox, session, origin);
  return session;
}

/** A line's amount: unit amount × quantity (decimal unit amounts rounded to the minor unit). */
function lineAmount(price: Stripe.Price, count: number): number {
  if (price.unit_amount !== null) return price.unit_amount * count;
  return Math.round(Number(price.unit_amount_decimal ?? 0) * count);
}

function productName(sandbox: SandboxCore, price: Stripe.Price): string {
  const productId = idOf(price.product as string | { id: string });
  const product = productId
    ? sandbox.store.collection<Stripe.Product>('products').get(productId)
    : undefined;
  return product?.name ?? price.nickname ?? price.id;
}

/** `/ month`, `every 3 months`: how a recurring price's period is written. */
export function recurringSuffix(price: Stripe.Price): string {
  if (!price.recurring) return '';
  const { interval, interval_count: count } = price.recurring;
  return count === 1 ? `/ ${interval}` : `every ${count} ${interval}s`;
}

/** The `expand[]=line_items` field: the session's line items as a list object. */
function lineItemsList(sandbox: SandboxCore, sessionId: string): Stripe.ApiList<Stripe.LineItem> {
  const items = checkoutLineItems(sandbox, sessionId) as unknown as Array<
    Stripe.LineItem & StoredObject
  >;
  // Pagination lists newest first: reversed, the items keep their order.
  return paginate(
    [...items].reverse(),
    { limit: 100 },
    `/v1/checkout/sessions/${sessionId}/line_items`,
    'line_item',
  ) as unknown as Stripe.ApiList<Stripe.LineItem>;
}

/** Lets `expand[]=line_items` include a session's line items, as on Stripe. */
function withIncludables(handler: Route['handler']): Route['handler'] {
  return (ctx) => {
    ctx.sandbox.registerIncludable('checkout.session', 'line_items', (session) =>
      lineItemsList(ctx.sandbox, String(session.id)),
    );
    return handler(ctx);
  };
}

/** The same `pmc_…` as automatic-payment-methods intents (payment-intents.ts keeps it there). */
function paymentMethodConfiguration(sandbox: SandboxCore): string {
  return (
    sandbox.store.getInternal<string>('payment_method_configuration') ??
    sandbox.store.setInternal('payment_method_configuration', newId('pmc'))
  );
}

/**
 * Calls another resource's route handler in-process, as the sandbox's own pages act: with a
 * secret key's rights, the parameters validated by that route's schema, and the given emitter
 * (the pages' events have no API request). Returns what the route returns; throws its
 * StripeApiErrors. Synchronous (reactions use it too), so only for synchronous handlers.
 */
export function callRoute<T>(
  caller: { sandbox: SandboxCore; origin: string; emit: Emit },
  routes: readonly Route[],
  method: Route['method'],
  path: string,
  raw: RawParams = {},
  pathParams: Record<string, string> = {},
): T {
  const route = routes.find((candidate) => candidate.method === method && candidate.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  let concrete = path;
  for (const [key, value] of Object.entries(pathParams)) {
    concrete = concrete.replace(`:${key}`, encodeURIComponent(value));
  }
  const target = new URL(concrete, caller.origin);
  const ctx: RequestContext = {
    sandbox: caller.sandbox,
    request: new Request(target, { method }),
    url: target,
    path: pathParams,
    raw,
    requestId: `req_${randomString(14)}`,
    idempotencyKey: null,
    keyType: 'secret',
    origin: caller.origin,
    parse: (schema, hints) => validate(schema, raw, hints),
    emit: caller.emit,
  };
  const result = route.handler(ctx);
  if (result instanceof Promise) throw new Error(`${method} ${path} is not synchronous`);
  return result as T;
}

// --- completion and expiry -----------------------------------------------------------------------

/**
 * Completes a session once its payment (or setup, or subscription) has succeeded:
 * `status: complete`, the payment status, the customer and their details, then
 * `checkout.session.completed`. Does nothing to a session that is not open.
 */
export function completeSession(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  emit: Emit,
): void {
  if (session.status !== 'open') return;
  const state = checkoutState(sandbox, session.id);
  const customer = state.customer
    ? sandbox.store.collection<Stripe.Customer>('customers').get(state.customer)
    : undefined;
  session.status = 'complete';
  session.url = null;
  session.customer = state.customer;
  session.payment_intent = state.paymentIntent;
  session.setup_intent = state.setupIntent;
  session.subscription = state.subscription;
  if (state.subscription) {
    const subscription = sandbox.store
      .collection<Stripe.Subscription>('subscriptions')
      .get(state.subscription);
    session.invoice = idOf(subscription?.latest_invoice as string | null);
  }
  session.payment_status =
    session.mode === 'setup' || !session.amount_total ? 'no_payment_required' : 'paid';
  // In payment mode the redemption happens with the payment (subscription mode redeems through
  // the subscription the page creates).
  const discount = checkoutDiscount(sandbox, session.id);
  if (discount && session.mode === 'payment') {
    const coupon = couponCollection(sandbox).get(discount.coupon);
    const promotionCode = discount.promotionCode
      ? promotionCodeCollection(sandbox).get(discount.promotionCode)
      : undefined;
    if (coupon)
      countRedemption(sandbox, { coupon, promotionCode: promotionCode ?? null, existing: null });
  }
  session.customer_details = {
    address: null,
    business_name: null,
    email: state.email ?? customer?.email ?? session.customer_email,
    individual_name: null,
    name: state.name ?? customer?.name ?? null,
    phone: customer?.phone ?? null,
    tax_exempt: customer?.tax_exempt ?? 'none',
    tax_ids: [],
  };
  emit('checkout.session.completed', session);
}

/**
 * Expires an open session: `status: expired`, its PaymentIntent (or SetupIntent) canceled, as
 * Stripe does, then `checkout.session.expired`.
 */
function expireSession(
  sandbox: SandboxCore,
  session: Stripe.Checkout.Session,
  caller: { origin: string; emit: Emit },
): void {
  if (session.status !== 'open') return;
  const state = checkoutState(sandbox, session.id);
  const open = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
  const intent = state.paymentIntent
    ? sandbox.store.collection<Stripe.PaymentIntent>('payment_intents').get(state.paymentIntent)
    : undefined;
  if (intent && open.includes(intent.status)) {
    callRoute(
      { sandbox, ...caller },
      paymentIntentRoutes,
      'POST',
      '/v1/payment_intents/:id/cancel',
      { cancellation_reason: 'abandoned' },
      { id: intent.id },
    );
  }
  const setup = state.setupIntent
    ? sandbox.store.collection<Stripe.SetupIntent>('setup_intents').get(state.setupIntent)
    : undefined;
  if (setup && open.includes(setup.status)) {
    callRoute(
      { sandbox, ...caller },
      setupIntentRoutes,
      'POST',
      '/v1/setup_intents/:id/cancel',
      { cancellation_reason: 'abandoned' },
      { id: setup.id },
    );
  }
  session.status = 'expired';
  session.url = null;
  caller.emit('checkout.session.expired', session);
}

/** Expires a session whose `expires_at` has passed (in the background: no request caused it). */
function expireIfDue(sandbox: SandboxCore, session: Stripe.Checkout.Session, origin: string) {
  if (session.status !== 'open' || sandbox.now() < session.expires_at) return;
  expireSession(sandbox, session, { origin, emit: backgroundEmit(sandbox) });
}

// --- creation ------------------------------------------------------------------------------------

interface ResolvedLine {
  /** An existing price, or the checked `price_data` of an inline one (created once all pass). */
  price: Stripe.Price | null;
  priceData: LineItemInput['price_data'] | null;
  currency: string;
  recurring: { interval: string; interval_count: number } | null;
  quantity: number;
  /** unit amount × quantity, in minor units. */
  amount: number;
  metadata: Record<string, string>;
  index: number;
}

/** Checks every line item before anything is created, as Stripe does. */
function resolveLines(sandbox: SandboxCore, items: LineItemInput[]): ResolvedLine[] {
  return items.map((item, index) => {
    const at = (name: string) => `line_items[${index}][${name}]`;
    if (item.price !== undefined && item.price_data !== undefined) {
      throw invalidRequest(
        `You may only specify one of these parameters: ${at('price')}, ${at('price_data')}.`,
        at('price_data'),
      );
    }
    if (item.quantity === undefined) {
      throw invalidRequest(
        `Quantity is required. Add \`quantity\` to \`line_items[${index}]\``,
        at('quantity'),
        'parameter_missing',
      );
    }
    if (item.price !== undefined) {
      const price = findPrice(sandbox, item.price, at('price'));
      if (!price.active) {
        throw invalidRequest(
          'The price specified is inactive. This field only accepts active prices.',
          at('price'),
        );
      }
      assertBillablePrice(price, at('price'));
      return {
        price,
        priceData: null,
        currency: price.currency,
        recurring: price.recurring,
        quantity: item.quantity,
        amount: lineAmount(price, item.quantity),
        metadata: initialMetadata(item.metadata),
        index,
      };
    }
    const data = item.price_data;
    if (!data) {
      throw invalidRequest(
        `You must specify either \`price\` or \`price_data\` in \`line_items[${index}]\`.`,
        at('price'),
        'parameter_missing',
      );
    }
    const param = (name: string) => `line_items[${index}][price_data][${name}]`;
    const checked = checkPriceData(data, param);
    if (data.product !== undefined && data.product_data !== undefined) {
      throw invalidRequest(
        `You may only specify one of these parameters: ${param('product')}, ${param('product_data')}.`,
        param('product_data'),
      );
    }
    if (data.product !== undefined) findProduct(sandbox, data.product, param('product'));
    else if (data.product_data === undefined) throw missingParameter(param('product_data'));
    else if (!data.product_data.name) throw emptyStringError(`${param('product_data')}[name]`);
    return {
      price: null,
      priceData: data,
      currency: checked.currency,
      recurring: checked.recurring,
      quantity: item.quantity,
      amount:
        checked.unitAmount !== null
          ? checked.unitAmount * item.quantity
          : Math.round(Number(checked.unitAmountDecimal) * item.quantity),
      metadata: initialMetadata(item.metadata),
      index,
    };
  });
}

/** Stripe's mode rules for prices: one currency, recurring prices only in subscription mode. */
function checkLines(mode: CreateInput['mode'], lines: ResolvedLine[]): void {
  const first = lines[0];
  if (!first) return;
  const param = (line: ResolvedLine) =>
    `line_items[${line.index}][${line.price ? 'price' : 'price_data'}]`;
  if (mode !== 'setup' && lines.length > MAX_LINE_ITEMS[mode]) {
    throw invalidRequest(
      `A Checkout Session in ${mode} mode can have at most ${MAX_LINE_ITEMS[mode]} line items.`,
      'line_items',
    );
  }
  for (const line of lines) {
    if (line.currency !== first.currency) {
      throw invalidRequest(
        `All line items must have the same currency: line_items[${line.index}] is in ${line.currency}, line_items[${first.index}] in ${first.currency}.`,
        param(line),
      );
    }
    if (mode === 'payment' && line.recurring) {
      throw invalidRequest(
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        param(line),
      );
    }
    if (mode === 'subscription' && !line.recurring) {
      throw invalidRequest(
        'The sandbox supports recurring prices only in `subscription` mode: one-time prices on the first invoice are not modelled.',
        param(line),
      );
    }
  }
  if (mode === 'subscription') {
    const seen = new Set<string>();
    for (const line of lines) {
      const a = line.recurring;
      const b = first.recurring;
      if (a?.interval !== b?.interval || a?.interval_count !== b?.interval_count) {
        throw invalidRequest(
          'The sandbox supports one billing interval per subscription: every price must have the same recurring[interval] and recurring[interval_count].',
          param(line),
        );
      }
      if (line.price) {
        if (seen.has(line.price.id)) {
          throw invalidRequest(
            `Cannot add multiple subscription items with the same price: ${line.price.id}.`,
            param(line),
          );
        }
        seen.add(line.price.id);
      }
    }
  }
}

/** The rules between parameters, checked before anything is created. */
function checkModeParameters(sandbox: SandboxCore, input: CreateInput): void {
  const { mode } = input;
  if (input.ui_mode !== undefined && input.ui_mode !== 'hosted_page') {
    if ((UI_MODES as readonly string[]).includes(input.ui_mode)) {
      throw invalidRequest(
        `The sandbox serves only Stripe-hosted Checkout pages: ui_mode must be hosted_page (the default), not ${input.ui_mode}.`,
        'ui_mode',
      );
    }
    throw invalidRequest(
      `Invalid ui_mode: must be one of ${UI_MODES.slice(0, -1).join(', ')}, or ${UI_MODES.at(-1)}`,
      'ui_mode',
    );
  }
  if (input.return_url !== undefined) {
    throw invalidRequest(
      'The sandbox serves only hosted Checkout pages, which redirect to success_url: return_url (for embedded and custom Checkout) is not supported.',
      'return_url',
    );
  }
  if (mode === 'setup' && input.line_items?.length) {
    throw invalidRequest('You cannot pass `line_items` in `setup` mode.', 'line_items');
  }
  if (mode !== 'setup' && !input.line_items?.length) throw missingParameter('line_items');
  if (input.customer !== undefined && input.customer_email !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: customer, customer_email.',
      'customer_email',
    );
  }
  if (input.customer_creation !== undefined && mode === 'subscription') {
    throw invalidRequest(
      '`customer_creation` can only be used in `payment` and `setup` mode.',
      'customer_creation',
    );
  }
  if (input.customer_creation !== undefined && input.customer !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: customer, customer_creation.',
      'customer_creation',
    );
  }
  const onlyIn: Array<[keyof CreateInput, CreateInput['mode']]> = [
    ['subscription_data', 'subscription'],
    ['payment_intent_data', 'payment'],
    ['setup_intent_data', 'setup'],
  ];
  for (const [name, allowed] of onlyIn) {
    if (input[name] !== undefined && mode !== allowed) {
      throw invalidRequest(`You can only specify \`${name}\` in \`${allowed}\` mode.`, name);
    }
  }
  if (input.currency !== undefined && mode !== 'setup') {
    // Payment and subscription sessions take their currency from their prices.
    throw invalidRequest(
      'The sandbox takes the currency of payment and subscription sessions from their prices: pass `currency` only in `setup` mode.',
      'currency',
    );
  }
  if (input.discounts !== undefined && input.allow_promotion_codes !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: allow_promotion_codes, discounts.',
      'discounts',
    );
  }
  for (const name of ['discounts', 'allow_promotion_codes'] as const) {
    if (input[name] !== undefined && mode === 'setup') {
      throw invalidRequest(`You cannot use \`${name}\` in \`setup\` mode.`, name);
    }
  }
  if (input.discounts && input.discounts.length > 1) {
    throw invalidRequest('You can only apply one discount to a Checkout Session.', 'discounts');
  }
  if (input.currency !== undefined) checkPriceData({ currency: input.currency, unit_amount: 0 });
  if (input.customer) findCustomer(sandbox, input.customer);
  if (input.expires_at !== undefined) {
    const now = sandbox.now();
    if (input.expires_at < now + MIN_LIFETIME) {
      throw invalidRequest(
        'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.',
        'expires_at',
      );
    }
    if (input.expires_at > now + DEFAULT_LIFETIME) {
      throw invalidRequest(
        'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.',
        'expires_at',
      );
    }
  }
}

/** Creates the inline prices of `price_data` lines and returns the line items. */
function createLineItems(ctx: RequestContext, lines: ResolvedLine[]): Stripe.LineItem[] {
  const prices = lines.map((line) => {
    if (line.price) return line.price;
    const data = line.priceData as NonNullable<ResolvedLine['priceData']>;
    return createPrice(
      ctx.sandbox,
      {
        currency: data.currency,
        unit_amount: data.unit_amount,
        unit_amount_decimal: data.unit_amount_decimal,
        product: data.product,
        product_data: data.product_data,
        recurring: data.recurring,
        tax_behavior: data.tax_behavior,
      },
      ctx.emit,
      { inline: true, param: (name) => `line_items[${line.index}][price_data][${name}]` },
    );
  });
  return lines.map((line, index) => {
    const price = prices[index] as Stripe.Price;
    return {
      id: `li_${randomString(24)}`,
      object: 'item' as const,
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: line.amount,
      amount_tax: 0,
      amount_total: line.amount,
      currency: price.currency,
      description: productName(ctx.sandbox, price),
      metadata: line.metadata,
      price: structuredClone(price),
      quantity: line.quantity,
    };
  });
}

function create(ctx: RequestContext): Stripe.Checkout.Session {
  const input = ctx.parse(createSchema, HINTS);
  const { sandbox } = ctx;
  checkModeParameters(sandbox, input);
  const lines = resolveLines(sandbox, input.line_items ?? []);
  checkLines(input.mode, lines);
  const amount = lines.reduce((sum, line) => sum + line.amount, 0);
  if (input.mode === 'payment' && amount <= 0) {
    throw invalidRequest(
      "The Checkout Session's total amount due must be greater than 0.",
      'line_items',
    );
  }
  const totalCurrency = lines[0]?.currency;
  const discount = input.discounts?.length
    ? (resolveDiscounts(
        sandbox,
        input.discounts,
        checkoutRedemptionContext(
          sandbox,
          {
            mode: input.mode,
            customer: input.customer ?? null,
            customer_creation: input.customer_creation ?? null,
            currency: totalCurrency ?? null,
            created: sandbox.now(),
          },
          amount,
        ),
      )[0] ?? null)
    : null;
  const discounted = discountLines(
    sandbox,
    lines.map((line) => ({
      amount: line.amount,
      discountable: true,
      product: line.price ? idOf(line.price.product as string) : (line.priceData?.product ?? null),
    })),
    discount,
    totalCurrency ?? 'usd',
  ).total;
  if (input.mode === 'payment' && totalCurrency) {
    // Stripe's minimum and maximum charge amounts hold for the total a payment-mode session
    // charges. @see https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts
    const limit = chargeAmountLimitError(discounted, totalCurrency, {
      param: 'line_items',
      subject: "The Checkout Session's total amount due",
    });
    if (limit) throw limit;
  }
  const items = createLineItems(ctx, lines);
  const trial =
    input.mode === 'subscription' && Boolean(input.subscription_data?.trial_period_days);
  const amountDue = input.mode === 'setup' ? null : trial ? 0 : amount;
  const now = sandbox.now();
  const id = `cs_test_${randomString(58)}`;
  const currency =
    input.mode === 'setup' ? (input.currency?.toLowerCase() ?? null) : (items[0]?.currency ?? null);
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: input.mode === 'setup' ? null : { enabled: false },
    after_expiration: null,
    allow_promotion_codes: input.allow_promotion_codes ?? null,
    allowed_payment_method_types: input.allowed_payment_method_types ?? null,
    amount_subtotal: amountDue,
    amount_total: amountDue,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancel_url ?? null,
    client_reference_id: input.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: input.customer ?? null,
    customer_account: null,
    customer_creation:
      input.mode === 'subscription' || input.customer
        ? null
        : (input.customer_creation ?? 'if_required'),
    customer_details: null,
    customer_email: input.customer_email ?? null,
    discounts: [],
    expires_at: input.expires_at ?? now + DEFAULT_LIFETIME,
    integration_identifier: null,
    invoice: null,
    invoice_creation:
      input.mode === 'payment'
        ? {
            enabled: false,
            invoice_data: {
              account_tax_ids: null,
              custom_fields: null,
              description: null,
              footer: null,
              issuer: null,
              metadata: {},
              rendering_options: null,
            },
          }
        : null,
    livemode: false,
    locale: (input.locale as Stripe.Checkout.Session.Locale | undefined) ?? null,
    managed_payments: null,
    metadata: initialMetadata(input.metadata),
    mode: input.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: input.mode === 'payment' ? null : 'always',
    payment_method_configuration_details: input.allowed_payment_method_types
      ? null
      : { id: paymentMethodConfiguration(sandbox), parent: null },
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: input.mode === 'setup' ? 'no_payment_required' : 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: input.customer
      ? {
          allow_redisplay_filters: ['always'],
          payment_method_remove: 'disabled',
          payment_method_save: null,
        }
      : null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: input.submit_type ?? null,
    subscription: null,
    success_url: input.success_url ?? null,
    total_details:
      input.mode === 'setup' ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: `${ctx.origin}${checkoutPagePath(id)}`,
    wallet_options: null,
  };
  sessionCollection(sandbox).set(session);
  sandbox.store.setInternal(`checkout_line_items:${id}`, items);
  sandbox.store.setInternal<CheckoutOptions>(`checkout_options:${id}`, {
    subscriptionData: input.subscription_data ?? null,
    paymentIntentData: input.payment_intent_data ?? null,
    setupIntentData: input.setup_intent_data ?? null,
  });
  const state = checkoutState(sandbox, id);
  state.customer = input.customer ?? null;
  if (input.mode !== 'setup') applyCheckoutDiscount(sandbox, session, discount);
  // Stripe has no `checkout.session.created` event.
  return session;
}

function retrieve(ctx: RequestContext): Stripe.Checkout.Session {
  ctx.parse(params({}));
  return findSession(ctx.sandbox, ctx.path.id as string, ctx.origin);
}

function update(ctx: RequestContext): Stripe.Checkout.Session {
  const input = ctx.parse(updateSchema);
  const session = findSession(ctx.sandbox, ctx.path.id as string, ctx.origin);
  session.metadata = mergeMetadata(session.metadata ?? {}, input.metadata);
  // Stripe has no `checkout.session.updated` event.
  return session;
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Checkout.Session> {
  const input = ctx.parse(listSchema);
  const { sandbox } = ctx;
  const all = sessionCollection(sandbox).values();
  for (const session of all) expireIfDue(sandbox, session, ctx.origin);
  const items = all.filter((session) => {
    const state = checkoutState(sandbox, session.id);
    return (
      (!input.customer ||
        (idOf(session.customer as string | null) ?? state.customer) === input.customer) &&
      (!input.payment_intent ||
        (idOf(session.payment_intent as string | null) ?? state.paymentIntent) ===
          input.payment_intent) &&
      (!input.subscription ||
        (idOf(session.subscription as string | null) ?? state.subscription) ===
          input.subscription) &&
      (!input.status || session.status === input.status)
    );
  });
  return paginate(items, input, ctx.url.pathname, 'checkout.session');
}

function expire(ctx: RequestContext): Stripe.Checkout.Session {
  ctx.parse(params({}));
  const session = findSession(ctx.sandbox, ctx.path.id as string, ctx.origin);
  if (session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status of \`open\` can be expired. This Checkout Session has a status of \`${session.status}\`.`,
    );
  }
  expireSession(ctx.sandbox, session, { origin: ctx.origin, emit: ctx.emit });
  return session;
}

const lineItemsSchema = params({ ...listShape });

function lineItems(ctx: RequestContext): Stripe.ApiList<Stripe.LineItem> {
  const input = ctx.parse(lineItemsSchema);
  const session = findSession(ctx.sandbox, ctx.path.id as string, ctx.origin);
  const items = checkoutLineItems(ctx.sandbox, session.id) as unknown as Array<
    Stripe.LineItem & StoredObject
  >;
  return paginate(
    [...items].reverse(),
    input,
    ctx.url.pathname,
    'line_item',
  ) as unknown as Stripe.ApiList<Stripe.LineItem>;
}

export const checkoutSessionRoutes: Route[] = [
  { method: 'POST', path: '/v1/checkout/sessions', handler: withIncludables(create) },
  { method: 'GET', path: '/v1/checkout/sessions', handler: withIncludables(list) },
  { method: 'GET', path: '/v1/checkout/sessions/:id', handler: withIncludables(retrieve) },
  { method: 'POST', path: '/v1/checkout/sessions/:id', handler: withIncludables(update) },
  { method: 'POST', path: '/v1/checkout/sessions/:id/expire', handler: withIncludables(expire) },
  { method: 'GET', path: '/v1/checkout/sessions/:id/line_items', handler: lineItems },
];

// --- reactions: what the page's payments do to the session -----------------------------------------

function onSucceeded(
  complete: (sandbox: SandboxCore, object: StoredObject) => Stripe.Checkout.Session | undefined,
): Reaction['run'] {
  return (sandbox, object, options) => {
    const session = complete(sandbox, object);
    if (session) completeSession(sandbox, session, emitter(sandbox, options.request));
  };
}

/** The session a subscription's paid invoice belongs to, once the subscription is live. */
function sessionOfPaidInvoice(
  sandbox: SandboxCore,
  object: StoredObject,
): Stripe.Checkout.Session | undefined {
  const invoice = invoiceCollection(sandbox).get(object.id);
  const subscriptionId = invoice ? invoiceSubscriptionId(invoice) : null;
  if (!subscriptionId) return undefined;
  const subscription = sandbox.store
    .collection<Stripe.Subscription>('subscriptions')
    .get(subscriptionId);
  if (subscription?.status !== 'active' && subscription?.status !== 'trialing') return undefined;
  return sessionFor(sandbox, subscriptionId);
}

/**
 * A payment, setup or subscription made by a session's page completes the session when it
 * succeeds: at once, or after the customer authenticates with 3D Secure. In the order Stripe
 * sends them: `checkout.session.completed` comes after the payment's (and invoice's) events.
 * They must run after the subscription reactions (resources/index.ts lists them later), which make
 * a subscription `active` when its first invoice is paid.
 */
export const checkoutSessionReactions: Reaction[] = [
  {
    event: 'payment_intent.succeeded',
    run: onSucceeded((sandbox, object) => sessionFor(sandbox, object.id)),
  },
  {
    event: 'setup_intent.succeeded',
    run: onSucceeded((sandbox, object) => sessionFor(sandbox, object.id)),
  },
  { event: 'invoice.payment_succeeded', run: onSucceeded(sessionOfPaidInvoice) },
];
