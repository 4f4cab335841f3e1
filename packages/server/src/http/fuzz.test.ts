/**
 * Generated hostile input on every route of the protocol's route table (fast-check), on top of the
 * hand-picked cases of `safety.test.ts`: bodies, query strings, path ids and the headers that
 * matter, each varied while the rest of the request stays valid. Whatever comes in, the answer is
 * never a 5xx; an error is `{ error: { code, message, requestId, param? } }` with a protocol code
 * whose status is the HTTP status; a 2xx comes only for a request the protocol's schemas accept,
 * with a body its response schema accepts; nothing is logged at error level; and a card number
 * anywhere in a body or a query string is refused as `card_data_not_allowed` and never logged.
 *
 * A failure prints fast-check's seed: `FUZZ_SEED=<seed> pnpm exec vitest run --project server
 * src/http/fuzz.test.ts` runs the same inputs again. `FUZZ_RUNS=<n>` scales the runs per property.
 */
import querystring from 'node:querystring';
import {
  cancelSubscriptionBody,
  changeSubscriptionBody,
  checkoutSessionResponse,
  configResponse,
  createCheckoutSessionBody,
  createCustomerSessionBody,
  createPaymentIntentBody,
  createPortalSessionBody,
  createRefundBody,
  createSetupIntentBody,
  createSubscriptionBody,
  createSubscriptionResponse,
  customerSessionResponse,
  deletedPaymentMethodResponse,
  ERROR_STATUS,
  entitlementsResponse,
  getPaymentQuery,
  healthResponse,
  idParams,
  isErrorCode,
  listPaymentsQuery,
  paymentIntentResponse,
  paymentMethod,
  paymentMethodsResponse,
  payment as paymentSchema,
  paymentsResponse,
  portalSessionResponse,
  previewSubscriptionBody,
  previewSubscriptionChangeBody,
  pricesResponse,
  ROUTES,
  type RouteName,
  type RouteSpec,
  readyResponse,
  refundResponse,
  resumeSubscriptionBody,
  sandboxAdvanceBody,
  sandboxAdvanceResponse,
  sandboxSignInBody,
  sandboxSignInResponse,
  setupIntentResponse,
  subscriptionChangePreview,
  subscriptionPreview,
  subscription as subscriptionSchema,
  subscriptionsResponse,
  trialEligibilityResponse,
  updatePaymentIntentBody,
} from '@tillkit/protocol';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { AUTH_SECRET, FRONTEND, startTestApp, type TestApp } from '../test-support/harness.js';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 1) || 1);
const runs = (base: number) => ({ numRuns: Math.ceil(base * RUNS) });
if (process.env.FUZZ_SEED) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });

// --- the routes -----------------------------------------------------------------------------------

type Schema = z.ZodMiniType;
interface RouteSchemas {
  body?: Schema;
  query?: Schema;
  params?: Schema;
  response: Schema;
}

/** What the protocol says each route takes and answers (a route without a body takes `{}`). */
const SCHEMAS: Record<Exclude<RouteName, 'receiveWebhook'>, RouteSchemas> = {
  health: { response: healthResponse },
  ready: { response: readyResponse },
  getConfig: { response: configResponse },
  listPrices: { response: pricesResponse },
  createPaymentIntent: { body: createPaymentIntentBody, response: paymentIntentResponse },
  updatePaymentIntent: {
    params: idParams,
    body: updatePaymentIntentBody,
    response: paymentIntentResponse,
  },
  getPayment: { params: idParams, query: getPaymentQuery, response: paymentSchema },
  listPayments: { query: listPaymentsQuery, response: paymentsResponse },
  createSetupIntent: { body: createSetupIntentBody, response: setupIntentResponse },
  listPaymentMethods: { response: paymentMethodsResponse },
  setDefaultPaymentMethod: { params: idParams, response: paymentMethod },
  deletePaymentMethod: { params: idParams, response: deletedPaymentMethodResponse },
  createCustomerSession: { body: createCustomerSessionBody, response: customerSessionResponse },
  createRefund: { body: createRefundBody, response: refundResponse },
  createSubscription: { body: createSubscriptionBody, response: createSubscriptionResponse },
  previewSubscription: { body: previewSubscriptionBody, response: subscriptionPreview },
  listSubscriptions: { response: subscriptionsResponse },
  cancelSubscription: {
    params: idParams,
    body: cancelSubscriptionBody,
    response: subscriptionSchema,
  },
  resumeSubscription: {
    params: idParams,
    body: resumeSubscriptionBody,
    response: subscriptionSchema,
  },
  changeSubscription: {
    params: idParams,
    body: changeSubscriptionBody,
    response: subscriptionSchema,
  },
  previewSubscriptionChange: {
    params: idParams,
    body: previewSubscriptionChangeBody,
    response: subscriptionChangePreview,
  },
  getEntitlements: { response: entitlementsResponse },
  getTrialEligibility: { response: trialEligibilityResponse },
  createCheckoutSession: { body: createCheckoutSessionBody, response: checkoutSessionResponse },
  createPortalSession: { body: createPortalSessionBody, response: portalSessionResponse },
  sandboxSignIn: { body: sandboxSignInBody, response: sandboxSignInResponse },
  sandboxAdvance: { body: sandboxAdvanceBody, response: sandboxAdvanceResponse },
};
type JsonRoute = keyof typeof SCHEMAS;
const JSON_ROUTES = Object.keys(SCHEMAS) as JsonRoute[];
const NO_BODY = z.strictObject({});

// --- JSON built as text: duplicate keys, `__proto__` keys and number tokens JSON.stringify cannot write

