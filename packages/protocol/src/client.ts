/**
 * `createTillkitClient()`: a typed client for the Tillkit server, for browsers and Node: every
 * per-route call of `calls.ts` as a method, over one transport. It sends JSON, adds the caller's
 * bearer token, and turns error answers into `TillkitApiError`. A browser bundle that needs only a
 * few routes imports those calls instead (the client object cannot be tree-shaken).
 */
import * as calls from './calls.js';
import { ROUTES, type RouteName, type RouteTypes } from './route-table.js';
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
import {
  type CallArgs,
  callRoute,
  createTransport,
  type RequestOptions,
  type TillkitClientOptions,
} from './transport.js';

export * from './calls.js';
export * from './transport.js';

type Args<N extends RouteName> = (RouteTypes[N]['params'] extends never
  ? { params?: undefined }
  : { params: RouteTypes[N]['params'] }) &
  (RouteTypes[N]['body'] extends never ? { body?: undefined } : { body: RouteTypes[N]['body'] }) &
  (RouteTypes[N]['query'] extends never
    ? { query?: undefined }
    : { query?: RouteTypes[N]['query'] }) &
  RequestOptions;

export interface TillkitClient {
  /** Calls any route of the table by name. */
  request<N extends RouteName>(name: N, args?: Args<N>): Promise<RouteTypes[N]['response']>;
  health(): Promise<HealthResponse>;
  ready(): Promise<ReadyResponse>;
  getConfig(): Promise<ConfigResponse>;
  listPrices(): Promise<PricesResponse>;
  createPaymentIntent(
    body: CreatePaymentIntentBody,
    options?: RequestOptions,
  ): Promise<PaymentIntentResponse>;
  updatePaymentIntent(
    id: string,
    body: UpdatePaymentIntentBody,
    options?: RequestOptions,
  ): Promise<PaymentIntentResponse>;
  /**
   * A payment: the caller's own, any for an admin, or the one whose PaymentIntent client secret
   * is given (a guest's too). A 404 for anything else, and until the webhook stored it.
   */
  getPayment(id: string, query?: GetPaymentQuery, options?: RequestOptions): Promise<Payment>;
  listPayments(query?: ListPaymentsQuery, options?: RequestOptions): Promise<PaymentsResponse>;
  createSetupIntent(
    body?: CreateSetupIntentBody,
    options?: RequestOptions,
  ): Promise<SetupIntentResponse>;
  listPaymentMethods(options?: RequestOptions): Promise<PaymentMethodsResponse>;
  setDefaultPaymentMethod(id: string, options?: RequestOptions): Promise<PaymentMethod>;
  deletePaymentMethod(id: string, options?: RequestOptions): Promise<DeletedPaymentMethodResponse>;
  /** A Customer Session for the Payment Element's saved cards: `{ clientSecret }` (null: none). */
  createCustomerSession(
    body?: CreateCustomerSessionBody,
    options?: RequestOptions,
  ): Promise<CustomerSessionResponse>;
  createRefund(body: CreateRefundBody, options?: RequestOptions): Promise<RefundResponse>;
  /**
   * Subscribes the caller to a recurring price. Nothing is charged yet: confirm `clientSecret`
   * with Stripe.js (`confirmPayment` for `"payment"`, `confirmSetup` for `"setup"`). The caller's
   * subscription to the same price and quantity that still waits for that step is answered again,
   * not made twice; an unpaid one to another quantity or price of the product is replaced.
   */
  createSubscription(
    body: CreateSubscriptionBody,
    options?: RequestOptions,
  ): Promise<CreateSubscriptionResponse>;
  /**
   * What subscribing would charge today, a promotion code's discount taken off, and the code's
   * terms; creates nothing.
   */
  previewSubscription(
    body: PreviewSubscriptionBody,
    options?: RequestOptions,
  ): Promise<SubscriptionPreview>;
  /** The caller's current subscriptions (not the ended ones), each with its `pendingAction`. */
  listSubscriptions(options?: RequestOptions): Promise<SubscriptionsResponse>;
  /** Cancels at the end of the period paid for (`{ atPeriodEnd: false }`: now). */
  cancelSubscription(
    id: string,
    body?: CancelSubscriptionBody,
    options?: RequestOptions,
  ): Promise<Subscription>;
  /** Undoes a cancellation at period end (or resumes a paused subscription). */
  resumeSubscription(id: string, options?: RequestOptions): Promise<Subscription>;
  /** Moves a subscription to another price, prorated (`prorationDate`: a preview's, to charge what it showed). */
  changeSubscription(
    id: string,
    body: ChangeSubscriptionBody,
    options?: RequestOptions,
  ): Promise<Subscription>;
  /** What moving to another price would charge now and next; changes nothing. */
  previewSubscriptionChange(
    id: string,
    body: PreviewSubscriptionChangeBody,
    options?: RequestOptions,
  ): Promise<SubscriptionChangePreview>;
  /** What the caller has paid for: `{ active, subscriptions, features }`. */
  getEntitlements(options?: RequestOptions): Promise<EntitlementsResponse>;
  /** The products whose trial the caller had already: `{ usedTrialProducts }`. */
  getTrialEligibility(options?: RequestOptions): Promise<TrialEligibilityResponse>;
  /** A Stripe-hosted Checkout page for a cart (`payment`) or a subscription. */
  createCheckoutSession(
    body: CreateCheckoutSessionBody,
    options?: RequestOptions,
  ): Promise<CheckoutSessionResponse>;
  /** A Stripe customer portal session for the caller. */
  createPortalSession(
    body: CreatePortalSessionBody,
    options?: RequestOptions,
  ): Promise<PortalSessionResponse>;
  /** Sandbox mode only: a token for a demo user. */
  sandboxSignIn(body: SandboxSignInBody, options?: RequestOptions): Promise<SandboxSignInResponse>;
  /** Sandbox mode only: moves the caller's test clock forward (renewals, trial ends, retries). */
  sandboxAdvance(
    body: SandboxAdvanceBody,
    options?: RequestOptions,
  ): Promise<SandboxAdvanceResponse>;
}

