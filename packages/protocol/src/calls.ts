/**
 * One function per route of the Tillkit server, each taking a `Transport` first
 * (`createPaymentIntent(transport, body, options)`). A browser bundle holds only the calls it
 * imports and their routes: the React kit's payment form ships two of them, not the whole client.
 * `createTillkitClient()` offers the same calls as methods. The calls come in four shapes (options
 * only, a body, an id, an id and a body), each made by one small factory below.
 * @example
 * const transport = createTransport({ apiBase: '/api', getAuthToken: () => session.token });
 * const intent = await createPaymentIntent(transport, { items }, { idempotencyKey: key });
 */

import type { RouteSpec } from './route-table.js';
import {
  cancelSubscriptionRoute,
  changeSubscriptionRoute,
  createCheckoutSessionRoute,
  createCustomerSessionRoute,
  createPaymentIntentRoute,
  createPortalSessionRoute,
  createRefundRoute,
  createSetupIntentRoute,
  createSubscriptionRoute,
  deletePaymentMethodRoute,
  getConfigRoute,
  getEntitlementsRoute,
  getPaymentRoute,
  getTrialEligibilityRoute,
  healthRoute,
  listPaymentMethodsRoute,
  listPaymentsRoute,
  listPricesRoute,
  listSubscriptionsRoute,
  previewSubscriptionChangeRoute,
  previewSubscriptionRoute,
  readyRoute,
  resumeSubscriptionRoute,
  sandboxAdvanceRoute,
  sandboxSignInRoute,
  setDefaultPaymentMethodRoute,
  updatePaymentIntentRoute,
} from './route-table.js';
import type {
  CancelSubscriptionBody,
  ChangeSubscriptionBody,
  CheckoutSessionResponse,
  ConfigResponse,
  CreateCheckoutSessionBody,
  CreateCustomerSessionBody,
  CreatePaymentIntentBody,
  CreatePortalSessionBody,
  CreateRefundBody,
  CreateSetupIntentBody,
  CreateSubscriptionBody,
  CreateSubscriptionResponse,
  CustomerSessionResponse,
  DeletedPaymentMethodResponse,
  EntitlementsResponse,
  GetPaymentQuery,
  HealthResponse,
  ListPaymentsQuery,
  Payment,
  PaymentIntentResponse,
  PaymentMethod,
  PaymentMethodsResponse,
  PaymentsResponse,
  PortalSessionResponse,
  PreviewSubscriptionBody,
  PreviewSubscriptionChangeBody,
  PricesResponse,
  ReadyResponse,
  RefundResponse,
  SandboxAdvanceBody,
  SandboxAdvanceResponse,
  SandboxSignInBody,
  SandboxSignInResponse,
  SetupIntentResponse,
  Subscription,
  SubscriptionChangePreview,
  SubscriptionPreview,
  SubscriptionsResponse,
  TrialEligibilityResponse,
  UpdatePaymentIntentBody,
} from './schemas.js';
import { callRoute, type RequestOptions, type Transport } from './transport.js';

/** A call that takes nothing but options: `GET /prices`. */
function withOptions<R>(route: RouteSpec) {
  return (transport: Transport, options?: RequestOptions): Promise<R> =>
    callRoute(transport, route, options);
}

/** A call with a JSON body (`{}` when the body is optional and not given). */
function withBody<B, R>(route: RouteSpec) {
  return (transport: Transport, body: B, options?: RequestOptions): Promise<R> =>
    callRoute(transport, route, { body: body ?? {}, ...options });
}

/** A call on one object, `:id` in the path; `body` is what a POST always sends. */
function withId<R>(route: RouteSpec, body?: object) {
  return (transport: Transport, id: string, options?: RequestOptions): Promise<R> =>
    callRoute(transport, route, { params: { id }, body, ...options });
}

/** A call on one object with a JSON body (`{}` when the body is optional and not given). */
function withIdAndBody<B, R>(route: RouteSpec) {
  return (transport: Transport, id: string, body: B, options?: RequestOptions): Promise<R> =>
    callRoute(transport, route, { params: { id }, body: body ?? {}, ...options });
}

/** `GET /health`: the process is up. */
export const health: (transport: Transport, options?: RequestOptions) => Promise<HealthResponse> =
  /* @__PURE__ */ withOptions(healthRoute);

/** `GET /ready`: the database and Stripe answer. */
export const ready: (transport: Transport, options?: RequestOptions) => Promise<ReadyResponse> =
  /* @__PURE__ */ withOptions(readyRoute);