class Obj {
  constructor(readonly entries: ReadonlyArray<readonly [string, Node]>) {}
}
class Raw {
  constructor(readonly text: string) {}
}
type Node = null | boolean | number | string | Obj | Raw | readonly Node[];

function jsonText(node: Node): string {
  if (node instanceof Obj) {
    return `{${node.entries.map(([key, value]) => `${JSON.stringify(key)}:${jsonText(value)}`).join(',')}}`;
  }
  if (node instanceof Raw) return node.text;
  if (Array.isArray(node)) return `[${node.map(jsonText).join(',')}]`;
  return JSON.stringify(node) ?? 'null';
}

const obj = (record: Record<string, Node | undefined>) =>
  new Obj(
    Object.entries(record).filter((entry): entry is [string, Node] => entry[1] !== undefined),
  );

/** Keys that mean something to JavaScript objects. */
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'then',
];

/**
 * Strings that break naive code. Node's HTTP server itself answers 431 (before any app sees the
 * request) to a request line and headers over 16 kB, so the ones for URLs stay short.
 */
const weirdStrings = (maxRepeat: number) =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      'NaN',
      'Infinity',
      '-Infinity',
      '-0',
      '1e309',
      '0x1F',
      ' 1 ',
      '1.5',
      'null',
      'undefined',
      'true',
      '[object Object]',
      '\u0000',
      '\ud800',
      '\u202e\u0041',
      '%00',
      '%ZZ',
      '../../v1/charges',
      'pi_1/../../v1/charges',
      'price_1 OR 1=1',
      "'; DROP TABLE payments; --",
      '١٢٣',
      '𝟙𝟚𝟛',
      '😀'.repeat(100),
      'javascript:alert(1)',
      ...PROTO_KEYS,
    ),
    fc
      .tuple(
        fc.constantFrom('x', 'é', '😀', '0', 'price_'),
        fc.integer({ min: 250, max: maxRepeat }),
      )
      .map(([unit, count]) => unit.repeat(count)),
  );
const weirdString = weirdStrings(20_000);
const urlString = weirdStrings(300);

const weirdNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -0,
    0.5,
    1.5,
    99.9,
    100,
    731,
    1e21,
    -1,
    2 ** 53,
    2 ** 53 + 2,
    5e-324,
    1.7976931348623157e308,
  ),
);

/** Number tokens as they may appear in JSON text: exponents, trailing zeros, overflow. */
const numberToken = fc
  .constantFrom(
    '1e400',
    '-1e400',
    '1E2',
    '1.0',
    '1.000000000000000001',
    '-0',
    '0.1e1',
    '99.99999999999999999',
    '1e-400',
    '100000000000000000000000',
  )
  .map((text) => new Raw(text));

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  weirdNumber,
  weirdString,
  numberToken,
);

/** `value` under `depth` levels of arrays or objects (the server refuses more than 32). */
const deeplyNested = (value: fc.Arbitrary<Node>) =>
  fc.tuple(fc.integer({ min: 28, max: 40 }), fc.boolean(), value).map(([depth, arrays, inner]) => {
    let node: Node = inner;
    for (let level = 0; level < depth; level++) node = arrays ? [node] : obj({ a: node });
    return node;
  });

const anyKey = (keys: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...keys, ...PROTO_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  );

/** Any JSON value, with objects whose keys are often the route's own (or `__proto__`). */
const weirdValue = (keys: readonly string[]) =>
  fc.letrec<{ value: Node }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }),
      fc
        .array(fc.tuple(anyKey(keys), tie('value')), { maxLength: 4 })
        .map((entries) => new Obj(entries)),
      deeplyNested(leaf),
    ),
  })).value;

// --- requests -------------------------------------------------------------------------------------

interface Caller {
  header: string | undefined;
  /** Who the server should take the caller for; `bad` for a header it must refuse. */
  as: 'guest' | 'user' | 'admin' | 'bad';
}

interface ContentType {
  header: string | undefined;
  /** True when the server should read the body as JSON. */
  json: boolean;
}

interface FuzzRequest {
  route: JsonRoute;
  /** The path's id, already in URL form (percent-encoded or not). */
  id: string;
  /** The query string, without `?`. */
  query: string;
  body: string | Uint8Array<ArrayBuffer> | undefined;
  caller: Caller;
  contentType: ContentType;
  idempotencyKey: string | undefined;
  contentEncoding: string | undefined;
}

/** Objects made in `beforeAll` for the generators to point at. */
interface World {
  user: string;
  admin: string;
  oneTimePrices: string[];
  recurringPrices: string[];
  intentId: string;
  clientSecret: string;
  paidIntentId: string;
  subscriptionId: string;
  paymentMethodId: string;
  callers: Caller[];
}

let app: TestApp;
let world: World;

const JSON_TYPE: ContentType = { header: 'application/json', json: true };

/** A caller who gets past the route's auth: the user who owns the world's objects, or an admin. */
function rightCaller(route: JsonRoute): Caller {
  const auth = ROUTES[route].auth;
  if (auth === 'admin') return { header: `Bearer ${world.admin}`, as: 'admin' };
  if (auth === 'public') return { header: undefined, as: 'guest' };
  return { header: `Bearer ${world.user}`, as: 'user' };
}

function pathOf(request: FuzzRequest): string {
  const path = ROUTES[request.route].path.replace(':id', request.id);
  return `${path}${request.query ? `?${request.query}` : ''}`;
}

