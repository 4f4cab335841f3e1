/**
 * How the server learns who is calling: `identify(req)`, the host app's own auth. It resolves a
 * request to an identity, or to null for a guest; it may throw `UnauthenticatedError` for a bad
 * token (a 401, even on routes guests may call).
 */
import type { Request } from 'express';

/**
 * The longest user id the server takes: it keeps the id with Stripe as a metadata value
 * (`tillkit_user_id`), and Stripe's metadata values are at most 500 characters.
 * @see https://docs.stripe.com/metadata
 */
export const MAX_USER_ID_LENGTH = 500;

/** Who is calling. */
export interface Identity {
  /**
   * The host app's user id; the server links one Stripe customer to it. At most
   * `MAX_USER_ID_LENGTH` (500) characters, without U+0000: a caller with another id is a 401.
   */
  userId: string;
  email?: string | undefined;
  /** `admin` may refund and list every payment (a user lists their own). */
  role?: string | undefined;
}

/** Resolves a request to its caller, or to null/undefined for a guest. */
export type Identify = (
  req: Request,
) => Identity | null | undefined | Promise<Identity | null | undefined>;

/** True for the role that may refund and list every payment. */
export function isAdmin(identity: Identity | null | undefined): boolean {
  return identity?.role === 'admin';
}
