/**
 * The sandbox core: a Fetch API handler (`Request` in, `Response` out) over an in-memory store,
 * with Stripe's auth, errors, idempotency, expansion, events and webhook deliveries. Adapters serve
 * it over Node's HTTP server or through MSW; nothing here is Node-only.
 */
import type Stripe from 'stripe';
import { Chaos } from './chaos.js';
import { type Clock, systemClock } from './clock.js';
import {
  apiError,
  authenticationError,
  invalidRequest,
  rateLimitError,
  resourceMissing,
  StripeApiError,
} from './errors.js';
import { applyExpand, type Includable } from './expand.js';
import { IdempotencyStore, stableStringify } from './idempotency.js';
import { newId, randomString } from './ids.js';
import { parseBody, parseQuery, type RawParams, validate } from './params.js';
import { type CompiledRoute, compileRoute, type RequestContext, type Route } from './route.js';
import { type CollectionName, type SerializedState, Store, type StoredObject } from './store.js';
import { type DeliveryRecord, type WebhookDeliveryOptions, WebhookDispatcher } from './webhooks.js';

/** The API version the sandbox speaks: the one stripe-node 23.1.0 pins. */
export const API_VERSION = '2026-10-28.endive';

/**
 * Something one resource does when another changes (an invoice is paid when its payment intent
 * succeeds): run synchronously right after the event is recorded, so it stays in the same request.
 */
export interface Reaction {
  /** The event type that triggers it. */
  event: string;
  /** `object` is the stored object (not the event's copy). */
  run(sandbox: SandboxCore, object: StoredObject, options: EmitOptions): void;
}

export interface SandboxCoreOptions {
  routes: Route[];
  reactions?: Reaction[];
  /** Where "now" comes from. @default the system clock */
  clock?: Clock;
  webhooks?: WebhookDeliveryOptions;
  /** State to start from (a saved state file). */
  state?: SerializedState;
  /** Called after anything changed, so an adapter can persist the state. */
  onChange?: () => void;
  /** Where log lines go. @default console.log with a "[sandbox]" prefix */
  log?: (line: string) => void;
  /** The origin for URLs the sandbox hands out; by default the origin each request came to. */
  publicUrl?: string;
  /** Sees every JSON answer (tests validate them against Stripe's schema). */
  onResponse?: (info: ResponseInfo) => void;
  /**
   * The time an event about `object` is dated: billing dates the events of a test clock's
   * customers on that clock. @default the sandbox's clock
   */
  eventTime?: (sandbox: SandboxCore, object: object) => number;
}

export interface ResponseInfo {
  method: string;
  path: string;
  status: number;
  keyType: 'secret' | 'publishable' | null;
  body: string;
}

export interface EmitOptions {
  previousAttributes?: Record<string, unknown> | undefined;
  request?: { id: string | null; idempotency_key: string | null } | undefined;
}

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Idempotency-Key, Stripe-Version, Stripe-Account, X-Requested-With',
  'Access-Control-Expose-Headers':
    'Request-Id, Stripe-Version, Idempotency-Key, Idempotent-Replayed',
  'Access-Control-Max-Age': '300',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/**
 * The 400 for a request or webhook endpoint that asks for another API version: the sandbox
 * speaks only the one stripe-node 23.1.0 pins, and answering in it while claiming another would
 * let code pass here that breaks on Stripe.
 */
export function unsupportedVersion(version: string, where: string, param?: string) {
  return invalidRequest(
    `The Tillkit Stripe sandbox speaks only Stripe API version ${API_VERSION} (the one stripe-node 23.1.0 pins), but the ${where} asked for ${JSON.stringify(version)}. Remove it (stripe-node sends ${API_VERSION} by default) or set it to ${API_VERSION}; the sandbox models no other version or preview.`,
    param,
  );
}

