/**
 * subscriptions: create, retrieve, update, cancel, list, resume; and the billing engine that
 * moves them through time (trials, renewals, retries, cancellations at period end or at a
 * `cancel_at` date, incomplete expiry), run by test clock advances and, for subscriptions without
 * a test clock, by a tick that follows real time. Billing periods are on the items (`current_period_start/end`), as in the
 * current API; invoices reach their PaymentIntent through `confirmation_secret` and `payments`.
 * @see https://docs.stripe.com/api/subscriptions
 * @see https://docs.stripe.com/billing/subscriptions/overview#subscription-lifecycle
 * @see https://docs.stripe.com/billing/subscriptions/prorations
 */
import type Stripe from 'stripe';
import {
  addInterval,
  billingSettings,
  customerNow,
  DAY,
  type Emit,
  emitter,
  formatDate,
  HOUR,
  type Interval,
  nowOn,
  periodEndAfter,
  startBillingTick,
} from '../core/billing-time.js';
import type { Decline } from '../core/cards.js';
import { chargeableStep, formatAmount } from '../core/currencies.js';
import {
  invalidRequest,
  missingParameter,
  resourceMissing,
  StripeApiError,
} from '../core/errors.js';
import { clientSecretFor, newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import {
  bool,
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
import type { Reaction, SandboxCore } from '../core/sandbox.js';
import type { StoredObject } from '../core/store.js';
import { registerCouponIncludables } from './coupons.js';
import { findCustomer } from './customers.js';
import {
  buildDiscount,
  computeDiscountAmounts,
  createDiscount,
  type DiscountOwner,
  type DiscountParam,
  discountsOf,
  type LineDiscount,
  lineDiscount,
  type ResolvedDiscount,
  removeDiscount,
  resolveDiscounts,
} from './discounts.js';
import {
  attemptInvoicePayment,
  billingOrigin,
  buildInvoice,
  createInvoice,
  DRAFT_PERIOD,
  defaultPaymentMethodForInvoice,
  finalizeInvoice,
  invoiceCollection,
  invoiceLines,
  invoicePaymentIntent,
  invoiceSubscriptionId,
  type LineDraft,
  registerInvoiceIncludables,
  rememberOrigin,
  retriesExhausted,
  settleInvoiceTotal,
  voidInvoiceNow,
} from './invoices.js';
import {
  attachPaymentMethod,
  cardBehaviour,
  cardError,
  resolvePaymentMethod,
} from './payment-methods.js';
import { idOf } from './payments-shared.js';
import { findBillablePrice } from './prices.js';

/** How long a subscription whose first invoice is unpaid stays `incomplete`. */
const INCOMPLETE_WINDOW = 23 * HOUR;

/** `customer.subscription.trial_will_end` comes this long before the trial ends. */
const TRIAL_WILL_END_NOTICE = 3 * DAY;

const MAX_ITEMS = 20;

const ENDED: readonly string[] = ['canceled', 'incomplete_expired'];

const NO_PAYMENT_METHOD =
  'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.';

const SUBSCRIPTION_REQUIRES_ACTION =
  'Payment for this subscription requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with `subscription.latest_invoice`. Additional information is available here: https://stripe.com/docs/billing/subscriptions/overview#requires-action';

// --- parameters ----------------------------------------------------------------------------------

const quantity = () =>
  int().pipe(z.number().min(0, { error: 'This value must be greater than or equal to 0.' }));

const createItemShape = z.strictObject({
  price: str().optional(),
  plan: str().optional(),
  quantity: quantity().optional(),
  metadata: metadata().optional(),
});

export const updateItemShape = z.strictObject({
  id: str().optional(),
  price: str().optional(),
  plan: str().optional(),
  quantity: quantity().optional(),
  metadata: metadata().optional(),
  deleted: bool().optional(),
  clear_usage: bool().optional(),
});

/** `discounts[n]`: a coupon, a promotion code, or a discount already on the subscription. */
export const discountShape = z.strictObject({
  coupon: str().optional(),
  promotion_code: str().optional(),
  discount: str().optional(),
});

const paymentBehavior = () =>
  oneOf(['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete']);

const prorationBehavior = () => oneOf(['always_invoice', 'create_prorations', 'none']);

const trialEnd = () => z.union([z.literal('now'), int()]);

/**
 * `cancel_at`: a time, or the end of the items' current period. The sandbox bills every item on
 * one interval, so `min_period_end` and `max_period_end` are the same time.
 * @see https://docs.stripe.com/changelog/basil/2025-07-30/cancel-at-enums
 */
const cancelAt = () => z.union([oneOf(['max_period_end', 'min_period_end']), int()]);

const trialSettingsShape = z.strictObject({
  end_behavior: z.strictObject({
    missing_payment_method: oneOf(['cancel', 'create_invoice', 'pause']),
  }),
});

const paymentSettingsShape = z.strictObject({
  save_default_payment_method: oneOf(['off', 'on_subscription']).optional(),
  payment_method_types: emptyable(
    z.array(
      str().refine((value) => value === 'card', {
        error: 'The sandbox supports card payments only: payment_method_types can only be card.',
      }),
    ),
  ).optional(),
});

const cancellationDetailsShape = z.strictObject({
  comment: emptyable(str()).optional(),
  feedback: emptyable(
    oneOf([
      'customer_service',
      'low_quality',
      'missing_features',
      'other',
      'switched_service',
      'too_complex',
      'too_expensive',
      'unused',
    ]),
  ).optional(),
});

const createSchema = params({
  customer: str(),
  items: z.array(createItemShape).optional(),
  payment_behavior: paymentBehavior().optional(),
  default_payment_method: str().optional(),
  trial_period_days: int()
    .pipe(
      z
        .number()
        .min(0, { error: 'This value must be greater than or equal to 0.' })
        .max(730, { error: 'The maximum number of trial period days is 730 (2 years).' }),
    )
    .optional(),
  trial_end: trialEnd().optional(),
  trial_from_plan: bool().optional(),
  trial_settings: trialSettingsShape.optional(),
  payment_settings: paymentSettingsShape.optional(),
  billing_mode: z
    .strictObject({
      type: oneOf(['classic', 'flexible']),
      flexible: z
        .strictObject({ proration_discounts: oneOf(['included', 'itemized']).optional() })
        .optional(),
    })
    .optional(),
  cancel_at: cancelAt().optional(),
  cancel_at_period_end: bool().optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
  description: str().optional(),
  discounts: emptyable(z.array(discountShape)).optional(),
  metadata: metadata().optional(),
  off_session: bool().optional(),
  proration_behavior: prorationBehavior().optional(),
});

const updateSchema = params({
  items: z.array(updateItemShape).optional(),
  payment_behavior: paymentBehavior().optional(),
  proration_behavior: prorationBehavior().optional(),
  proration_date: int().optional(),
  cancel_at: emptyable(cancelAt()).optional(),
  cancel_at_period_end: bool().optional(),
  cancellation_details: cancellationDetailsShape.optional(),
  default_payment_method: emptyable(str()).optional(),
  description: emptyable(str()).optional(),
  discounts: emptyable(z.array(discountShape)).optional(),
  metadata: metadata().optional(),
  off_session: bool().optional(),
  payment_settings: paymentSettingsShape.optional(),
  trial_end: trialEnd().optional(),
  trial_settings: trialSettingsShape.optional(),
});

const cancelSchema = params({
  invoice_now: bool().optional(),
  prorate: bool().optional(),
  cancellation_details: cancellationDetailsShape.optional(),
});

const resumeSchema = params({
  billing_cycle_anchor: oneOf(['now', 'unchanged']).optional(),
  payment_behavior: oneOf(['resume_on_payment_attempt', 'resume_on_payment_success']).optional(),
  proration_behavior: prorationBehavior().optional(),
  proration_date: int().optional(),
});

const listSchema = params({
  ...listShape,
  customer: str().optional(),
  price: str().optional(),
  plan: str().optional(),
  status: oneOf([
    'active',
    'all',
    'canceled',
    'ended',
    'incomplete',
    'incomplete_expired',
    'past_due',
    'paused',
    'trialing',
    'unpaid',
  ]).optional(),
  test_clock: str().optional(),
  collection_method: oneOf(['charge_automatically', 'send_invoice']).optional(),
});

// --- helpers -------------------------------------------------------------------------------------

export function subscriptionCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Subscription>('subscriptions');
}

export function findSubscription(
  sandbox: SandboxCore,
  id: string,
  param = 'id',
): Stripe.Subscription {
  const found = subscriptionCollection(sandbox).get(id);
  if (!found) throw resourceMissing('subscription', id, param);
  return found;
}

function customerOf(subscription: Stripe.Subscription): string {
  return idOf(subscription.customer as string) as string;
}

function isEnded(subscription: Stripe.Subscription): boolean {
  return ENDED.includes(subscription.status);
}

/** Keeps `GET /v1/subscription_items/:id` (and `expand`) in step with `subscription.items`. */
function syncItems(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  removed: string[] = [],
) {
  const collection = sandbox.store.collection<Stripe.SubscriptionItem>('subscription_items');
  for (const id of removed) collection.delete(id);
  for (const item of subscription.items.data) collection.set(item);
}

function recurringOf(price: Stripe.Price): { interval: Interval; count: number } {
  return {
    interval: (price.recurring?.interval ?? 'month') as Interval,
    count: price.recurring?.interval_count ?? 1,
  };
}

function cycleOf(subscription: Stripe.Subscription): { interval: Interval; count: number } {
  const price = subscription.items.data[0]?.price;
  return price ? recurringOf(price) : { interval: 'month', count: 1 };
}

/** The subscription's current billing period (the same on every item). */
function periodOf(subscription: Stripe.Subscription): { start: number; end: number } {
  const item = subscription.items.data[0];
  return item
    ? { start: item.current_period_start, end: item.current_period_end }
    : { start: subscription.start_date, end: subscription.start_date };
}

/** A price's `plan` twin, which subscription items still carry. */
function planOf(price: Stripe.Price): Stripe.Plan {
  const { interval, count } = recurringOf(price);
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval,
    interval_count: count,
    livemode: false,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: idOf(price.product as string | { id: string }),
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: price.recurring?.trial_period_days ?? null,
    usage_type: price.recurring?.usage_type ?? 'licensed',
  };
}

/** Rounds to what the currency can be charged in (10 fils for three-decimal currencies, …). */
function roundForCurrency(amount: number, currency: string): number {
  const step = chargeableStep(currency);
  return Math.round(amount / step) * step;
}

