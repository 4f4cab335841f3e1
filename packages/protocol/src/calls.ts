/**
 * One function per route of the Tillkit server, each taking a `Transport` first
 * (`createPaymentIntent(transport, body, options)`). A browser bundle holds only the calls it
 * imports and their routes: the React kit's payment form ships two of them, not the whole client.
 * `createTillkitClient()` offers the same calls as methods.
 * @example
 * const transport = createTransport({ apiBase: '/api', getAuthToken: () => session.token });
 * const intent = await createPaymentIntent(transport, { items }, { idempotencyKey: key });
 */
import {
  cancelSubscriptionRoute,
  changeSubscriptionRoute,
  createCheckoutSessionRoute,
  createPaymentIntentRoute,
  createPortalSessionRoute,
  createRefundRoute,
  createSetupIntentRoute,
  createSubscriptionRoute,
  deletePaymentMethodRoute,
  getConfigRoute,
  getEntitlementsRoute,
  getPaymentRoute,
  healthRoute,
  listPaymentMethodsRoute,
  listPaymentsRoute,
  listPricesRoute,
  listSubscriptionsRoute,
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
  CreatePaymentIntentBody,
  CreatePortalSessionBody,
  CreateRefundBody,
  CreateSetupIntentBody,
  CreateSubscriptionBody,
  CreateSubscriptionResponse,
  DeletedPaymentMethodResponse,
  EntitlementsResponse,
  HealthResponse,
  ListPaymentsQuery,
  Payment,
  PaymentIntentResponse,
  PaymentMethod,
  PaymentMethodsResponse,
  PaymentsResponse,
  PortalSessionResponse,
  PricesResponse,
  ReadyResponse,
  RefundResponse,
  SandboxAdvanceBody,
  SandboxAdvanceResponse,
  SandboxSignInBody,
  SandboxSignInResponse,
  SetupIntentResponse,
  Subscription,
  SubscriptionsResponse,
  UpdatePaymentIntentBody,
} from './schemas.js';
import { callRoute, type RequestOptions, type Transport } from './transport.js';

/** `GET /health`: the process is up. */
export function health(transport: Transport, options?: RequestOptions): Promise<HealthResponse> {
  return callRoute(transport, healthRoute, options);
}

/** `GET /ready`: the database and Stripe answer. */
export function ready(transport: Transport, options?: RequestOptions): Promise<ReadyResponse> {
  return callRoute(transport, readyRoute, options);
}

/** `GET /config`: the publishable key and the mode (sandbox, test, live). */
export function getConfig(transport: Transport, options?: RequestOptions): Promise<ConfigResponse> {
  return callRoute(transport, getConfigRoute, options);
}

/** `GET /prices`: the active catalog. */
export function listPrices(
  transport: Transport,
  options?: RequestOptions,
): Promise<PricesResponse> {
  return callRoute(transport, listPricesRoute, options);
}

/** `POST /payment-intents`: an intent for a cart, priced by the server. */
export function createPaymentIntent(
  transport: Transport,
  body: CreatePaymentIntentBody,
  options?: RequestOptions,
): Promise<PaymentIntentResponse> {
  return callRoute(transport, createPaymentIntentRoute, { body, ...options });
}

/** `PATCH /payment-intents/:id`: re-prices an unpaid intent for a changed cart. */
export function updatePaymentIntent(
  transport: Transport,
  id: string,
  body: UpdatePaymentIntentBody,
  options?: RequestOptions,
): Promise<PaymentIntentResponse> {
  return callRoute(transport, updatePaymentIntentRoute, { params: { id }, body, ...options });
}

/** `GET /payments/:id`. */
export function getPayment(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): Promise<Payment> {
  return callRoute(transport, getPaymentRoute, { params: { id }, ...options });
}

/** `GET /payments` (admin), newest first. */
export function listPayments(
  transport: Transport,
  query?: ListPaymentsQuery,
  options?: RequestOptions,
): Promise<PaymentsResponse> {
  return callRoute(transport, listPaymentsRoute, { query, ...options });
}

/** `POST /setup-intents`: a SetupIntent to save a card. */
export function createSetupIntent(
  transport: Transport,
  body?: CreateSetupIntentBody,
  options?: RequestOptions,
): Promise<SetupIntentResponse> {
  return callRoute(transport, createSetupIntentRoute, { body: body ?? {}, ...options });
}

