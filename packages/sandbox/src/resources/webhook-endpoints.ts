/**
 * webhook_endpoints: create (answers the signing secret once), retrieve, update, list, delete.
 * @see https://docs.stripe.com/api/webhook_endpoints
 */
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { bool, emptyable, listShape, metadata, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import { API_VERSION, unsupportedVersion } from '../core/sandbox.js';

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidRequest(`Invalid URL: ${url}`, 'url', 'url_invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidRequest(`Invalid URL: ${url}. URLs must use http or https.`, 'url', 'url_invalid');
  }
  return url;
}

const createSchema = params({
  url: str(),
  enabled_events: z.array(str()).min(1),
  description: emptyable(str()).optional(),
  metadata: metadata().optional(),
  api_version: str().optional(),
  connect: bool().optional(),
});

function create(ctx: RequestContext): Stripe.WebhookEndpoint {
  const input = ctx.parse(createSchema);
  if (input.connect)
    throw invalidRequest('Connect webhook endpoints are not supported by the sandbox.', 'connect');
  // Its events would be sent in the sandbox's version all the same.
  if (input.api_version !== undefined && input.api_version !== API_VERSION) {
    throw unsupportedVersion(
      input.api_version,
      '`api_version` of this webhook endpoint',
      'api_version',
    );
  }
  const endpoint = ctx.sandbox.addWebhookEndpoint({
    url: checkUrl(input.url),
    enabledEvents: input.enabled_events,
    ...(input.description ? { description: input.description } : {}),
  });
  endpoint.metadata = mergeMetadata({}, input.metadata);
  if (input.api_version) endpoint.api_version = input.api_version;
  // The secret is part of the answer to create only, as on Stripe.
  return { ...endpoint, secret: ctx.sandbox.webhookSecret(endpoint.id) as string };
}

function find(ctx: RequestContext): Stripe.WebhookEndpoint {
  const id = ctx.path.id as string;
  const endpoint = ctx.sandbox.store
    .collection<Stripe.WebhookEndpoint>('webhook_endpoints')
    .get(id);
  if (!endpoint) throw resourceMissing('webhook_endpoint', id);
  return endpoint;
}

function retrieve(ctx: RequestContext): Stripe.WebhookEndpoint {
  ctx.parse(params({}));
  return find(ctx);
}

const updateSchema = params({
  url: str().optional(),
  enabled_events: z.array(str()).min(1).optional(),
  description: emptyable(str()).optional(),
  metadata: metadata().optional(),
  disabled: bool().optional(),
});

function update(ctx: RequestContext): Stripe.WebhookEndpoint {
  const input = ctx.parse(updateSchema);
  const endpoint = find(ctx);
  trackChanges(endpoint, (e) => {
    if (input.url !== undefined) e.url = checkUrl(input.url);
    if (input.enabled_events !== undefined) e.enabled_events = input.enabled_events;
    if (input.description !== undefined) e.description = input.description;
    if (input.disabled !== undefined) e.status = input.disabled ? 'disabled' : 'enabled';
    e.metadata = mergeMetadata(e.metadata, input.metadata);
  });
  return endpoint;
}

function remove(ctx: RequestContext): Stripe.DeletedWebhookEndpoint {
  ctx.parse(params({}));
  const endpoint = find(ctx);
  ctx.sandbox.store.collection('webhook_endpoints').delete(endpoint.id);
  ctx.sandbox.store.internal.delete(`webhook_secret:${endpoint.id}`);
  return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.WebhookEndpoint> {
  const input = ctx.parse(params(listShape));
  const items = ctx.sandbox.store.collection<Stripe.WebhookEndpoint>('webhook_endpoints').values();
  return paginate(items, input, ctx.url.pathname, 'webhook_endpoint');
}

export const webhookEndpointRoutes: Route[] = [
  { method: 'POST', path: '/v1/webhook_endpoints', handler: create },
  { method: 'GET', path: '/v1/webhook_endpoints', handler: list },
  { method: 'GET', path: '/v1/webhook_endpoints/:id', handler: retrieve },
  { method: 'POST', path: '/v1/webhook_endpoints/:id', handler: update },
  { method: 'DELETE', path: '/v1/webhook_endpoints/:id', handler: remove },
];
