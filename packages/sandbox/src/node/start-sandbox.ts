import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import Stripe from 'stripe';
import { type BillingSettings, billingSettings, setBillingSettings } from '../core/billing-time.js';
import type { ChaosSettings, ChaosUpdate } from '../core/chaos.js';
import type { Clock } from '../core/clock.js';
import { createSandboxCore } from '../core/index.js';
import type { ResponseInfo, SandboxCore } from '../core/sandbox.js';
import type { DeliveryRecord, WebhookDeliveryOptions } from '../core/webhooks.js';
import { serveBrowserAsset } from './browser-assets.js';
import { debouncedSaver, readStateFile, writeStateFile } from './state-file.js';

/** The secret key `handle.stripe` uses; any `sk_test_…` key works against the sandbox. */
export const SANDBOX_SECRET_KEY = 'sk_test_tillkit_sandbox';
/** A publishable key for the sandbox's Stripe.js. */
export const SANDBOX_PUBLISHABLE_KEY = 'pk_test_tillkit_sandbox';

export interface WebhookEndpointInput {
  url: string;
  /** The signing secret; a random `whsec_…` when omitted. */
  secret?: string;
  /** @default ['*'] */
  enabledEvents?: string[];
}

export interface StartSandboxOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Save the state here and load it at start, so a restarted sandbox keeps its objects. */
  stateFile?: string;
  /** Webhook endpoints to register at start (skipped when one with the same URL exists). */
  webhooks?: WebhookEndpointInput[];
  /** Delivery retry schedule and time-out. */
  webhookDelivery?: WebhookDeliveryOptions;
  clock?: Clock;
  /** Sees every JSON answer (tests validate them against Stripe's schema). */
  onResponse?: (info: ResponseInfo) => void;
  /** @default console.log with a "[sandbox]" prefix; pass `() => {}` for silence */
  log?: (line: string) => void;
}

export interface SandboxHandle {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** A stripe-node client pointed at the sandbox. */
  stripe: Stripe;
  secretKey: string;
  publishableKey: string;
  core: SandboxCore;
  /** The ids and secrets of the endpoints registered through `webhooks`. */
  webhookEndpoints: Array<{ id: string; url: string; secret: string }>;
  /** Registers another webhook endpoint. */
  addWebhookEndpoint(input: WebhookEndpointInput): { id: string; url: string; secret: string };
  /** Resolves when every pending webhook delivery, retries included, is done. */
  waitForWebhooks(timeoutMs?: number): Promise<void>;
  /** Every delivery attempt so far. */
  deliveries(): readonly DeliveryRecord[];
  chaos: {
    set(update: ChaosUpdate): ChaosSettings;
    reset(): ChaosSettings;
    readonly settings: ChaosSettings;
  };
  /**
   * Advances a test clock to `frozenTime` (Unix seconds) through stripe-node and resolves with the
   * clock once it is `ready`, i.e. once everything due on it (renewals, retries, trial ends…) ran.
   */
  advanceTestClock(id: string, frozenTime: number): Promise<Stripe.TestHelpers.TestClock>;
  /** The failed-payment retry schedule subscriptions follow (also `/v1/_sandbox/billing_settings`). */
  billing: {
    set(update: Partial<BillingSettings>): BillingSettings;
    readonly settings: BillingSettings;
  };
  /** Forgets every object and event; webhook endpoints stay registered. */
  reset(): void;
  close(): Promise<void>;
}

/** Creates a stripe-node client for a sandbox at `url`. */
export function sandboxStripe(
  url: string,
  secretKey = SANDBOX_SECRET_KEY,
  options: Stripe.StripeConfig = {},
): Stripe {
  const parsed = new URL(url);
  return new Stripe(secretKey, {
    host: parsed.hostname,
    port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
    protocol: parsed.protocol === 'https:' ? 'https' : 'http',
    ...options,
  });
}

