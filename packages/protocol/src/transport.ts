/**
 * How the client reaches the Tillkit server: `createTransport()` holds the server's address, the
 * caller's token and `fetch`; `callRoute()` sends one request for one route of the table and turns
 * error answers into `TillkitApiError`. The per-route calls (`calls.ts`) and `createTillkitClient()`
 * are both built on it. No runtime dependency (no validation library): the server validates
 * everything it is sent.
 */
import type { ErrorCode } from './error-codes.js';
import { type RouteSpec, routePath } from './route-table.js';

export interface TillkitClientOptions {
  /** Where the Tillkit router is mounted, e.g. `http://localhost:4242/api` or `/api`. */
  apiBase: string;
  /** The caller's bearer token (a JWT), or nothing for a guest. Called before every request. */
  getAuthToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Milliseconds a request may take, answer included, before it fails with the code `timeout`
   * (`0` or `Infinity`: no limit; more than a timer can hold, about 24.8 days, counts as none). A
   * write that timed out is safe to send again with its idempotency key.
   * @default 30000
   */
  timeout?: number;
}

export interface RequestOptions {
  /** Sent as `Idempotency-Key`: a retry with the same key gets the same object back. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Codes the client itself produces, besides the server's. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response';

/** An error answer from the server, or a request that never got one. */
export class TillkitApiError extends Error {
  override readonly name = 'TillkitApiError';
  declare readonly code: ErrorCode | ClientErrorCode;
  /** The HTTP status; 0 when the request failed before an answer. */
  declare readonly status: number;
  declare readonly param: string | undefined;
  declare readonly requestId: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
  declare readonly retryAfter: number | undefined;

  constructor({
    message,
    cause,
    ...fields
  }: {
    code: ErrorCode | ClientErrorCode;
    message: string;
    status: number;
    param?: string | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    cause?: unknown;
  }) {
    super(message, cause === undefined ? undefined : { cause });
    // The fields are declared above and set here, in one go.
    Object.assign(this, fields);
  }
}

/** Where and how requests go: what every per-route call takes first. */
export interface Transport {
  /** `apiBase` without a trailing slash. */
  readonly base: string;
  readonly getAuthToken: TillkitClientOptions['getAuthToken'];
  readonly fetch: typeof fetch;
  /** Milliseconds a request may take (`0`: no limit). */
  readonly timeout: number;
}

/**
 * A transport for a Tillkit server, for the per-route calls.
 * @example
 * const transport = createTransport({ apiBase: '/api', getAuthToken: () => session.token });
 * const { data } = await listPaymentMethods(transport);
 */
export function createTransport(options: TillkitClientOptions): Transport {
  return {
    base: options.apiBase.replace(/\/+$/, ''),
    getAuthToken: options.getAuthToken,
    // Looked up on each call, so that a fetch replaced later (tests, polyfills) is the one used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? 30_000,
  };
}

/** What one request carries besides its route. */
export interface CallArgs extends RequestOptions {
  params?: Record<string, string> | undefined;
  query?: Record<string, unknown> | undefined;
  body?: unknown;
}

/**
 * Sends one request for `route` and answers its JSON.
 * @throws TillkitApiError for an error answer, an answer that is not JSON, or no answer at all
 */
export async function callRoute<T>(
  transport: Transport,
  route: RouteSpec,
  args: CallArgs = {},
): Promise<T> {
  const { base } = transport;
  const { method, path } = route;
  const query = new URLSearchParams(
    Object.entries(args.query ?? {}).filter(([, value]) => value != null) as [string, string][],
  ).toString();
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = await transport.getAuthToken?.();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (args.idempotencyKey) headers['Idempotency-Key'] = args.idempotencyKey;
  const hasBody = method !== 'GET' && method !== 'DELETE' && args.body !== undefined;
  if (hasBody) headers['Content-Type'] = 'application/json';

  // One signal for the caller's abort and the time limit, which covers reading the answer too.
  const { signal } = args;
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  if (signal?.aborted) abort();
  signal?.addEventListener('abort', abort);
  // The time limit aborts it too (with no reason: the caller's signal is not aborted then).
  // setTimeout fires at once for a delay it cannot hold (above 2^31 - 1 ms, or Infinity).
  const timer =
    transport.timeout > 0 && transport.timeout <= 2_147_483_647
      ? setTimeout(abort, transport.timeout)
      : undefined;
  let response: Response;
  let text: string;
  try {
    response = await transport.fetch(
      `${base}${routePath(path, args.params)}${query ? `?${query}` : ''}`,
      {
        method,
        headers,
        body: hasBody ? JSON.stringify(args.body) : undefined,
        signal: controller.signal,
      },
    );
    text = await response.text();
  } catch (cause) {
    if (signal?.aborted) throw cause;
    // Aborted, not by the caller: the time limit.
    if (controller.signal.aborted) {
      throw new TillkitApiError({
        code: 'timeout',
        message: `The Tillkit server at ${base} did not answer ${method} ${path} within ${transport.timeout} ms.`,
        status: 0,
        cause,
      });
    }
    if ((cause as Error)?.name === 'AbortError') throw cause;
    throw new TillkitApiError({
      code: 'network_error',
      message: `Could not reach the Tillkit server at ${base}: ${(cause as Error)?.message ?? cause}`,
      status: 0,
      cause,
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }

  const { status, ok } = response;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (or empty): `json` stays undefined.
  }
  const where = `The Tillkit server answered ${method} ${path} with`;
  if (ok) {
    if (json === undefined) {
      throw new TillkitApiError({
        code: 'invalid_response',
        message: `${where} something that is not JSON.`,
        status,
      });
    }
    return json as T;
  }
  const error = (json as { error?: Record<string, unknown> } | undefined)?.error;
  /** A string field of the error body, if it has one. */
  const field = (name: string) => {
    const value = error?.[name];
    return typeof value === 'string' ? value : undefined;
  };
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new TillkitApiError({
    code: (field('code') as ErrorCode | undefined) ?? 'invalid_response',
    message: field('message') ?? `${where} HTTP ${status}.`,
    status,
    param: field('param'),
    requestId: field('requestId') ?? response.headers.get('x-request-id') ?? undefined,
    retryAfter: retryAfter > 0 && retryAfter < Infinity ? retryAfter : undefined,
  });
}
