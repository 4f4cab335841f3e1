/**
 * A random idempotency key. `crypto.randomUUID()` exists only in secure contexts (https,
 * localhost); `getRandomValues()` exists everywhere a checkout can run.
 */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let key = 'tillkit_';
  for (const byte of bytes) key += byte.toString(16).padStart(2, '0');
  return key;
}
