/**
 * MSW handlers for the stories. `baseHandlers` serve the in-page sandbox (`/v1/*`, what the
 * sandbox's Stripe.js calls) and the demo Tillkit server (`/api/*`) for every story; the factories
 * below make the per-story overrides that put a component in a state a healthy server never shows
 * for long: loading (an answer that never comes), server errors, network failures, empty lists.
 * Put them in a story's `parameters.msw`; they take precedence over the base handlers.
 */
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { API_BASE, demoServer, errorResponse, SANDBOX_BASE } from './demo-server.js';

export const baseHandlers: RequestHandler[] = [
  http.all(`${SANDBOX_BASE}/v1/*`, ({ request }) => demoServer().core.fetch(request)),
  http.all(`${API_BASE}/*`, ({ request }) => demoServer().handle(request)),
];

type Method = 'get' | 'post' | 'patch' | 'delete';

/** A Tillkit route (`'/prices'`, `'/payment-methods/:id'`) that never answers: loading forever. */
export function pending(method: Method, path: string): RequestHandler {
  return http[method](`${API_BASE}${path}`, async () => {
    await delay('infinite');
    return new HttpResponse(null, { status: 204 });
  });
}

/** A Tillkit route that fails with the server's `internal_error` (500). */
export function serverError(method: Method, path: string): RequestHandler {
  return serverErrorWhile(method, path, () => true);
}

/**
 * A Tillkit route that fails as `serverError` does while `failing()` says so, and falls through
 * to the demo server once it does not (the server is healthy again: "Try again" works).
 */
export function serverErrorWhile(
  method: Method,
  path: string,
  failing: () => boolean,
): RequestHandler {
  return http[method](`${API_BASE}${path}`, () =>
    failing() ? errorResponse(500, 'internal_error', 'Something failed on the server.') : undefined,
  );
}

/** A Tillkit route that cannot be reached at all (the client's `network_error`). */
export function networkError(method: Method, path: string): RequestHandler {
  return http[method](`${API_BASE}${path}`, () => HttpResponse.error());
}

/** A Tillkit route answered with a fixed JSON body (an empty list, a prepared catalog). */
export function answer(method: Method, path: string, body: unknown): RequestHandler {
  return http[method](`${API_BASE}${path}`, () => HttpResponse.json(body as never));
}

/** Stripe.js's retrieval of an intent (`GET /v1/payment_intents/:id`) never answers. */
export function intentRetrievalPending(): RequestHandler {
  return http.get(`${SANDBOX_BASE}/v1/payment_intents/:id`, async () => {
    await delay('infinite');
    return new HttpResponse(null, { status: 204 });
  });
}

/** Stripe.js's retrieval of an intent fails with Stripe's `api_error` (500). */
export function intentRetrievalError(): RequestHandler {
  return http.get(`${SANDBOX_BASE}/v1/payment_intents/:id`, () =>
    HttpResponse.json(
      { error: { type: 'api_error', message: 'An unexpected error occurred (sandbox story).' } },
      { status: 500 },
    ),
  );
}

/**
 * The intent as the sandbox holds it, but reported `processing` (a bank debit that takes days)
 * for the first `times` retrievals; the real state after that.
 */
export function intentProcessing(times = Number.POSITIVE_INFINITY): RequestHandler {
  // Counted per intent: every story run makes new ones (the sandbox is fresh for each story).
  const seen = new Map<string, number>();
  return http.get(`${SANDBOX_BASE}/v1/payment_intents/:id`, async ({ request, params }) => {
    const response = await demoServer().core.fetch(request);
    const intent = (await response.json()) as Record<string, unknown>;
    const count = (seen.get(String(params.id)) ?? 0) + 1;
    seen.set(String(params.id), count);
    return HttpResponse.json(
      count <= times ? { ...intent, status: 'processing', next_action: null } : intent,
      { status: response.status },
    );
  });
}