async function send(request: FuzzRequest): Promise<Response> {
  const spec = ROUTES[request.route];
  const headers: Record<string, string> = {};
  if (request.contentType.header !== undefined)
    headers['Content-Type'] = request.contentType.header;
  if (request.caller.header !== undefined) headers.Authorization = request.caller.header;
  if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
  if (request.contentEncoding !== undefined) headers['Content-Encoding'] = request.contentEncoding;
  return fetch(`${app.apiBase}${pathOf(request)}`, {
    method: spec.method,
    headers,
    ...(spec.method !== 'GET' && request.body !== undefined ? { body: request.body } : {}),
  });
}

// --- what the protocol accepts ------------------------------------------------------------------

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** True when the protocol accepts this request: the only kind that may get a 2xx. */
function acceptable(request: FuzzRequest): boolean {
  const spec: RouteSpec = ROUTES[request.route];
  const schemas = SCHEMAS[request.route];
  const { as } = request.caller;
  // A public route never looks at the Authorization header.
  if (spec.auth !== 'public') {
    if (as === 'bad') return false;
    if (spec.auth === 'user' && as === 'guest') return false;
    if (spec.auth === 'admin' && as !== 'admin') return false;
  }
  // fetch() trims header values, as any HTTP client may.
  const idempotencyKey = request.idempotencyKey?.replace(/^[\t ]+|[\t ]+$/g, '');
  if (spec.creates && idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return false;
  }
  const encoding = request.contentEncoding?.trim() || 'identity';
  if (spec.method !== 'GET' && encoding !== 'identity') return false;
  const url = new URL(`${app.apiBase}${pathOf(request)}`);
  if (schemas.params) {
    const segment =
      url.pathname.split('/')[ROUTES[request.route].path.split('/').indexOf(':id') + 1];
    let id: string;
    try {
      id = decodeURIComponent(segment ?? '');
    } catch {
      return false;
    }
    if (!schemas.params.safeParse({ id }).success) return false;
  }
  // Express's default ("simple") query parser is node:querystring.
  const query = { ...querystring.parse(url.search.slice(1)) };
  if (!(schemas.query ?? NO_BODY).safeParse(query).success) return false;
  if (spec.method === 'GET') return true;
  const text =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : Buffer.from(request.body).toString('utf8');
  let body: unknown = {};
  if (text.trim() !== '') {
    if (!request.contentType.json) return false;
    try {
      body = JSON.parse(text);
    } catch {
      return false;
    }
  }
  return (schemas.body ?? NO_BODY).safeParse(body).success;
}

// --- the properties -------------------------------------------------------------------------------

const ERROR_LEVEL = 50;

/** Log lines at error level or above, from line `from` on. */
function errorLines(from: number): string[] {
  return app.logs.lines
    .slice(from)
    .filter((line) => (JSON.parse(line) as { level: number }).level >= ERROR_LEVEL);
}

/** Sends the request and checks what every answer must be; answers the status and the body. */
async function check(request: FuzzRequest): Promise<{ status: number; body: unknown }> {
  const before = app.logs.lines.length;
  const response = await send(request);
  const text = await response.text();
  const what = `${ROUTES[request.route].method} ${pathOf(request).slice(0, 300)} → ${response.status} ${text.slice(0, 500)}`;
  expect(response.status, what).toBeLessThan(500);
  expect([2, 4], what).toContain(Math.floor(response.status / 100));
  expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(text);
  if (response.status >= 400) {
    expect(Object.keys(body as object), what).toEqual(['error']);
    const error = (body as { error: Record<string, unknown> }).error;
    const { code, message, requestId, param, ...rest } = error;
    expect(rest, what).toEqual({});
    expect(isErrorCode(code), what).toBe(true);
    expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], what).toBe(response.status);
    expect(typeof message === 'string' && message.length > 0, what).toBe(true);
    expect(requestId, what).toBe(response.headers.get('x-request-id'));
    if (param !== undefined) expect(typeof param === 'string' && param.length > 0, what).toBe(true);
  } else {
    expect(acceptable(request), `${what}: a 2xx for a request the protocol refuses`).toBe(true);
    const answer = SCHEMAS[request.route].response.safeParse(body);
    expect(answer.success, `${what}: ${answer.error?.message}`).toBe(true);
  }
  expect(errorLines(before), what).toEqual([]);
  return { status: response.status, body };
}

// --- generators, per dimension ------------------------------------------------------------------

const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);

const urls = () =>
  fc.oneof(
    fc.constantFrom(
      `${FRONTEND}/thanks`,
      `${FRONTEND}/done?session={CHECKOUT_SESSION_ID}`,
      FRONTEND,
      'https://evil.example/thanks',
      `${FRONTEND}@evil.example`,
      `http://user:pass@${FRONTEND.slice(7)}/x`,
      'javascript:alert(1)',
      '/relative',
      'http://[::1',
      `${FRONTEND}/${'x'.repeat(2100)}`,
      `${FRONTEND}/é?q=😀#frag`,
    ),
    weirdString,
  );

const emails = fc.oneof(
  fc.constantFrom(
    'buyer@example.com',
    'a@b',
    'ü@ü.de',
    `${'a'.repeat(310)}@example.com`,
    '@',
    'a@@b',
    'a b@c',
  ),
  weirdString,
);

