/**
 * Sandbox-only routes under `/v1/_sandbox`: health, reset, chaos knobs and webhook deliveries.
 * They need a test secret key and are never subject to chaos.
 */
import type { ApiChaos, ChaosSettings, WebhookChaos } from '../core/chaos.js';
import { bool, int, params, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import { API_VERSION } from '../core/sandbox.js';

const number = () =>
  z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? Number(value) : value),
    z.number().min(0),
  );

const chaosSchema = params({
  webhooks: z
    .strictObject({
      duplicates: int().pipe(z.number().min(0).max(10)).optional(),
      shuffle: bool().optional(),
      shuffle_window_ms: int().pipe(z.number().min(0).max(60_000)).optional(),
      delay_ms: int().pipe(z.number().min(0).max(600_000)).optional(),
    })
    .optional(),
  api: z
    .strictObject({
      failure_rate: number().pipe(z.number().max(1)).optional(),
      fail_next: int().pipe(z.number().min(0)).optional(),
      fail_with: z.enum(['500', '429', 'drop']).optional(),
      fail_when: z.enum(['before', 'after']).optional(),
      latency_ms: int().pipe(z.number().min(0).max(60_000)).optional(),
    })
    .optional(),
});

/** The settings in the wire's snake_case. */
function chaosJson(settings: ChaosSettings) {
  const { webhooks, api } = settings;
  return {
    object: 'sandbox.chaos',
    webhooks: {
      duplicates: webhooks.duplicates,
      shuffle: webhooks.shuffle,
      shuffle_window_ms: webhooks.shuffleWindowMs,
      delay_ms: webhooks.delayMs,
    },
    api: {
      failure_rate: api.failureRate,
      fail_next: api.failNext,
      fail_with: String(api.failWith),
      fail_when: api.failWhen,
      latency_ms: api.latencyMs,
    },
  };
}

function setChaos(ctx: RequestContext) {
  const input = ctx.parse(chaosSchema);
  const webhooks: Partial<WebhookChaos> = {};
  const api: Partial<ApiChaos> = {};
  if (input.webhooks?.duplicates !== undefined) webhooks.duplicates = input.webhooks.duplicates;
  if (input.webhooks?.shuffle !== undefined) webhooks.shuffle = input.webhooks.shuffle;
  if (input.webhooks?.shuffle_window_ms !== undefined)
    webhooks.shuffleWindowMs = input.webhooks.shuffle_window_ms;
  if (input.webhooks?.delay_ms !== undefined) webhooks.delayMs = input.webhooks.delay_ms;
  if (input.api?.failure_rate !== undefined) api.failureRate = input.api.failure_rate;
  if (input.api?.fail_next !== undefined) api.failNext = input.api.fail_next;
  if (input.api?.fail_with !== undefined) {
    api.failWith =
      input.api.fail_with === 'drop' ? 'drop' : (Number(input.api.fail_with) as 500 | 429);
  }
  if (input.api?.fail_when !== undefined) api.failWhen = input.api.fail_when;
  if (input.api?.latency_ms !== undefined) api.latencyMs = input.api.latency_ms;
  return chaosJson(ctx.sandbox.chaos.update({ webhooks, api }));
}

async function waitForWebhooks(ctx: RequestContext) {
  const input = ctx.parse(
    params({ timeout_ms: int().pipe(z.number().min(1).max(120_000)).optional() }),
  );
  await ctx.sandbox.waitForWebhooks(input.timeout_ms ?? 30_000);
  return { object: 'sandbox.webhooks', pending: ctx.sandbox.webhooks.pending };
}

export const sandboxControlRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/_sandbox/health',
    auth: 'none',
    chaos: false,
    handler: () => ({
      object: 'sandbox.health',
      ok: true,
      sandbox: true,
      api_version: API_VERSION,
    }),
  },
  {
    method: 'POST',
    path: '/v1/_sandbox/reset',
    chaos: false,
    handler: (ctx) => {
      const input = ctx.parse(params({ keep_webhook_endpoints: bool().optional() }));
      ctx.sandbox.reset({ keepWebhookEndpoints: input.keep_webhook_endpoints ?? true });
      return { object: 'sandbox.reset', reset: true };
    },
  },
  {
    method: 'GET',
    path: '/v1/_sandbox/chaos',
    chaos: false,
    handler: (ctx) => chaosJson(ctx.sandbox.chaos.settings),
  },
  { method: 'POST', path: '/v1/_sandbox/chaos', chaos: false, handler: setChaos },
  {
    method: 'DELETE',
    path: '/v1/_sandbox/chaos',
    chaos: false,
    handler: (ctx) => chaosJson(ctx.sandbox.chaos.reset()),
  },
  {
    method: 'GET',
    path: '/v1/_sandbox/webhooks/deliveries',
    chaos: false,
    handler: (ctx) => ({
      object: 'list',
      data: ctx.sandbox.deliveries.map((record) => ({
        event: record.eventId,
        type: record.eventType,
        webhook_endpoint: record.endpointId,
        url: record.url,
        attempt: record.attempt,
        status: record.status,
        error: record.error,
        created: record.at,
      })),
      has_more: false,
      url: '/v1/_sandbox/webhooks/deliveries',
    }),
  },
  { method: 'POST', path: '/v1/_sandbox/webhooks/wait', chaos: false, handler: waitForWebhooks },
];