/** A full period's amount for `quantity` of a price. */
function periodAmount(price: Stripe.Price, count: number): number {
  if (price.unit_amount !== null) return price.unit_amount * count;
  return roundForCurrency(Number(price.unit_amount_decimal ?? 0) * count, price.currency);
}

/** The share of a period's amount for the time left, to the second, rounded as the currency allows. */
function prorate(full: number, remaining: number, length: number, currency: string): number {
  if (length <= 0 || remaining <= 0) return 0;
  return roundForCurrency((full * remaining) / length, currency);
}

function productName(sandbox: SandboxCore, price: Stripe.Price): string {
  const productId = idOf(price.product as string | { id: string });
  const product = productId
    ? sandbox.store.collection<Stripe.Product>('products').get(productId)
    : undefined;
  return product?.name ?? price.nickname ?? price.id;
}

/** `1 × Pro (at $29.00 / month)`, as Stripe describes a period's line. */
function cycleDescription(sandbox: SandboxCore, price: Stripe.Price, count: number): string {
  const { interval, count: every } = recurringOf(price);
  const unit = price.unit_amount ?? Number(price.unit_amount_decimal ?? 0);
  const per = every === 1 ? `/ ${interval}` : `every ${every} ${interval}s`;
  return `${count} × ${productName(sandbox, price)} (at ${formatAmount(unit, price.currency)} ${per})`;
}

function itemQuantity(item: Stripe.SubscriptionItem): number {
  return item.quantity ?? 1;
}

/** A subscription's id and items: all that its lines need (a preview's would-be subscription too). */
type BilledItems = Pick<Stripe.Subscription, 'id'> & { items: { data: Stripe.SubscriptionItem[] } };

/** The lines billing a period of every item. */
function cycleLines(
  sandbox: SandboxCore,
  subscription: BilledItems,
  period: { start: number; end: number },
): LineDraft[] {
  return subscription.items.data.map((item) => ({
    amount: periodAmount(item.price, itemQuantity(item)),
    description: cycleDescription(sandbox, item.price, itemQuantity(item)),
    period: { ...period },
    price: item.price,
    quantity: itemQuantity(item),
    proration: false,
    subscription: subscription.id,
    subscriptionItem: item.id,
    invoiceItem: null,
    creditedItems: null,
  }));
}

/** The $0 lines of a trial's first invoice. */
function trialLines(
  sandbox: SandboxCore,
  subscription: BilledItems,
  period: { start: number; end: number },
): LineDraft[] {
  return subscription.items.data.map((item) => ({
    amount: 0,
    description: `Trial period for ${productName(sandbox, item.price)}`,
    period: { ...period },
    price: item.price,
    quantity: itemQuantity(item),
    proration: false,
    subscription: subscription.id,
    subscriptionItem: item.id,
    invoiceItem: null,
    creditedItems: null,
  }));
}

/** Proration lines waiting for the next invoice (pending invoice items, on Stripe). */
function pendingLines(sandbox: SandboxCore, subscriptionId: string): LineDraft[] {
  return sandbox.store.getInternal<LineDraft[]>(`pending_lines:${subscriptionId}`) ?? [];
}

function setPendingLines(sandbox: SandboxCore, subscriptionId: string, lines: LineDraft[]): void {
  sandbox.store.setInternal(`pending_lines:${subscriptionId}`, lines);
}

/** The payment method Billing charges: the subscription's default, else the customer's. */
function defaultPaymentMethod(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
): string | null {
  const own = idOf(subscription.default_payment_method as string | null);
  if (own) return own;
  const customer = sandbox.store
    .collection<Stripe.Customer>('customers')
    .get(customerOf(subscription));
  return idOf(customer?.invoice_settings.default_payment_method as string | null);
}

type Prediction =
  | { kind: 'succeeds' }
  | { kind: 'requires_action' }
  | { kind: 'declined'; decline: Decline }
  | { kind: 'no_payment_method' };

/**
 * What charging this card would come to (test cards behave the same every time): a card that
 * asks for 3D Secure stops there, even one whose issuer declines once it is authenticated.
 */
function predictPayment(sandbox: SandboxCore, paymentMethodId: string | null): Prediction {
  if (!paymentMethodId) return { kind: 'no_payment_method' };
  const behaviour = cardBehaviour(sandbox, paymentMethodId);
  const card = behaviour?.card;
  if (card?.decline) return { kind: 'declined', decline: card.decline };
  if (
    card?.threeDSecure === 'always' ||
    (card?.threeDSecure === 'unless_set_up' && !behaviour?.setUpForOffSession)
  ) {
    return { kind: 'requires_action' };
  }
  if (card?.chargeDecline) return { kind: 'declined', decline: card.chargeDecline };
  return { kind: 'succeeds' };
}

/** `error_if_incomplete`: the 402 Stripe answers instead of creating or updating anything. */
function assertPaymentWillSucceed(prediction: Prediction): void {
  if (prediction.kind === 'declined') throw cardError(prediction.decline);
  if (prediction.kind === 'requires_action') {
    throw new StripeApiError(402, {
      type: 'card_error',
      code: 'subscription_payment_intent_requires_action',
      message: SUBSCRIPTION_REQUIRES_ACTION,
    });
  }
  if (prediction.kind === 'no_payment_method') throw invalidRequest(NO_PAYMENT_METHOD);
}

/** A `default_payment_method` parameter: a payment method of this customer (or a new test card). */
function paymentMethodFor(
  sandbox: SandboxCore,
  customerId: string,
  id: string,
  param = 'default_payment_method',
): Stripe.PaymentMethod {
  const paymentMethod = resolvePaymentMethod(sandbox, id, param);
  const owner = idOf(paymentMethod.customer as string | null);
  if (owner && owner !== customerId) {
    throw invalidRequest(
      `The customer does not have a payment method with the ID ${paymentMethod.id}. The payment method must be attached to the customer.`,
      param,
    );
  }
  return paymentMethod;
}

interface PlannedItem {
  price: Stripe.Price;
  quantity: number;
  metadata: Record<string, string>;
  param: string;
}

/** Checks the prices of a subscription's items as Stripe does. */
function checkPrices(items: PlannedItem[], itemsParam = 'items'): void {
  const first = items[0];
  if (!first) return;
  if (items.length > MAX_ITEMS) {
    throw invalidRequest(`A subscription can have at most ${MAX_ITEMS} items.`, itemsParam);
  }
  const seen = new Set<string>();
  for (const item of items) {
    if (!item.price.active) {
      throw invalidRequest(
        'The price specified is inactive. This field only accepts active prices.',
        item.param,
      );
    }
    if (item.price.type !== 'recurring' || !item.price.recurring) {
      throw invalidRequest(
        'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
        item.param,
      );
    }
    if (seen.has(item.price.id)) {
      throw invalidRequest(
        `Cannot add multiple subscription items with the same price: ${item.price.id}.`,
        item.param,
      );
    }
    seen.add(item.price.id);
    if (item.price.currency !== first.price.currency) {
      throw invalidRequest(
        `All prices on a subscription must have the same currency: ${item.price.id} is in ${item.price.currency}, ${first.price.id} in ${first.price.currency}.`,
        item.param,
      );
    }
    const a = recurringOf(item.price);
    const b = recurringOf(first.price);
    if (a.interval !== b.interval || a.count !== b.count) {
      throw invalidRequest(
        'The sandbox supports one billing interval per subscription: every price must have the same recurring[interval] and recurring[interval_count].',
        item.param,
      );
    }
  }
}