/** Values for the routes' own fields: valid ones, near misses and nonsense of the right kind. */
function fieldValues(): Record<string, fc.Arbitrary<Node>> {
  const { oneTimePrices, recurringPrices } = world;
  const prices = fc.oneof(
    oneOf([...oneTimePrices, ...recurringPrices]),
    fc.constantFrom('price_nothere', 'price_', 'PRICE_X', 'x'.repeat(255), 'x'.repeat(256)),
    fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/),
  );
  const quantity = fc.oneof(fc.integer({ min: 1, max: 99 }), weirdNumber);
  const item = fc
    .tuple(
      prices,
      quantity,
      fc.option(fc.tuple(anyKey(['price', 'quantity']), leaf), { nil: undefined }),
    )
    .map(
      ([price, qty, extra]) =>
        new Obj([['price', price], ['quantity', qty], ...(extra ? [extra] : [])] as const),
    );
  return {
    items: fc.oneof(
      fc.array(item, { minLength: 1, maxLength: 4 }),
      fc.array(item, { minLength: 0, maxLength: 60 }),
      fc.constant([]),
    ),
    price: prices,
    quantity,
    savePaymentMethod: fc.oneof(fc.boolean(), leaf),
    receiptEmail: emails,
    email: emails,
    clientSecret: fc.oneof(
      fc.constant(world.clientSecret),
      fc.constant(`${world.clientSecret}x`),
      fc.constant(`${world.intentId}_secret_`),
      weirdString,
    ),
    paymentIntent: fc.oneof(oneOf([world.paidIntentId, world.intentId, 'pi_nothere']), weirdString),
    amount: fc.oneof(fc.integer({ min: 1, max: 10_000 }), weirdNumber),
    reason: fc.oneof(
      fc.constantFrom('duplicate', 'fraudulent', 'requested_by_customer', 'DUPLICATE'),
      leaf,
    ),
    atPeriodEnd: fc.oneof(fc.boolean(), leaf),
    mode: fc.oneof(fc.constantFrom('payment', 'subscription', 'setup', 'Payment'), leaf),
    successUrl: urls(),
    cancelUrl: urls(),
    returnUrl: urls(),
    userId: fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), weirdString),
    role: fc.oneof(fc.constantFrom('admin', 'user', 'owner', 'ADMIN'), leaf),
    days: fc.oneof(fc.integer({ min: 1, max: 730 }), weirdNumber),
    promotionCode: fc.oneof(fc.constantFrom('WELCOME10', 'welcome-10', ''), weirdString),
  };
}

/** A body the route's schema accepts. */
function validBody(route: JsonRoute): fc.Arbitrary<Obj> {
  const { oneTimePrices, recurringPrices } = world;
  const cart = fc.uniqueArray(oneOf(oneTimePrices), { minLength: 1, maxLength: 3 }).map((prices) =>
    prices.map(
      (price) =>
        new Obj([
          ['price', price],
          ['quantity', 1],
        ]),
    ),
  );
  const recurring = oneOf(recurringPrices);
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  switch (route) {
    case 'createPaymentIntent':
      return fc
        .record({
          items: cart,
          savePaymentMethod: maybe(fc.boolean()),
          receiptEmail: maybe(fc.constant('buyer@example.com')),
        })
        .map(obj);
    case 'updatePaymentIntent':
      return fc
        .record({
          items: cart,
          clientSecret: maybe(fc.constant(world.clientSecret)),
          savePaymentMethod: maybe(fc.boolean()),
        })
        .map(obj);
    case 'createRefund':
      return fc
        .record({
          paymentIntent: fc.constant(world.paidIntentId),
          amount: maybe(fc.integer({ min: 1, max: 100 })),
          reason: maybe(fc.constantFrom('duplicate', 'requested_by_customer')),
        })
        .map(obj);
    case 'createSubscription':
    case 'previewSubscription':
      return fc
        .record({
          price: recurring,
          quantity: maybe(fc.integer({ min: 1, max: 3 })),
          promotionCode: maybe(fc.constantFrom('WELCOME10', 'welcome10', ' WELCOME10 ', 'NOPE')),
        })
        .map(obj);
    case 'cancelSubscription':
      return fc.record({ atPeriodEnd: maybe(fc.boolean()) }).map(obj);
    case 'changeSubscription':
      return fc.record({ price: recurring }).map(obj);
    case 'createCheckoutSession':
      return fc.oneof(
        fc
          .record({
            mode: fc.constant('payment'),
            items: cart,
            successUrl: fc.constant(`${FRONTEND}/thanks`),
            cancelUrl: fc.constant(FRONTEND),
          })
          .map(obj),
        fc
          .record({
            mode: fc.constant('subscription'),
            price: recurring,
            successUrl: fc.constant(`${FRONTEND}/thanks`),
            cancelUrl: fc.constant(FRONTEND),
          })
          .map(obj),
      );
    case 'createPortalSession':
      return fc.constant(obj({ returnUrl: `${FRONTEND}/account` }));
    case 'sandboxSignIn':
      return fc
        .record({
          userId: fc.string({ minLength: 1, maxLength: 200 }),
          role: maybe(fc.constantFrom('admin', 'user')),
        })
        .map(obj);
    case 'sandboxAdvance':
      return fc.record({ days: fc.integer({ min: 1, max: 730 }) }).map(obj);
    default:
      return fc.constant(new Obj([]));
  }
}

/** The keys a route's body has (for the generators; the schema decides what is valid). */
const BODY_KEYS: Partial<Record<JsonRoute, string[]>> = {
  createPaymentIntent: ['items', 'savePaymentMethod', 'receiptEmail'],
  updatePaymentIntent: ['items', 'clientSecret', 'receiptEmail', 'savePaymentMethod'],
  createRefund: ['paymentIntent', 'amount', 'reason'],
  createSubscription: ['price', 'quantity', 'promotionCode'],
  previewSubscription: ['price', 'quantity', 'promotionCode'],
  cancelSubscription: ['atPeriodEnd'],
  changeSubscription: ['price'],
  createCheckoutSession: ['mode', 'items', 'price', 'quantity', 'successUrl', 'cancelUrl'],
  createPortalSession: ['returnUrl'],
  sandboxSignIn: ['userId', 'email', 'role'],
  sandboxAdvance: ['days'],
};

