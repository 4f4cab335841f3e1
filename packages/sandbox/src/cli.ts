#!/usr/bin/env node
/**
 * `tillkit-sandbox`: runs the Stripe sandbox as a standalone HTTP server.
 *
 *   tillkit-sandbox [--port 12111] [--host 127.0.0.1] [--state-file .tillkit/sandbox.json]
 *                   [--webhook URL[=SECRET]]… [--retry-schedule 1000,5000,30000] [--seed]
 */
import { parseArgs } from 'node:util';
import { SANDBOX_PUBLISHABLE_KEY, SANDBOX_SECRET_KEY, startSandbox } from './node/start-sandbox.js';
import { seedDemoCatalog } from './seed.js';

const HELP = `Usage: tillkit-sandbox [options]

An offline, stateful stand-in for the Stripe API (API 2026-10-28.endive). It never talks to Stripe.

Options (environment variable in brackets):
  --port <n>                 port to listen on [PORT] (default 12111; 0 takes a free port)
  --host <host>              interface to listen on [TILLKIT_SANDBOX_HOST] (default 127.0.0.1)
  --state-file <path>        keep state in this JSON file across restarts [TILLKIT_SANDBOX_STATE_FILE]
  --webhook <url[=whsec_…]>  deliver every event to this URL, signed with that secret (repeatable)
                             [TILLKIT_SANDBOX_WEBHOOKS: comma-separated url=whsec_… pairs]
  --retry-schedule <ms,...>  delays between webhook retries [TILLKIT_SANDBOX_RETRY_SCHEDULE]
                             (default 1000,5000,30000,120000,600000)
  --seed                     create the demo catalog (Starter and Pro plans, a T-shirt, a mug)
                             unless it exists [TILLKIT_SANDBOX_SEED=1]
  -h, --help                 show this help
`;

function fail(message: string): never {
  console.error(`tillkit-sandbox: ${message}\n\n${HELP}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    // `pnpm start -- --port 0` passes the "--" through.
    const args = process.argv.slice(2);
    if (args[0] === '--') args.shift();
    return parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'state-file': { type: 'string' },
        webhook: { type: 'string', multiple: true },
        'retry-schedule': { type: 'string' },
        seed: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const portText = values.port ?? process.env.PORT ?? '12111';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port "${portText}"`);

const webhookSpecs = [
  ...(values.webhook ?? []),
  ...(process.env.TILLKIT_SANDBOX_WEBHOOKS?.split(',').filter(Boolean) ?? []),
];
const webhooks = webhookSpecs.map((spec) => {
  // `url=whsec_…`: the secret starts at the last "=whsec_" (a URL's query may hold "=" too).
  const at = spec.lastIndexOf('=whsec_');
  const url = at === -1 ? spec : spec.slice(0, at);
  const secret = at === -1 ? undefined : spec.slice(at + 1);
  try {
    new URL(url);
  } catch {
    fail(`invalid webhook URL "${url}"`);
  }
  return { url, ...(secret ? { secret } : {}) };
});

const scheduleText = values['retry-schedule'] ?? process.env.TILLKIT_SANDBOX_RETRY_SCHEDULE;
const retrySchedule = scheduleText?.split(',').map((part) => {
  const ms = Number(part);
  if (!Number.isInteger(ms) || ms < 0) fail(`invalid retry schedule "${scheduleText}"`);
  return ms;
});

const stateFile = values['state-file'] ?? process.env.TILLKIT_SANDBOX_STATE_FILE;

const sandbox = await startSandbox({
  port,
  host: values.host ?? process.env.TILLKIT_SANDBOX_HOST ?? '127.0.0.1',
  ...(stateFile ? { stateFile } : {}),
  webhooks,
  ...(retrySchedule ? { webhookDelivery: { retrySchedule } } : {}),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE')
    fail(`port ${port} is already in use (is another sandbox running?)`);
  throw error;
});

console.log(`[sandbox] Tillkit Stripe sandbox: offline, never talks to Stripe.`);
console.log(`[sandbox] secret key       ${SANDBOX_SECRET_KEY} (any sk_test_ key works)`);
console.log(`[sandbox] publishable key  ${SANDBOX_PUBLISHABLE_KEY}`);
if (stateFile) console.log(`[sandbox] state file       ${stateFile}`);
for (const endpoint of sandbox.webhookEndpoints) {
  console.log(`[sandbox] webhook          ${endpoint.url} (secret ${endpoint.secret})`);
}
if (values.seed || process.env.TILLKIT_SANDBOX_SEED === '1') {
  const catalog = seedDemoCatalog(sandbox.core);
  console.log(
    `[sandbox] demo catalog     ${catalog.products.length} products, ${catalog.prices.length} prices (lookup keys ${catalog.prices.map((price) => price.lookup_key).join(', ')})`,
  );
}
console.log(`[sandbox] listening on ${sandbox.url}`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    void sandbox.close().then(() => process.exit(0));
  });
}
