/**
 * The request and answer shapes of every route, as `zod/mini` schemas (small enough for a browser
 * bundle). Objects are strict: a field the server does not know is refused, never ignored.
 * @see ./route-table.ts for which route takes which.
 */
import * as z from 'zod/mini';

// --- building blocks ----------------------------------------------------------------------------

/** A Stripe-style object id (`pi_…`, `price_…`, `pm_…`): letters, digits and underscores. */
export const objectId = z.string().check(z.regex(/^[A-Za-z0-9_]{1,255}$/, 'Must be an object id'));

/** A price's id (`price_…`). */
export const priceId = objectId;

/** An ISO 4217 currency code, lower case as Stripe writes it. */
export const currency = z.string().check(z.regex(/^[a-z]{3}$/));

/** An amount in the currency's smallest unit (cents; yen; fils for KWD). */
export const amount = z.int().check(z.minimum(0));

/** One line of a cart. */
export const cartItem = z.strictObject({
  price: priceId,
  quantity: z.int().check(z.minimum(1), z.maximum(99)),
});

/** At most 50 lines; each price at most once. */
export const cartItems = z.array(cartItem).check(
  z.minLength(1),
  z.maxLength(50),
  z.refine(
    (items) => new Set(items.map((item) => item.price)).size === items.length,
    'Each price may appear only once; raise its quantity instead',
  ),
);

/** Where the API answers lists: a page, newest first. */
const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.strictObject({ data: z.array(item), hasMore: z.boolean() });

/** A positive integer in a query string ("20"). */
const queryInt = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d{1,6}$/, 'Must be a whole number')),
    z.pipe(z.transform(Number), z.int().check(z.minimum(min), z.maximum(max))),
  );

// --- health, config, catalog --------------------------------------------------------------------

export const healthResponse = z.strictObject({ ok: z.literal(true) });

export const readyResponse = z.strictObject({
  ok: z.literal(true),
  checks: z.strictObject({ database: z.literal('ok'), stripe: z.literal('ok') }),
});

export const configResponse = z.strictObject({
  publishableKey: z.string(),
  mode: z.enum(['sandbox', 'test', 'live']),
  /** Only in sandbox mode: the sandbox's origin, for the sandbox's Stripe.js. */
  sandbox: z.optional(z.strictObject({ apiBase: z.string() })),
});

export const catalogPrice = z.strictObject({
  id: z.string(),
  unitAmount: amount,
  currency,
  type: z.enum(['one_time', 'recurring']),
  interval: z.optional(z.enum(['day', 'week', 'month', 'year'])),
  intervalCount: z.optional(z.int()),
  trialPeriodDays: z.optional(z.int()),
});

export const catalogProduct = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.nullable(z.string()),
  features: z.array(z.string()),
  prices: z.array(catalogPrice),
});

export const pricesResponse = z.strictObject({ products: z.array(catalogProduct) });

// --- payments -----------------------------------------------------------------------------------

export const createPaymentIntentBody = z.strictObject({
  items: cartItems,
  /** Save the card to the caller's customer for later (identified callers only). */
  savePaymentMethod: z.optional(z.boolean()),
});

export const updatePaymentIntentBody = z.strictObject({
  items: cartItems,
  /** A guest proves the intent is theirs with its client secret. */
  clientSecret: z.optional(z.string().check(z.maxLength(500))),
});

export const paymentIntentResponse = z.strictObject({
  id: z.string(),
  clientSecret: z.string(),
  amount,
  currency,
  status: z.string(),
});

export const payment = z.strictObject({
  id: z.string(),
  status: z.string(),
  amount,
  amountRefunded: amount,
  currency,
  /** ISO 8601. */
  createdAt: z.string(),
});

export const listPaymentsQuery = z.strictObject({
  /** @default 20 */
  limit: z.optional(queryInt(1, 100)),
  startingAfter: z.optional(objectId),
});

export const paymentsResponse = pageOf(payment);

export const createRefundBody = z.strictObject({
  paymentIntent: objectId,
  /** Part of the payment, in its smallest unit; the whole unrefunded rest when omitted. */
  amount: z.optional(z.int().check(z.minimum(1))),
  reason: z.optional(z.enum(['duplicate', 'fraudulent', 'requested_by_customer'])),
});

export const refundResponse = z.strictObject({
  id: z.string(),
  amount,
  status: z.string(),
});

// --- cards --------------------------------------------------------------------------------------

export const createSetupIntentBody = z.strictObject({});

export const setupIntentResponse = z.strictObject({ id: z.string(), clientSecret: z.string() });

export const paymentMethod = z.strictObject({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.int(),
  expYear: z.int(),
  isDefault: z.boolean(),
});

export const paymentMethodsResponse = z.strictObject({ data: z.array(paymentMethod) });

export const deletedPaymentMethodResponse = z.strictObject({
  id: z.string(),
  deleted: z.literal(true),
});

// --- sandbox ------------------------------------------------------------------------------------

export const sandboxSignInBody = z.strictObject({
  userId: z.string().check(z.minLength(1), z.maxLength(200)),
  email: z.optional(z.string().check(z.maxLength(320), z.regex(/^[^\s@]+@[^\s@]+$/))),
  role: z.optional(z.enum(['admin', 'user'])),
});

export const sandboxSignInResponse = z.strictObject({ token: z.string() });

// --- path parameters ----------------------------------------------------------------------------

export const idParams = z.strictObject({ id: objectId });

// --- types --------------------------------------------------------------------------------------

export type CartItem = z.infer<typeof cartItem>;
export type HealthResponse = z.infer<typeof healthResponse>;
export type ReadyResponse = z.infer<typeof readyResponse>;
export type ConfigResponse = z.infer<typeof configResponse>;
export type CatalogPrice = z.infer<typeof catalogPrice>;
export type CatalogProduct = z.infer<typeof catalogProduct>;
export type PricesResponse = z.infer<typeof pricesResponse>;
export type CreatePaymentIntentBody = z.input<typeof createPaymentIntentBody>;
export type UpdatePaymentIntentBody = z.input<typeof updatePaymentIntentBody>;
export type PaymentIntentResponse = z.infer<typeof paymentIntentResponse>;
export type Payment = z.infer<typeof payment>;
export type ListPaymentsQuery = { limit?: number; startingAfter?: string };
export type PaymentsResponse = z.infer<typeof paymentsResponse>;
export type CreateRefundBody = z.input<typeof createRefundBody>;
export type RefundResponse = z.infer<typeof refundResponse>;
export type CreateSetupIntentBody = z.input<typeof createSetupIntentBody>;
export type SetupIntentResponse = z.infer<typeof setupIntentResponse>;
export type PaymentMethod = z.infer<typeof paymentMethod>;
export type PaymentMethodsResponse = z.infer<typeof paymentMethodsResponse>;
export type DeletedPaymentMethodResponse = z.infer<typeof deletedPaymentMethodResponse>;
export type SandboxSignInBody = z.input<typeof sandboxSignInBody>;
export type SandboxSignInResponse = z.infer<typeof sandboxSignInResponse>;