/** `GET /config`: the publishable key and the mode (sandbox, test, live). */
export const getConfig: (
  transport: Transport,
  options?: RequestOptions,
) => Promise<ConfigResponse> = /* @__PURE__ */ withOptions(getConfigRoute);

/** `GET /prices`: the active catalog. */
export const listPrices: (
  transport: Transport,
  options?: RequestOptions,
) => Promise<PricesResponse> = /* @__PURE__ */ withOptions(listPricesRoute);

/** `POST /payment-intents`: an intent for a cart, priced by the server. */
export const createPaymentIntent: (
  transport: Transport,
  body: CreatePaymentIntentBody,
  options?: RequestOptions,
) => Promise<PaymentIntentResponse> = /* @__PURE__ */ withBody(createPaymentIntentRoute);

/** `PATCH /payment-intents/:id`: re-prices an unpaid intent for a changed cart. */
export const updatePaymentIntent: (
  transport: Transport,
  id: string,
  body: UpdatePaymentIntentBody,
  options?: RequestOptions,
) => Promise<PaymentIntentResponse> = /* @__PURE__ */ withIdAndBody(updatePaymentIntentRoute);

/**
 * `GET /payments/:id`: a payment with its lines and receipt. A user reads their own, an admin any;
 * with `clientSecret` (the PaymentIntent's, which Stripe.js gave the browser), anyone reads that
 * payment, a guest too. A 404 until the webhook stored it, whatever the reason: poll a little.
 * @example
 * const { receiptUrl } = await getPayment(transport, intent.id, { clientSecret: intent.client_secret });
 */
export function getPayment(
  transport: Transport,
  id: string,
  query?: GetPaymentQuery,
  options?: RequestOptions,
): Promise<Payment> {
  return callRoute(transport, getPaymentRoute, { params: { id }, query, ...options });
}

/**
 * `GET /payments`, newest first: the caller's own payments that went through (an order history);
 * an admin's, every payment.
 */
export function listPayments(
  transport: Transport,
  query?: ListPaymentsQuery,
  options?: RequestOptions,
): Promise<PaymentsResponse> {
  return callRoute(transport, listPaymentsRoute, { query, ...options });
}

/** `POST /setup-intents`: a SetupIntent to save a card. */
export const createSetupIntent: (
  transport: Transport,
  body?: CreateSetupIntentBody,
  options?: RequestOptions,
) => Promise<SetupIntentResponse> = /* @__PURE__ */ withBody(createSetupIntentRoute);

/** `GET /payment-methods`: the caller's saved cards. */
export const listPaymentMethods: (
  transport: Transport,
  options?: RequestOptions,
) => Promise<PaymentMethodsResponse> = /* @__PURE__ */ withOptions(listPaymentMethodsRoute);

/** `POST /payment-methods/:id/default`: makes a card the caller's default. */
export const setDefaultPaymentMethod: (
  transport: Transport,
  id: string,
  options?: RequestOptions,
) => Promise<PaymentMethod> = /* @__PURE__ */ withId(setDefaultPaymentMethodRoute);

/** `DELETE /payment-methods/:id`: detaches a card. */
export const deletePaymentMethod: (
  transport: Transport,
  id: string,
  options?: RequestOptions,
) => Promise<DeletedPaymentMethodResponse> = /* @__PURE__ */ withId(deletePaymentMethodRoute);

/**
 * `POST /customer-sessions`: a Customer Session for the Payment Element, so that it lists the
 * caller's saved cards (`{ clientSecret: null }` for a caller who has none).
 */
export const createCustomerSession: (
  transport: Transport,
  body?: CreateCustomerSessionBody,
  options?: RequestOptions,
) => Promise<CustomerSessionResponse> = /* @__PURE__ */ withBody(createCustomerSessionRoute);

/** `POST /refunds` (admin). */
export const createRefund: (
  transport: Transport,
  body: CreateRefundBody,
  options?: RequestOptions,
) => Promise<RefundResponse> = /* @__PURE__ */ withBody(createRefundRoute);

/**
 * `POST /subscriptions`: subscribes the caller to a recurring price. Nothing is charged yet:
 * confirm `clientSecret` with Stripe.js (`confirmPayment` for `"payment"`, `confirmSetup` for
 * `"setup"`). A subscription to the same price and quantity that still waits for that step is
 * answered again (200) instead of made twice; an unpaid one to another price or quantity of the
 * product is replaced (canceled), and a live one is refused as `already_subscribed`. A retry with
 * the same `idempotencyKey` after its subscription was replaced is refused as `stale_request`:
 * send it again with a new key.
 */