function newItem(
  subscriptionId: string,
  planned: PlannedItem,
  created: number,
  period: { start: number; end: number },
): Stripe.SubscriptionItem {
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: period.end,
    current_period_start: period.start,
    current_trial: null,
    discounts: [],
    metadata: { ...planned.metadata },
    plan: planOf(planned.price),
    price: planned.price,
    quantity: planned.quantity,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

/** The SetupIntent a trial without a payment method gets (`pending_setup_intent`). */
function createPendingSetupIntent(
  sandbox: SandboxCore,
  customerId: string,
  created: number,
  emit: Emit,
): Stripe.SetupIntent {
  const id = newId('seti');
  const intent: Stripe.SetupIntent = {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: ['card'],
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: clientSecretFor(id),
    created,
    customer: customerId,
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: 'off_session',
  };
  sandbox.store.collection<Stripe.SetupIntent>('setup_intents').set(intent);
  emit('setup_intent.created', intent);
  return intent;
}

/**
 * Creates the subscription's invoice: its pending prorations first, then `lines`. Finalized at
 * once (`now`), after Billing's hour as a draft (`later`), or left a draft (`never`).
 */
function billSubscription(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  options: {
    id: string;
    reason: Stripe.Invoice.BillingReason;
    lines: LineDraft[];
    periodStart: number;
    periodEnd: number;
    finalize: 'now' | 'later' | 'never';
    emit: Emit;
  },
): Stripe.Invoice {
  const customer = customerOf(subscription);
  const now = customerNow(sandbox, customer);
  dropEndedDiscounts(sandbox, subscription, now, options.emit);
  const invoice = createInvoice(
    sandbox,
    {
      id: options.id,
      customer,
      subscription,
      billingReason: options.reason,
      currency: subscription.currency,
      lines: [...pendingLines(sandbox, subscription.id), ...options.lines],
      periodStart: options.periodStart,
      periodEnd: options.periodEnd,
      created: now,
      autoAdvance: options.finalize !== 'never',
      finalizesAt: options.finalize === 'later' ? now + DRAFT_PERIOD : null,
      discounts: invoiceDiscounts(sandbox, subscription, now),
    },
    options.emit,
  );
  markUsedDiscounts(sandbox, invoice);
  setPendingLines(sandbox, subscription.id, []);
  // Remember which line billed each item's period: a later proration credits it.
  for (const line of invoiceLines(sandbox, invoice.id)) {
    const details = line.parent?.subscription_item_details;
    if (details && !details.proration) {
      sandbox.store.setInternal(`item_line:${details.subscription_item}`, {
        invoice: invoice.id,
        line: line.id,
      });
    }
  }
  if (options.finalize === 'now') finalizeInvoice(sandbox, invoice, options.emit);
  return invoice;
}

/** The subscription's discounts that apply to an invoice made at `at` (a repeating one until its end). */
function invoiceDiscounts(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  at: number,
): LineDiscount[] {
  return applicableDiscounts(
    sandbox,
    discountsOf(sandbox, subscription.discounts as Array<string | Stripe.Discount>),
    at,
  );
}

/**
 * Of these discounts, those an invoice made at `at` takes: not past their `end`, and not a `once`
 * discount that an earlier invoice used (it leaves the subscription before the next one).
 */
function applicableDiscounts(
  sandbox: SandboxCore,
  discounts: readonly Stripe.Discount[],
  at: number,
): LineDiscount[] {
  return discounts
    .filter((discount) => !discountOver(sandbox, discount, at))
    .map((discount) => lineDiscount(sandbox, discount))
    .filter((discount): discount is LineDiscount => discount !== null);
}

/** A discount past its `end` at `at`, or a `once` one an earlier invoice used. */
function discountOver(sandbox: SandboxCore, discount: Stripe.Discount, at: number): boolean {
  return (
    (discount.end !== null && at >= discount.end) ||
    sandbox.store.getInternal(`discount_used:${discount.id}`) !== undefined
  );
}

/** A `once` discount that took money off an invoice is used: the next invoice goes without it. */
function markUsedDiscounts(sandbox: SandboxCore, invoice: Stripe.Invoice): void {
  for (const taken of invoice.total_discount_amounts ?? []) {
    const id = idOf(taken.discount as string | { id: string }) ?? '';
    const discount = sandbox.store.collection<Stripe.Discount>('discounts').get(id);
    const coupon = discount ? lineDiscount(sandbox, discount)?.coupon : undefined;
    if (coupon?.duration === 'once' && taken.amount > 0) {
      sandbox.store.setInternal(`discount_used:${id}`, invoice.id);
    }
  }
}

/**
 * Before an invoice: a used `once` discount, and a repeating one past its end, leave the
 * subscription (`customer.discount.deleted`, `customer.subscription.updated`).
 */
function dropEndedDiscounts(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  at: number,
  emit: Emit,
): void {
  const ended = discountsOf(
    sandbox,
    subscription.discounts as Array<string | Stripe.Discount>,
  ).filter((discount) => discountOver(sandbox, discount, at));
  if (ended.length) removeSubscriptionDiscounts(sandbox, subscription, ended, emit);
}

/** Takes discounts off a subscription for good. */
function removeSubscriptionDiscounts(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  discounts: Stripe.Discount[],
  emit: Emit,
): Stripe.DeletedDiscount[] {
  const gone = new Set(discounts.map((discount) => discount.id));
  const previous = trackChanges(subscription, (s) => {
    s.discounts = s.discounts.filter((id) => !gone.has(idOf(id) ?? ''));
  });
  const stubs = discounts.map((discount) => removeDiscount(sandbox, discount, emit));
  emit('customer.subscription.updated', subscription, previous);
  return stubs;
}

/** What a subscription's `discounts` take off full periods of `items`, before anything exists. */
function plannedDiscount(
  sandbox: SandboxCore,
  items: Array<{ price: Stripe.Price; quantity: number }>,
  discounts: ResolvedDiscount[],
  currency: string,
): number {
  return computeDiscountAmounts(
    sandbox,
    items.map((item) => ({
      amount: periodAmount(item.price, item.quantity),
      discountable: true,
      product: idOf(item.price.product as string | { id: string }),
    })),
    discounts.map(
      (discount, index) =>
        (discount.existing && lineDiscount(sandbox, discount.existing)) || {
          id: String(index),
          coupon: discount.coupon,
        },
    ),
    currency,
  ).total;
}

/** Makes the Discount objects of a subscription's redemptions (`customer.discount.created` later). */
function subscriptionDiscounts(
  sandbox: SandboxCore,
  resolved: ResolvedDiscount[],
  owner: DiscountOwner & { subscription: string },
): Stripe.Discount[] {
  return resolved.map((discount) => createDiscount(sandbox, discount, owner));
}

/** Billing's payment attempt on a finalized invoice, with the subscription's payment method. */
function collect(sandbox: SandboxCore, invoice: Stripe.Invoice, emit: Emit, origin: string): void {
  if (invoice.status !== 'open' || invoice.amount_due === 0) return;
  attemptInvoicePayment(sandbox, invoice, defaultPaymentMethodForInvoice(sandbox, invoice), {
    emit,
    origin,
  });
}

/** Ends a subscription now: `canceled`, `customer.subscription.deleted`. */
function cancelNow(
  subscription: Stripe.Subscription,
  at: number,
  reason: Stripe.Subscription.CancellationDetails.Reason | null,
  emit: Emit,
  details: { comment?: string | null | undefined; feedback?: string | null | undefined } = {},
): void {
  subscription.status = 'canceled';
  subscription.canceled_at ??= at;
  subscription.ended_at = at;
  subscription.cancellation_details = {
    comment: details.comment ?? subscription.cancellation_details?.comment ?? null,
    feedback: (details.feedback ??
      subscription.cancellation_details?.feedback ??
      null) as Stripe.Subscription.CancellationDetails.Feedback | null,
    feedback_option: null,
    reason: reason ?? subscription.cancellation_details?.reason ?? null,
  };
  emit('customer.subscription.deleted', subscription);
}

/** A `cancel_at` parameter: a timestamp, or the end of the items' current period. */
type CancelAtParam = number | 'max_period_end' | 'min_period_end';

/** Refuses `cancel_at` beside `cancel_at_period_end=true`: they name two ends. */
function assertOneEnd(
  cancelAt: CancelAtParam | null | undefined,
  atPeriodEnd: boolean | undefined,
  param: string,
): void {
  if (cancelAt !== undefined && cancelAt !== null && atPeriodEnd === true) {
    throw invalidRequest(
      'You may only specify one of these parameters: cancel_at, cancel_at_period_end.',
      param,
    );
  }
}

/**
 * When `cancel_at` ends the subscription: its time (which must be in the future), or for
 * `min_period_end`/`max_period_end` the end of the items' current period, `periodEnd`. Once
 * resolved it is a time: a later change to the period does not move it.
 * @see https://docs.stripe.com/api/subscriptions/update#update_subscription-cancel_at
 */
function resolveCancelAt(
  value: CancelAtParam,
  now: number,
  periodEnd: number,
  param: string,
): number {
  if (typeof value !== 'number') return periodEnd;
  if (value <= now) {
    throw invalidRequest(
      'Invalid timestamp: must be an integer Unix timestamp in the future.',
      param,
    );
  }
  return value;
}

function hasOpenInvoices(sandbox: SandboxCore, subscriptionId: string): boolean {
  return invoiceCollection(sandbox)
    .values()
    .some(
      (invoice) => invoice.status === 'open' && invoiceSubscriptionId(invoice) === subscriptionId,
    );
}

/** What a new subscription's billing depends on (also what an invoice preview of one takes). */
export interface NewSubscriptionInput {
  items: Array<{
    price?: string | undefined;
    plan?: string | undefined;
    quantity?: number | undefined;
    metadata?: Record<string, string> | null | undefined;
  }>;
  trial_end?: 'now' | number | undefined;
  trial_period_days?: number | undefined;
  trial_from_plan?: boolean | undefined;
  discounts?: DiscountParam[] | null | undefined;
}

interface NewSubscriptionPlan {
  now: number;
  planned: PlannedItem[];
  currency: string;
  /** A full period of every item, before discounts. */
  fullPeriod: number;
  discounts: ResolvedDiscount[];
  trialEndsAt: number | null;
  /** The first period: to the trial's end, or a full interval. */
  period: { start: number; end: number };
}

/**
 * Checks a new subscription's items, trial and discounts (a promotion code as on create, with
 * its errors) and works out its first period, changing nothing: `create` makes it, an invoice
 * preview shows its first invoice. `base` names parameters in errors.
 */
function planNewSubscription(
  sandbox: SandboxCore,
  customer: Stripe.Customer,
  input: NewSubscriptionInput,
  base = '',
): NewSubscriptionPlan {
  const planned: PlannedItem[] = input.items.map((item, index) => {
    const param = nestedParam(base, `items[${index}][price]`);
    const priceId = item.price ?? item.plan;
    if (!priceId) throw missingParameter(param);
    return {
      price: findBillablePrice(sandbox, priceId, param),
      quantity: item.quantity ?? 1,
      metadata: initialMetadata(item.metadata),
      param,
    };
  });
  checkPrices(planned, nestedParam(base, 'items'));
  const now = customerNow(sandbox, customer.id);
  const currency = planned[0]?.price.currency ?? 'usd';
  const fullPeriod = planned.reduce(
    (sum, item) => sum + periodAmount(item.price, item.quantity),
    0,
  );
  const discounts = input.discounts?.length
    ? resolveDiscounts(sandbox, input.discounts, {
        customer: customer.id,
        currency,
        amount: fullPeriod,
        at: now,
      })
    : [];

  let trialEndsAt: number | null = null;
  if (typeof input.trial_end === 'number') {
    if (input.trial_end <= now) {
      throw invalidRequest(
        'Invalid timestamp: must be an integer Unix timestamp in the future.',
        nestedParam(base, 'trial_end'),
      );
    }
    if (input.trial_end > now + 730 * DAY) {
      throw invalidRequest(
        'Invalid timestamp: can be no more than 730 days (2 years) in the future.',
        nestedParam(base, 'trial_end'),
      );
    }
    trialEndsAt = input.trial_end;
  } else if (input.trial_period_days) {
    trialEndsAt = now + input.trial_period_days * DAY;
  } else if (input.trial_from_plan) {
    const days = Math.max(...planned.map((item) => item.price.recurring?.trial_period_days ?? 0));
    if (days > 0) trialEndsAt = now + days * DAY;
  }
  const { interval, count } = recurringOf(planned[0]?.price as Stripe.Price);
  const period = {
    start: now,
    end: trialEndsAt ?? periodEndAfter(now, now, interval, count),
  };
  return { now, planned, currency, fullPeriod, discounts, trialEndsAt, period };
}

// --- creation ------------------------------------------------------------------------------------

function create(ctx: RequestContext): Stripe.Subscription {
  return createSubscription(ctx, null);
}

/**
 * `POST /v1/subscriptions` as a Checkout Session in subscription mode calls it: the same
 * parameters and checks, and the Discounts the subscription redeems name the session
 * (`checkout_session`) from the start, so that `customer.discount.created` carries it.
 */
export function checkoutSubscriptionRoute(checkoutSession: string): Route {
  return {
    method: 'POST',
    path: '/v1/subscriptions',
    handler: (ctx) => createSubscription(ctx, checkoutSession),
  };
}

function createSubscription(
  ctx: RequestContext,
  checkoutSession: string | null,
): Stripe.Subscription {
  const input = ctx.parse(createSchema);
  const { sandbox } = ctx;
  if (input.payment_behavior === 'pending_if_incomplete') {
    throw invalidRequest(
      'payment_behavior=pending_if_incomplete is not supported by the sandbox (it applies to updates only on Stripe). Use allow_incomplete, default_incomplete or error_if_incomplete.',
      'payment_behavior',
    );
  }
  if (input.collection_method === 'send_invoice') {
    throw invalidRequest(
      'collection_method=send_invoice is not supported by the sandbox: subscriptions are charged automatically.',
      'collection_method',
    );
  }
  if (!input.items?.length) throw missingParameter('items');
  if (input.trial_end !== undefined && input.trial_period_days !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: trial_end, trial_period_days.',
      'trial_end',
    );
  }
  if (input.trial_from_plan && input.trial_end !== undefined) {
    throw invalidRequest(
      'You cannot set trial_end when trial_from_plan=true; pass one or the other.',
      'trial_from_plan',
    );
  }
  assertOneEnd(input.cancel_at, input.cancel_at_period_end, 'cancel_at');
  const customer = findCustomer(sandbox, input.customer);
  const { now, planned, currency, fullPeriod, discounts, trialEndsAt, period } =
    planNewSubscription(sandbox, customer, {
      ...input,
      items: input.items,
      discounts: input.discounts as DiscountParam[] | null | undefined,
    });
  // Set to end at the period's end (which sets `cancel_at` to it too), on a date, or not at all.
  const endsAt = input.cancel_at_period_end
    ? period.end
    : input.cancel_at === undefined
      ? null
      : resolveCancelAt(input.cancel_at, now, period.end, 'cancel_at');

  const paymentMethod = input.default_payment_method
    ? paymentMethodFor(sandbox, customer.id, input.default_payment_method)
    : undefined;
  const paymentMethodId =
    paymentMethod?.id ?? idOf(customer.invoice_settings.default_payment_method as string | null);
  const behaviour = input.payment_behavior ?? 'allow_incomplete';
  const firstTotal = trialEndsAt
    ? 0
    : fullPeriod - plannedDiscount(sandbox, planned, discounts, currency);
  // What finalizing will charge: nothing when credit covers it or it is below the minimum charge.
  const { amountDue } = settleInvoiceTotal(firstTotal, customer.balance, currency);
  const charges = amountDue > 0 && behaviour !== 'default_incomplete';
  const prediction = charges ? predictPayment(sandbox, paymentMethodId) : null;
  if (prediction?.kind === 'no_payment_method') throw invalidRequest(NO_PAYMENT_METHOD);
  if (prediction && behaviour === 'error_if_incomplete') assertPaymentWillSucceed(prediction);
  // The card check of a payment method not saved yet (a declining card fails here, with a 402).
  if (paymentMethod) attachPaymentMethod(sandbox, paymentMethod, customer.id, ctx.emit);
  rememberOrigin(ctx);

  const anchor = trialEndsAt ?? now;
  const status: Stripe.Subscription.Status = trialEndsAt
    ? 'trialing'
    : amountDue === 0
      ? 'active'
      : behaviour === 'default_incomplete' || prediction?.kind !== 'succeeds'
        ? 'incomplete'
        : 'active';
  const id = newId('sub');
  const invoiceId = newId('in');
  const pendingSetupIntent =
    behaviour === 'default_incomplete' && amountDue === 0 && !paymentMethodId
      ? createPendingSetupIntent(sandbox, customer.id, now, ctx.emit)
      : null;
  if (pendingSetupIntent) sandbox.store.setInternal(`pending_si:${pendingSetupIntent.id}`, id);
  const items = planned.map((item) => newItem(id, item, now, period));
  const subscription: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode:
      input.billing_mode?.type === 'classic'
        ? { flexible: null, type: 'classic' }
        : {
            flexible: {
              proration_discounts: input.billing_mode?.flexible?.proration_discounts ?? 'included',
            },
            type: 'flexible',
          },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: endsAt,
    cancel_at_period_end: input.cancel_at_period_end ?? false,
    canceled_at: endsAt !== null ? now : null,
    cancellation_details: {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: endsAt !== null ? 'cancellation_requested' : null,
    },
    collection_method: 'charge_automatically',
    created: now,
    currency,
    customer: customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: paymentMethod?.id ?? null,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: subscriptionDiscounts(sandbox, discounts, {
      customer: customer.id,
      subscription: id,
      checkoutSession,
      start: now,
    }).map((discount) => discount.id),
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: items,
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: invoiceId,
    livemode: false,
    managed_payments: null,
    metadata: initialMetadata(input.metadata),
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: input.payment_settings?.payment_method_types ? ['card'] : null,
      save_default_payment_method: input.payment_settings?.save_default_payment_method ?? 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: pendingSetupIntent?.id ?? null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status,
    test_clock: customer.test_clock ?? null,
    transfer_data: null,
    trial_end: trialEndsAt,
    trial_settings: {
      end_behavior: {
        billing_cycle_anchor: null,
        missing_payment_method:
          input.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice',
      },
    },
    trial_start: trialEndsAt ? now : null,
  };
  subscriptionCollection(sandbox).set(subscription);
  syncItems(sandbox, subscription);
  ctx.emit('customer.subscription.created', subscription);
  for (const discount of discountsOf(sandbox, subscription.discounts as string[])) {
    ctx.emit('customer.discount.created', discount);
  }
  if (trialEndsAt && trialEndsAt - now <= TRIAL_WILL_END_NOTICE) {
    sendTrialWillEnd(sandbox, subscription, ctx.emit);
  }
  const invoice = billSubscription(sandbox, subscription, {
    id: invoiceId,
    reason: 'subscription_create',
    lines: trialEndsAt
      ? trialLines(sandbox, subscription, period)
      : cycleLines(sandbox, subscription, period),
    periodStart: now,
    periodEnd: now,
    finalize: 'now',
    emit: ctx.emit,
  });
  if (charges) collect(sandbox, invoice, ctx.emit, ctx.origin);
  return subscription;
}

