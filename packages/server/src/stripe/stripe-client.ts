/** stripe-node clients the standalone server makes: retries on, pointed at Stripe or a sandbox. */
import Stripe from 'stripe';

const COMMON: Stripe.StripeConfig = {
  // Connection errors, 409 and 5xx are retried with the same idempotency key.
  maxNetworkRetries: 2,
  appInfo: { name: 'Tillkit server' },
};

export function createStripeClient(secretKey: string, apiBase?: string): Stripe {
  if (!apiBase) return new Stripe(secretKey, COMMON);
  const url = new URL(apiBase);
  return new Stripe(secretKey, {
    ...COMMON,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  });
}
