/**
 * A scripted Stripe.js for jsdom tests of the hooks' logic (React 18 and 19): elements that say
 * `ready` at once, and confirmations that answer what the test queued. The Payment Element itself
 * is exercised in Chromium against the sandbox (`*.browser.test.tsx`).
 */
import type { PaymentIntent, Stripe } from '@stripe/stripe-js';
import { vi } from 'vitest';

type Result = {
  paymentIntent?: Partial<PaymentIntent>;
  setupIntent?: Record<string, unknown>;
  error?: Record<string, unknown>;
};

export interface FakeStripe {
  stripe: Stripe;
  /** What `confirmPayment` answers next (one entry per call; the last one repeats). */
  confirmResults: Result[];
  /** What `retrievePaymentIntent` answers next (one entry per call; the last one repeats). */
  retrieveResults: Result[];
  /** What `handleNextAction` answers next. */
  nextActionResults: Result[];
  /** What `confirmSetup` answers next. */
  setupResults: Result[];
  /** What `retrieveSetupIntent` answers next. */
  setupRetrieveResults: Result[];
  /** The `loaderror` each Payment Element mounted next reports instead of `ready` (one each). */
  loadErrors: Array<Record<string, unknown>>;
  calls: {
    elements: ReturnType<typeof vi.fn>;
    update: ReturnType<typeof vi.fn>;
    submit: ReturnType<typeof vi.fn>;
    confirmPayment: ReturnType<typeof vi.fn>;
    confirmSetup: ReturnType<typeof vi.fn>;
    handleNextAction: ReturnType<typeof vi.fn>;
    retrievePaymentIntent: ReturnType<typeof vi.fn>;
    retrieveSetupIntent: ReturnType<typeof vi.fn>;
  };
}

function take(queue: Result[]): Result {
  return (queue.length > 1 ? queue.shift() : queue[0]) ?? {};
}

export function intent(status: string, extra: Partial<PaymentIntent> = {}): Partial<PaymentIntent> {
  return {
    id: 'pi_fake',
    object: 'payment_intent',
    status: status as PaymentIntent['status'],
    amount: 2500,
    currency: 'usd',
    client_secret: 'pi_fake_secret_x',
    last_payment_error: null,
    ...extra,
  };
}

export function createFakeStripe(): FakeStripe {
  const fake: Omit<FakeStripe, 'stripe' | 'calls'> = {
    confirmResults: [{ paymentIntent: intent('succeeded') }],
    retrieveResults: [{ paymentIntent: intent('succeeded') }],
    nextActionResults: [{ paymentIntent: intent('succeeded') }],
    setupResults: [
      {
        setupIntent: { id: 'seti_fake', status: 'succeeded', client_secret: 'seti_fake_secret_x' },
      },
    ],
    setupRetrieveResults: [
      {
        setupIntent: { id: 'seti_fake', status: 'succeeded', client_secret: 'seti_fake_secret_x' },
      },
    ],
    loadErrors: [],
  };
  const update = vi.fn();
  const submit = vi.fn(async () => ({ selectedPaymentMethod: 'card' }));
  const elements = vi.fn(() => ({
    update,
    submit,
    create: () => {
      const handlers = new Map<string, (event: unknown) => void>();
      return {
        on(name: string, handler: (event: unknown) => void) {
          handlers.set(name, handler);
        },
        mount(node: HTMLElement) {
          node.append(
            Object.assign(document.createElement('iframe'), {
              title: 'Secure payment input frame',
            }),
          );
          const error = fake.loadErrors.shift();
          queueMicrotask(() =>
            error
              ? handlers.get('loaderror')?.({ elementType: 'payment', error })
              : handlers.get('ready')?.({ elementType: 'payment' }),
          );
        },
        destroy() {},
      };
    },
  }));
  const confirmPayment = vi.fn(async () => take(fake.confirmResults));
  const confirmSetup = vi.fn(async () => take(fake.setupResults));
  const handleNextAction = vi.fn(async () => take(fake.nextActionResults));
  const retrievePaymentIntent = vi.fn(async () => take(fake.retrieveResults));
  const retrieveSetupIntent = vi.fn(async () => take(fake.setupRetrieveResults));
  const stripe = {
    elements,
    confirmPayment,
    confirmSetup,
    handleNextAction,
    retrievePaymentIntent,
    retrieveSetupIntent,
  } as unknown as Stripe;
  return Object.assign(fake, {
    stripe,
    calls: {
      elements,
      update,
      submit,
      confirmPayment,
      confirmSetup,
      handleNextAction,
      retrievePaymentIntent,
      retrieveSetupIntent,
    },
  });
}

