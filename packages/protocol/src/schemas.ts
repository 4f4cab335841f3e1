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

/**
 * An email address of the shape Stripe takes: something@domain.tld (a domain of two or more
 * labels: Stripe refuses `buyer@localhost` with `email_invalid`), with no spaces or control
 * characters, at most 320 characters (RFC 5321's 64 + 1 + 255). Deliverability is the mail
 * server's business.
 */
export const emailAddress = z
  .string()
  .check(
    z.maxLength(320),
    z.regex(/^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(?:\.[^\s@.\p{Cc}]+)+$/u, 'Must be an email address'),
  );

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
  /**
   * Whether promotion codes are taken: on Checkout pages (`POST /checkout-sessions`) and by
   * subscriptions made in place (`promotionCode` in `POST /subscriptions`), so a storefront can
   * offer a field for one (the kit's `SubscribeForm` `promotionCodes`).
   */
  promotionCodes: z.boolean(),
  /**
   * Whether a customer has one subscription at most, whatever its product (the server's
   * `subscriptions.onePerCustomer`): another plan is then a plan change of it
   * (`POST /subscriptions/:id/change`), and `POST /subscriptions` or a subscription Checkout page
   * for a customer who has one is a 409 `already_subscribed`. False: one per product.
   */
  oneSubscriptionPerCustomer: z.boolean(),
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
  /**
   * Where Stripe sends this payment's receipt (`receipt_email`), for guests and signed-in callers
   * alike: a guest has no other address Stripe knows.
   */
  receiptEmail: z.optional(emailAddress),
});

export const updatePaymentIntentBody = z.strictObject({
  items: cartItems,
  /** A guest proves the intent is theirs with its client secret. */
  clientSecret: z.optional(z.string().check(z.maxLength(500))),
  /** A new address for the receipt; left as it is when absent. */
  receiptEmail: z.optional(emailAddress),
  /**
   * Whether the card is saved for later (identified callers only), when it changed since the
   * intent was made ("save my card" ticked or unticked after a decline); left as it is when absent.
   */
  savePaymentMethod: z.optional(z.boolean()),
});

export const paymentIntentResponse = z.strictObject({
  id: z.string(),
  clientSecret: z.string(),
  amount,
  currency,
  status: z.string(),
});

/** One line of a paid cart, as the server priced it when the intent was made. */
export const paymentLine = z.strictObject({
  price: z.string(),
  /** The product's name at the time of the payment. */
  productName: z.string(),
  quantity: z.int().check(z.minimum(1)),
  /** The price's amount per unit, in the currency's smallest unit. */
  unitAmount: amount,
});

export const payment = z.strictObject({
  id: z.string(),
  /** Stripe's PaymentIntent status (`succeeded`, `processing`, …). */
  status: z.string(),
  /** What was charged, after any discount. */
  amount,
  amountRefunded: amount,
  /**
   * What a discount took off the listed prices (a promotion code on a Checkout page: the
   * session's `total_details.amount_discount`), so that `lines` add up to `amount` plus this;
   * 0 when none. Required: every answer of the server has it. A kit reading an older server's
   * answer without it shows no discount.
   */
  amountDiscount: amount,
  currency,
  /** ISO 8601. */
  createdAt: z.string(),
  /**
   * Stripe's receipt for the payment (its charge's `receipt_url`, a page Stripe hosts that shows
   * the payment and its refunds); null until the payment is made.
   */
  receiptUrl: z.nullable(z.string()),
  /**
   * What was bought, for payments made through `POST /payment-intents` or a Checkout page of
   * `POST /checkout-sessions`, at the prices as listed (before `amountDiscount`); empty for others
   * (a payment made elsewhere, whose cart the server never saw).
   */
  lines: z.array(paymentLine),
});

export const listPaymentsQuery = z.strictObject({
  /** @default 20 */
  limit: z.optional(queryInt(1, 100)),
  startingAfter: z.optional(objectId),
});

export const paymentsResponse = pageOf(payment);

export const getPaymentQuery = z.strictObject({
  /**
   * The PaymentIntent's client secret: whoever holds it (a guest who just paid) reads that
   * payment. Checked against Stripe's, never stored or logged.
   */
  clientSecret: z.optional(z.string().check(z.maxLength(500))),
});

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

export const createCustomerSessionBody = z.strictObject({});