function sendTrialWillEnd(sandbox: SandboxCore, subscription: Stripe.Subscription, emit: Emit) {
  sandbox.store.setInternal(`trial_will_end:${subscription.id}`, subscription.trial_end);
  emit('customer.subscription.trial_will_end', subscription);
}

// --- retrieve, list ------------------------------------------------------------------------------

function retrieve(ctx: RequestContext): Stripe.Subscription {
  ctx.parse(params({}));
  return findSubscription(ctx.sandbox, ctx.path.id as string);
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Subscription> {
  const input = ctx.parse(listSchema);
  const price = input.price ?? input.plan;
  const statusMatches = (status: string) => {
    if (!input.status) return status !== 'canceled';
    if (input.status === 'all') return true;
    if (input.status === 'ended') return ENDED.includes(status);
    return status === input.status;
  };
  const items = subscriptionCollection(ctx.sandbox)
    .values()
    .filter(
      (subscription) =>
        statusMatches(subscription.status) &&
        (!input.customer || customerOf(subscription) === input.customer) &&
        (!price || subscription.items.data.some((item) => item.price.id === price)) &&
        (!input.test_clock ||
          idOf(subscription.test_clock as string | null) === input.test_clock) &&
        (!input.collection_method || subscription.collection_method === input.collection_method),
    );
  return paginate(items, input, ctx.url.pathname, 'subscription');
}

// --- update --------------------------------------------------------------------------------------

interface ItemChange {
  existing: Stripe.SubscriptionItem | null;
  price: Stripe.Price;
  quantity: number;
  metadata: Record<string, string>;
  deleted: boolean;
  param: string;
}

/** Reads `items[n]`: changes to existing items (by `id`), new items, deletions. */
function itemChanges(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  input: z.output<typeof updateItemShape>[],
  itemsParam = 'items',
): ItemChange[] {
  const changes: ItemChange[] = subscription.items.data.map((item) => ({
    existing: item,
    price: item.price,
    quantity: itemQuantity(item),
    metadata: { ...item.metadata },
    deleted: false,
    param: itemsParam,
  }));
  input.forEach((entry, index) => {
    const param = `${itemsParam}[${index}]`;
    const priceId = entry.price ?? entry.plan;
    if (entry.id) {
      const change = changes.find((candidate) => candidate.existing?.id === entry.id);
      if (!change) {
        throw invalidRequest(
          `Invalid subscription_item id: ${entry.id} is not an item of ${subscription.id}.`,
          `${param}[id]`,
        );
      }
      if (priceId) change.price = findBillablePrice(sandbox, priceId, `${param}[price]`);
      if (entry.quantity !== undefined) change.quantity = entry.quantity;
      change.metadata = mergeMetadata(change.metadata, entry.metadata);
      if (entry.deleted) change.deleted = true;
      change.param = `${param}[price]`;
      return;
    }
    if (entry.deleted) {
      throw invalidRequest('Deleting an item needs its id: pass items[n][id].', `${param}[id]`);
    }
    if (!priceId) throw missingParameter(`${param}[price]`);
    changes.push({
      existing: null,
      price: findBillablePrice(sandbox, priceId, `${param}[price]`),
      quantity: entry.quantity ?? 1,
      metadata: initialMetadata(entry.metadata),
      deleted: false,
      param: `${param}[price]`,
    });
  });
  const kept = changes.filter((change) => !change.deleted);
  if (kept.length === 0) {
    throw invalidRequest(
      'A subscription must keep at least one item; cancel the subscription instead.',
      itemsParam,
    );
  }
  checkPrices(
    kept.map((change) => ({
      price: change.price,
      quantity: change.quantity,
      metadata: change.metadata,
      param: change.param,
    })),
    itemsParam,
  );
  return changes;
}

/**
 * The proration lines for a change at `at`: credit for the unused time of what was billed,
 * charge for the remaining time of what replaces it, each to the second.
 */
function prorationLines(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  changes: ItemChange[],
  at: number,
  period: { start: number; end: number },
  creditsOnly = false,
): LineDraft[] {
  const lines: LineDraft[] = [];
  const length = period.end - period.start;
  const remaining = period.end - at;
  if (remaining <= 0) return lines;
  const date = formatDate(at);
  const range = { start: at, end: period.end };
  for (const change of changes) {
    const old = change.existing;
    const unchanged =
      old &&
      !change.deleted &&
      old.price.id === change.price.id &&
      itemQuantity(old) === change.quantity;
    if (unchanged) continue;
    const itemId = old?.id ?? '';
    if (old) {
      const billed = sandbox.store.getInternal<{ invoice: string; line: string }>(
        `item_line:${old.id}`,
      );
      lines.push({
        amount: -prorate(
          periodAmount(old.price, itemQuantity(old)),
          remaining,
          length,
          subscription.currency,
        ),
        description: `Unused time on ${itemQuantity(old)} × ${productName(sandbox, old.price)} after ${date}`,
        period: range,
        price: old.price,
        quantity: itemQuantity(old),
        proration: true,
        subscription: subscription.id,
        subscriptionItem: itemId,
        invoiceItem: newId('ii'),
        creditedItems: billed
          ? { invoice: billed.invoice, invoice_line_items: [billed.line] }
          : null,
      });
    }
    if (!change.deleted && !creditsOnly) {
      lines.push({
        amount: prorate(
          periodAmount(change.price, change.quantity),
          remaining,
          length,
          subscription.currency,
        ),
        description: `Remaining time on ${change.quantity} × ${productName(sandbox, change.price)} after ${date}`,
        period: range,
        price: change.price,
        quantity: change.quantity,
        proration: true,
        subscription: subscription.id,
        subscriptionItem: itemId,
        invoiceItem: newId('ii'),
        creditedItems: null,
      });
    }
  }
  return lines;
}

/** What an update changes that billing sees (also what an invoice preview of one takes). */
export interface SubscriptionChangeInput {
  items?: z.output<typeof updateItemShape>[] | undefined;
  proration_behavior?: 'always_invoice' | 'create_prorations' | 'none' | undefined;
  proration_date?: number | undefined;
  cancel_at_period_end?: boolean | undefined;
  trial_end?: 'now' | number | undefined;
  discounts?: DiscountParam[] | null | undefined;
  default_payment_method?: string | null | undefined;
}

/**
 * An update's change: what a preview takes, and `cancel_at` (a time or an enum; `""`, null, takes
 * a dated end off), which previews refuse.
 */
type UpdateChangeInput = SubscriptionChangeInput & {
  cancel_at?: CancelAtParam | null | undefined;
};

/** What a change comes to, worked out before anything moves. */
interface SubscriptionChangePlan {
  now: number;
  period: { start: number; end: number };
  changes: ItemChange[] | null;
  kept: ItemChange[];
  newCycle: { interval: Interval; count: number } | null;
  resetsCycle: boolean;
  endsTrialNow: boolean;
  currentDiscounts: Stripe.Discount[];
  /** `discounts`: a list replaces them, `""` removes them (`[]`), absent or `[]` leaves them (null). */
  newDiscounts: ResolvedDiscount[] | null;
  prorationDate: number;
  prorations: LineDraft[];
  invoicesNow: boolean;
}

/** `items[0][price]` under `subscription_details` → `subscription_details[items][0][price]`. */
function nestedParam(base: string, param: string): string {
  if (!base) return param;
  const bracket = param.indexOf('[');
  return bracket === -1
    ? `${base}[${param}]`
    : `${base}[${param.slice(0, bracket)}]${param.slice(bracket)}`;
}

/**
 * Checks a change to a subscription and works out what it comes to (item changes, proration
 * lines, whether it invoices now), changing nothing: `update` applies the plan, and an invoice
 * preview shows it, so both take the same path. `base` names parameters in errors
 * (`subscription_details` for a preview).
 */
function planSubscriptionChange(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  input: UpdateChangeInput,
  base = '',
): SubscriptionChangePlan {
  const customerId = customerOf(subscription);
  const changesBilling =
    input.items !== undefined ||
    input.trial_end !== undefined ||
    input.cancel_at !== undefined ||
    input.cancel_at_period_end !== undefined;
  if (
    isEnded(subscription) &&
    (changesBilling || input.default_payment_method !== undefined || input.discounts !== undefined)
  ) {
    throw invalidRequest(
      `A ${subscription.status} subscription can only update its cancellation_details and metadata.`,
    );
  }
  if (subscription.status === 'incomplete' && changesBilling) {
    throw invalidRequest(
      'A subscription with status incomplete can only update metadata, description and default_payment_method until its first invoice is paid.',
    );
  }
  if (
    subscription.status === 'paused' &&
    (input.items !== undefined || input.trial_end !== undefined)
  ) {
    throw invalidRequest(
      'A paused subscription cannot change its items or trial: resume it first (POST /v1/subscriptions/:id/resume).',
    );
  }
  if (input.trial_end !== undefined && subscription.status !== 'trialing') {
    throw invalidRequest(
      'The sandbox can change trial_end only on a trialing subscription (ending it with trial_end=now, or moving its end).',
      nestedParam(base, 'trial_end'),
    );
  }
  assertOneEnd(input.cancel_at, input.cancel_at_period_end, nestedParam(base, 'cancel_at'));
  const now = customerNow(sandbox, customerId);
  const period = periodOf(subscription);
  // A time in the past is refused before anything moves (the enums are resolved as applied).
  if (typeof input.cancel_at === 'number') {
    resolveCancelAt(input.cancel_at, now, period.end, nestedParam(base, 'cancel_at'));
  }
  if (typeof input.trial_end === 'number') {
    if (input.trial_end <= now) {
      throw invalidRequest(
        'Invalid timestamp: must be an integer Unix timestamp in the future.',
        nestedParam(base, 'trial_end'),
      );
    }
  }
  // Without a proration_date, now (within the period, even if the tick has not renewed it yet).
  const prorationDate = input.proration_date ?? Math.min(now, period.end);
  if (prorationDate < period.start || prorationDate > period.end) {
    throw invalidRequest(
      'proration_date must be within the current billing period of the subscription.',
      nestedParam(base, 'proration_date'),
    );
  }
  const changes = input.items
    ? itemChanges(sandbox, subscription, input.items, nestedParam(base, 'items'))
    : null;
  const kept = changes?.filter((change) => !change.deleted) ?? [];
  const newCycle = kept[0] ? recurringOf(kept[0].price) : null;
  const oldCycle = cycleOf(subscription);
  const resetsCycle =
    newCycle !== null &&
    subscription.status !== 'trialing' &&
    (newCycle.interval !== oldCycle.interval || newCycle.count !== oldCycle.count);
  const changesItems = changes?.some(
    (change) =>
      change.deleted ||
      !change.existing ||
      change.existing.price.id !== change.price.id ||
      itemQuantity(change.existing) !== change.quantity,
  );
  // `discounts`: a list replaces them (`[{ discount }]` keeps one), "" removes them, [] leaves them.
  const currentDiscounts = discountsOf(
    sandbox,
    subscription.discounts as Array<string | Stripe.Discount>,
  );
  const newDiscounts =
    input.discounts === null
      ? []
      : input.discounts?.length
        ? resolveDiscounts(sandbox, input.discounts, {
            customer: customerId,
            currency: subscription.currency,
            amount: null,
            at: now,
            existing: currentDiscounts.map((discount) => discount.id),
          })
        : null;

  const behaviour = input.proration_behavior ?? 'create_prorations';
  const prorates =
    changes !== null &&
    changesItems === true &&
    behaviour !== 'none' &&
    subscription.status !== 'trialing';
  // A new billing interval restarts the cycle: the unused time is credited and the new period
  // billed in full, now.
  const prorations = prorates
    ? prorationLines(sandbox, subscription, changes, prorationDate, period, resetsCycle)
    : [];
  const endsTrialNow = input.trial_end === 'now';
  const invoicesNow =
    resetsCycle ||
    endsTrialNow ||
    (behaviour === 'always_invoice' &&
      (prorations.length > 0 || pendingLines(sandbox, subscription.id).length > 0));
  return {
    now,
    period,
    changes,
    kept,
    newCycle,
    resetsCycle,
    endsTrialNow,
    currentDiscounts,
    newDiscounts,
    prorationDate,
    prorations,
    invoicesNow,
  };
}

/**
 * Puts a plan's item changes on `s` (the subscription, or a preview's copy of it): prices and
 * quantities, new items, deleted ones (returned), all on `newPeriod`; new items' proration lines
 * get the new item's id. Returns the ids of the deleted items.
 */
function applyItemChanges(
  s: Stripe.Subscription,
  changes: ItemChange[],
  prorations: LineDraft[],
  now: number,
  newPeriod: { start: number; end: number },
): string[] {
  const removed: string[] = [];
  const data: Stripe.SubscriptionItem[] = [];
  for (const change of changes) {
    if (change.deleted) {
      if (change.existing) removed.push(change.existing.id);
      continue;
    }
    const item = change.existing ?? newItem(s.id, { ...change }, now, newPeriod);
    if (change.existing) {
      item.price = change.price;
      item.plan = planOf(change.price);
      item.quantity = change.quantity;
      item.metadata = change.metadata;
    }
    item.current_period_start = newPeriod.start;
    item.current_period_end = newPeriod.end;
    data.push(item);
  }
  s.items = { ...s.items, data };
  // Prorated items bill through the lines made for them.
  for (const line of prorations) {
    if (!line.subscriptionItem) {
      const match = data.find((item) => item.price.id === line.price.id);
      if (match) line.subscriptionItem = match.id;
    }
  }
  return removed;
}

function update(ctx: RequestContext): Stripe.Subscription {
  const input = ctx.parse(updateSchema);
  const { sandbox } = ctx;
  const subscription = findSubscription(sandbox, ctx.path.id as string);
  const customerId = customerOf(subscription);
  if (input.payment_behavior === 'pending_if_incomplete') {
    throw invalidRequest(
      'payment_behavior=pending_if_incomplete (pending updates) is not supported by the sandbox. Use allow_incomplete, default_incomplete or error_if_incomplete.',
      'payment_behavior',
    );
  }
  const change = { ...input, discounts: input.discounts as DiscountParam[] | null | undefined };
  const plan = planSubscriptionChange(sandbox, subscription, change);
  const {
    now,
    period,
    changes,
    newCycle,
    resetsCycle,
    endsTrialNow,
    currentDiscounts,
    newDiscounts,
    prorations,
    invoicesNow,
  } = plan;
  const paymentMethod = input.default_payment_method
    ? paymentMethodFor(sandbox, customerId, input.default_payment_method)
    : undefined;

  const paymentBehaviour = input.payment_behavior ?? 'allow_incomplete';
  const newPaymentMethodId =
    input.default_payment_method === null
      ? null
      : (paymentMethod?.id ?? defaultPaymentMethod(sandbox, subscription));
  if (invoicesNow && paymentBehaviour === 'error_if_incomplete') {
    // The invoice this update makes, as its preview shows it (discounts, pending prorations), and
    // what finalizing it will charge (the customer's balance, the minimum charge): only a charge
    // can fail.
    const draft = previewSubscriptionChange(sandbox, subscription, change);
    const invoice = buildDraftInvoice(sandbox, draft);
    const { amountDue } = settleInvoiceTotal(
      invoice.total,
      findCustomer(sandbox, customerId).balance,
      invoice.currency,
    );
    if (amountDue > 0) assertPaymentWillSucceed(predictPayment(sandbox, newPaymentMethodId));
  }
  if (paymentMethod) attachPaymentMethod(sandbox, paymentMethod, customerId, ctx.emit);
  rememberOrigin(ctx);

  const invoiceId = invoicesNow ? newId('in') : null;
  const removed: string[] = [];
  const keptDiscounts = new Set(newDiscounts?.map((discount) => discount.existing?.id));
  const droppedDiscounts = newDiscounts
    ? currentDiscounts.filter((discount) => !keptDiscounts.has(discount.id))
    : [];
  const addedDiscounts = newDiscounts
    ? subscriptionDiscounts(
        sandbox,
        newDiscounts.filter((discount) => !discount.existing),
        { customer: customerId, subscription: subscription.id, start: now },
      )
    : [];
  let added = 0;
  const nextDiscounts = newDiscounts?.map((discount) =>
    discount.existing ? discount.existing.id : (addedDiscounts[added++] as Stripe.Discount).id,
  );
  let newPeriod = period;
  const previous = trackChanges(subscription, (s) => {
    if (changes) {
      if (resetsCycle && newCycle) {
        newPeriod = {
          start: now,
          end: periodEndAfter(now, now, newCycle.interval, newCycle.count),
        };
        s.billing_cycle_anchor = now;
      }
      removed.push(...applyItemChanges(s, changes, prorations, now, newPeriod));
    }
    if (input.default_payment_method !== undefined) {
      s.default_payment_method = paymentMethod?.id ?? null;
    }
    if (input.description !== undefined) s.description = input.description;
    if (nextDiscounts) s.discounts = nextDiscounts;
    s.metadata = mergeMetadata(s.metadata, input.metadata);
    if (input.payment_settings?.save_default_payment_method) {
      s.payment_settings = {
        payment_method_options: s.payment_settings?.payment_method_options ?? null,
        payment_method_types: s.payment_settings?.payment_method_types ?? null,
        save_default_payment_method: input.payment_settings.save_default_payment_method,
      };
    }
    if (input.trial_settings) {
      s.trial_settings = {
        end_behavior: {
          billing_cycle_anchor: null,
          missing_payment_method: input.trial_settings.end_behavior.missing_payment_method,
        },
      };
    }
    if (typeof input.trial_end === 'number') {
      s.trial_end = input.trial_end;
      s.billing_cycle_anchor = input.trial_end;
      for (const item of s.items.data) item.current_period_end = input.trial_end;
      if (s.cancel_at_period_end) s.cancel_at = input.trial_end;
    }
    if (endsTrialNow) {
      s.trial_end = now;
      s.billing_cycle_anchor = now;
      s.status = 'active';
      const { interval, count } = cycleOf(s);
      newPeriod = { start: now, end: periodEndAfter(now, now, interval, count) };
      for (const item of s.items.data) {
        item.current_period_start = newPeriod.start;
        item.current_period_end = newPeriod.end;
      }
    }
    // After the trial's changes: the period's end is the trial's new end, or the new period's.
    const periodEnd = s.status === 'trialing' && s.trial_end ? s.trial_end : newPeriod.end;
    // `cancel_at`: a time (or the period's end, resolved now) replaces any end set before.
    const endsAt =
      input.cancel_at === undefined || input.cancel_at === null
        ? null
        : resolveCancelAt(input.cancel_at, now, periodEnd, 'cancel_at');
    const requestsEnd = (at: number, atPeriodEnd: boolean) => {
      s.cancel_at_period_end = atPeriodEnd;
      s.cancel_at = at;
      s.canceled_at = now;
      s.cancellation_details = {
        comment: input.cancellation_details?.comment ?? null,
        feedback: input.cancellation_details?.feedback ?? null,
        feedback_option: null,
        reason: 'cancellation_requested',
      };
    };
    if (endsAt !== null && (endsAt !== s.cancel_at || s.cancel_at_period_end)) {
      requestsEnd(endsAt, false);
    } else if (input.cancel_at_period_end === true && !s.cancel_at_period_end) {
      requestsEnd(periodEnd, true);
    } else if (
      // `cancel_at=""` takes off either end; `cancel_at_period_end=false` only the period's end
      // it set: a dated end stays.
      (input.cancel_at === null && (s.cancel_at !== null || s.cancel_at_period_end)) ||
      (input.cancel_at_period_end === false && s.cancel_at_period_end)
    ) {
      s.cancel_at_period_end = false;
      s.cancel_at = null;
      s.canceled_at = null;
      s.cancellation_details = {
        comment: null,
        feedback: null,
        feedback_option: null,
        reason: null,
      };
    } else if (input.cancellation_details) {
      s.cancellation_details = {
        comment:
          input.cancellation_details.comment !== undefined
            ? input.cancellation_details.comment
            : (s.cancellation_details?.comment ?? null),
        feedback:
          input.cancellation_details.feedback !== undefined
            ? input.cancellation_details.feedback
            : (s.cancellation_details?.feedback ?? null),
        feedback_option: null,
        reason: s.cancellation_details?.reason ?? null,
      };
    }
    if (invoiceId) s.latest_invoice = invoiceId;
    if (invoiceId && paymentBehaviour === 'default_incomplete' && s.status === 'active') {
      s.status = 'past_due';
    }
  });
  syncItems(sandbox, subscription, removed);
  for (const discount of droppedDiscounts) removeDiscount(sandbox, discount, ctx.emit);
  for (const discount of addedDiscounts) ctx.emit('customer.discount.created', discount);
  if (Object.keys(previous).length)
    ctx.emit('customer.subscription.updated', subscription, previous);
  if (endsTrialNow) sendTrialWillEnd(sandbox, subscription, ctx.emit);
  else if (
    typeof input.trial_end === 'number' &&
    input.trial_end - now <= TRIAL_WILL_END_NOTICE &&
    sandbox.store.getInternal(`trial_will_end:${subscription.id}`) !== input.trial_end
  ) {
    sendTrialWillEnd(sandbox, subscription, ctx.emit);
  }
  // Prorations wait for the next invoice: this one (always_invoice) or the renewal.
  if (prorations.length) {
    setPendingLines(sandbox, subscription.id, [
      ...pendingLines(sandbox, subscription.id),
      ...prorations,
    ]);
  }
  if (invoiceId) {
    const invoice = billSubscription(sandbox, subscription, {
      id: invoiceId,
      reason: 'subscription_update',
      lines: resetsCycle || endsTrialNow ? cycleLines(sandbox, subscription, newPeriod) : [],
      periodStart: now,
      periodEnd: now,
      finalize: 'now',
      emit: ctx.emit,
    });
    if (paymentBehaviour !== 'default_incomplete') collect(sandbox, invoice, ctx.emit, ctx.origin);
  }
  return subscription;
}

// --- invoice previews ----------------------------------------------------------------------------

/**
 * The invoice a preview shows, as billing would draft it: `POST /v1/invoices/create_preview`
 * makes it into an Invoice. Nothing here is stored.
 */
export interface SubscriptionInvoiceDraft {
  customer: string;
  subscription: Pick<Stripe.Subscription, 'id' | 'metadata'>;
  billingReason: Stripe.Invoice.BillingReason;
  currency: string;
  lines: LineDraft[];
  periodStart: number;
  periodEnd: number;
  /** When billing would make the invoice. */
  created: number;
  finalizesAt: number | null;
  discounts: LineDiscount[];
  /** The time prorations are computed at, when the preview shows some. */
  prorationDate: number | null;
}

/** The Invoice a draft comes to, built as a preview (`upcoming_in_…`): nothing is stored or sent. */
export function buildDraftInvoice(
  sandbox: SandboxCore,
  draft: SubscriptionInvoiceDraft,
): Stripe.Invoice {
  return buildInvoice(sandbox, {
    customer: draft.customer,
    subscription: draft.subscription,
    billingReason: draft.billingReason,
    currency: draft.currency,
    lines: draft.lines,
    periodStart: draft.periodStart,
    periodEnd: draft.periodEnd,
    created: draft.created,
    autoAdvance: true,
    finalizesAt: draft.finalizesAt,
    discounts: draft.discounts,
    preview: true,
  }).invoice;
}

/** `invoice_upcoming_none`: nothing will be invoiced. */
export function upcomingNone(what: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'invoice_upcoming_none',
    message: `No upcoming invoices for ${what}`,
  });
}

