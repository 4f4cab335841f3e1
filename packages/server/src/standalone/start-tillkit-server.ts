/**
 * The standalone server: the router at `/api`, Prometheus metrics at `/metrics`, and, with no
 * Stripe keys, an embedded sandbox whose state lives in the data folder.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  SANDBOX_PUBLISHABLE_KEY,
  SANDBOX_SECRET_KEY,
  type SandboxHandle,
  type StartSandboxOptions,
  seedDemoCatalog,
  startSandbox,
} from '@tillkit/sandbox';
import express, { type Express } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type Stripe from 'stripe';
import type { Identify } from '../auth/identify.js';
import { createJwtIdentify } from '../auth/jwt.js';
import { createTillkitRouter, type TillkitRouter } from '../create-tillkit-router.js';
import { TillkitError } from '../errors.js';
import type { SandboxSettings } from '../http/services.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { openDatabase, type TillkitDatabase } from '../storage/database.js';
import { createStripeClient } from '../stripe/stripe-client.js';
import type { TillkitHooks } from '../webhooks/hooks.js';
import type { ServerConfig } from './config.js';
import { loadOrCreateSecrets } from './secrets.js';

export interface StartTillkitServerOptions {
  /** @default pino to stdout at `config.logLevel` */
  logger?: Logger;
  hooks?: TillkitHooks;
  /** Replaces the JWT auth the configuration describes. */
  identify?: Identify;
  /** Passed to the embedded sandbox (tests shorten its retry schedule, silence its log). */
  sandbox?: Pick<StartSandboxOptions, 'webhookDelivery' | 'log'>;
  /** Passed to the router. */
  rateLimit?: Parameters<typeof createTillkitRouter>[0]['rateLimit'];
}

export interface TillkitServerHandle {
  /** `http://host:port` */
  url: string;
  /** `http://host:port/api`: the React kit's `apiBase`. */
  apiUrl: string;
  port: number;
  app: Express;
  router: TillkitRouter;
  database: TillkitDatabase;
  stripe: Stripe;
  /** The embedded sandbox, when there is one. */
  sandbox: SandboxHandle | undefined;
  /**
   * Stops taking requests, lets the ones running finish (at most 10 s), then closes the embedded
   * sandbox and the database.
   */
  close(): Promise<void>;
}

const ENDPOINT_DESCRIPTION = 'Tillkit server';

/**
 * How long `close()` (SIGTERM, SIGINT) waits for the requests already running before it cuts their
 * connections: within the 30 s a container platform gives before it kills the process.
 */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Starts the standalone server.
 * @example
 * const server = await startTillkitServer(loadConfig(process.env));
 */