/** `GET /payment-methods`: the caller's saved cards. */
export function listPaymentMethods(
  transport: Transport,
  options?: RequestOptions,
): Promise<PaymentMethodsResponse> {
  return callRoute(transport, listPaymentMethodsRoute, options);
}

/** `POST /payment-methods/:id/default`: makes a card the caller's default. */
export function setDefaultPaymentMethod(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): Promise<PaymentMethod> {
  return callRoute(transport, setDefaultPaymentMethodRoute, { params: { id }, ...options });
}

/** `DELETE /payment-methods/:id`: detaches a card. */
export function deletePaymentMethod(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): Promise<DeletedPaymentMethodResponse> {
  return callRoute(transport, deletePaymentMethodRoute, { params: { id }, ...options });
}

/** `POST /refunds` (admin). */
export function createRefund(
  transport: Transport,
  body: CreateRefundBody,
  options?: RequestOptions,
): Promise<RefundResponse> {
  return callRoute(transport, createRefundRoute, { body, ...options });
}

/**
 * `POST /subscriptions`: subscribes the caller to a recurring price. Nothing is charged yet:
 * confirm `clientSecret` with Stripe.js (`confirmPayment` for `"payment"`, `confirmSetup` for
 * `"setup"`).
 */
export function createSubscription(
  transport: Transport,
  body: CreateSubscriptionBody,
  options?: RequestOptions,
): Promise<CreateSubscriptionResponse> {
  return callRoute(transport, createSubscriptionRoute, { body, ...options });
}

/** `GET /subscriptions`: the caller's current subscriptions, each with its `pendingAction`. */
export function listSubscriptions(
  transport: Transport,
  options?: RequestOptions,
): Promise<SubscriptionsResponse> {
  return callRoute(transport, listSubscriptionsRoute, options);
}

/** `POST /subscriptions/:id/cancel`: at the end of the period paid for (`{ atPeriodEnd: false }`: now). */
export function cancelSubscription(
  transport: Transport,
  id: string,
  body?: CancelSubscriptionBody,
  options?: RequestOptions,
): Promise<Subscription> {
  return callRoute(transport, cancelSubscriptionRoute, {
    params: { id },
    body: body ?? {},
    ...options,
  });
}

/** `POST /subscriptions/:id/resume`: undoes a cancellation at period end. */
export function resumeSubscription(
  transport: Transport,
  id: string,
  options?: RequestOptions,
): Promise<Subscription> {
  return callRoute(transport, resumeSubscriptionRoute, { params: { id }, body: {}, ...options });
}

/** `POST /subscriptions/:id/change`: moves a subscription to another price, prorated. */
export function changeSubscription(
  transport: Transport,
  id: string,
  body: ChangeSubscriptionBody,
  options?: RequestOptions,
): Promise<Subscription> {
  return callRoute(transport, changeSubscriptionRoute, { params: { id }, body, ...options });
}

/** `GET /entitlements`: what the caller has paid for. */
export function getEntitlements(
  transport: Transport,
  options?: RequestOptions,
): Promise<EntitlementsResponse> {
  return callRoute(transport, getEntitlementsRoute, options);
}

/** `POST /checkout-sessions`: a Stripe-hosted Checkout page for a cart or a subscription. */
export function createCheckoutSession(
  transport: Transport,
  body: CreateCheckoutSessionBody,
  options?: RequestOptions,
): Promise<CheckoutSessionResponse> {
  return callRoute(transport, createCheckoutSessionRoute, { body, ...options });
}

/** `POST /portal-sessions`: a Stripe customer portal session for the caller. */
export function createPortalSession(
  transport: Transport,
  body: CreatePortalSessionBody,
  options?: RequestOptions,
): Promise<PortalSessionResponse> {
  return callRoute(transport, createPortalSessionRoute, { body, ...options });
}

/** `POST /_sandbox/sign-in` (sandbox mode only): a token for a demo user. */
export function sandboxSignIn(
  transport: Transport,
  body: SandboxSignInBody,
  options?: RequestOptions,
): Promise<SandboxSignInResponse> {
  return callRoute(transport, sandboxSignInRoute, { body, ...options });
}

/** `POST /_sandbox/advance` (sandbox mode only): moves the caller's test clock forward. */
export function sandboxAdvance(
  transport: Transport,
  body: SandboxAdvanceBody,
  options?: RequestOptions,
): Promise<SandboxAdvanceResponse> {
  return callRoute(transport, sandboxAdvanceRoute, { body, ...options });
}
