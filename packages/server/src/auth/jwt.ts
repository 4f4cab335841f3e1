/**
 * Bearer JWTs for the standalone server (and any host that wants them): HS256 with a shared
 * secret, or any asymmetric algorithm verified against a JWKS. Claims: `sub` (the user id),
 * `email`, `role`; `iss` and `aud` are enforced when configured.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../errors.js';
import type { Identify, Identity } from './identify.js';

export interface JwtIdentifyOptions {
  /** An HS256 secret (at least 32 characters). */
  secret?: string | undefined;
  /** A JWKS URL (`https://auth.example/.well-known/jwks.json`); asymmetric algorithms only. */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

const ASYMMETRIC = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** Reads `Authorization: Bearer …`; undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  return match[1];
}

/**
 * An `identify()` that verifies bearer JWTs.
 * @example
 * createTillkitRouter({ ..., identify: createJwtIdentify({ secret: process.env.TILLKIT_AUTH_SECRET }) });
 */
export function createJwtIdentify(options: JwtIdentifyOptions): Identify {
  if (!options.secret === !options.jwksUrl) {
    throw new Error('createJwtIdentify() needs exactly one of `secret` (HS256) or `jwksUrl`.');
  }
  const key: Uint8Array | JWTVerifyGetKey = options.secret
    ? new TextEncoder().encode(options.secret)
    : createRemoteJWKSet(new URL(options.jwksUrl as string));
  const algorithms = options.secret ? ['HS256'] : ASYMMETRIC;
  return async (req) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
      });
      // PostgreSQL's text cannot hold U+0000: such an id could never be stored or looked up.
      if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.includes('\u0000')) {
        throw new Error('no usable sub claim');
      }
      const { email } = payload;
      return {
        userId: payload.sub,
        email: typeof email === 'string' && !email.includes('\u0000') ? email : undefined,
        role: typeof payload.role === 'string' ? payload.role : undefined,
      } satisfies Identity;
    } catch {
      throw new UnauthenticatedError('The bearer token is invalid or expired: sign in again.');
    }
  };
}

/** Signs an HS256 token (the sandbox's sign-in route and tests). */
export async function signHs256Token(
  secret: string,
  identity: Identity,
  options: { issuer?: string | undefined; audience?: string | undefined; expiresIn?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({
    ...(identity.email ? { email: identity.email } : {}),
    ...(identity.role ? { role: identity.role } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '7d');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
