/**
 * Hostile input on every route, the auth matrix, body limits, card numbers, CORS, security
 * headers, rate limits, redacted logs and request metrics, through HTTP against the sandbox.
 */
import { ROUTES, type RouteName } from '@tillkit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorBody,
  FRONTEND,
  startTestApp,
  stripeRequestLog,
  type TestApp,
} from '../test-support/harness.js';

let app: TestApp;
let user: string;
let admin: string;
let paymentId: string;

beforeAll(async () => {
  app = await startTestApp();
  [user, admin] = await Promise.all([app.token('uma'), app.token('root', 'admin')]);
  const intent = await app.client(user).createPaymentIntent({
    items: [{ price: app.prices.tshirt?.id as string, quantity: 1 }],
  });
  paymentId = intent.id;
});
afterAll(() => app?.close());

interface Case {
  name: RouteName;
  path: () => string;
  token?: () => string;
  /** A body that passes validation (for POST/PATCH/DELETE routes). */
  body?: () => unknown;
  /** Bodies with a wrong type, and the param the error names. */
  wrongTypes?: Array<[unknown, string]>;
}

const tshirt = () => app.prices.tshirt?.id as string;

const CASES: Case[] = [
  { name: 'health', path: () => '/health' },
  { name: 'ready', path: () => '/ready' },
  { name: 'getConfig', path: () => '/config' },
  { name: 'listPrices', path: () => '/prices' },
  {
    name: 'createPaymentIntent',
    path: () => '/payment-intents',
    body: () => ({ items: [{ price: tshirt(), quantity: 1 }] }),
    wrongTypes: [
      [{ items: 'tshirt' }, 'items'],
      [{ items: [{ price: 42, quantity: 1 }] }, 'items[0].price'],
      [{ items: [{ price: 'price_x', quantity: '1' }] }, 'items[0].quantity'],
      [
        { items: [{ price: 'price_x', quantity: 1 }], savePaymentMethod: 'yes' },
        'savePaymentMethod',
      ],
      [{ items: [{ price: '../../v1/charges', quantity: 1 }] }, 'items[0].price'],
    ],
  },
  {
    name: 'updatePaymentIntent',
    path: () => `/payment-intents/${paymentId}`,
    token: () => user,
    body: () => ({ items: [{ price: tshirt(), quantity: 2 }] }),
    wrongTypes: [
      [{ items: [{ price: 'price_x', quantity: 1 }], clientSecret: 5 }, 'clientSecret'],
      [{ items: null }, 'items'],
    ],
  },
  { name: 'getPayment', path: () => `/payments/${paymentId}`, token: () => user },
  { name: 'listPayments', path: () => '/payments', token: () => admin },
  { name: 'createSetupIntent', path: () => '/setup-intents', token: () => user, body: () => ({}) },
  { name: 'listPaymentMethods', path: () => '/payment-methods', token: () => user },
  {
    name: 'setDefaultPaymentMethod',
    path: () => '/payment-methods/pm_nothere/default',
    token: () => user,
    body: () => ({}),
  },
  { name: 'deletePaymentMethod', path: () => '/payment-methods/pm_nothere', token: () => user },
  {
    name: 'createCustomerSession',
    path: () => '/customer-sessions',
    token: () => user,
    body: () => ({}),
  },
  {
    name: 'createRefund',
    path: () => '/refunds',
    token: () => admin,
    body: () => ({ paymentIntent: paymentId }),
    wrongTypes: [
      [{ paymentIntent: 'pi_123', amount: '100' }, 'amount'],
      [{ paymentIntent: 'pi_123', amount: -5 }, 'amount'],
      [{ paymentIntent: 'pi_123', reason: 'because' }, 'reason'],
      [{ paymentIntent: ['pi_1'] }, 'paymentIntent'],
    ],
  },
  {
    name: 'createSubscription',
    path: () => '/subscriptions',
    token: () => user,
    body: () => ({ price: app.prices.starter_monthly?.id }),
    wrongTypes: [
      [{ price: 42 }, 'price'],
      [{ price: 'price_x', quantity: '1' }, 'quantity'],
      [{ price: '../../v1/subscriptions' }, 'price'],
      [{ quantity: 1 }, 'price'],
    ],
  },
  {
    name: 'previewSubscription',
    path: () => '/subscriptions/preview',
    token: () => user,
    body: () => ({ price: app.prices.starter_monthly?.id }),
    wrongTypes: [
      [{ price: 42 }, 'price'],
      [{ price: 'price_x', promotionCode: 10 }, 'promotionCode'],
      [{ price: 'price_x', promotionCode: '  ' }, 'promotionCode'],
      [{ promotionCode: 'WELCOME10' }, 'price'],
    ],
  },
  { name: 'listSubscriptions', path: () => '/subscriptions', token: () => user },
  {
    name: 'cancelSubscription',
    path: () => '/subscriptions/sub_nothere/cancel',
    token: () => user,
    body: () => ({}),
    wrongTypes: [[{ atPeriodEnd: 'yes' }, 'atPeriodEnd']],
  },
  {
    name: 'resumeSubscription',
    path: () => '/subscriptions/sub_nothere/resume',
    token: () => user,
    body: () => ({}),
  },
  {
    name: 'changeSubscription',
    path: () => '/subscriptions/sub_nothere/change',
    token: () => user,
    body: () => ({ price: app.prices.pro_monthly?.id }),
    wrongTypes: [
      [{ price: 5 }, 'price'],
      [{}, 'price'],
      [{ price: 'price_x', prorationDate: '1800000000' }, 'prorationDate'],
      [{ price: 'price_x', prorationDate: 1.5 }, 'prorationDate'],
    ],
  },
  {
    name: 'previewSubscriptionChange',
    path: () => '/subscriptions/sub_nothere/change-preview',
    token: () => user,
    body: () => ({ price: app.prices.pro_monthly?.id }),
    wrongTypes: [
      [{ price: 5 }, 'price'],
      [{}, 'price'],
      [{ price: 'price_x', prorationDate: 1_800_000_000 }, 'prorationDate'],
    ],
  },
  { name: 'getEntitlements', path: () => '/entitlements', token: () => user },
  { name: 'getTrialEligibility', path: () => '/trial-eligibility', token: () => user },
  {
    name: 'createCheckoutSession',
    path: () => '/checkout-sessions',
    body: () => ({
      mode: 'payment',
      items: [{ price: tshirt(), quantity: 1 }],
      successUrl: `${FRONTEND}/thanks`,
      cancelUrl: `${FRONTEND}/cart`,
    }),
    wrongTypes: [
      [{ mode: 'refund', successUrl: FRONTEND, cancelUrl: FRONTEND }, 'mode'],
      [{ mode: 'payment', items: [], successUrl: FRONTEND, cancelUrl: FRONTEND }, 'items'],
      [
        { mode: 'payment', items: [{ price: 'price_x', quantity: 1 }], cancelUrl: FRONTEND },
        'successUrl',
      ],
      [
        { mode: 'subscription', price: 'price_x', successUrl: 7, cancelUrl: FRONTEND },
        'successUrl',
      ],
      [
        {
          mode: 'subscription',
          price: 'price_x',
          successUrl: FRONTEND,
          cancelUrl: 'x'.repeat(3000),
        },
        'cancelUrl',
      ],
    ],
  },
  {
    name: 'createPortalSession',
    path: () => '/portal-sessions',
    token: () => user,
    body: () => ({ returnUrl: `${FRONTEND}/account` }),
    wrongTypes: [
      [{}, 'returnUrl'],
      [{ returnUrl: ['x'] }, 'returnUrl'],
    ],
  },
  {
    name: 'sandboxSignIn',
    path: () => '/_sandbox/sign-in',
    body: () => ({ userId: 'demo' }),
    wrongTypes: [
      [{ userId: 7 }, 'userId'],
      [{ userId: 'x', role: 'owner' }, 'role'],
      [{ userId: 'x', email: 'not an email' }, 'email'],
      // A token for it would be refused: the database cannot store U+0000.
      [{ userId: 'a\u0000b' }, 'userId'],
    ],
  },
  {
    name: 'sandboxAdvance',
    path: () => '/_sandbox/advance',
    token: () => user,
    body: () => ({ days: 1 }),
    wrongTypes: [
      [{ days: '1' }, 'days'],
      [{ days: -1 }, 'days'],
      [{}, 'days'],
    ],
  },
];