/**
 * The next invoice of an existing subscription, after `input`'s change if any: the invoice the
 * update would make now (`always_invoice` with prorations, a new interval, `trial_end=now`), or
 * else the next renewal, with the change's prorations and the next period at its new prices. The
 * plan is `update`'s own (`planSubscriptionChange`), applied to a copy of the subscription.
 */
export function previewSubscriptionChange(
  sandbox: SandboxCore,
  subscription: Stripe.Subscription,
  input: SubscriptionChangeInput & { metadata?: Record<string, string> | null | undefined },
): SubscriptionInvoiceDraft {
  // The plan refers to the items it changes: plan on a copy, so that applying it touches nothing.
  const copy = structuredClone(subscription);
  const plan = planSubscriptionChange(sandbox, copy, input, 'subscription_details');
  const { now, changes, newCycle, resetsCycle, endsTrialNow, prorations, invoicesNow } = plan;
  const customer = customerOf(copy);
  let newPeriod = plan.period;
  if (changes) {
    if (resetsCycle && newCycle) {
      newPeriod = { start: now, end: periodEndAfter(now, now, newCycle.interval, newCycle.count) };
      copy.billing_cycle_anchor = now;
    }
    applyItemChanges(copy, changes, prorations, now, newPeriod);
  }
  if (typeof input.trial_end === 'number') {
    copy.trial_end = input.trial_end;
    copy.billing_cycle_anchor = input.trial_end;
    for (const item of copy.items.data) item.current_period_end = input.trial_end;
  }
  if (endsTrialNow) {
    const { interval, count } = cycleOf(copy);
    newPeriod = { start: now, end: periodEndAfter(now, now, interval, count) };
  }
  const discounts =
    plan.newDiscounts === null
      ? plan.currentDiscounts
      : plan.newDiscounts.map((discount) =>
          buildDiscount(discount, { customer, subscription: copy.id, start: now }),
        );
  const pending = pendingLines(sandbox, copy.id);
  const prorationDate = prorations.length ? plan.prorationDate : null;
  const shown = { id: copy.id, metadata: mergeMetadata(copy.metadata, input.metadata) };
  if (invoicesNow) {
    return {
      customer,
      subscription: shown,
      billingReason: 'subscription_update',
      currency: copy.currency,
      lines: [
        ...pending,
        ...prorations,
        ...(resetsCycle || endsTrialNow ? cycleLines(sandbox, copy, newPeriod) : []),
      ],
      periodStart: now,
      periodEnd: now,
      created: now,
      finalizesAt: null,
      discounts: applicableDiscounts(sandbox, discounts, now),
      prorationDate,
    };
  }
  if (!['active', 'past_due', 'unpaid', 'trialing'].includes(copy.status)) {
    throw upcomingNone(`subscription: ${copy.id}`);
  }
  const current = periodOf(copy);
  const at = copy.status === 'trialing' && copy.trial_end ? copy.trial_end : current.end;
  // A dated end (`cancel_at`) stays when `cancel_at_period_end=false` takes off the period's end.
  const datedEnd = !copy.cancel_at_period_end && copy.cancel_at !== null && copy.cancel_at <= at;
  const cancels = (input.cancel_at_period_end ?? copy.cancel_at_period_end) || datedEnd;
  if (cancels) throw upcomingNone(`subscription: ${copy.id}`);
  const { interval, count } = cycleOf(copy);
  const next = { start: at, end: periodEndAfter(copy.billing_cycle_anchor, at, interval, count) };
  return {
    customer,
    subscription: shown,
    billingReason: 'subscription_cycle',
    currency: copy.currency,
    lines: [...pending, ...prorations, ...cycleLines(sandbox, copy, next)],
    periodStart: current.start,
    periodEnd: current.end,
    created: at,
    finalizesAt: copy.status === 'unpaid' ? null : at + DRAFT_PERIOD,
    discounts: applicableDiscounts(sandbox, discounts, at),
    prorationDate,
  };
}