export const customerSessionResponse = z.strictObject({
  /**
   * A Customer Session's client secret for the Payment Element (`customerSessionClientSecret` in
   * the Elements options), which then lists the caller's saved cards; null for a caller with no
   * Stripe customer yet (nothing saved, and none is made).
   */
  clientSecret: z.nullable(z.string()),
  /**
   * When Stripe expires the session (ISO 8601; 30 minutes after it was made), after which the
   * element lists nothing from it: the kit asks for a fresh one before then. Null with no secret.
   */
  expiresAt: z.nullable(z.string()),
});

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

// --- subscriptions ------------------------------------------------------------------------------

/** A subscription's status, as Stripe names it. */
export const subscriptionStatus = z.enum([
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
]);

/**
 * A promotion code as the customer typed it (`WELCOME10`): matched regardless of case, with the
 * spaces around it ignored. Taken only when the server allows codes (`GET /config`'s
 * `promotionCodes`).
 */
export const promotionCode = z
  .string()
  .check(z.trim(), z.minLength(1, 'Must not be empty'), z.maxLength(500));

export const createSubscriptionBody = z.strictObject({
  /** A recurring price. Its trial (`trialPeriodDays` in `GET /prices`) applies. */
  price: priceId,
  /** @default 1 */
  quantity: z.optional(z.int().check(z.minimum(1), z.maximum(99))),
  /**
   * A promotion code the subscription takes from its first invoice (after a trial, from the first
   * one that charges), as `POST /subscriptions/preview` showed it.
   */
  promotionCode: z.optional(promotionCode),
});

/** `POST /subscriptions/preview`: what `POST /subscriptions` with the same body would charge. */
export const previewSubscriptionBody = createSubscriptionBody;

/** What a promotion code takes off: its coupon's terms. */
export const promotionTerms = z.strictObject({
  /** The code as the store wrote it (`WELCOME10`), whatever case the customer typed. */
  code: z.string(),
  /** Percent off each price (`10` for 10%), or null for an amount off. */
  percentOff: z.nullable(z.number()),
  /** An amount off each invoice, in `currency`'s smallest unit, or null for a percentage. */
  amountOff: z.nullable(amount),
  /**
   * How long it lasts: `once` (the first invoice that charges), `repeating` (`durationInMonths`
   * months from the subscription's start), or `forever`.
   */
  duration: z.enum(['once', 'repeating', 'forever']),
  durationInMonths: z.nullable(z.int()),
});

/**
 * What subscribing would charge today: the first invoice, read from Stripe's invoice preview, its
 * discount taken off. A trial charges nothing today (the code then applies after it).
 */
export const subscriptionPreview = z.strictObject({
  currency,
  /** The days of trial the subscription would start with (the server gives one per product), or null. */
  trialDays: z.nullable(z.int()),
  /** Today's charge before the discount: price × quantity, or 0 during a trial. */
  subtotal: amount,
  /** What the promotion code takes off today's charge. */
  amountDiscount: amount,
  /** What is charged today: the Payment Element's amount. */
  amountDue: amount,
  /** The promotion code's terms, or null when none was sent. */
  promotion: z.nullable(promotionTerms),
});

export const createSubscriptionResponse = z.strictObject({
  id: z.string(),
  status: subscriptionStatus,
  /**
   * What the browser confirms with Stripe.js: a PaymentIntent's secret for the first payment
   * (`"payment"`: `confirmPayment`), or a SetupIntent's for a trial's card (`"setup"`:
   * `confirmSetup`); null when nothing is due and no card is needed.
   */
  clientSecret: z.nullable(z.string()),
  clientSecretType: z.nullable(z.enum(['payment', 'setup'])),
});

/**
 * Something the customer must do: for the latest invoice, `authenticate` (3D Secure for a
 * renewal: confirm the PaymentIntent's secret again) or `new_card` (the card failed, or the first
 * payment was never made: confirm the secret with another card); or `save_card` (a trial, or a
 * subscription a promotion code made free, still has no card for its renewals: `clientSecret` is
 * its SetupIntent's, confirmed with `confirmSetup`; the card becomes the subscription's default).
 */
export const pendingAction = z.strictObject({
  clientSecret: z.string(),
  type: z.enum(['authenticate', 'new_card', 'save_card']),
});