/** A valid body with a few of its fields changed, dropped, repeated or joined by others. */
function mutatedBody(route: JsonRoute): fc.Arbitrary<Node> {
  const keys = BODY_KEYS[route] ?? ['note'];
  const values = fieldValues();
  const valueFor = (key: string) =>
    fc.oneof(
      { weight: 2, arbitrary: values[key] ?? weirdValue(keys) },
      { weight: 1, arbitrary: weirdValue(keys) },
    );
  const change = fc.oneof(
    fc
      .constantFrom(...keys)
      .chain((key) => valueFor(key).map((value) => ({ kind: 'set' as const, key, value }))),
    fc.constantFrom(...keys).map((key) => ({ kind: 'drop' as const, key, value: null as Node })),
    fc
      .tuple(anyKey(keys), weirdValue(keys))
      .map(([key, value]) => ({ kind: 'add' as const, key, value })),
  );
  return fc
    .tuple(validBody(route), fc.array(change, { minLength: 1, maxLength: 3 }))
    .map(([body, changes]) => {
      let entries = [...body.entries];
      for (const { kind, key, value } of changes) {
        if (kind === 'drop') entries = entries.filter(([name]) => name !== key);
        else if (kind === 'add') entries.push([key, value]);
        else {
          const at = entries.findIndex(([name]) => name === key);
          if (at === -1) entries.push([key, value]);
          else entries[at] = [key, value];
        }
      }
      return new Obj(entries);
    });
}

function bodyFor(route: JsonRoute): fc.Arbitrary<string | Uint8Array<ArrayBuffer>> {
  const keys = BODY_KEYS[route] ?? ['note'];
  return fc.oneof(
    { weight: 4, arbitrary: mutatedBody(route).map(jsonText) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(anyKey(keys), weirdValue(keys)), { maxLength: 6 })
        .map((entries) => jsonText(new Obj(entries))),
    },
    { weight: 1, arbitrary: weirdValue(keys).map(jsonText) },
    { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? '') },
    { weight: 1, arbitrary: validBody(route).map(jsonText) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom(
          '',
          ' ',
          '\n',
          'null',
          '{',
          '{"a":1}}',
          '[',
          '"',
          '{"items":[',
          '\u00ef\u00bb\u00bf{}',
          '\ufeff{}',
          'items=1',
        ),
        fc.string({ maxLength: 30 }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => new Uint8Array(bytes)),
    },
  );
}

/** Ids as they may come in a URL: valid, unknown, too long, encoded, malformed escapes. */
const idArbitrary = () =>
  fc.oneof(
    oneOf([world.intentId, world.paidIntentId, world.subscriptionId, world.paymentMethodId]),
    fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/),
    fc.constantFrom('x'.repeat(255), 'x'.repeat(256), 'x'.repeat(5000)),
    fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map(encodeURIComponent),
    fc.constantFrom(
      '%ZZ',
      '%',
      '%E0%A4%A',
      '%C0%AF',
      '%00',
      '%2F',
      '%5C',
      ';',
      ':',
      '@',
      '~',
      '*',
      "'",
      '(x)',
      'a,b',
      '$',
      '!',
      '+',
    ),
  );

/** encodeURIComponent(), with a lone surrogate sent as U+FFFD (as fetch() sends it). */
const encodeText = (text: string) =>
  encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );

/** Query strings: repeated keys, `a[]=`, `a[b]=`, bare keys, empty values, the route's own keys. */
function queryFor(route: JsonRoute): fc.Arbitrary<string> {
  const own =
    route === 'listPayments'
      ? ['limit', 'startingAfter']
      : route === 'getPayment'
        ? ['clientSecret']
        : [];
  const key = fc.oneof(
    fc.constantFrom('debug', ...own.flatMap((name) => [name, name, `${name}[]`, `${name}[a]`])),
    fc.constantFrom('a[]', 'a[b]', 'a[b][c]', 'a[0]', '', ...PROTO_KEYS),
    fc.string({ maxLength: 10 }),
  );
  const value = fc.oneof(
    fc.constantFrom(
      '',
      '1',
      '20',
      '100',
      '101',
      '0',
      '-1',
      '1.5',
      '1e2',
      ' 1',
      '007',
      '1000000',
      world.intentId,
      world.clientSecret,
    ),
    urlString,
  );
  const pair = fc
    .tuple(key, value, fc.constantFrom('encoded', 'bare', 'no-value'))
    .map(([k, v, how]) =>
      how === 'no-value'
        ? encodeText(k)
        : how === 'bare'
          ? `${k.replace(/[#&=%\s]/g, '')}=${v.replace(/[#&%\s]/g, '')}`
          : `${encodeText(k)}=${encodeText(v)}`,
    );
  return fc.array(pair, { minLength: 1, maxLength: 5 }).map((pairs) => pairs.join('&'));
}

/** Header values Node's HTTP parser lets through: visible ASCII, spaces and Latin-1. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });

const CONTENT_TYPES: ContentType[] = [
  JSON_TYPE,
  { header: 'application/json; charset=utf-8', json: true },
  { header: 'application/JSON', json: true },
  { header: 'application/merchant+json', json: true },
  { header: 'application/json; charset=latin1', json: true },
  { header: 'text/plain', json: false },
  { header: 'application/x-www-form-urlencoded', json: false },
  { header: 'multipart/form-data; boundary=x', json: false },
  { header: 'application/jsonx', json: false },
  { header: '*/*', json: false },
  { header: 'garbage', json: false },
  { header: '', json: false },
  { header: undefined, json: false },
];

