/**
 * Every route of the Tillkit server: method, path (relative to where the router is mounted) and
 * who may call it. The server mounts from this table and the client calls from it, so the two
 * cannot drift apart. No schemas here: the table stays a few hundred bytes in a browser bundle.
 */
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
  ResumeSubscriptionBody,
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

/**
 * Who may call a route:
 * - `public`: anyone; the caller is not identified.
 * - `guest`: anyone; an identified caller's customer is used (a bad token is still a 401).
 * - `user`: an identified caller (401 otherwise), who only ever touches their own objects.
 * - `admin`: an identified caller with the `admin` role (401 without one, 403 for others).
 * - `stripe`: Stripe itself, proven by the webhook signature.
 */
export type RouteAuth = 'public' | 'guest' | 'user' | 'admin' | 'stripe';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** Express-style path relative to the mount point; `:id` is a path parameter. */
  path: string;
  auth: RouteAuth;
  /** Creates something at Stripe: rate limited per caller, and takes an `Idempotency-Key`. */
  creates?: boolean;
  /** Served only by a server in sandbox mode. */
  sandboxOnly?: boolean;
}

// Each route is its own export (`createPaymentIntentRoute`), so that a bundle holding a few of the
// client's calls holds only their routes; `ROUTES` gathers them for the server and the client.
export const healthRoute = {
  method: 'GET',
  path: '/health',
  auth: 'public',
} as const satisfies RouteSpec;
export const readyRoute = {
  method: 'GET',
  path: '/ready',
  auth: 'public',
} as const satisfies RouteSpec;
export const getConfigRoute = {
  method: 'GET',
  path: '/config',
  auth: 'public',
} as const satisfies RouteSpec;
export const listPricesRoute = {
  method: 'GET',
  path: '/prices',
  auth: 'public',
} as const satisfies RouteSpec;
export const createPaymentIntentRoute = {
  method: 'POST',
  path: '/payment-intents',
  auth: 'guest',
  creates: true,
} as const satisfies RouteSpec;
export const updatePaymentIntentRoute = {
  method: 'PATCH',
  path: '/payment-intents/:id',
  auth: 'guest',
} as const satisfies RouteSpec;
/**
 * A payment: an admin's any, a user's own, and anyone's (a guest's too) whose PaymentIntent
 * client secret the caller gives in `?clientSecret=`.
 */
export const getPaymentRoute = {
  method: 'GET',
  path: '/payments/:id',
  auth: 'guest',
} as const satisfies RouteSpec;
/** A user's own payments; an admin's, every payment. */
export const listPaymentsRoute = {
  method: 'GET',
  path: '/payments',
  auth: 'user',
} as const satisfies RouteSpec;
export const createSetupIntentRoute = {
  method: 'POST',
  path: '/setup-intents',
  auth: 'user',
  creates: true,
} as const satisfies RouteSpec;
export const listPaymentMethodsRoute = {
  method: 'GET',
  path: '/payment-methods',
  auth: 'user',
} as const satisfies RouteSpec;
export const setDefaultPaymentMethodRoute = {
  method: 'POST',
  path: '/payment-methods/:id/default',
  auth: 'user',
} as const satisfies RouteSpec;
export const deletePaymentMethodRoute = {
  method: 'DELETE',
  path: '/payment-methods/:id',
  auth: 'user',
} as const satisfies RouteSpec;
export const createCustomerSessionRoute = {
  method: 'POST',
  path: '/customer-sessions',
  auth: 'user',
  creates: true,
} as const satisfies RouteSpec;
export const createRefundRoute = {
  method: 'POST',
  path: '/refunds',
  auth: 'admin',
  creates: true,
} as const satisfies RouteSpec;
export const createSubscriptionRoute = {
  method: 'POST',
  path: '/subscriptions',
  auth: 'user',
  creates: true,
} as const satisfies RouteSpec;
/** What subscribing to a price (with a promotion code) would charge today; creates nothing. */
export const previewSubscriptionRoute = {
  method: 'POST',
  path: '/subscriptions/preview',
  auth: 'user',
} as const satisfies RouteSpec;
export const listSubscriptionsRoute = {
  method: 'GET',
  path: '/subscriptions',
  auth: 'user',
} as const satisfies RouteSpec;
export const cancelSubscriptionRoute = {
  method: 'POST',
  path: '/subscriptions/:id/cancel',
  auth: 'user',
} as const satisfies RouteSpec;
export const resumeSubscriptionRoute = {
  method: 'POST',
  path: '/subscriptions/:id/resume',
  auth: 'user',
} as const satisfies RouteSpec;
export const changeSubscriptionRoute = {
  method: 'POST',
  path: '/subscriptions/:id/change',
  auth: 'user',
} as const satisfies RouteSpec;
export const previewSubscriptionChangeRoute = {
  method: 'POST',
  path: '/subscriptions/:id/change-preview',
  auth: 'user',
} as const satisfies RouteSpec;
export const getEntitlementsRoute = {
  method: 'GET',
  path: '/entitlements',
  auth: 'user',
} as const satisfies RouteSpec;
export const getTrialEligibilityRoute = {
  method: 'GET',
  path: '/trial-eligibility',
  auth: 'user',
} as const satisfies RouteSpec;
export const createCheckoutSessionRoute = {
  method: 'POST',
  path: '/checkout-sessions',
  auth: 'guest',
  creates: true,
} as const satisfies RouteSpec;
export const createPortalSessionRoute = {
  method: 'POST',
  path: '/portal-sessions',
  auth: 'user',
  creates: true,
} as const satisfies RouteSpec;
export const receiveWebhookRoute = {
  method: 'POST',
  path: '/webhooks',
  auth: 'stripe',
} as const satisfies RouteSpec;
export const sandboxSignInRoute = {
  method: 'POST',
  path: '/_sandbox/sign-in',
  auth: 'public',
  creates: true,
  sandboxOnly: true,
} as const satisfies RouteSpec;
export const sandboxAdvanceRoute = {
  method: 'POST',
  path: '/_sandbox/advance',
  auth: 'user',
  sandboxOnly: true,
} as const satisfies RouteSpec;