export const createSubscription: (
  transport: Transport,
  body: CreateSubscriptionBody,
  options?: RequestOptions,
) => Promise<CreateSubscriptionResponse> = /* @__PURE__ */ withBody(createSubscriptionRoute);

/**
 * `POST /subscriptions/preview`: what `createSubscription()` with the same body would charge
 * today (a promotion code's discount taken off, nothing during a trial), and the code's terms.
 * Creates nothing; a code the store does not take is refused as `promotion_code_invalid`.
 */
export const previewSubscription: (
  transport: Transport,
  body: PreviewSubscriptionBody,
  options?: RequestOptions,
) => Promise<SubscriptionPreview> = /* @__PURE__ */ withBody(previewSubscriptionRoute);

/** `GET /subscriptions`: the caller's current subscriptions, each with its `pendingAction`. */
export const listSubscriptions: (
  transport: Transport,
  options?: RequestOptions,
) => Promise<SubscriptionsResponse> = /* @__PURE__ */ withOptions(listSubscriptionsRoute);

/** `POST /subscriptions/:id/cancel`: at the end of the period paid for (`{ atPeriodEnd: false }`: now). */
export const cancelSubscription: (
  transport: Transport,
  id: string,
  body?: CancelSubscriptionBody,
  options?: RequestOptions,
) => Promise<Subscription> = /* @__PURE__ */ withIdAndBody(cancelSubscriptionRoute);

/** `POST /subscriptions/:id/resume`: undoes a cancellation at period end. */
export const resumeSubscription: (
  transport: Transport,
  id: string,
  options?: RequestOptions,
) => Promise<Subscription> = /* @__PURE__ */ withId(resumeSubscriptionRoute, {});

/**
 * `POST /subscriptions/:id/change`: moves a subscription to another price, prorated; with the
 * `prorationDate` of a preview the customer saw, charges what it showed.
 */
export const changeSubscription: (
  transport: Transport,
  id: string,
  body: ChangeSubscriptionBody,
  options?: RequestOptions,
) => Promise<Subscription> = /* @__PURE__ */ withIdAndBody(changeSubscriptionRoute);

/**
 * `POST /subscriptions/:id/change-preview`: what moving to `price` would charge now (or leave as
 * credit) and next; changes nothing. Confirm with `changeSubscription(…, { price, prorationDate })`.
 */
export const previewSubscriptionChange: (
  transport: Transport,
  id: string,
  body: PreviewSubscriptionChangeBody,
  options?: RequestOptions,
) => Promise<SubscriptionChangePreview> = /* @__PURE__ */ withIdAndBody(
  previewSubscriptionChangeRoute,
);

/** `GET /entitlements`: what the caller has paid for. */
export const getEntitlements: (
  transport: Transport,
  options?: RequestOptions,
) => Promise<EntitlementsResponse> = /* @__PURE__ */ withOptions(getEntitlementsRoute);

/**
 * `GET /trial-eligibility`: the products whose trial the caller had already (by the rule
 * `POST /subscriptions` gives trials by), so that a pricing page does not offer them one.
 */
export const getTrialEligibility: (
  transport: Transport,
  options?: RequestOptions,
) => Promise<TrialEligibilityResponse> = /* @__PURE__ */ withOptions(getTrialEligibilityRoute);

/** `POST /checkout-sessions`: a Stripe-hosted Checkout page for a cart or a subscription. */
export const createCheckoutSession: (
  transport: Transport,
  body: CreateCheckoutSessionBody,
  options?: RequestOptions,
) => Promise<CheckoutSessionResponse> = /* @__PURE__ */ withBody(createCheckoutSessionRoute);

/** `POST /portal-sessions`: a Stripe customer portal session for the caller. */
export const createPortalSession: (
  transport: Transport,
  body: CreatePortalSessionBody,
  options?: RequestOptions,
) => Promise<PortalSessionResponse> = /* @__PURE__ */ withBody(createPortalSessionRoute);

/** `POST /_sandbox/sign-in` (sandbox mode only): a token for a demo user. */
export const sandboxSignIn: (
  transport: Transport,
  body: SandboxSignInBody,
  options?: RequestOptions,
) => Promise<SandboxSignInResponse> = /* @__PURE__ */ withBody(sandboxSignInRoute);

/** `POST /_sandbox/advance` (sandbox mode only): moves the caller's test clock forward. */
export const sandboxAdvance: (
  transport: Transport,
  body: SandboxAdvanceBody,
  options?: RequestOptions,
) => Promise<SandboxAdvanceResponse> = /* @__PURE__ */ withBody(sandboxAdvanceRoute);