/**
 * Starts the sandbox on a local port, for tests and local development.
 * @example
 * const sandbox = await startSandbox({ webhooks: [{ url: 'http://127.0.0.1:4000/webhooks', secret }] });
 * const intent = await sandbox.stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
 * await sandbox.close();
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const { stateFile } = options;
  let core: SandboxCore | undefined;
  const saver = debouncedSaver(() => {
    if (core && stateFile) writeStateFile(stateFile, core.serialize());
  });
  const state = stateFile ? readStateFile(stateFile) : undefined;
  core = createSandboxCore({
    ...(state ? { state } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.webhookDelivery ? { webhooks: options.webhookDelivery } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
    onChange: () => {
      if (stateFile) saver.schedule();
    },
  });
  const sandbox = core;

  const registered: Array<{ id: string; url: string; secret: string }> = [];
  const register = (input: WebhookEndpointInput) => {
    const existing = sandbox.store
      .collection<Stripe.WebhookEndpoint>('webhook_endpoints')
      .values()
      .find((endpoint) => endpoint.url === input.url && endpoint.status === 'enabled');
    const currentSecret = existing ? sandbox.webhookSecret(existing.id) : undefined;
    if (existing && currentSecret && (!input.secret || input.secret === currentSecret)) {
      const entry = { id: existing.id, url: existing.url, secret: currentSecret };
      registered.push(entry);
      return entry;
    }
    const endpoint = sandbox.addWebhookEndpoint({
      url: input.url,
      ...(input.secret ? { secret: input.secret } : {}),
      ...(input.enabledEvents ? { enabledEvents: input.enabledEvents } : {}),
    });
    const entry = {
      id: endpoint.id,
      url: endpoint.url,
      secret: sandbox.webhookSecret(endpoint.id) as string,
    };
    registered.push(entry);
    return entry;
  };
  for (const input of options.webhooks ?? []) register(input);

  const server = createAdaptorServer({
    overrideGlobalObjects: false,
    fetch: async (request, env) => {
      // The browser half (Stripe.js, the element frames) is served beside the API.
      const asset = await serveBrowserAsset(request);
      if (asset) return asset;
      const response = await sandbox.fetch(request);
      if (response.type === 'error') {
        // Chaos: a dropped connection. The client sees a socket hang-up.
        env.incoming.socket.destroy();
        return new Response(null, { status: 500 });
      }
      return response;
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  const stripe = sandboxStripe(url);
  return {
    url,
    port,
    stripe,
    secretKey: SANDBOX_SECRET_KEY,
    publishableKey: SANDBOX_PUBLISHABLE_KEY,
    core: sandbox,
    webhookEndpoints: registered,
    addWebhookEndpoint: register,
    waitForWebhooks: (timeoutMs) => sandbox.waitForWebhooks(timeoutMs),
    deliveries: () => sandbox.deliveries,
    chaos: {
      set: (update) => sandbox.chaos.update(update),
      reset: () => sandbox.chaos.reset(),
      get settings() {
        return sandbox.chaos.settings;
      },
    },
    async advanceTestClock(id, frozenTime) {
      let clock = await stripe.testHelpers.testClocks.advance(id, { frozen_time: frozenTime });
      const deadline = Date.now() + 30_000;
      while (clock.status === 'advancing') {
        if (Date.now() > deadline)
          throw new Error(`test clock ${id} is still advancing after 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        clock = await stripe.testHelpers.testClocks.retrieve(id);
      }
      if (clock.status !== 'ready') throw new Error(`test clock ${id} ended ${clock.status}`);
      return clock;
    },
    billing: {
      set: (update) => setBillingSettings(sandbox, update),
      get settings() {
        return billingSettings(sandbox);
      },
    },
    reset() {
      sandbox.reset({ keepWebhookEndpoints: true });
    },
    async close() {
      sandbox.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open.
        (server as import('node:http').Server).closeAllConnections?.();
      });
      if (stateFile) saver.flush();
      else saver.cancel();
    },
  };
}
