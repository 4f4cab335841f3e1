/**
 * User ids the server cannot use, through HTTP against the sandbox: longer than the 500
 * characters Stripe keeps in `metadata[tillkit_user_id]`, or holding U+0000 (which PostgreSQL's
 * text cannot store). Whether they come from a bearer token or from the host's own `identify()`,
 * they are a 401 `unauthenticated` in the server's words, on user routes and guest routes alike,
 * and reach neither Stripe nor the database.
 */
import { eq } from 'drizzle-orm';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtIdentify } from '../auth/jwt.js';
import { customers } from '../storage/schema.js';
import {
  AUTH_SECRET,
  errorBody,
  startTestApp,
  stripeRequestLog,
  type TestApp,
} from '../test-support/harness.js';

let app: TestApp;
const stripeRequests = stripeRequestLog();
const jwt = createJwtIdentify({ secret: AUTH_SECRET });

beforeAll(async () => {
  app = await startTestApp({
    beforeStripeRequest: stripeRequests.record,
    router: {
      // A host's own identify(): the user id is taken as it is from `X-Test-User` (JSON, so that
      // it can hold U+0000); bearer tokens otherwise.
      identify: (req: Request) => {
        const header = req.headers['x-test-user'];
        return typeof header === 'string' ? { userId: JSON.parse(header) as string } : jwt(req);
      },
    },
  });
});
afterAll(() => app?.close());

const errorLogs = (from: number) =>
  app.logs.lines.slice(from).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);

/** A user route, a guest route that writes the user id into Stripe metadata, and a write. */
const REQUESTS = [
  ['GET', '/payments'],
  ['POST', '/setup-intents'],
  ['POST', '/payment-intents'],
] as const;

async function send(
  method: string,
  path: string,
  caller: { token?: string; userId?: string },
): Promise<Response> {
  const body =
    path === '/payment-intents'
      ? JSON.stringify({ items: [{ price: app.prices.tshirt?.id, quantity: 1 }] })
      : method === 'GET'
        ? undefined
        : '{}';
  return app.fetch(path, {
    method,
    ...(caller.token ? { token: caller.token } : {}),
    ...(caller.userId !== undefined
      ? { headers: { 'X-Test-User': JSON.stringify(caller.userId) } }
      : {}),
    ...(body === undefined ? {} : { body }),
  });
}

describe('a user id longer than Stripe keeps in metadata', () => {
  it('is a 401 in the server’s words, from a bearer token or identify(), and never reaches Stripe', async () => {
    const before = app.logs.lines.length;
    const callers = [
      { token: await app.token('u'.repeat(501)) },
      { token: await app.token('ü'.repeat(2000)) },
      { userId: 'h'.repeat(501) },
    ];
    stripeRequests.clear();
    for (const caller of callers) {
      for (const [method, path] of REQUESTS) {
        const response = await send(method, path, caller);
        const what = `${method} ${path} as ${caller.token ? 'token' : 'identify()'}`;
        expect(response.status, what).toBe(401);
        const error = await errorBody(response);
        expect(error.code, what).toBe('unauthenticated');
        expect(error.message, what).toMatch(/at most 500 characters/);
        // Nothing of Stripe's: no `metadata[…]` param, no Stripe message.
        expect(error.param, what).toBeUndefined();
        expect(JSON.stringify(error), what).not.toMatch(/metadata|tillkit_user_id/);
      }
    }
    expect(stripeRequests.calls).toEqual([]);
    expect(errorLogs(before)).toEqual([]);
  });

  it('takes a user id of exactly 500 characters (the limit is Stripe’s, inclusive)', async () => {
    const token = await app.token('v'.repeat(500));
    const setup = await send('POST', '/setup-intents', { token });
    expect(setup.status).toBe(201);
    const payment = await send('POST', '/payment-intents', { token });
    expect(payment.status).toBe(201);
    const [row] = await app.database.db
      .select()
      .from(customers)
      .where(eq(customers.userId, 'v'.repeat(500)));
    const customer = await app.sandbox.stripe.customers.retrieve(row?.stripeCustomerId as string);
    expect((customer as { metadata: Record<string, string> }).metadata.tillkit_user_id).toBe(
      'v'.repeat(500),
    );
  });
});

describe('a user id holding U+0000 from the host’s identify()', () => {
  it('is a 401 too, as it is from a bearer token, not a database error', async () => {
    const before = app.logs.lines.length;
    for (const [method, path] of REQUESTS) {
      const response = await send(method, path, { userId: 'a\u0000b' });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect((await errorBody(response)).code).toBe('unauthenticated');
    }
    expect(errorLogs(before)).toEqual([]);
  });
});