/**
 * Creates a client for a Tillkit server.
 * @example
 * const tillkit = createTillkitClient({ apiBase: 'http://localhost:4242/api', getAuthToken: () => session.token });
 * const { clientSecret } = await tillkit.createPaymentIntent({ items: [{ price: 'price_123', quantity: 1 }] });
 */
export function createTillkitClient(options: TillkitClientOptions): TillkitClient {
  const t = createTransport(options);
  return {
    request: (name, args) => callRoute(t, ROUTES[name], args as CallArgs | undefined),
    health: () => calls.health(t),
    ready: () => calls.ready(t),
    getConfig: () => calls.getConfig(t),
    listPrices: () => calls.listPrices(t),
    createPaymentIntent: (body, opts) => calls.createPaymentIntent(t, body, opts),
    updatePaymentIntent: (id, body, opts) => calls.updatePaymentIntent(t, id, body, opts),
    getPayment: (id, query, opts) => calls.getPayment(t, id, query, opts),
    listPayments: (query, opts) => calls.listPayments(t, query, opts),
    createSetupIntent: (body, opts) => calls.createSetupIntent(t, body, opts),
    listPaymentMethods: (opts) => calls.listPaymentMethods(t, opts),
    setDefaultPaymentMethod: (id, opts) => calls.setDefaultPaymentMethod(t, id, opts),
    deletePaymentMethod: (id, opts) => calls.deletePaymentMethod(t, id, opts),
    createCustomerSession: (body, opts) => calls.createCustomerSession(t, body, opts),
    createRefund: (body, opts) => calls.createRefund(t, body, opts),
    createSubscription: (body, opts) => calls.createSubscription(t, body, opts),
    previewSubscription: (body, opts) => calls.previewSubscription(t, body, opts),
    listSubscriptions: (opts) => calls.listSubscriptions(t, opts),
    cancelSubscription: (id, body, opts) => calls.cancelSubscription(t, id, body, opts),
    resumeSubscription: (id, opts) => calls.resumeSubscription(t, id, opts),
    changeSubscription: (id, body, opts) => calls.changeSubscription(t, id, body, opts),
    previewSubscriptionChange: (id, body, opts) =>
      calls.previewSubscriptionChange(t, id, body, opts),
    getEntitlements: (opts) => calls.getEntitlements(t, opts),
    getTrialEligibility: (opts) => calls.getTrialEligibility(t, opts),
    createCheckoutSession: (body, opts) => calls.createCheckoutSession(t, body, opts),
    createPortalSession: (body, opts) => calls.createPortalSession(t, body, opts),
    sandboxSignIn: (body, opts) => calls.sandboxSignIn(t, body, opts),
    sandboxAdvance: (body, opts) => calls.sandboxAdvance(t, body, opts),
  };
}
