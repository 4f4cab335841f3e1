#!/usr/bin/env node
/**
 * `tillkit-server`: the standalone Tillkit server, configured by environment variables (see the
 * README). With no Stripe keys it runs an embedded sandbox and says so.
 */
import { ConfigError, loadConfig } from './standalone/config.js';
import { startTillkitServer } from './standalone/start-tillkit-server.js';

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