function headersFor(route: JsonRoute) {
  return fc.record({
    caller: fc.oneof(
      { weight: 2, arbitrary: fc.constant(rightCaller(route)) },
      { weight: 3, arbitrary: oneOf(world.callers) },
      {
        weight: 1,
        arbitrary: headerText(200).map(
          (header): Caller => ({ header, as: header.trim() === '' ? 'guest' : 'bad' }),
        ),
      },
    ),
    contentType: fc.oneof(
      { weight: 2, arbitrary: fc.constant(JSON_TYPE) },
      { weight: 3, arbitrary: oneOf(CONTENT_TYPES) },
    ),
    idempotencyKey: fc.oneof(
      fc.constant(undefined),
      fc.uuid(),
      fc.constantFrom(
        '',
        ' ',
        'a b',
        'x'.repeat(255),
        'x'.repeat(256),
        'x'.repeat(4000),
        'é',
        'clé',
      ),
      fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
        .map((key) => Buffer.from(key).toString('latin1')),
      headerText(300),
    ),
    contentEncoding: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x-unknown', ''),
      },
    ),
  });
}

/** A request to the route that the protocol accepts in every part but the ones a property varies. */
function baseRequest(route: JsonRoute, id = defaultId(route)): FuzzRequest {
  return {
    route,
    id,
    query: '',
    body: ROUTES[route].method === 'GET' ? undefined : '{}',
    caller: rightCaller(route),
    contentType: JSON_TYPE,
    idempotencyKey: undefined,
    contentEncoding: undefined,
  };
}

/** The id of one of the fuzzing user's own objects, for a route with an id in its path. */
function defaultId(route: JsonRoute): string {
  const path = ROUTES[route].path;
  if (path.startsWith('/subscriptions')) return world.subscriptionId;
  if (path.startsWith('/payment-methods')) return world.paymentMethodId;
  if (path.startsWith('/payments')) return world.paidIntentId;
  return world.intentId;
}

/** A valid body for the route, to send while another part of the request is varied. */
const sampleBody = (route: JsonRoute) =>
  ROUTES[route].method === 'GET' ? fc.constant(undefined) : validBody(route).map(jsonText);

/**
 * A path that still names the route once the URL is parsed: no `.` or `..` segment, no empty id.
 * (Any other path is not the router's: it passes it on to the host app.)
 */
function keepsRoute(request: FuzzRequest): boolean {
  const template = ROUTES[request.route].path.split('/');
  const segments = new URL(`${app.apiBase}${pathOf(request)}`).pathname.split('/').slice(2);
  return segments.length === template.length - 1 && !segments.includes('');
}

// --- card numbers ---------------------------------------------------------------------------------

/** A Luhn-valid number of 13 to 19 digits. */
const cardDigits = fc
  .integer({ min: 13, max: 19 })
  .chain((length) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length - 1, maxLength: length - 1 }),
  )
  .map((digits) => {
    let sum = 0;
    for (let index = digits.length - 1, double = true; index >= 0; index--, double = !double) {
      let digit = digits[index] as number;
      if (double) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
    return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
  });

/** The number as people write it: plain, in fours, or in any groups, with spaces or dashes. */
const cardNumber = fc
  .tuple(
    cardDigits,
    fc.constantFrom('plain', 'fours', 'groups'),
    fc.constantFrom(' ', '-'),
    fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 19, maxLength: 19 }),
  )
  .map(([digits, layout, separator, sizes]) => {
    if (layout === 'plain') return { digits, written: digits };
    const groups: string[] = [];
    for (let at = 0, index = 0; at < digits.length; index++) {
      const size = layout === 'fours' ? 4 : (sizes[index] as number);
      groups.push(digits.slice(at, at + size));
      at += size;
    }
    return { digits, written: groups.join(separator), groups };
  });

/** Text with no digits, to put around a card number without lengthening it. */
const noDigits = fc.string({ maxLength: 8 }).map((text) => text.replace(/[\d.\s-]/g, ''));

/** Hides the characters of a string behind JSON `\u` escapes. */
const escaped = (text: string) =>
  `"${text
    .split('')
    .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join('')}"`;

/**
 * The body as JSON.parse() reads it: of two equal keys only the last. (A card in a value that
 * parsing drops is refused only when the raw text shows it; the card properties place theirs where
 * parsing keeps it.)
 */
function lastKeysOnly(node: Node): Node {
  if (node instanceof Obj) {
    const entries = node.entries.filter(
      ([key], index) => !node.entries.slice(index + 1).some(([later]) => later === key),
    );
    return new Obj(entries.map(([key, value]) => [key, lastKeysOnly(value)] as const));
  }
  if (Array.isArray(node)) return node.map(lastKeysOnly);
  return node;
}

type Card = { digits: string; written: string; groups?: string[] };