export const subscription = z.strictObject({
  id: z.string(),
  status: subscriptionStatus,
  priceId: z.string(),
  /**
   * The product of `priceId`, as stored with the subscription: a price no longer for sale (kept
   * after a price rise) is not in `GET /prices`, but its product may be.
   */
  productId: z.string(),
  productName: z.string(),
  /** ISO 8601; the end of the period paid for (or of the trial). */
  currentPeriodEnd: z.nullable(z.string()),
  /** True when it ends at `currentPeriodEnd` instead of renewing (resume to undo). */
  cancelAtPeriodEnd: z.boolean(),
  /**
   * ISO 8601: when it ends, when it is set to end (at `currentPeriodEnd`, or on a date set in the
   * Dashboard, the API or Stripe's customer portal); null when it renews. Resume undoes either.
   */
  cancelAt: z.nullable(z.string()),
  /** ISO 8601, or null without a trial. */
  trialEnd: z.nullable(z.string()),
  pendingAction: z.nullable(pendingAction),
});

export const subscriptionsResponse = z.strictObject({ data: z.array(subscription) });

export const cancelSubscriptionBody = z.strictObject({
  /** End at the end of the period paid for (false: end now, without a refund). @default true */
  atPeriodEnd: z.optional(z.boolean()),
});

export const resumeSubscriptionBody = z.strictObject({});

/** How long a change preview's `prorationDate` may be confirmed for, in seconds (15 minutes). */
export const PRORATION_DATE_MAX_AGE = 900;

export const changeSubscriptionBody = z.strictObject({
  /** The new recurring price; the change is prorated. */
  price: priceId,
  /**
   * Unix seconds: the `prorationDate` of the preview the customer confirmed
   * (`POST /subscriptions/:id/change-preview`), so that the charge is the amount shown. At most
   * `PRORATION_DATE_MAX_AGE` old (a 400 `preview_expired` after: preview again) and not in the
   * future (a minute of clock skew aside). @default now
   */
  prorationDate: z.optional(z.int().check(z.minimum(0))),
});

export const previewSubscriptionChangeBody = z.strictObject({
  /** The recurring price the customer considers moving to. */
  price: priceId,
});

/** What a plan change would charge, as `POST /subscriptions/:id/change` with `prorationDate` will. */
export const subscriptionChangePreview = z.strictObject({
  currency,
  /** Charged now to the saved card: the new plan's rest of the period less the old one's unused time (0 when that leaves credit). */
  amountDue: amount,
  /** The customer's credit after the change (0: none): the next invoices use it first. */
  credit: amount,
  /** Unix seconds: send it back as `prorationDate` to confirm this amount. */
  prorationDate: z.int(),
  /**
   * What the next regular invoice charges for the new plan: price × quantity less the discounts
   * that will apply to it (a `once` coupon not used yet after a trial; not one the change's own
   * invoice uses, nor a repeating one ended by then), before credit. 0 when the subscription ends
   * first (canceling at the period's end).
   */
  nextAmount: amount,
  /**
   * ISO 8601: when `nextAmount` is charged (a new interval starts a new period now), or when the
   * subscription ends if it is not charged again.
   */
  nextPaymentDate: z.string(),
});

export const entitlementsResponse = z.strictObject({
  /** True while at least one subscription is active or trialing. */
  active: z.boolean(),
  /** The subscriptions that grant access (active or trialing). */
  subscriptions: z.array(
    z.strictObject({
      id: z.string(),
      status: subscriptionStatus,
      productId: z.string(),
      productName: z.string(),
      priceId: z.string(),
      currentPeriodEnd: z.nullable(z.string()),
    }),
  ),
  /**
   * The lookup keys of the caller's active entitlements (the Stripe Entitlements features attached
   * to the subscriptions' products), each once; empty without an active or trialing subscription.
   */
  features: z.array(z.string()),
});

export const trialEligibilityResponse = z.strictObject({
  /**
   * The products whose trial the caller will not get: ones they had before (a trial or a paid
   * period), which `POST /subscriptions` and `POST /checkout-sessions` give no trial again.
   * Empty for a caller with no Stripe customer yet.
   */
  usedTrialProducts: z.array(z.string()),
});

// --- Checkout and the customer portal -----------------------------------------------------------

/** An absolute URL; the server refuses any that is not on one of its allowed origins. */
export const redirectUrl = z.string().check(z.minLength(1), z.maxLength(2048));

export const createCheckoutSessionBody = z.discriminatedUnion('mode', [
  z.strictObject({
    /** A one-time payment for a cart (guests allowed). */
    mode: z.literal('payment'),
    items: cartItems,
    /** May contain `{CHECKOUT_SESSION_ID}`, which Stripe fills in. */
    successUrl: redirectUrl,
    cancelUrl: redirectUrl,
  }),
  z.strictObject({
    /** A subscription to one recurring price (identified callers only). */
    mode: z.literal('subscription'),
    price: priceId,
    /** @default 1 */
    quantity: z.optional(z.int().check(z.minimum(1), z.maximum(99))),
    successUrl: redirectUrl,
    cancelUrl: redirectUrl,
  }),
]);

