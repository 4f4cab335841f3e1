/**
 * Every URL the server hands to Stripe for a redirect (checkout success and cancel pages, the
 * billing portal's return page) must be on one of the allowed origins, so the server can never be
 * used to send someone's customers to a look-alike site.
 */
import { TillkitError } from '../errors.js';

/**
 * Normalizes configured origins (`https://shop.example`, no path) and rejects anything else,
 * with a message that says how to write one.
 */
export function normalizeOrigins(origins: readonly string[]): string[] {
  return origins.map((value) => {
    const trimmed = value.trim();
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new Error(
        `"${trimmed}" is not an origin: write the scheme, host and port only, like https://shop.example or http://localhost:5173.`,
      );
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.origin !== trimmed.replace(/\/$/, '')
    ) {
      throw new Error(
        `"${trimmed}" is not an origin: write the scheme, host and port only (no path, query or credentials), like https://shop.example.`,
      );
    }
    return url.origin;
  });
}

/** True when `origin` (an `Origin` header) is one of the allowed origins. */
export function isAllowedOrigin(origin: string, allowed: readonly string[]): boolean {
  try {
    return allowed.includes(new URL(origin).origin);
  } catch {
    return false;
  }
}

/**
 * Returns `url` when it is an absolute http(s) URL on an allowed origin; otherwise throws a 400
 * `redirect_not_allowed` naming the parameter.
 */
export function assertAllowedRedirect(
  url: string,
  allowed: readonly string[],
  param: string,
): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TillkitError('redirect_not_allowed', `${param} must be an absolute URL.`, { param });
  }
  if (parsed.username || parsed.password || !allowed.includes(parsed.origin)) {
    throw new TillkitError(
      'redirect_not_allowed',
      `${param} must be on one of the allowed origins (${allowed.join(', ')}); add its origin to TILLKIT_ALLOWED_ORIGINS (or the router's allowedOrigins) if it is yours.`,
      { param },
    );
  }
  return parsed.toString();
}