/**
 * The first invoice of a subscription `create` would make for the customer: its first period (or
 * trial, $0), its discounts redeemed as on create (the same checks and errors), nothing counted.
 * The subscription and item ids name objects that do not exist.
 */
export function previewNewSubscription(
  sandbox: SandboxCore,
  customer: Stripe.Customer,
  input: NewSubscriptionInput & { metadata?: Record<string, string> | null | undefined },
): SubscriptionInvoiceDraft {
  const plan = planNewSubscription(sandbox, customer, input, 'subscription_details');
  const { now, period, trialEndsAt } = plan;
  const id = newId('sub');
  const subscription = {
    id,
    metadata: initialMetadata(input.metadata),
    items: { data: plan.planned.map((item) => newItem(id, item, now, period)) },
  };
  const discounts = plan.discounts.map((discount) =>
    buildDiscount(discount, { customer: customer.id, subscription: id, start: now }),
  );
  return {
    customer: customer.id,
    subscription: { id, metadata: subscription.metadata },
    billingReason: 'subscription_create',
    currency: plan.currency,
    lines: trialEndsAt
      ? trialLines(sandbox, subscription, period)
      : cycleLines(sandbox, subscription, period),
    periodStart: now,
    periodEnd: now,
    created: now,
    finalizesAt: null,
    discounts: applicableDiscounts(sandbox, discounts, now),
    prorationDate: null,
  };
}

