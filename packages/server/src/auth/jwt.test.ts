/**
 * Bearer JWTs: HS256 with a secret, or asymmetric keys from a JWKS served over HTTP (a real
 * server on a free port), with issuer and audience enforced when configured.
 */
import type { Request } from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../test-support/harness.js';
import { createJwtIdentify, signHs256Token } from './jwt.js';

const request = (token?: string) =>
  ({ headers: token ? { authorization: `Bearer ${token}` } : {} }) as Request;

describe('HS256', () => {
  const secret = 'x'.repeat(40);
  const identify = createJwtIdentify({ secret, audience: 'shop' });

  it('identifies the caller from sub, email and role; no header is a guest', async () => {
    const token = await signHs256Token(
      secret,
      { userId: 'u1', email: 'u1@example.com', role: 'admin' },
      { audience: 'shop' },
    );
    expect(await identify(request(token))).toEqual({
      userId: 'u1',
      email: 'u1@example.com',
      role: 'admin',
    });
    expect(await identify(request())).toBeNull();
  });

  it('refuses another secret, another audience, an expired token and a malformed header', async () => {
    const refusals = [
      await signHs256Token('y'.repeat(40), { userId: 'u1' }, { audience: 'shop' }),
      await signHs256Token(secret, { userId: 'u1' }, { audience: 'blog' }),
      await signHs256Token(secret, { userId: 'u1' }, { audience: 'shop', expiresIn: '-1m' }),
    ];
    for (const token of refusals) {
      await expect(identify(request(token))).rejects.toMatchObject({
        code: 'unauthenticated',
        status: 401,
      });
    }
    await expect(
      identify({ headers: { authorization: 'Basic abc' } } as Request),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('refuses a user id with U+0000, which the database cannot store, and drops such an email', async () => {
    const nul = await signHs256Token(secret, { userId: 'u\u00001' }, { audience: 'shop' });
    await expect(identify(request(nul))).rejects.toMatchObject({
      code: 'unauthenticated',
      status: 401,
    });
    const email = await signHs256Token(
      secret,
      { userId: 'u1', email: 'u1\u0000@example.com' },
      { audience: 'shop' },
    );
    expect(await identify(request(email))).toEqual({
      userId: 'u1',
      email: undefined,
      role: undefined,
    });
  });
});

describe('JWKS', () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = await listen(
      (_req: never, res: { setHeader(n: string, v: string): void; end(b: string): void }) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      },
    );
  });
  afterAll(() => server?.close());

  it('verifies tokens against the keys and refuses HS256 tokens (no algorithm confusion)', async () => {
    const identify = createJwtIdentify({
      jwksUrl: `${server.url}/jwks.json`,
      issuer: 'https://auth.example/',
    });
    const token = await new SignJWT({ email: 'k@example.com' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-42')
      .setIssuer('https://auth.example/')
      .setExpirationTime('5m')
      .sign(keys.privateKey);
    expect(await identify(request(token))).toEqual({
      userId: 'user-42',
      email: 'k@example.com',
      role: undefined,
    });
    const hs = await signHs256Token(
      'z'.repeat(40),
      { userId: 'user-42' },
      { issuer: 'https://auth.example/' },
    );
    await expect(identify(request(hs))).rejects.toMatchObject({ code: 'unauthenticated' });
    const otherIssuer = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-42')
      .setIssuer('https://evil.example/')
      .sign(keys.privateKey);
    await expect(identify(request(otherIssuer))).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('needs exactly one of secret and jwksUrl', () => {
    expect(() => createJwtIdentify({})).toThrow(/exactly one/);
    expect(() => createJwtIdentify({ secret: 'x'.repeat(40), jwksUrl: 'https://a/jwks' })).toThrow(
      /exactly one/,
    );
  });
});