/**
 * A `fetch` for the Tillkit server's routes the kit calls, recording each request. A route
 * answers a body (201 for POST, else 200), or a `Response` of its own (an error), or a promise of
 * either (to hold an answer back).
 */
export function fakeServerFetch(
  routes: Record<string, (body: unknown) => unknown>,
): typeof fetch & {
  requests: Array<{ method: string; url: string; headers: Headers; body: unknown }>;
} {
  const requests: Array<{ method: string; url: string; headers: Headers; body: unknown }> = [];
  const fetcher = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method, url, headers: new Headers(init?.headers), body });
    const path = new URL(url).pathname.replace(/^\/api/, '');
    const route = routes[`${method} ${path}`];
    if (!route) {
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no route' } }), {
        status: 404,
      });
    }
    const answer = await route(body);
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify(answer), {
      status: method === 'POST' ? 201 : 200,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  return Object.assign(fetcher as unknown as typeof fetch, { requests });
}

export const CATALOG = {
  products: [
    {
      id: 'prod_tshirt',
      name: 'T-shirt',
      description: null,
      features: [],
      prices: [
        { id: 'price_tshirt', unitAmount: 2500, currency: 'usd', type: 'one_time' },
        {
          id: 'price_monthly',
          unitAmount: 900,
          currency: 'usd',
          type: 'recurring',
          interval: 'month',
        },
        { id: 'price_kwd', unitAmount: 7500, currency: 'kwd', type: 'one_time' },
      ],
    },
  ],
};

/** An error answer in the Tillkit server's shape. */
export function errorAnswer(status: number, code: string, message = code): Response {
  return new Response(JSON.stringify({ error: { code, message, requestId: 'req_test' } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A catalog of plans: monthly and yearly prices (one with a trial), in USD, JPY and KWD. */
export const BILLING_CATALOG = {
  products: [
    {
      id: 'prod_starter',
      name: 'Starter',
      description: 'For side projects',
      features: ['3 projects', 'Email support'],
      prices: [
        {
          id: 'price_starter_month',
          unitAmount: 900,
          currency: 'usd',
          type: 'recurring',
          interval: 'month',
          intervalCount: 1,
        },
        {
          id: 'price_starter_year',
          unitAmount: 9000,
          currency: 'usd',
          type: 'recurring',
          interval: 'year',
          intervalCount: 1,
        },
      ],
    },
    {
      id: 'prod_pro',
      name: 'Pro',
      description: null,
      features: ['Unlimited projects', 'Priority support'],
      prices: [
        {
          id: 'price_pro_month',
          unitAmount: 2900,
          currency: 'usd',
          type: 'recurring',
          interval: 'month',
          intervalCount: 1,
          trialPeriodDays: 14,
        },
        {
          id: 'price_pro_year',
          unitAmount: 24000,
          currency: 'usd',
          type: 'recurring',
          interval: 'year',
          intervalCount: 1,
        },
      ],
    },
    {
      id: 'prod_tshirt',
      name: 'T-shirt',
      description: null,
      features: [],
      prices: [{ id: 'price_tshirt', unitAmount: 2500, currency: 'usd', type: 'one_time' }],
    },
  ],
};
