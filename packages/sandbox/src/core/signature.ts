/**
 * Signs webhook payloads as Stripe does: header `t=<unix time>,v1=<hex HMAC-SHA256 of "t.payload">`
 * with the endpoint's secret. Web Crypto only, so it runs in browsers too.
 * @see https://docs.stripe.com/webhooks#verify-manually
 */
const encoder = new TextEncoder();

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(message));
  return [...new Uint8Array(signature)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function signatureHeader(
  payload: string,
  secret: string,
  timestamp: number,
): Promise<string> {
  return `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${payload}`)}`;
}