/** The customer's subscriptions that will invoice again, for a preview by `customer` alone. */
export function customerSubscriptions(
  sandbox: SandboxCore,
  customerId: string,
): Stripe.Subscription[] {
  return subscriptionCollection(sandbox)
    .values()
    .filter((subscription) => customerOf(subscription) === customerId && !isEnded(subscription));
}

/** The customer a subscription bills. */
export function subscriptionCustomer(subscription: Stripe.Subscription): string {
  return customerOf(subscription);
}

// --- cancel, resume ------------------------------------------------------------------------------

function cancel(ctx: RequestContext): Stripe.Subscription {
  const input = ctx.parse(cancelSchema);
  const { sandbox } = ctx;
  const subscription = findSubscription(sandbox, ctx.path.id as string);
  if (isEnded(subscription)) {
    throw invalidRequest(
      `This subscription is already ${subscription.status} and cannot be canceled again.`,
      undefined,
      'resource_missing',
    );
  }
  rememberOrigin(ctx);
  const now = customerNow(sandbox, customerOf(subscription));
  const period = periodOf(subscription);
  if (input.prorate && ['active', 'past_due', 'unpaid'].includes(subscription.status)) {
    const credits = prorationLines(
      sandbox,
      subscription,
      subscription.items.data.map((item) => ({
        existing: item,
        price: item.price,
        quantity: itemQuantity(item),
        metadata: item.metadata,
        deleted: true,
        param: 'items',
      })),
      now,
      period,
    );
    setPendingLines(sandbox, subscription.id, [
      ...pendingLines(sandbox, subscription.id),
      ...credits,
    ]);
  }
  // The unpaid first invoice of an incomplete subscription can no longer be paid.
  const latest = subscription.latest_invoice
    ? invoiceCollection(sandbox).get(idOf(subscription.latest_invoice as string) as string)
    : undefined;
  if (subscription.status === 'incomplete' && latest?.status === 'open') {
    voidInvoiceNow(sandbox, latest, ctx.emit);
  }
  subscription.canceled_at = now;
  cancelNow(subscription, now, 'cancellation_requested', ctx.emit, {
    comment: input.cancellation_details?.comment,
    feedback: input.cancellation_details?.feedback,
  });
  if (input.invoice_now && pendingLines(sandbox, subscription.id).length) {
    const invoice = billSubscription(sandbox, subscription, {
      id: newId('in'),
      reason: 'subscription_update',
      lines: [],
      periodStart: period.start,
      periodEnd: now,
      finalize: 'now',
      emit: ctx.emit,
    });
    subscription.latest_invoice = invoice.id;
    collect(sandbox, invoice, ctx.emit, ctx.origin);
  }
  return subscription;
}

function resume(ctx: RequestContext): Stripe.Subscription {
  const input = ctx.parse(resumeSchema);
  const { sandbox } = ctx;
  const subscription = findSubscription(sandbox, ctx.path.id as string);
  if (subscription.status !== 'paused') {
    throw invalidRequest(
      `Only a paused subscription can be resumed; this one is ${subscription.status}.`,
    );
  }
  if (input.billing_cycle_anchor === 'unchanged') {
    throw invalidRequest(
      'billing_cycle_anchor=unchanged is not supported by the sandbox: a resumed subscription starts a new billing period now.',
      'billing_cycle_anchor',
    );
  }
  if (!defaultPaymentMethod(sandbox, subscription)) throw invalidRequest(NO_PAYMENT_METHOD);
  rememberOrigin(ctx);
  const now = customerNow(sandbox, customerOf(subscription));
  const { interval, count } = cycleOf(subscription);
  const period = { start: now, end: periodEndAfter(now, now, interval, count) };
  const invoiceId = newId('in');
  const previous = trackChanges(subscription, (s) => {
    s.status = 'active';
    s.billing_cycle_anchor = now;
    s.latest_invoice = invoiceId;
    for (const item of s.items.data) {
      item.current_period_start = period.start;
      item.current_period_end = period.end;
    }
  });
  syncItems(sandbox, subscription);
  ctx.emit('customer.subscription.updated', subscription, previous);
  ctx.emit('customer.subscription.resumed', subscription);
  const invoice = billSubscription(sandbox, subscription, {
    id: invoiceId,
    reason: 'subscription_update',
    lines: cycleLines(sandbox, subscription, period),
    periodStart: now,
    periodEnd: now,
    finalize: 'now',
    emit: ctx.emit,
  });
  collect(sandbox, invoice, ctx.emit, ctx.origin);
  return subscription;
}

/**
 * `DELETE /v1/subscriptions/:id/discount`: removes the subscription's discounts (this API version
 * keeps a list; the endpoint dates from one discount) and answers with the first, deleted.
 */
function deleteDiscount(ctx: RequestContext): Stripe.DeletedDiscount {
  ctx.parse(params({}));
  const { sandbox } = ctx;
  const subscription = findSubscription(sandbox, ctx.path.id as string);
  const discounts = discountsOf(sandbox, subscription.discounts as Array<string | Stripe.Discount>);
  if (!discounts.length) {
    throw resourceMissing('discount', `${subscription.id}/discount`, 'id');
  }
  const [first] = removeSubscriptionDiscounts(sandbox, subscription, discounts, ctx.emit);
  return first as Stripe.DeletedDiscount;
}

export const subscriptionRoutes: Route[] = [
  { method: 'DELETE', path: '/v1/subscriptions/:id/discount', handler: deleteDiscount },
  { method: 'POST', path: '/v1/subscriptions', handler: create },
  { method: 'GET', path: '/v1/subscriptions', handler: list },
  { method: 'GET', path: '/v1/subscriptions/:id', handler: retrieve },
  { method: 'POST', path: '/v1/subscriptions/:id', handler: update },
  { method: 'DELETE', path: '/v1/subscriptions/:id', handler: cancel },
  { method: 'POST', path: '/v1/subscriptions/:id/resume', handler: resume },
];

// --- the billing engine: what comes due with time ------------------------------------------------

/** Trial ends: charge the default payment method, or follow `trial_settings.end_behavior`. */
function endTrial(sandbox: SandboxCore, subscription: Stripe.Subscription, at: number, emit: Emit) {
  if (!defaultPaymentMethod(sandbox, subscription)) {
    const missing = subscription.trial_settings?.end_behavior.missing_payment_method;
    if (missing === 'cancel') {
      cancelNow(subscription, at, null, emit);
      return;
    }
    if (missing === 'pause') {
      const previous = trackChanges(subscription, (s) => {
        s.status = 'paused';
      });
      emit('customer.subscription.updated', subscription, previous);
      emit('customer.subscription.paused', subscription);
      return;
    }
  }
  renew(sandbox, subscription, at, emit);
}

/** A new billing period from `at`: the items move on and its invoice is drafted. */
function renew(sandbox: SandboxCore, subscription: Stripe.Subscription, at: number, emit: Emit) {
  const { interval, count } = cycleOf(subscription);
  const period = {
    start: at,
    end: periodEndAfter(subscription.billing_cycle_anchor, at, interval, count),
  };
  const previousPeriod = periodOf(subscription);
  const invoiceId = newId('in');
  const previous = trackChanges(subscription, (s) => {
    if (s.status === 'trialing') s.status = 'active';
    s.latest_invoice = invoiceId;
    for (const item of s.items.data) {
      item.current_period_start = period.start;
      item.current_period_end = period.end;
    }
  });
  syncItems(sandbox, subscription);
  emit('customer.subscription.updated', subscription, previous);
  billSubscription(sandbox, subscription, {
    id: invoiceId,
    reason: 'subscription_cycle',
    lines: cycleLines(sandbox, subscription, period),
    periodStart: previousPeriod.start,
    periodEnd: previousPeriod.end,
    // An unpaid subscription's invoices stay drafts: Billing no longer attempts them.
    finalize: subscription.status === 'unpaid' ? 'never' : 'later',
    emit,
  });
}

