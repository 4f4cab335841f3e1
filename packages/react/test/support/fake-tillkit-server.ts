/**
 * A stand-in for the Tillkit server in browser tests: MSW handlers for the routes the kit calls
 * (`/config`, `/prices`, `/payment-intents`), answering as the real server does and creating real
 * intents in the sandbox core that runs in the page, so the sandbox's Stripe.js confirms them.
 * Every call is recorded, so tests can assert that a retry created no second intent.
 */
import type { CartItem, PricesResponse } from '@tillkit/protocol';
import type { SandboxCore } from '@tillkit/sandbox/core';
import { seedDemoCatalog } from '@tillkit/sandbox/core';
import { HttpResponse, http, type RequestHandler } from 'msw';

export const PUBLISHABLE_KEY = 'pk_test_tillkit_react';
const SECRET_KEY = 'sk_test_tillkit_react';

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  idempotencyKey: string | null;
}

export interface FakeTillkitServer {
  handlers: RequestHandler[];
  calls: RecordedCall[];
  /** Price ids of the demo catalog by lookup key (`tshirt`, `tshirt_kwd`, `mug_jpy`, …). */
  prices: Record<string, string>;
  /** Calls the sandbox as a server does, with the secret key. */
  stripe(path: string, params?: Record<string, string>, method?: string): Promise<Json>;
  /** Forgets the recorded calls. */
  reset(): void;
}

type Json = Record<string, unknown>;

export function fakeTillkitServer(
  core: SandboxCore,
  options: { apiBase: string; sandboxBase: string },
): FakeTillkitServer {
  const { apiBase, sandboxBase } = options;
  const catalog = seedDemoCatalog(core);
  const prices: Record<string, string> = {};
  for (const price of catalog.prices) if (price.lookup_key) prices[price.lookup_key] = price.id;
  const pricesResponse: PricesResponse = {
    products: catalog.products.map((product) => ({
      id: product.id,
      name: product.name,
      description: product.description ?? null,
      features: (product.marketing_features ?? []).map((feature) => feature.name ?? ''),
      prices: catalog.prices
        .filter((price) => price.product === product.id)
        .map((price) => ({
          id: price.id,
          unitAmount: price.unit_amount ?? 0,
          currency: price.currency,
          type: price.type as 'one_time' | 'recurring',
          ...(price.recurring
            ? {
                interval: price.recurring.interval as 'day' | 'week' | 'month' | 'year',
                intervalCount: price.recurring.interval_count,
              }
            : {}),
        })),
    })),
  };
  const calls: RecordedCall[] = [];

  async function stripe(path: string, params: Record<string, string> = {}, method = 'POST') {
    const body = new URLSearchParams(params).toString();
    const response = await core.fetch(
      new Request(`${sandboxBase}${path}${method === 'GET' && body ? `?${body}` : ''}`, {
        method,
        headers: {
          Authorization: `Bearer ${SECRET_KEY}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        ...(method === 'GET' ? {} : { body }),
      }),
    );
    return (await response.json()) as Json;
  }

  function priceCart(items: CartItem[]): { amount: number; currency: string } {
    let amount = 0;
    let currency = '';
    for (const item of items) {
      const price = catalog.prices.find((candidate) => candidate.id === item.price);
      if (!price) throw new Error(`unknown price ${item.price}`);
      amount += (price.unit_amount ?? 0) * item.quantity;
      currency = price.currency;
    }
    return { amount, currency };
  }

  const answer = (intent: Json, status = 200) =>
    HttpResponse.json(
      {
        id: intent.id,
        clientSecret: intent.client_secret,
        amount: intent.amount,
        currency: intent.currency,
        status: intent.status,
      },
      { status },
    );

  async function record(request: Request, path: string): Promise<Json> {
    const body = request.method === 'GET' ? undefined : ((await request.json()) as Json);
    calls.push({
      method: request.method,
      path,
      body,
      idempotencyKey: request.headers.get('idempotency-key'),
    });
    return body ?? {};
  }

  const handlers: RequestHandler[] = [
    http.get(`${apiBase}/config`, async ({ request }) => {
      await record(request, '/config');
      return HttpResponse.json({
        publishableKey: PUBLISHABLE_KEY,
        mode: 'sandbox',
        sandbox: { apiBase: sandboxBase },
      });
    }),
    http.get(`${apiBase}/prices`, async ({ request }) => {
      await record(request, '/prices');
      return HttpResponse.json(pricesResponse);
    }),
    http.post(`${apiBase}/payment-intents`, async ({ request }) => {
      const body = await record(request, '/payment-intents');
      const { amount, currency } = priceCart(body.items as CartItem[]);
      const key = request.headers.get('idempotency-key');
      const response = await core.fetch(
        new Request(`${sandboxBase}/v1/payment_intents`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${SECRET_KEY}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            ...(key ? { 'Idempotency-Key': `tillkit-test:${key}` } : {}),
          },
          body: new URLSearchParams({
            amount: String(amount),
            currency,
            'automatic_payment_methods[enabled]': 'true',
            'metadata[tillkit]': 'true',
            ...(body.savePaymentMethod ? { setup_future_usage: 'off_session' } : {}),
          }).toString(),
        }),
      );
      return answer((await response.json()) as Json, 201);
    }),
    http.patch(`${apiBase}/payment-intents/:id`, async ({ request, params }) => {
      const body = await record(request, `/payment-intents/${params.id}`);
      const { amount, currency } = priceCart(body.items as CartItem[]);
      const updated = await stripe(`/v1/payment_intents/${params.id}`, {
        amount: String(amount),
        currency,
      });
      return answer(updated);
    }),
  ];

  return {
    handlers,
    calls,
    prices,
    stripe,
    reset: () => {
      calls.length = 0;
    },
  };
}
