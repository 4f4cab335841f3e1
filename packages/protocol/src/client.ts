/**
 * `createTillkitClient()`: a typed client for the Tillkit server, for browsers and Node. It sends
 * JSON, adds the caller's bearer token, and turns error answers into `TillkitApiError`. It has no
 * runtime dependency (no validation library): the server validates everything it is sent.
 */
import type { ErrorCode } from './error-codes.js';
import { ROUTES, type RouteName, type RouteTypes, routePath } from './route-table.js';
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

export interface TillkitClientOptions {
  /** Where the Tillkit router is mounted, e.g. `http://localhost:4242/api` or `/api`. */
  apiBase: string;
  /** The caller's bearer token (a JWT), or nothing for a guest. Called before every request. */
  getAuthToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key gets the same object back. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Codes the client itself produces, besides the server's. */
export type ClientErrorCode = 'network_error' | 'invalid_response';

/** An error answer from the server, or a request that never got one. */
export class TillkitApiError extends Error {
  override readonly name = 'TillkitApiError';
  readonly code: ErrorCode | ClientErrorCode;
  /** The HTTP status; 0 when the request failed before an answer. */
  readonly status: number;
  readonly param: string | undefined;
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
  readonly retryAfter: number | undefined;

  constructor(init: {
    code: ErrorCode | ClientErrorCode;
    message: string;
    status: number;
    param?: string | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.param = init.param;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }
}

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
  getPayment(id: string, options?: RequestOptions): Promise<Payment>;
  listPayments(query?: ListPaymentsQuery, options?: RequestOptions): Promise<PaymentsResponse>;
  createSetupIntent(
    body?: CreateSetupIntentBody,
    options?: RequestOptions,
  ): Promise<SetupIntentResponse>;
  listPaymentMethods(options?: RequestOptions): Promise<PaymentMethodsResponse>;
  setDefaultPaymentMethod(id: string, options?: RequestOptions): Promise<PaymentMethod>;
  deletePaymentMethod(id: string, options?: RequestOptions): Promise<DeletedPaymentMethodResponse>;
  createRefund(body: CreateRefundBody, options?: RequestOptions): Promise<RefundResponse>;
  /**
   * Subscribes the caller to a recurring price. Nothing is charged yet: confirm `clientSecret`
   * with Stripe.js (`confirmPayment` for `"payment"`, `confirmSetup` for `"setup"`).
   */
  createSubscription(
    body: CreateSubscriptionBody,
    options?: RequestOptions,
  ): Promise<CreateSubscriptionResponse>;
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
  /** Moves a subscription to another price, prorated. */
  changeSubscription(
    id: string,
    body: ChangeSubscriptionBody,
    options?: RequestOptions,
  ): Promise<Subscription>;
  /** What the caller has paid for: `{ active, subscriptions, features }`. */
  getEntitlements(options?: RequestOptions): Promise<EntitlementsResponse>;
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
  const base = options.apiBase.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<N extends RouteName>(
    name: N,
    args: Args<N> = {} as Args<N>,
  ): Promise<RouteTypes[N]['response']> {
    const route = ROUTES[name];
    let url = `${base}${routePath(route.path, args.params as Record<string, string> | undefined)}`;
    if (args.query) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(args.query)) {
        if (value !== undefined && value !== null) search.set(key, String(value));
      }
      const text = search.toString();
      if (text) url += `?${text}`;
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = await options.getAuthToken?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (args.idempotencyKey) headers['Idempotency-Key'] = args.idempotencyKey;
    let body: string | undefined;
    if (route.method !== 'GET' && route.method !== 'DELETE' && args.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(args.body);
    }

    let response: Response;
    try {
      response = await doFetch(url, {
        method: route.method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(args.signal ? { signal: args.signal } : {}),
      });
    } catch (cause) {
      if ((cause as Error)?.name === 'AbortError') throw cause;
      throw new TillkitApiError({
        code: 'network_error',
        message: `Could not reach the Tillkit server at ${base}: ${(cause as Error)?.message ?? cause}`,
        status: 0,
        cause,
      });
    }

    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.ok) {
      if (json === undefined) {
        throw new TillkitApiError({
          code: 'invalid_response',
          message: `The Tillkit server answered ${route.method} ${route.path} with something that is not JSON.`,
          status: response.status,
        });
      }
      return json as RouteTypes[N]['response'];
    }
    const error = (json as { error?: Record<string, unknown> } | undefined)?.error;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new TillkitApiError({
      code:
        typeof error?.code === 'string' ? (error.code as ErrorCode) : ('invalid_response' as const),
      message:
        typeof error?.message === 'string'
          ? error.message
          : `The Tillkit server answered ${route.method} ${route.path} with HTTP ${response.status}.`,
      status: response.status,
      param: typeof error?.param === 'string' ? error.param : undefined,
      requestId:
        typeof error?.requestId === 'string'
          ? error.requestId
          : (response.headers.get('x-request-id') ?? undefined),
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    });
  }

  const call = request as <N extends RouteName>(
    name: N,
    args?: object,
  ) => Promise<RouteTypes[N]['response']>;

  return {
    request,
    health: () => call('health'),
    ready: () => call('ready'),
    getConfig: () => call('getConfig'),
    listPrices: () => call('listPrices'),
    createPaymentIntent: (body, opts) => call('createPaymentIntent', { body, ...opts }),
    updatePaymentIntent: (id, body, opts) =>
      call('updatePaymentIntent', { params: { id }, body, ...opts }),
    getPayment: (id, opts) => call('getPayment', { params: { id }, ...opts }),
    listPayments: (query, opts) => call('listPayments', { query, ...opts }),
    createSetupIntent: (body, opts) => call('createSetupIntent', { body: body ?? {}, ...opts }),
    listPaymentMethods: (opts) => call('listPaymentMethods', { ...opts }),
    setDefaultPaymentMethod: (id, opts) =>
      call('setDefaultPaymentMethod', { params: { id }, ...opts }),
    deletePaymentMethod: (id, opts) => call('deletePaymentMethod', { params: { id }, ...opts }),
    createRefund: (body, opts) => call('createRefund', { body, ...opts }),
    createSubscription: (body, opts) => call('createSubscription', { body, ...opts }),
    listSubscriptions: (opts) => call('listSubscriptions', { ...opts }),
    cancelSubscription: (id, body, opts) =>
      call('cancelSubscription', { params: { id }, body: body ?? {}, ...opts }),
    resumeSubscription: (id, opts) =>
      call('resumeSubscription', { params: { id }, body: {}, ...opts }),
    changeSubscription: (id, body, opts) =>
      call('changeSubscription', { params: { id }, body, ...opts }),
    getEntitlements: (opts) => call('getEntitlements', { ...opts }),
    createCheckoutSession: (body, opts) => call('createCheckoutSession', { body, ...opts }),
    createPortalSession: (body, opts) => call('createPortalSession', { body, ...opts }),
    sandboxSignIn: (body, opts) => call('sandboxSignIn', { body, ...opts }),
    sandboxAdvance: (body, opts) => call('sandboxAdvance', { body, ...opts }),
  };
}