/** Puts the card somewhere in a body: a value, a key, inside text, a number, four boxes, escaped. */
function withCard(
  card: Card,
  body: Node,
  keys: readonly string[],
  key: string,
  placement: string,
  before: string,
  after: string,
): string {
  const inText = `${before}${before ? ' ' : ''}${card.written}${after ? ' ' : ''}${after}`;
  const holder = (value: Node): Node => {
    const into = (node: Node): Node => {
      if (node instanceof Obj && node.entries.length > 0) {
        const entries = [...node.entries];
        const at = key.length % entries.length;
        const [name, inner] = entries[at] as readonly [string, Node];
        entries[at] = [name, into(inner)];
        return new Obj(entries);
      }
      if (Array.isArray(node) && node.length > 0)
        return [...node.slice(0, -1), into(node.at(-1) as Node)];
      return obj({ [keys[key.length % keys.length] ?? 'note']: value });
    };
    return placement === 'top'
      ? new Obj([
          ...(body instanceof Obj ? body.entries.filter(([name]) => name !== key) : []),
          [key, value],
        ])
      : into(body);
  };
  switch (placement) {
    case 'key':
      return jsonText(new Obj([...(body instanceof Obj ? body.entries : []), [card.written, 1]]));
    case 'number':
      return jsonText(holder(new Raw(card.digits)));
    case 'boxes':
      return jsonText(
        holder(
          card.groups && card.groups.length > 1
            ? card.groups
            : (card.digits.match(/.{1,4}/g) ?? []),
        ),
      );
    case 'escaped':
      return jsonText(holder(new Raw(escaped(inText))));
    default:
      return jsonText(holder(inText));
  }
}

// --- the tests --------------------------------------------------------------------------------------

beforeAll(async () => {
  app = await startTestApp({
    router: { rateLimit: false, checkout: { allowPromotionCodes: true } },
  });
  const [user, admin, other, longestSub, longSub, unicodeSub, nulSub] = await Promise.all([
    app.token('fuzz-user', 'user', 'fuzz@example.com'),
    app.token('fuzz-admin', 'admin'),
    app.token('fuzz-other'),
    app.token('u'.repeat(500)),
    // Longer than Stripe's metadata values, where the server keeps the user id: a 401.
    app.token('u'.repeat(2000)),
    app.token('ü😀 __proto__', 'user', 'ü@ü.de'),
    // The database cannot store U+0000: this once was a 500 on every user route.
    app.token('nul\u0000', 'user', 'nul\u0000@example.com'),
  ]);
  const prices = Object.values(app.prices);
  const oneTimePrices = prices
    .filter((price) => price.type === 'one_time')
    .map((price) => price.id);
  const recurringPrices = prices
    .filter((price) => price.type === 'recurring')
    .map((price) => price.id);
  const client = app.client(user);
  const intent = await client.createPaymentIntent({
    items: [{ price: oneTimePrices[0] as string, quantity: 1 }],
  });
  const paid = await client.createPaymentIntent({
    items: [{ price: oneTimePrices[1] as string, quantity: 2 }],
  });
  await app.pay(paid.id);
  // A paid (active) subscription, so that cancelling, resuming and changing it get past its state.
  const subscription = await client.createSubscription({
    price: app.prices.starter_monthly?.id as string,
  });
  await app.confirmPayment(subscription.clientSecret as string);
  const setup = await client.createSetupIntent();
  const card = await app.confirmSetup(setup.clientSecret);
  await app.sandbox.waitForWebhooks();
  const key = new TextEncoder().encode(AUTH_SECRET);
  const signed = (claims: Record<string, unknown>, exp: string | number = '1h', secret = key) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(secret);
  const [expired, noSub, emptySub, otherSecret, numericSub] = await Promise.all([
    signed({ sub: 'fuzz-user' }, Math.floor(Date.now() / 1000) - 60),
    signed({ role: 'admin' }),
    signed({ sub: '' }),
    signed(
      { sub: 'fuzz-user', role: 'admin' },
      '1h',
      new TextEncoder().encode(`${AUTH_SECRET}-other`),
    ),
    signed({ sub: 42 }),
  ]);
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"fuzz-admin","role":"admin"}').toString('base64url')}.`;
  world = {
    user,
    admin,
    oneTimePrices,
    recurringPrices,
    intentId: intent.id,
    clientSecret: intent.clientSecret,
    paidIntentId: paid.id,
    subscriptionId: subscription.id,
    paymentMethodId: card.payment_method as string,
    callers: [
      { header: undefined, as: 'guest' },
      { header: `Bearer ${user}`, as: 'user' },
      { header: `bearer   ${user}  `, as: 'user' },
      { header: `Bearer ${other}`, as: 'user' },
      { header: `Bearer ${longestSub}`, as: 'user' },
      { header: `Bearer ${longSub}`, as: 'bad' },
      { header: `Bearer ${unicodeSub}`, as: 'user' },
      { header: `Bearer ${nulSub}`, as: 'bad' },
      { header: `Bearer ${admin}`, as: 'admin' },
      { header: '', as: 'guest' },
      { header: 'Bearer', as: 'bad' },
      { header: 'Bearer ', as: 'bad' },
      { header: 'Basic dXNlcjpwYXNz', as: 'bad' },
      { header: `Bearer ${user} ${user}`, as: 'bad' },
      { header: `Bearer ${user}x`, as: 'bad' },
      { header: `Bearer ${user.slice(0, -2)}`, as: 'bad' },
      { header: 'Bearer a.b.c', as: 'bad' },
      { header: `Bearer ${'x'.repeat(4000)}`, as: 'bad' },
      { header: `Bearer ${unsigned}`, as: 'bad' },
      { header: `Bearer ${expired}`, as: 'bad' },
      { header: `Bearer ${noSub}`, as: 'bad' },
      { header: `Bearer ${emptySub}`, as: 'bad' },
      { header: `Bearer ${otherSecret}`, as: 'bad' },
      { header: `Bearer ${numericSub}`, as: 'bad' },
    ],
  };
}, 120_000);
afterAll(() => app?.close());

