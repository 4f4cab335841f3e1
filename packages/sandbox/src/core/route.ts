import type * as z from 'zod';
import type { RawParams } from './params.js';
import type { SandboxCore } from './sandbox.js';

/** Who may call a route: a secret key, also a publishable key (Stripe.js), or anyone (pages). */
export type RouteAuth = 'secret' | 'publishable' | 'none';

export interface RequestContext {
  sandbox: SandboxCore;
  request: Request;
  url: URL;
  /** Path parameters, e.g. `{ id: 'pi_123' }` for `/v1/payment_intents/:id`. */
  path: Record<string, string>;
  /** The raw parameters: the parsed body for POST, the query for GET and DELETE. */
  raw: RawParams;
  requestId: string;
  idempotencyKey: string | null;
  /** The key the caller used; `publishable` callers must prove access with a client secret. */
  keyType: 'secret' | 'publishable' | null;
  /** The origin the sandbox is reached at, for URLs it hands out (hosted pages). */
  origin: string;
  /**
   * Validates the parameters. From here on the request counts as executing: an error it ends
   * with is saved under its idempotency key.
   */
  parse<T extends z.ZodType>(schema: T, hints?: Record<string, string>): z.output<T>;
  /** Emits an event caused by this request (`request.id` and `idempotency_key` filled). */
  emit(type: string, object: object, previousAttributes?: Record<string, unknown>): void;
}

export type RouteResult = object | Response;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `/v1/payment_intents/:id/confirm` */
  path: string;
  /** @default 'secret' */
  auth?: RouteAuth;
  /** Chaos never touches sandbox-only routes. @default true */
  chaos?: boolean;
  handler(ctx: RequestContext): RouteResult | Promise<RouteResult>;
}

export interface CompiledRoute extends Route {
  pattern: RegExp;
  keys: string[];
}

export function compileRoute(route: Route): CompiledRoute {
  const keys: string[] = [];
  const source = route.path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        keys.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), keys };
}
