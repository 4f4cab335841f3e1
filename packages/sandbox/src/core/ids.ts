const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string from the Web Crypto API (works in Node and in browsers). */
export function randomString(length: number): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** A Stripe-like object id: `pi_3Qx…` (prefix, underscore, 24 characters). */
export function newId(prefix: string): string {
  return `${prefix}_${randomString(24)}`;
}

/** A client secret as Stripe forms it: `{id}_secret_{random}`. */
export function clientSecretFor(id: string): string {
  return `${id}_secret_${randomString(25)}`;
}