const CARDS = ['4242 4242 4242 4242', '4000-0025-0000-3155', '378282246310005'];

function send(
  c: Case,
  init: { body?: string; headers?: Record<string, string>; token?: string; path?: string },
) {
  const { method } = ROUTES[c.name];
  return fetch(`${app.apiBase}${init.path ?? c.path()}`, {
    method,
    headers: {
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

it('covers every route of the table (the webhook route has its own tests)', () => {
  const covered = new Set(CASES.map((c) => c.name));
  expect(
    Object.keys(ROUTES).filter(
      (name) => name !== 'receiveWebhook' && !covered.has(name as RouteName),
    ),
  ).toEqual([]);
});

describe.each(CASES)('$name', (c) => {
  const spec = ROUTES[c.name];
  const takesBody = spec.method !== 'GET';

  it('refuses unknown query parameters', async () => {
    const response = await send(c, {
      path: `${c.path()}?debug=1`,
      token: c.token?.(),
      ...(takesBody ? { body: JSON.stringify(c.body?.() ?? {}) } : {}),
    });
    expect(response.status).toBe(400);
    expect(await errorBody(response)).toMatchObject({ code: 'invalid_request', param: 'debug' });
  });

  it('refuses a card number in the URL before anything else', async () => {
    const response = await send(c, {
      path: `${c.path()}?note=${encodeURIComponent(CARDS[0] as string)}`,
    });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('card_data_not_allowed');
  });

  if (spec.auth === 'user' || spec.auth === 'admin') {
    it('answers 401 to a guest and to a bad token', async () => {
      const body = takesBody ? JSON.stringify(c.body?.() ?? {}) : undefined;
      for (const token of [undefined, 'not-a-jwt', `${c.token?.()}x`]) {
        const response = await send(c, { ...(body ? { body } : {}), ...(token ? { token } : {}) });
        expect(response.status).toBe(401);
        expect((await errorBody(response)).code).toBe('unauthenticated');
      }
    });
  }
  if (spec.auth === 'admin') {
    it('answers 403 to a user without the admin role', async () => {
      const body = takesBody ? JSON.stringify(c.body?.() ?? {}) : undefined;
      const response = await send(c, { ...(body ? { body } : {}), token: user });
      expect(response.status).toBe(403);
      expect((await errorBody(response)).code).toBe('forbidden');
    });
  }
  if (spec.auth === 'guest') {
    it('answers 401 to a bad token rather than treating it as a guest', async () => {
      const response = await send(c, {
        body: JSON.stringify(c.body?.()),
        token: 'eyJhbGciOiJIUzI1NiJ9.e30.forged',
      });
      expect(response.status).toBe(401);
    });
  }

  if (takesBody) {
    it('refuses a body above 100 kB with a 413', async () => {
      const response = await send(c, {
        body: JSON.stringify({ padding: 'x'.repeat(100 * 1024) }),
        token: c.token?.(),
      });
      expect(response.status).toBe(413);
      expect((await errorBody(response)).code).toBe('payload_too_large');
    });

    it('refuses card numbers in the body first, even from callers who may not call the route', async () => {
      for (const card of CARDS) {
        for (const body of [
          JSON.stringify({ ...(c.body?.() as object), note: card }),
          JSON.stringify({ card: { number: Number(card.replace(/\D/g, '')) } }),
          // Hidden behind JSON escapes.
          `{"number":"${[...card].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`,
        ]) {
          const response = await send(c, { body });
          expect(response.status).toBe(400);
          expect((await errorBody(response)).code).toBe('card_data_not_allowed');
        }
      }
    });

    it('refuses malformed JSON and bodies that are not JSON', async () => {
      const broken = await send(c, { body: '{"items": [', token: c.token?.() });
      expect(broken.status).toBe(400);
      expect((await errorBody(broken)).code).toBe('malformed_json');
      const form = await send(c, {
        body: 'items=1',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        token: c.token?.(),
      });
      expect(form.status).toBe(400);
      expect((await errorBody(form)).code).toBe('malformed_json');
    });

    it('refuses unknown fields', async () => {
      const response = await send(c, {
        body: JSON.stringify({ ...(c.body?.() as object), isAdmin: true }),
        token: c.token?.(),
      });
      expect(response.status).toBe(400);
      expect(await errorBody(response)).toMatchObject({
        code: 'invalid_request',
        param: 'isAdmin',
      });
    });
  }

  if (c.wrongTypes) {
    it.each(c.wrongTypes)('refuses wrong types: %j', async (body, param) => {
      const response = await send(c, { body: JSON.stringify(body), token: c.token?.() });
      expect(response.status).toBe(400);
      expect(await errorBody(response)).toMatchObject({ code: 'invalid_request', param });
    });
  }

  if (spec.path.includes(':id')) {
    it('refuses malformed ids in the path', async () => {
      for (const id of ['a%20b', 'x'.repeat(300), 'pi_1%2F..%2Fcharges']) {
        const path = c
          .path()
          .replace(/(payment-intents|payments|payment-methods|subscriptions)\/[^/]+/, `$1/${id}`);
        const body = takesBody ? JSON.stringify(c.body?.() ?? {}) : undefined;
        const response = await send(c, { path, token: c.token?.(), ...(body ? { body } : {}) });
        expect(response.status).toBe(400);
        expect(await errorBody(response)).toMatchObject({ code: 'invalid_request', param: 'id' });
      }
    });
  }
});

/** Log lines at error level (pino's 50) or above, from `from` on. */
const errorLogs = (from: number) =>
  app.logs.lines.slice(from).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);

describe('input that used to be a 500', () => {
  it('answers 401 to a token whose user id holds U+0000 (the database cannot store it), logging no error', async () => {
    const before = app.logs.lines.length;
    const token = await app.token('a\u0000b');
    for (const [method, path] of [
      ['GET', '/payments'],
      ['GET', '/subscriptions'],
      ['POST', '/setup-intents'],
      ['POST', '/payment-intents'],
    ] as const) {
      const response = await app.fetch(path, {
        method,
        token,
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect((await errorBody(response)).code).toBe('unauthenticated');
    }
    expect(errorLogs(before)).toEqual([]);
  });

  it('refuses a deeply nested body with a 400, logging no error', async () => {
    const before = app.logs.lines.length;
    for (const body of [
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      `{"items":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      `${'{"a":'.repeat(15_000)}1${'}'.repeat(15_000)}`,
    ]) {
      // Each under the 100 kB body limit, so the depth check answers, not the size limit.
      const response = await app.fetch('/payment-intents', { method: 'POST', body });
      expect(response.status).toBe(400);
      expect((await errorBody(response)).code).toBe('invalid_request');
    }
    // A card number deep down is still found first.
    const card = await app.fetch('/payment-intents', {
      method: 'POST',
      body: `${'['.repeat(1_000)}"\u0034242424242424242"${']'.repeat(1_000)}`,
    });
    expect((await errorBody(card)).code).toBe('card_data_not_allowed');
    expect(errorLogs(before)).toEqual([]);
  });

  it('refuses a malformed percent-encoding in the path with a 400, logging no error', async () => {
    const before = app.logs.lines.length;
    for (const [method, path] of [
      ['GET', '/payments/%E0%A4%A'],
      ['GET', '/payments/%'],
      ['PATCH', '/payment-intents/%ZZ'],
      ['PATCH', '/payment-intents/%'],
      ['DELETE', '/payment-methods/%C3%28'],
    ] as const) {
      const response = await app.fetch(path, {
        method,
        token: user,
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect((await errorBody(response)).code).toBe('invalid_request');
    }
    expect(errorLogs(before)).toEqual([]);
  });
});

describe('bodies that are not what they seem', () => {
  it('refuses a JSON null body rather than reading it as an empty one', async () => {
    for (const [path, method] of [
      ['/setup-intents', 'POST'],
      ['/payment-methods/pm_nothere', 'DELETE'],
    ] as const) {
      const response = await app.fetch(path, { method, token: user, body: 'null' });
      expect(response.status, path).toBe(400);
      expect((await errorBody(response)).code).toBe('invalid_request');
    }
  });
});

describe('card numbers dressed up', () => {
  it('are refused behind escapes in a value that a later equal key replaces', async () => {
    const escaped = [...(CARDS[0] as string)]
      .map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    const response = await app.fetch('/payment-intents', {
      method: 'POST',
      body: `{"items":[{"price":"${tshirt()}","quantity":1}],"receiptEmail":"${escaped}","receiptEmail":"buyer@example.com"}`,
    });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('card_data_not_allowed');
  });

  it.each([
    ['digits after it', { note: '4242 4242 4242 4242 123' }],
    ['dots', { note: '4242.4242.4242.4242' }],
    ['four boxes', { card: ['4242', '4242', '4242', '4242'] }],
  ])('are refused in a body: %s', async (_what, body) => {
    const response = await app.fetch('/payment-intents', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('card_data_not_allowed');
  });

  it.each([
    '/payments?note=4242+4242+4242+4242',
    '/payments?n=4242&n=4242&n=4242&n=4242',
    '/payments/%ZZ?note=4242%204242%204242%204242',
    '/prices?note=4242%2E4242%2E4242%2E4242%20123',
  ])('are refused in the URL: %s', async (path) => {
    const response = await app.fetch(path, { token: admin });
    expect(response.status).toBe(400);
    expect((await errorBody(response)).code).toBe('card_data_not_allowed');
  });
});

describe('POST /webhooks', () => {
  it('takes up to 1 MB (Stripe events can be large), then answers 413', async () => {
    const response = await fetch(`${app.apiBase}/webhooks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': 't=1,v1=00' },
      body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect((await errorBody(response)).code).toBe('payload_too_large');
  });
});

describe('headers', () => {
  it('sets security headers, a request id, and no X-Powered-By (even in an app that did not disable it)', async () => {
    const response = await fetch(`${app.apiBase}/health`);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const failed = await fetch(`${app.apiBase}/payments`);
    expect((await errorBody(failed)).requestId).toBe(failed.headers.get('x-request-id'));
  });

  it('allows CORS only for the allowed origins', async () => {
    const preflight = await fetch(`${app.apiBase}/payment-intents`, {
      method: 'OPTIONS',
      headers: {
        Origin: FRONTEND,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(FRONTEND);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/i);
    const evil = await fetch(`${app.apiBase}/payment-intents`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${app.apiBase}/prices`, {
      headers: { Origin: 'https://evil.example' },
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${app.apiBase}/prices`, { headers: { Origin: FRONTEND } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(FRONTEND);
  });
});

describe('rate limits on routes that create things', () => {
  it('by default allow 60 creations a minute per caller, then answer 429 with Retry-After', async () => {
    const token = await app.token('busy-bee');
    const attempt = () =>
      app.fetch('/payment-intents', { method: 'POST', token, body: '{"items":[]}' });
    const statuses: number[] = [];
    for (let index = 0; index < 60; index++) statuses.push((await attempt()).status);
    expect(statuses).toEqual(Array(60).fill(400));
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorBody(limited)).code).toBe('rate_limited');
    // The budget is shared by every creating route…
    const setup = await app.fetch('/setup-intents', { method: 'POST', token, body: '{}' });
    expect(setup.status).toBe(429);
    // …and is the caller's own: another user is not limited, nor are reads.
    const other = await app.fetch('/setup-intents', {
      method: 'POST',
      token: await app.token('calm'),
      body: '{}',
    });
    expect(other.status).toBe(201);
    expect((await app.fetch('/payment-methods', { token })).status).toBe(200);
  });

  it('a lower limit applies per guest address too', async () => {
    const limitedApp = await startTestApp({
      router: { rateLimit: { limit: 3, windowMs: 60_000 } },
    });
    try {
      const body = JSON.stringify({
        items: [{ price: limitedApp.prices.tshirt?.id, quantity: 1 }],
      });
      const statuses = [];
      for (let index = 0; index < 4; index++) {
        statuses.push(
          (await limitedApp.fetch('/payment-intents', { method: 'POST', body })).status,
        );
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await limitedApp.close();
    }
  });

  it("limit a guest's reads of a payment by its client secret, each one Stripe read", async () => {
    const stripeRequests = stripeRequestLog();
    const limitedApp = await startTestApp({
      router: { rateLimit: { limit: 3, windowMs: 60_000 } },
      beforeStripeRequest: stripeRequests.record,
    });
    try {
      // Paid in the browser, outside the server's budget.
      const intent = await limitedApp.sandbox.stripe.paymentIntents.create({
        amount: 1400,
        currency: 'usd',
      });
      const clientSecret = intent.client_secret as string;
      await limitedApp.confirmPayment(clientSecret);
      await limitedApp.sandbox.waitForWebhooks();
      stripeRequests.clear();
      const path = `/payments/${intent.id}?clientSecret=${encodeURIComponent(clientSecret)}`;
      const statuses = [];
      for (let index = 0; index < 4; index++) {
        statuses.push((await limitedApp.fetch(path)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(stripeRequests.calls).toEqual(Array(3).fill(`GET /v1/payment_intents/${intent.id}`));
    } finally {
      await limitedApp.close();
    }
  });
});

describe('routes a guest may call, and what they cost in Stripe calls', () => {
  /** The server's Stripe requests, as `GET /v1/prices/price_…`. */
  const stripeRequests = stripeRequestLog();
  const { calls } = stripeRequests;
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({
      router: { rateLimit: { limit: 4, windowMs: 60_000 } },
      beforeStripeRequest: stripeRequests.record,
    });
  });
  afterAll(() => limited?.close());

  it("limit a guest's re-pricing with the same budget as creations", async () => {
    const intent = await limited.client().createPaymentIntent({
      items: [{ price: limited.prices.tshirt?.id as string, quantity: 1 }],
    });
    await limited.sandbox.waitForWebhooks(); // Their handlers call Stripe too.
    stripeRequests.clear();
    const items = Array.from({ length: 50 }, (_, index) => ({
      price: `price_madeup${index}`,
      quantity: 1,
    }));
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++) {
      const response = await limited.fetch(`/payment-intents/${intent.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ items, clientSecret: intent.clientSecret }),
      });
      statuses.push(response.status);
    }
    // One creation and three re-pricings fill the budget of four.
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429]);
    // Each re-pricing read the intent and the first made-up price, and stopped there.
    expect(calls).toEqual(
      Array(3)
        .fill([`GET /v1/payment_intents/${intent.id}`, 'GET /v1/prices/price_madeup0'])
        .flat(),
    );
  });

  it('GET /ready asks Stripe at most once every 2 seconds, however often it is called', async () => {
    await limited.sandbox.waitForWebhooks();
    stripeRequests.clear();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => limited.fetch('/ready').then((response) => response.status)),
    );
    for (let index = 0; index < 20; index++) {
      answers.push((await limited.fetch('/ready')).status);
    }
    expect(answers).toEqual(Array(40).fill(200));
    const probes = () => calls.filter((call) => call === 'GET /v1/products');
    expect(probes()).toHaveLength(1);

    // A failure is shared the same way, and the next answer after it asks again.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    limited.sandbox.chaos.set({ api: { failNext: 1, failWith: 500 } });
    try {
      const failing = await Promise.all([limited.fetch('/ready'), limited.fetch('/ready')]);
      for (const response of failing) {
        expect(response.status).toBe(503);
        const { code, message } = await errorBody(response);
        expect(code).toBe('not_ready');
        expect(message).toMatch(/Stripe/);
        expect(message).not.toMatch(/database/);
      }
    } finally {
      limited.sandbox.chaos.reset();
    }
    expect(probes()).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await limited.fetch('/ready')).status).toBe(200);
    expect(probes()).toHaveLength(3);
  });
});

describe('logs and metrics', () => {
  it('never log a body, a card number, a client secret or a token', async () => {
    const token = await app.token('logan');
    const intent = await app
      .client(token)
      .createPaymentIntent({ items: [{ price: tshirt(), quantity: 1 }] });
    await app.fetch('/payment-intents', {
      method: 'POST',
      token,
      body: JSON.stringify({ number: CARDS[0] }),
    });
    await app.fetch(`/payments?x=${encodeURIComponent(CARDS[1] as string)}`, { token });
    await app.client(token).createSetupIntent();
    // An internal failure with a secret in its message (a Stripe outage) is logged, redacted.
    app.logs.logger.child({ component: 'tillkit' }).error(
      {
        clientSecret: intent.clientSecret,
        nested: { client_secret: intent.clientSecret, token },
      },
      'probe',
    );
    const text = app.logs.text();
    expect(text).toContain('POST /payment-intents 201');
    expect(text).toContain('"code":"card_data_not_allowed"');
    expect(text).not.toContain(intent.clientSecret);
    expect(text).not.toContain('_secret_');
    expect(text).not.toContain(token);
    for (const card of CARDS) {
      expect(text).not.toContain(card);
      expect(text).not.toContain(card.replace(/\D/g, ''));
    }
    expect(text).toContain('[redacted]');
  });

  it('count requests and their latency by route and status', async () => {
    await app.fetch('/health');
    const metrics = await app.router.metrics.metrics();
    expect(metrics).toMatch(
      /tillkit_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/,
    );
    expect(metrics).toMatch(
      /tillkit_http_requests_total\{method="POST",route="\/payment-intents",status="201"\} \d+/,
    );
    expect(metrics).toMatch(
      /tillkit_http_request_duration_seconds_bucket\{le="0\.5",method="GET",route="\/health",status="200"\} \d+/,
    );
    expect(metrics).toContain('tillkit_webhook_events_total{outcome="processed"}');
  });
});