export async function startTillkitServer(
  config: ServerConfig,
  options: StartTillkitServerOptions = {},
): Promise<TillkitServerHandle> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const sandboxMode = config.stripe.kind !== 'stripe';
  if (sandboxMode || !config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });

  // Listen first: the webhook endpoint's URL needs the port, and the sandbox needs the URL.
  let handler = (_req: IncomingMessage, res: ServerResponse) => {
    res.statusCode = 503;
    res.setHeader('Retry-After', '1');
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${config.port} is in use: stop what runs there or set PORT.`)
          : error,
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicHost =
    !config.host || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
  const webhookUrl = `${url}/api/webhooks`;

  let database: TillkitDatabase | undefined;
  let sandbox: SandboxHandle | undefined;
  try {
    database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'db'),
    });

    let stripe: Stripe;
    let publishableKey: string;
    let webhookSecret = config.webhookSecret;
    let sandboxSettings: SandboxSettings | undefined;
    const secrets = sandboxMode ? loadOrCreateSecrets(config.dataDir) : undefined;

    if (config.stripe.kind === 'embedded-sandbox') {
      const stateFile = join(config.dataDir, 'sandbox.json');
      const firstStart = !existsSync(stateFile);
      sandbox = await startSandbox({
        port: config.stripe.port,
        host: '127.0.0.1',
        stateFile,
        log: (line) => logger.info({ component: 'sandbox' }, line),
        ...options.sandbox,
      }).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EADDRINUSE'
          ? new Error(
              `The embedded sandbox's port ${config.stripe.kind === 'embedded-sandbox' ? config.stripe.port : ''} is in use: stop what runs there (another Tillkit server or sandbox?) or set TILLKIT_SANDBOX_PORT.`,
            )
          : error;
      });
      webhookSecret ??= secrets?.webhookSecret;
      await registerEmbeddedEndpoint(sandbox, webhookUrl, webhookSecret as string);
      if (firstStart) seedDemoCatalog(sandbox.core);
      stripe = createStripeClient(SANDBOX_SECRET_KEY, sandbox.url);
      publishableKey = SANDBOX_PUBLISHABLE_KEY;
      // Each customer on its own test clock: POST /api/_sandbox/advance moves its time.
      sandboxSettings = { apiBase: sandbox.url, testClocks: true };
    } else if (config.stripe.kind === 'external-sandbox') {
      stripe = createStripeClient(
        config.stripe.secretKey ?? SANDBOX_SECRET_KEY,
        config.stripe.apiBase,
      );
      publishableKey = config.stripe.publishableKey ?? SANDBOX_PUBLISHABLE_KEY;
      // With STRIPE_WEBHOOK_SECRET the sandbox was told about this server (`--webhook url=whsec_…`);
      // without it, the server registers itself and keeps the secret Stripe answers with.
      webhookSecret ??= await registerExternalEndpoint(stripe, webhookUrl);
      sandboxSettings = { apiBase: config.stripe.apiBase };
    } else {
      stripe = createStripeClient(config.stripe.secretKey);
      publishableKey = config.stripe.publishableKey;
    }

    let identify = options.identify;
    if (!identify) {
      if (config.auth.kind === 'hs256' || config.auth.kind === 'sandbox-sign-in') {
        const secret = config.auth.kind === 'hs256' ? config.auth.secret : secrets?.authSecret;
        identify = createJwtIdentify({
          secret,
          issuer: config.authIssuer,
          audience: config.authAudience,
        });
        if (config.auth.kind === 'sandbox-sign-in' && sandboxSettings) {
          sandboxSettings.signInSecret = secret;
          sandboxSettings.issuer = config.authIssuer;
          sandboxSettings.audience = config.authAudience;
        }
      } else if (config.auth.kind === 'jwks') {
        identify = createJwtIdentify({
          jwksUrl: config.auth.url,
          issuer: config.authIssuer,
          audience: config.authAudience,
        });
      } else {
        logger.warn(
          'No TILLKIT_AUTH_SECRET or TILLKIT_AUTH_JWKS_URL: every caller is a guest, so saved cards, payments and refunds answer 401.',
        );
      }
    }

    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const router = createTillkitRouter({
      stripe,
      publishableKey,
      webhookSecret,
      database,
      identify,
      allowedOrigins: config.allowedOrigins,
      checkout: { allowPromotionCodes: config.allowPromotionCodes },
      subscriptions: { onePerCustomer: config.oneSubscriptionPerCustomer },
      hooks: options.hooks,
      logger,
      sandbox: sandboxSettings,
      metricsRegistry: registry,
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    });

    const app = express();
    app.disable('x-powered-by');
    if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
    app.get('/metrics', async (_req, res) => {
      res.setHeader('Content-Type', registry.contentType);
      res.send(await registry.metrics());
    });
    app.use('/api', router);
    app.use((_req, res) => {
      const error = new TillkitError('not_found', 'No such route. The API is under /api.');
      res.status(404).json({
        error: { code: error.code, message: error.message, requestId: 'req_none' },
      });
    });
    handler = app;

    if (sandboxMode) {
      logger.warn(
        `SANDBOX MODE: payments go to the Tillkit Stripe sandbox at ${sandboxSettings?.apiBase}; no real money moves and nothing reaches Stripe.`,
      );
    }
    logger.info(
      { mode: router.services.mode, database: database.engine, api: `${url}/api` },
      `Tillkit server listening on ${url} (API at ${url}/api, metrics at ${url}/metrics)`,
    );

    const openDatabaseHandle = database;
    const openSandbox = sandbox;
    return {
      url,
      apiUrl: `${url}/api`,
      port,
      app,
      router,
      database: openDatabaseHandle,
      stripe,
      sandbox: openSandbox,
      async close() {
        // Requests already running finish (a payment being created, a webhook being stored), for
        // up to SHUTDOWN_GRACE_MS; no new one is taken, and idle keep-alive connections are closed.
        await new Promise<void>((resolve) => {
          const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
          server.close(() => {
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
        await openSandbox?.close();
        await openDatabaseHandle.close();
      },
    };
  } catch (error) {
    server.close();
    server.closeAllConnections();
    await sandbox?.close().catch(() => {});
    await database?.close().catch(() => {});
    throw error;
  }
}

/**
 * Registers this server's webhook endpoint with the embedded sandbox, and removes endpoints an
 * earlier run registered at another address (another port), which would only fail and retry.
 */
async function registerEmbeddedEndpoint(sandbox: SandboxHandle, url: string, secret: string) {
  const endpoints = await sandbox.stripe.webhookEndpoints.list({ limit: 100 });
  let current = false;
  for (const endpoint of endpoints.data) {
    if (endpoint.description !== ENDPOINT_DESCRIPTION) continue;
    if (endpoint.url === url && sandbox.core.webhookSecret(endpoint.id) === secret && !current) {
      current = true;
      continue;
    }
    await sandbox.stripe.webhookEndpoints.del(endpoint.id);
  }
  if (!current) sandbox.core.addWebhookEndpoint({ url, secret, description: ENDPOINT_DESCRIPTION });
}

/** Registers this server with a sandbox running elsewhere and returns the signing secret. */
async function registerExternalEndpoint(stripe: Stripe, url: string): Promise<string> {
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) {
    // Its secret cannot be read back: replace it.
    if (endpoint.url === url) await stripe.webhookEndpoints.del(endpoint.id);
  }
  const endpoint = await stripe.webhookEndpoints.create({
    url,
    enabled_events: ['*'],
    description: ENDPOINT_DESCRIPTION,
  });
  if (!endpoint.secret) throw new Error('The sandbox did not answer with a webhook secret.');
  return endpoint.secret;
}