/** The route table. */
export const ROUTES = {
  health: healthRoute,
  ready: readyRoute,
  getConfig: getConfigRoute,
  listPrices: listPricesRoute,
  createPaymentIntent: createPaymentIntentRoute,
  updatePaymentIntent: updatePaymentIntentRoute,
  getPayment: getPaymentRoute,
  listPayments: listPaymentsRoute,
  createSetupIntent: createSetupIntentRoute,
  listPaymentMethods: listPaymentMethodsRoute,
  setDefaultPaymentMethod: setDefaultPaymentMethodRoute,
  deletePaymentMethod: deletePaymentMethodRoute,
  createCustomerSession: createCustomerSessionRoute,
  createRefund: createRefundRoute,
  createSubscription: createSubscriptionRoute,
  previewSubscription: previewSubscriptionRoute,
  listSubscriptions: listSubscriptionsRoute,
  cancelSubscription: cancelSubscriptionRoute,
  resumeSubscription: resumeSubscriptionRoute,
  changeSubscription: changeSubscriptionRoute,
  previewSubscriptionChange: previewSubscriptionChangeRoute,
  getEntitlements: getEntitlementsRoute,
  getTrialEligibility: getTrialEligibilityRoute,
  createCheckoutSession: createCheckoutSessionRoute,
  createPortalSession: createPortalSessionRoute,
  receiveWebhook: receiveWebhookRoute,
  sandboxSignIn: sandboxSignInRoute,
  sandboxAdvance: sandboxAdvanceRoute,
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

/** What each route takes and answers. `never` where a route takes nothing. */
export interface RouteTypes {
  health: { params: never; query: never; body: never; response: HealthResponse };
  ready: { params: never; query: never; body: never; response: ReadyResponse };
  getConfig: { params: never; query: never; body: never; response: ConfigResponse };
  listPrices: { params: never; query: never; body: never; response: PricesResponse };
  createPaymentIntent: {
    params: never;
    query: never;
    body: CreatePaymentIntentBody;
    response: PaymentIntentResponse;
  };
  updatePaymentIntent: {
    params: { id: string };
    query: never;
    body: UpdatePaymentIntentBody;
    response: PaymentIntentResponse;
  };
  getPayment: {
    params: { id: string };
    query: GetPaymentQuery;
    body: never;
    response: Payment;
  };
  listPayments: {
    params: never;
    query: ListPaymentsQuery;
    body: never;
    response: PaymentsResponse;
  };
  createSetupIntent: {
    params: never;
    query: never;
    body: CreateSetupIntentBody;
    response: SetupIntentResponse;
  };
  listPaymentMethods: {
    params: never;
    query: never;
    body: never;
    response: PaymentMethodsResponse;
  };
  setDefaultPaymentMethod: {
    params: { id: string };
    query: never;
    body: never;
    response: PaymentMethod;
  };
  deletePaymentMethod: {
    params: { id: string };
    query: never;
    body: never;
    response: DeletedPaymentMethodResponse;
  };
  createCustomerSession: {
    params: never;
    query: never;
    body: CreateCustomerSessionBody;
    response: CustomerSessionResponse;
  };
  createRefund: { params: never; query: never; body: CreateRefundBody; response: RefundResponse };
  createSubscription: {
    params: never;
    query: never;
    body: CreateSubscriptionBody;
    response: CreateSubscriptionResponse;
  };
  previewSubscription: {
    params: never;
    query: never;
    body: PreviewSubscriptionBody;
    response: SubscriptionPreview;
  };
  listSubscriptions: {
    params: never;
    query: never;
    body: never;
    response: SubscriptionsResponse;
  };
  cancelSubscription: {
    params: { id: string };
    query: never;
    body: CancelSubscriptionBody;
    response: Subscription;
  };
  resumeSubscription: {
    params: { id: string };
    query: never;
    body: ResumeSubscriptionBody;
    response: Subscription;
  };
  changeSubscription: {
    params: { id: string };
    query: never;
    body: ChangeSubscriptionBody;
    response: Subscription;
  };
  previewSubscriptionChange: {
    params: { id: string };
    query: never;
    body: PreviewSubscriptionChangeBody;
    response: SubscriptionChangePreview;
  };
  getEntitlements: { params: never; query: never; body: never; response: EntitlementsResponse };
  getTrialEligibility: {
    params: never;
    query: never;
    body: never;
    response: TrialEligibilityResponse;
  };
  createCheckoutSession: {
    params: never;
    query: never;
    body: CreateCheckoutSessionBody;
    response: CheckoutSessionResponse;
  };
  createPortalSession: {
    params: never;
    query: never;
    body: CreatePortalSessionBody;
    response: PortalSessionResponse;
  };
  receiveWebhook: {
    params: never;
    query: never;
    body: never;
    response: { received: true; duplicate: boolean };
  };
  sandboxSignIn: {
    params: never;
    query: never;
    body: SandboxSignInBody;
    response: SandboxSignInResponse;
  };
  sandboxAdvance: {
    params: never;
    query: never;
    body: SandboxAdvanceBody;
    response: SandboxAdvanceResponse;
  };
}

/** Fills `:name` parameters into a route's path, URL-encoded. */
export function routePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
