/**
 * The sandbox API as Stripe.js calls it: the publishable key as a `key` parameter (so requests
 * stay "simple" and need no CORS preflight), form-encoded bodies, errors as `{ error }`.
 */
import { formEncode } from './form-encoding.js';
import type { ApiError } from './protocol.js';

export type ApiResult<T> = { ok: true; body: T } | { ok: false; status: number; error: ApiError };

export interface SandboxApi {
  readonly apiBase: string;
  readonly publishableKey: string;
  get<T>(path: string, params?: Record<string, unknown>): Promise<ApiResult<T>>;
  post<T>(path: string, params?: Record<string, unknown>): Promise<ApiResult<T>>;
}

export function createApi(
  apiBase: string,
  publishableKey: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): SandboxApi {
  const base = apiBase.replace(/\/$/, '');
  const send = async <T>(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown>,
  ): Promise<ApiResult<T>> => {
    const encoded = formEncode({ ...params, key: publishableKey });
    let response: Response;
    try {
      response =
        method === 'GET'
          ? await fetchImpl(`${base}${path}?${encoded}`, { method })
          : await fetchImpl(`${base}${path}`, {
              method,
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: encoded,
            });
    } catch (cause) {
      return {
        ok: false,
        status: 0,
        error: {
          type: 'api_connection_error',
          message: `Could not reach the Stripe sandbox at ${base} (${String((cause as Error)?.message ?? cause)}).`,
        },
      };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (response.ok) return { ok: true, body: body as T };
    const error = (body as { error?: ApiError } | undefined)?.error ?? {
      type: 'api_error',
      message: `The Stripe sandbox answered ${response.status}.`,
    };
    return { ok: false, status: response.status, error };
  };
  return {
    apiBase: base,
    publishableKey,
    get: (path, params = {}) => send('GET', path, params),
    post: (path, params = {}) => send('POST', path, params),
  };
}
