/**
 * Resolves the caller with the host's `identify()` and enforces the route's `auth`. A user id the
 * server cannot use is refused here, whichever `identify()` gave it, as a bearer token whose `sub`
 * holds U+0000 is: a 401 in the server's words, before anything reaches the database or Stripe.
 */
import type { RouteAuth } from '@tillkit/protocol';
import type { Request } from 'express';
import { type Identify, type Identity, isAdmin, MAX_USER_ID_LENGTH } from '../auth/identify.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

/** Why the server cannot use this user id, or undefined when it can. */
function unusableUserId(userId: string): string | undefined {
  // Stripe would refuse it in `metadata[tillkit_user_id]` (naming its own parameter).
  if (userId.length > MAX_USER_ID_LENGTH) {
    return `The caller's user id is ${userId.length} characters long, but this server takes user ids of at most ${MAX_USER_ID_LENGTH} characters (it keeps them with the Stripe customer).`;
  }
  // PostgreSQL's text cannot hold U+0000: such an id could never be stored or looked up.
  if (userId.includes('\u0000')) {
    return "The caller's user id contains U+0000, which this server cannot store.";
  }
  return undefined;
}

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
  const unusable = identity ? unusableUserId(identity.userId) : undefined;
  if (unusable) throw new UnauthenticatedError(unusable);
  if (auth === 'guest') return identity;
  if (!identity) throw new UnauthenticatedError();
  if (auth === 'admin' && !isAdmin(identity)) throw new ForbiddenError();
  return identity;
}