const BODY_ROUTES = JSON_ROUTES.filter((route) => ROUTES[route].method !== 'GET');
const ID_ROUTES = JSON_ROUTES.filter((route) => ROUTES[route].path.includes(':id'));

it('covers every route of the table (the webhook route is fuzzed below)', () => {
  expect(
    Object.keys(ROUTES)
      .filter((name) => name !== 'receiveWebhook')
      .sort(),
  ).toEqual([...JSON_ROUTES].sort());
});

describe.each(BODY_ROUTES)('%s: generated bodies', (route) => {
  it('never answer a 5xx; a 2xx only to a body the schema accepts', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor(route), async (body) => {
        await check({ ...baseRequest(route), body });
      }),
      runs(30),
    );
  });

  it('refuse a card number anywhere in the body, and never log it', async () => {
    const keys = BODY_KEYS[route] ?? ['note'];
    await fc.assert(
      fc.asyncProperty(
        cardNumber,
        fc.oneof(validBody(route), mutatedBody(route)),
        anyKey(keys),
        fc.constantFrom('top', 'nested', 'key', 'number', 'boxes', 'escaped'),
        noDigits,
        noDigits,
        oneOf(world.callers),
        async (card, body, key, placement, before, after, caller) => {
          const from = app.logs.lines.length;
          const request = {
            ...baseRequest(route),
            caller,
            body: withCard(card, lastKeysOnly(body), keys, key, placement, before, after),
          };
          const { status, body: answer } = await check(request);
          const { code } = (answer as { error: { code: string } }).error;
          // A body over the size limit is refused unread.
          expect([status, code], request.body).toEqual(
            status === 413 ? [413, 'payload_too_large'] : [400, 'card_data_not_allowed'],
          );
          const logged = app.logs.lines.slice(from).join('');
          expect(logged).not.toContain(card.digits);
          expect(logged).not.toContain(card.written);
        },
      ),
      runs(8),
    );
  });
});

describe.each(JSON_ROUTES)('%s: generated query strings and headers', (route) => {
  it('query strings: never a 5xx; a 2xx only for a query the schema accepts', async () => {
    await fc.assert(
      fc.asyncProperty(queryFor(route), sampleBody(route), async (query, body) => {
        await check({ ...baseRequest(route), query, body });
      }),
      runs(12),
    );
  });

  it('headers (Authorization, Content-Type, Idempotency-Key, Content-Encoding): never a 5xx; a 2xx only to headers the server takes', async () => {
    await fc.assert(
      fc.asyncProperty(headersFor(route), sampleBody(route), async (headers, body) => {
        await check({ ...baseRequest(route), ...headers, body });
      }),
      runs(12),
    );
  });
});

describe.each(ID_ROUTES)('%s: generated path ids', (route) => {
  it('never answer a 5xx; a 2xx only for an id the schema accepts', async () => {
    await fc.assert(
      fc.asyncProperty(idArbitrary(), sampleBody(route), async (id, body) => {
        const request = { ...baseRequest(route, id), body };
        fc.pre(keepsRoute(request));
        await check(request);
      }),
      runs(15),
    );
  });
});

describe('card numbers in the query string', () => {
  it('are refused on every route, and never logged', async () => {
    await fc.assert(
      fc.asyncProperty(
        oneOf(JSON_ROUTES),
        cardNumber,
        fc.string({ maxLength: 8 }),
        noDigits,
        async (route, card, name, before) => {
          const from = app.logs.lines.length;
          const query = `${encodeURIComponent(name || 'q')}=${encodeURIComponent(`${before} ${card.written}`)}`;
          const { status, body } = await check({ ...baseRequest(route), query });
          expect(status).toBe(400);
          expect((body as { error: { code: string } }).error.code).toBe('card_data_not_allowed');
          const logged = app.logs.lines.slice(from).join('');
          expect(logged).not.toContain(card.digits);
          expect(logged).not.toContain(card.written);
        },
      ),
      runs(20),
    );
  });
});

describe('POST /webhooks: generated bodies and signatures', () => {
  it('refuses anything not signed with the secret as webhook_signature_invalid', async () => {
    const signature = fc.oneof(
      fc.constant(undefined),
      headerText(100),
      fc
        .tuple(fc.integer({ min: 0, max: 2 ** 31 }), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(([t, v1]) => `t=${t},v1=${v1}`),
      fc
        .stringMatching(/^[0-9a-f]{64}$/)
        .map((v1) => `t=${Math.floor(Date.now() / 1000)},v1=${v1}`),
      fc.constantFrom('', 't=', 'v1=', 't=abc,v1=', ',,,', 't=1,t=2,v1=00,v0=00'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
          weirdValue(['id', 'type', 'data']).map(jsonText),
          fc.uint8Array({ maxLength: 40 }).map((bytes) => new Uint8Array(bytes)),
        ),
        signature,
        oneOf(CONTENT_TYPES),
        async (body, stripeSignature, contentType) => {
          const before = app.logs.lines.length;
          const headers: Record<string, string> = {};
          if (contentType.header !== undefined) headers['Content-Type'] = contentType.header;
          if (stripeSignature !== undefined) headers['Stripe-Signature'] = stripeSignature;
          const response = await fetch(`${app.apiBase}/webhooks`, {
            method: 'POST',
            headers,
            body,
          });
          const text = await response.text();
          expect(response.status, text).toBe(400);
          expect(JSON.parse(text).error.code, text).toBe('webhook_signature_invalid');
          expect(errorLines(before)).toEqual([]);
        },
      ),
      runs(40),
    );
  });
});

describe('over the whole run', () => {
  it('nothing was logged at error level', () => {
    expect(errorLines(0)).toEqual([]);
  });
});
