#!/usr/bin/env node
/**
 * `tillkit-server`: the standalone Tillkit server, configured by environment variables (see the
 * README). With no Stripe keys it runs an embedded sandbox and says so.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './standalone/config.js';
import { startTillkitServer } from './standalone/start-tillkit-server.js';

const HELP = `Usage: tillkit-server

The Tillkit companion server: the API at /api, Prometheus metrics at /metrics. It takes no
arguments: it is configured by environment variables (the README's table has them all).

  PORT, HOST                       where to listen (default 4242, every interface)
  STRIPE_SECRET_KEY,               Stripe keys; with none, sandbox mode: an embedded Stripe
  STRIPE_PUBLISHABLE_KEY           sandbox on TILLKIT_SANDBOX_PORT (default 12111)
  STRIPE_WEBHOOK_SECRET            the webhook endpoint's whsec_… secret (required with keys)
  STRIPE_API_BASE                  a standalone sandbox to use instead of the embedded one
  DATABASE_URL                     postgres://… (default: the embedded database, PGlite)
  TILLKIT_DATA_DIR                 the embedded database, sandbox state, secrets (./.tillkit)
  TILLKIT_AUTH_SECRET,             who callers are: an HS256 secret, or a JWKS URL
  TILLKIT_AUTH_JWKS_URL            (TILLKIT_AUTH_ISSUER, TILLKIT_AUTH_AUDIENCE)
  TILLKIT_ALLOWED_ORIGINS          your frontend's origins, comma-separated
  TILLKIT_ALLOW_PROMOTION_CODES    true: Checkout pages and subscriptions take promotion codes (false)
  TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER
                                   true: one subscription per customer, any product (false)
  TILLKIT_TRUST_PROXY, LOG_LEVEL   express's trust proxy; pino's level (info)
`;

// Only --help: anything else is refused before the server binds ports or writes TILLKIT_DATA_DIR.
try {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
} catch (error) {
  console.error(`tillkit-server: ${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const server = await startTillkitServer(config).catch((error: Error) => {
  console.error(`tillkit-server: ${error.message}`);
  process.exit(1);
});

if (server.router.services.mode === 'sandbox') {
  const line = '─'.repeat(72);
  console.error(
    [
      line,
      ' TILLKIT SANDBOX MODE: no real payments, nothing reaches Stripe.',
      ` API (the React kit's apiBase)  ${server.apiUrl}`,
      ` Stripe sandbox                 ${server.router.services.sandbox?.apiBase}`,
      ` Test card                      4242 4242 4242 4242, any future date, any CVC`,
      server.router.services.sandbox?.signInSecret
        ? ` Demo sign-in                   POST ${server.apiUrl}/_sandbox/sign-in {"userId":"…"}`
        : '',
      line,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void server.close().then(() => process.exit(0));
  });
}