export const checkoutSessionResponse = z.strictObject({
  id: z.string(),
  /** Stripe's hosted Checkout page: send the browser there. */
  url: z.string(),
});

export const createPortalSessionBody = z.strictObject({
  /** Where the portal's "return" link goes. */
  returnUrl: redirectUrl,
});

export const portalSessionResponse = z.strictObject({
  /** Stripe's customer portal: send the browser there. */
  url: z.string(),
});

// --- sandbox ------------------------------------------------------------------------------------

export const sandboxSignInBody = z.strictObject({
  /** Without U+0000, which PostgreSQL's text cannot hold (the server refuses such a token). */
  userId: z.string().check(
    z.minLength(1),
    z.maxLength(200),
    z.refine((id) => !id.includes('\u0000'), 'Must not contain U+0000'),
  ),
  email: z.optional(emailAddress),
  role: z.optional(z.enum(['admin', 'user'])),
});

export const sandboxSignInResponse = z.strictObject({ token: z.string() });

export const sandboxAdvanceBody = z.strictObject({
  /** Days to move the caller's test clock forward. */
  days: z.int().check(z.minimum(1), z.maximum(730)),
});

export const sandboxAdvanceResponse = z.strictObject({
  /** The caller's test clock. */
  testClock: z.string(),
  /** ISO 8601: the clock's time after the advance, once everything due up to it has run. */
  frozenTime: z.string(),
});

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
export type PaymentLine = z.infer<typeof paymentLine>;
export type ListPaymentsQuery = { limit?: number; startingAfter?: string };
export type GetPaymentQuery = z.input<typeof getPaymentQuery>;
export type PaymentsResponse = z.infer<typeof paymentsResponse>;
export type CreateRefundBody = z.input<typeof createRefundBody>;
export type RefundResponse = z.infer<typeof refundResponse>;
export type CreateSetupIntentBody = z.input<typeof createSetupIntentBody>;
export type SetupIntentResponse = z.infer<typeof setupIntentResponse>;
export type CreateCustomerSessionBody = z.input<typeof createCustomerSessionBody>;
export type CustomerSessionResponse = z.infer<typeof customerSessionResponse>;
export type PaymentMethod = z.infer<typeof paymentMethod>;
export type PaymentMethodsResponse = z.infer<typeof paymentMethodsResponse>;
export type DeletedPaymentMethodResponse = z.infer<typeof deletedPaymentMethodResponse>;
export type SandboxSignInBody = z.input<typeof sandboxSignInBody>;
export type SandboxSignInResponse = z.infer<typeof sandboxSignInResponse>;
export type SubscriptionStatus = z.infer<typeof subscriptionStatus>;
export type CreateSubscriptionBody = z.input<typeof createSubscriptionBody>;
export type CreateSubscriptionResponse = z.infer<typeof createSubscriptionResponse>;
export type PreviewSubscriptionBody = z.input<typeof previewSubscriptionBody>;
export type SubscriptionPreview = z.infer<typeof subscriptionPreview>;
export type PromotionTerms = z.infer<typeof promotionTerms>;
export type PendingAction = z.infer<typeof pendingAction>;
export type Subscription = z.infer<typeof subscription>;
export type SubscriptionsResponse = z.infer<typeof subscriptionsResponse>;
export type CancelSubscriptionBody = z.input<typeof cancelSubscriptionBody>;
export type ResumeSubscriptionBody = z.input<typeof resumeSubscriptionBody>;
export type ChangeSubscriptionBody = z.input<typeof changeSubscriptionBody>;
export type PreviewSubscriptionChangeBody = z.input<typeof previewSubscriptionChangeBody>;
export type SubscriptionChangePreview = z.infer<typeof subscriptionChangePreview>;
export type EntitlementsResponse = z.infer<typeof entitlementsResponse>;
export type TrialEligibilityResponse = z.infer<typeof trialEligibilityResponse>;
export type CreateCheckoutSessionBody = z.input<typeof createCheckoutSessionBody>;
export type CheckoutSessionResponse = z.infer<typeof checkoutSessionResponse>;
export type CreatePortalSessionBody = z.input<typeof createPortalSessionBody>;
export type PortalSessionResponse = z.infer<typeof portalSessionResponse>;
export type SandboxAdvanceBody = z.input<typeof sandboxAdvanceBody>;
export type SandboxAdvanceResponse = z.infer<typeof sandboxAdvanceResponse>;
