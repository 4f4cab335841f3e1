/** Resolves the caller with the host's `identify()` and enforces the route's `auth`. */
import type { RouteAuth } from '@tillkit/protocol';
import type { Request } from 'express';
import { type Identify, type Identity, isAdmin } from '../auth/identify.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

export async function authenticate(
  req: Request,
  auth: RouteAuth,
  identify: Identify | undefined,
): Promise<Identity | null> {
  if (auth === 'public' || auth === 'stripe') return null;
  const identity = (await identify?.(req)) ?? null;
  if (identity && (typeof identity.userId !== 'string' || identity.userId === '')) {
    throw new Error('identify() returned an identity without a userId');
  }
  if (auth === 'guest') return identity;
  if (!identity) throw new UnauthenticatedError();
  if (auth === 'admin' && !isAdmin(identity)) throw new ForbiddenError();
  return identity;
}