/** `incomplete` for 23 hours: `incomplete_expired`, its first invoice voided. */
function expire(sandbox: SandboxCore, subscription: Stripe.Subscription, at: number, emit: Emit) {
  const latest = invoiceCollection(sandbox).get(idOf(subscription.latest_invoice as string) ?? '');
  if (latest?.status === 'open') voidInvoiceNow(sandbox, latest, emit);
  const previous = trackChanges(subscription, (s) => {
    s.status = 'incomplete_expired';
    s.canceled_at = at;
    s.ended_at = at;
  });
  emit('customer.subscription.updated', subscription, previous);
}

interface Due {
  at: number;
  /** Order among things due at the same second. */
  rank: number;
  run(at: number, emit: Emit, origin: string): void;
}

function dueFor(sandbox: SandboxCore, clockId: string | null): Due[] {
  const due: Due[] = [];
  for (const subscription of subscriptionCollection(sandbox).values()) {
    if ((idOf(subscription.test_clock as string | null) ?? null) !== clockId) continue;
    const { status } = subscription;
    if (status === 'incomplete') {
      due.push({
        at: subscription.created + INCOMPLETE_WINDOW,
        rank: 4,
        run: (at, emit) => expire(sandbox, subscription, at, emit),
      });
    } else if (status === 'trialing' && subscription.trial_end) {
      const sent = sandbox.store.getInternal(`trial_will_end:${subscription.id}`);
      if (sent !== subscription.trial_end) {
        due.push({
          at: Math.max(subscription.created, subscription.trial_end - TRIAL_WILL_END_NOTICE),
          rank: 0,
          run: (_at, emit) => sendTrialWillEnd(sandbox, subscription, emit),
        });
      }
      if (subscription.cancel_at !== null && subscription.cancel_at <= subscription.trial_end) {
        due.push({
          at: subscription.cancel_at,
          rank: 2,
          run: (at, emit) => cancelNow(subscription, at, 'cancellation_requested', emit),
        });
      } else {
        due.push({
          at: subscription.trial_end,
          rank: 3,
          run: (at, emit) => endTrial(sandbox, subscription, at, emit),
        });
      }
    } else if (status === 'active' || status === 'past_due' || status === 'unpaid') {
      const { end } = periodOf(subscription);
      if (subscription.cancel_at !== null && subscription.cancel_at <= end) {
        due.push({
          at: subscription.cancel_at,
          rank: 2,
          run: (at, emit) => cancelNow(subscription, at, 'cancellation_requested', emit),
        });
      } else {
        due.push({ at: end, rank: 3, run: (at, emit) => renew(sandbox, subscription, at, emit) });
      }
    }
  }
  for (const invoice of invoiceCollection(sandbox).values()) {
    if ((idOf(invoice.test_clock as string | null) ?? null) !== clockId) continue;
    if (invoice.status === 'draft' && invoice.auto_advance && invoice.automatically_finalizes_at) {
      due.push({
        at: invoice.automatically_finalizes_at,
        rank: 1,
        run: (_at, emit, origin) => {
          invoice.automatically_finalizes_at = null;
          finalizeInvoice(sandbox, invoice, emit);
          collect(sandbox, invoice, emit, origin);
        },
      });
    } else if (invoice.status === 'open' && invoice.next_payment_attempt) {
      due.push({
        at: invoice.next_payment_attempt,
        rank: 1,
        run: (_at, emit, origin) => {
          invoice.next_payment_attempt = null;
          attemptInvoicePayment(
            sandbox,
            invoice,
            defaultPaymentMethodForInvoice(sandbox, invoice),
            { emit, origin },
          );
        },
      });
    }
  }
  return due;
}

/**
 * Runs, in time order, everything billing has due up to `until` for the subscriptions on a test
 * clock (or, with `clockId` null, those without one). `moveTo` sets the clock's time before each
 * step, so that what a step creates is dated when it happens.
 */
export function runBilling(
  sandbox: SandboxCore,
  clockId: string | null,
  until: number,
  moveTo: (at: number) => void = () => {},
): void {
  const emit = emitter(sandbox);
  const origin = billingOrigin(sandbox);
  for (let step = 0; step < 100_000; step++) {
    const next = dueFor(sandbox, clockId)
      .filter((item) => item.at <= until)
      .sort((a, b) => a.at - b.at || a.rank - b.rank)[0];
    if (!next) return;
    moveTo(next.at);
    next.run(next.at, emit, origin);
  }
  throw new Error('billing did not settle');
}

/**
 * How far a test clock may go: two intervals of its shortest subscription from `from`, or two
 * years when it has none, as Stripe limits advances.
 */
export function advanceLimit(sandbox: SandboxCore, clockId: string, from: number): number {
  let limit = addInterval(from, 'year', 1, 2);
  for (const subscription of subscriptionCollection(sandbox).values()) {
    if (idOf(subscription.test_clock as string | null) !== clockId || isEnded(subscription))
      continue;
    const { interval, count } = cycleOf(subscription);
    limit = Math.min(limit, addInterval(from, interval, count, 2));
  }
  return limit;
}

/**
 * Registers what billing objects return only when expanded (an invoice's `confirmation_secret`
 * and `payments`), lets `expand[]=items.data.price.product` reach through a subscription's items,
 * and starts the real-time tick.
 */
export function installBilling(sandbox: SandboxCore, options: { tickMs?: number } = {}): void {
  registerInvoiceIncludables(sandbox);
  registerCouponIncludables(sandbox);
  sandbox.registerIncludable('subscription', 'items', (subscription) => subscription.items);
  sandbox.registerIncludable('subscription_item', 'price', (item) => item.price);
  // Deleting a customer ends its subscriptions, as on Stripe.
  sandbox.onEvent((event) => {
    if (event.type !== 'customer.deleted') return;
    const customerId = event.data.object.id;
    const emit = emitter(sandbox, event.request ?? undefined);
    for (const subscription of subscriptionCollection(sandbox).values()) {
      if (customerOf(subscription) !== customerId || isEnded(subscription)) continue;
      const at = nowOn(sandbox, idOf(subscription.test_clock as string | null));
      cancelNow(subscription, at, 'cancellation_requested', emit);
    }
  });
  startBillingTick(sandbox, () => runBilling(sandbox, null, sandbox.now()), options.tickMs);
}

// --- reactions: what invoices and setup intents do to subscriptions ---------------------------

function subscriptionOfInvoice(
  sandbox: SandboxCore,
  object: StoredObject,
): { subscription: Stripe.Subscription; invoice: Stripe.Invoice } | undefined {
  const invoice = object as unknown as Stripe.Invoice;
  const id = invoiceSubscriptionId(invoice);
  const subscription = id ? subscriptionCollection(sandbox).get(id) : undefined;
  if (!subscription || isEnded(subscription)) return undefined;
  return { subscription, invoice };
}

function afterInvoicePaid(sandbox: SandboxCore, object: StoredObject, emit: Emit): void {
  const found = subscriptionOfInvoice(sandbox, object);
  if (!found) return;
  const { subscription, invoice } = found;
  const paidWith = idOf(invoicePaymentIntent(sandbox, invoice)?.payment_method as string | null);
  const previous = trackChanges(subscription, (s) => {
    if (
      paidWith &&
      s.payment_settings?.save_default_payment_method === 'on_subscription' &&
      idOf(s.default_payment_method as string | null) !== paidWith
    ) {
      s.default_payment_method = paidWith;
    }
    if (s.status === 'incomplete' && idOf(s.latest_invoice as string | null) === invoice.id) {
      s.status = 'active';
    }
    if ((s.status === 'past_due' || s.status === 'unpaid') && !hasOpenInvoices(sandbox, s.id)) {
      s.status = 'active';
    }
  });
  if (Object.keys(previous).length) emit('customer.subscription.updated', subscription, previous);
}

function afterInvoiceFailed(sandbox: SandboxCore, object: StoredObject, emit: Emit): void {
  const found = subscriptionOfInvoice(sandbox, object);
  if (!found) return;
  const { subscription, invoice } = found;
  // A first invoice leaves the subscription incomplete (until it is paid, or expires).
  if (invoice.billing_reason === 'subscription_create') return;
  const previous = trackChanges(subscription, (s) => {
    if (s.status === 'active' || s.status === 'trialing') s.status = 'past_due';
  });
  if (Object.keys(previous).length) emit('customer.subscription.updated', subscription, previous);
  if (!retriesExhausted(sandbox, invoice)) return;
  const now = customerNow(sandbox, customerOf(subscription));
  const action = billingSettings(sandbox).afterFinalFailure;
  if (action === 'cancel') {
    cancelNow(subscription, now, 'payment_failed', emit);
  } else if (action === 'unpaid' && subscription.status !== 'unpaid') {
    const changed = trackChanges(subscription, (s) => {
      s.status = 'unpaid';
    });
    emit('customer.subscription.updated', subscription, changed);
  }
}

function afterInvoiceVoided(sandbox: SandboxCore, object: StoredObject, emit: Emit): void {
  const found = subscriptionOfInvoice(sandbox, object);
  if (!found) return;
  const { subscription } = found;
  if (subscription.status !== 'past_due' && subscription.status !== 'unpaid') return;
  if (hasOpenInvoices(sandbox, subscription.id)) return;
  const previous = trackChanges(subscription, (s) => {
    s.status = 'active';
  });
  emit('customer.subscription.updated', subscription, previous);
}

function afterSetupSucceeded(sandbox: SandboxCore, object: StoredObject, emit: Emit): void {
  const intent = object as unknown as Stripe.SetupIntent;
  const id = sandbox.store.getInternal<string>(`pending_si:${intent.id}`);
  const subscription = id ? subscriptionCollection(sandbox).get(id) : undefined;
  if (!subscription || idOf(subscription.pending_setup_intent as string | null) !== intent.id)
    return;
  const previous = trackChanges(subscription, (s) => {
    s.default_payment_method = idOf(intent.payment_method as string | null);
    s.pending_setup_intent = null;
  });
  emit('customer.subscription.updated', subscription, previous);
}

function reaction(
  event: string,
  handle: (sandbox: SandboxCore, object: StoredObject, emit: Emit) => void,
): Reaction {
  return {
    event,
    run: (sandbox, object, options) => handle(sandbox, object, emitter(sandbox, options.request)),
  };
}

export const subscriptionReactions: Reaction[] = [
  reaction('invoice.payment_succeeded', afterInvoicePaid),
  reaction('invoice.payment_failed', afterInvoiceFailed),
  reaction('invoice.payment_action_required', afterInvoiceFailed),
  reaction('invoice.voided', afterInvoiceVoided),
  reaction('setup_intent.succeeded', afterSetupSucceeded),
];