/** Where Stripe's Dashboard would show the request's log (test mode). */
function requestLogUrl(requestId: string, now: number): string {
  return `https://dashboard.stripe.com/test/logs/${requestId}?t=${now}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SandboxCore {
  readonly store: Store;
  readonly chaos = new Chaos();
  readonly clock: Clock;
  readonly webhooks: WebhookDispatcher;
  readonly idempotency = new IdempotencyStore();
  readonly #routes: CompiledRoute[];
  readonly #includables = new Map<string, Includable>();
  readonly #options: SandboxCoreOptions;
  readonly #listeners = new Set<(event: Stripe.Event) => void>();
  readonly #closeCallbacks = new Set<() => void>();
  readonly log: (line: string) => void;

  constructor(options: SandboxCoreOptions) {
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? ((line) => console.log(`[sandbox] ${line}`));
    this.store = new Store();
    if (options.state) this.store.load(options.state);
    this.#routes = options.routes.map(compileRoute);
    this.webhooks = new WebhookDispatcher(
      {
        clock: this.clock,
        chaos: this.chaos,
        findEvent: (id) => this.store.collection('events').get(id) as unknown as Stripe.Event,
        findEndpoint: (id) => {
          const endpoint = this.store
            .collection<Stripe.WebhookEndpoint>('webhook_endpoints')
            .get(id);
          const secret = this.store.getInternal<string>(`webhook_secret:${id}`);
          if (endpoint?.status !== 'enabled' || !secret) return undefined;
          return { id, url: endpoint.url, secret };
        },
        delivered: (eventId) => {
          const event = this.store.collection<Stripe.Event>('events').get(eventId);
          if (event && event.pending_webhooks > 0) event.pending_webhooks -= 1;
          this.markDirty();
        },
        log: this.log,
      },
      options.webhooks,
    );
  }

  /** Unix seconds. */
  now(): number {
    return this.clock.now();
  }

  markDirty(): void {
    this.#options.onChange?.();
  }

  // --- objects ---------------------------------------------------------------------------------

  /** Retrieves an object or throws Stripe's 404 (`No such customer: 'cus_…'`). */
  get<T extends StoredObject>(
    collection: CollectionName,
    id: string,
    resource: string,
    param = 'id',
  ): T {
    const found = this.store.collection<T>(collection).get(id);
    if (!found) throw resourceMissing(resource, id, param);
    return found;
  }

  /** Registers a field that Stripe includes only when expanded (e.g. Invoice.confirmation_secret). */
  registerIncludable(objectType: string, field: string, compute: Includable): void {
    this.#includables.set(`${objectType}:${field}`, compute);
  }

  // --- events and webhooks ---------------------------------------------------------------------

  /** Records an event and queues its delivery to every endpoint that listens for it. */
  emit(type: string, object: object, options: EmitOptions = {}): Stripe.Event {
    const endpoints = this.store
      .collection<Stripe.WebhookEndpoint>('webhook_endpoints')
      .values()
      .filter(
        (endpoint) =>
          endpoint.status === 'enabled' &&
          (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)),
      );
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.#options.eventTime?.(this, object) ?? this.now(),
      data: {
        object: structuredClone(object),
        ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
      },
      livemode: false,
      pending_webhooks: endpoints.length,
      request: options.request ?? { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
    this.store.collection('events').set(event as unknown as StoredObject);
    this.webhooks.enqueue(
      event.id,
      endpoints.map((endpoint) => endpoint.id),
    );
    for (const listener of this.#listeners) listener(event);
    this.markDirty();
    const stored = (object as StoredObject).id
      ? this.store.findById((object as StoredObject).id)
      : undefined;
    for (const reaction of this.#options.reactions ?? []) {
      if (reaction.event === type && stored) reaction.run(this, stored, options);
    }
    return event;
  }

  /** Calls `listener` with every event as it is created (in-process tests). */
  onEvent(listener: (event: Stripe.Event) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Creates a webhook endpoint with a known secret (the server's sandbox mode uses this). */
  addWebhookEndpoint(input: {
    url: string;
    secret?: string;
    enabledEvents?: string[];
    description?: string;
  }): Stripe.WebhookEndpoint {
    const endpoint: Stripe.WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: null,
      application: null,
      created: this.now(),
      description: input.description ?? null,
      enabled_events: input.enabledEvents ?? ['*'],
      livemode: false,
      metadata: {},
      status: 'enabled',
      url: input.url,
    };
    this.store.collection<Stripe.WebhookEndpoint>('webhook_endpoints').set(endpoint);
    this.store.setInternal(
      `webhook_secret:${endpoint.id}`,
      input.secret ?? `whsec_${randomString(32)}`,
    );
    this.markDirty();
    return endpoint;
  }

  webhookSecret(endpointId: string): string | undefined {
    return this.store.getInternal<string>(`webhook_secret:${endpointId}`);
  }

  /** Resolves when every queued webhook delivery (retries included) is done. */
  waitForWebhooks(timeoutMs?: number): Promise<void> {
    return this.webhooks.idle(timeoutMs);
  }

  get deliveries(): readonly DeliveryRecord[] {
    return this.webhooks.deliveries;
  }

  /**
   * Forgets every object, event, idempotency key and pending delivery; chaos back to off.
   * `keepWebhookEndpoints` keeps the registered endpoints and their secrets.
   */
  reset(options: { keepWebhookEndpoints?: boolean } = {}): void {
    const endpoints = options.keepWebhookEndpoints
      ? this.store.collection<Stripe.WebhookEndpoint>('webhook_endpoints').values()
      : [];
    const secrets = endpoints.map((endpoint) => this.webhookSecret(endpoint.id));
    this.webhooks.clear();
    this.store.clear();
    this.idempotency.clear();
    this.chaos.reset();
    endpoints.forEach((endpoint, index) => {
      this.store.collection<Stripe.WebhookEndpoint>('webhook_endpoints').set(endpoint);
      this.store.setInternal(`webhook_secret:${endpoint.id}`, secrets[index]);
    });
    this.markDirty();
  }

  serialize(): SerializedState {
    return this.store.serialize();
  }

  /** Runs `callback` when the sandbox closes (to stop timers that background work started). */
  onClose(callback: () => void): void {
    this.#closeCallbacks.add(callback);
  }

  close(): void {
    this.webhooks.stop();
    for (const callback of this.#closeCallbacks) callback();
  }

  // --- HTTP ------------------------------------------------------------------------------------

  /**
   * Answers one request. A dropped connection (chaos) is `Response.error()`: adapters turn it
   * into a reset socket (Node) or a network error (MSW).
   */
  fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (request.method === 'OPTIONS')
      return new Response(null, { status: 204, headers: CORS_HEADERS });
    const requestId = `req_${randomString(14)}`;
    const response = await this.#handle(request, url, requestId);
    if (response.type === 'error') return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
    if (!headers.has('Request-Id')) headers.set('Request-Id', requestId);
    headers.set('Stripe-Version', API_VERSION);
    return new Response(response.body, { status: response.status, headers });
  };

  #match(
    method: string,
    pathname: string,
  ): { route: CompiledRoute; path: Record<string, string> } | null {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      const path: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        path[key] = decodeURIComponent(match[index + 1] ?? '');
      });
      return { route, path };
    }
    return null;
  }

  async #handle(request: Request, url: URL, requestId: string): Promise<Response> {
    const found = this.#match(request.method, url.pathname);
    if (!found) {
      return this.#error(
        new StripeApiError(404, {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${request.method}: ${url.pathname}). This is the Tillkit Stripe sandbox; see its README for the routes it serves.`,
        }),
        requestId,
      );
    }
    const { route, path } = found;

    const version = request.headers.get('stripe-version');
    if (version !== null && version.trim() !== API_VERSION) {
      return this.#error(unsupportedVersion(version.trim(), 'Stripe-Version header'), requestId);
    }

    let raw: RawParams;
    try {
      raw = request.method === 'POST' ? await parseBody(request) : parseQuery(url.search);
    } catch (error) {
      return this.#error(error, requestId);
    }

    // Stripe.js sends its publishable key as a `key` parameter rather than a header.
    let key: string | null = null;
    const authorization = request.headers.get('authorization');
    if (authorization?.startsWith('Bearer ')) key = authorization.slice(7).trim();
    else if (authorization?.startsWith('Basic '))
      key = atob(authorization.slice(6)).split(':')[0] ?? null;
    if (typeof raw.key === 'string') {
      key ??= raw.key;
      delete raw.key;
    }

    let keyType: RequestContext['keyType'] = null;
    const auth = route.auth ?? 'secret';
    if (auth !== 'none' || key) {
      try {
        keyType = this.#authenticate(key, auth);
      } catch (error) {
        return this.#error(error, requestId);
      }
    }

    const failure = route.chaos === false ? null : this.chaos.nextApiFailure();
    if (failure && this.chaos.settings.api.failWhen === 'before')
      return this.#chaosResponse(failure, requestId);

    const idempotencyKey =
      request.method === 'POST' ? request.headers.get('idempotency-key') : null;
    if (idempotencyKey) {
      try {
        const decision = this.idempotency.begin(
          idempotencyKey,
          stableStringify({ method: request.method, path: url.pathname, raw }),
        );
        if (decision.kind === 'replay') {
          return new Response(decision.saved.body, {
            status: decision.saved.status,
            headers: {
              'Content-Type': 'application/json',
              'Idempotency-Key': idempotencyKey,
              'Idempotent-Replayed': 'true',
              'Original-Request': decision.saved.requestId,
            },
          });
        }
      } catch (error) {
        return this.#error(error, requestId);
      }
    }

    // Latency comes after the key is taken, so a slow request holds its key as on Stripe.
    if (route.chaos !== false && this.chaos.settings.api.latencyMs > 0) {
      await sleep(this.chaos.settings.api.latencyMs);
    }

    let executing = false;
    const ctx: RequestContext = {
      sandbox: this,
      request,
      url,
      path,
      raw,
      requestId,
      idempotencyKey,
      keyType,
      origin: this.#options.publicUrl ?? url.origin,
      parse: (schema, hints) => {
        const parsed = validate(schema, raw, hints);
        executing = true;
        return parsed;
      },
      emit: (type, object, previousAttributes) => {
        this.emit(type, object, {
          previousAttributes,
          request: { id: requestId, idempotency_key: idempotencyKey },
        });
      },
    };

    let response: Response;
    try {
      const result = await route.handler(ctx);
      if (result instanceof Response) {
        response = result;
      } else {
        const expand = Array.isArray(raw.expand) ? raw.expand.map(String) : [];
        const body = applyExpand(structuredClone(result), expand, {
          findById: (id) => this.store.findById(id),
          includable: (type, field) => this.#includables.get(`${type}:${field}`),
        });
        response = json(200, body);
      }
      executing = true;
    } catch (error) {
      if (!(error instanceof StripeApiError)) {
        this.log(
          `internal error on ${request.method} ${url.pathname}: ${String((error as Error)?.stack ?? error)}`,
        );
      }
      response = this.#error(error, requestId);
    }
    if (request.method !== 'GET') this.markDirty();

    if (idempotencyKey) {
      if (executing && response.status !== 409) {
        const body = await response.clone().text();
        this.idempotency.complete(idempotencyKey, { status: response.status, body, requestId });
      } else {
        this.idempotency.abandon(idempotencyKey);
      }
      const headers = new Headers(response.headers);
      headers.set('Idempotency-Key', idempotencyKey);
      response = new Response(response.body, { status: response.status, headers });
    }

    if (this.#options.onResponse && response.headers.get('content-type') === 'application/json') {
      this.#options.onResponse({
        method: request.method,
        path: url.pathname,
        status: response.status,
        keyType,
        body: await response.clone().text(),
      });
    }
    if (failure && this.chaos.settings.api.failWhen === 'after')
      return this.#chaosResponse(failure, requestId);
    return response;
  }

  #authenticate(key: string | null, auth: Route['auth']): RequestContext['keyType'] {
    if (!key) {
      throw authenticationError(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    if (/^(sk|rk|pk)_live_/.test(key)) {
      throw authenticationError(
        'This is the Tillkit Stripe sandbox: it is offline and never talks to Stripe, so live mode keys are refused. Use a test key (sk_test_… or pk_test_…).',
      );
    }
    const masked = `${key.slice(0, 12)}${'*'.repeat(Math.max(0, Math.min(key.length - 16, 20)))}${key.slice(-4)}`;
    if (/^(sk|rk)_test_\w+/.test(key)) return 'secret';
    if (/^pk_test_\w+/.test(key)) {
      if (auth === 'secret') {
        throw authenticationError(
          'This API call cannot be made with a publishable API key. Please use a secret API key.',
        );
      }
      return 'publishable';
    }
    throw authenticationError(`Invalid API Key provided: ${masked}`);
  }

  #chaosResponse(failure: 'drop' | 429 | 500, requestId: string): Response {
    if (failure === 'drop') return Response.error();
    return this.#error(failure === 429 ? rateLimitError() : apiError(), requestId);
  }

  /**
   * An error in Stripe's shape. Stripe adds `request_log_url` (a link to the request in the
   * Dashboard's logs) to every API error but authentication ones, which belong to no account;
   * the sandbox has no logs page, so it gives the Dashboard-shaped URL with the request id.
   */
  #error(error: unknown, requestId: string): Response {
    const apiFailure =
      error instanceof StripeApiError
        ? error
        : apiError('An unexpected error occurred in the sandbox.');
    const body =
      apiFailure.body.type === 'authentication_error'
        ? apiFailure.body
        : { ...apiFailure.body, request_log_url: requestLogUrl(requestId, this.now()) };
    return json(apiFailure.status, { error: body }, apiFailure.headers);
  }
}
