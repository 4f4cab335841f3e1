/**
 * Prometheus metrics (prom-client) in a registry of the router's own, so that several routers in
 * one process (or a host's default registry) never clash. The standalone server serves it at
 * `/metrics`; a host app can merge it into its own.
 */
import { Counter, Histogram, Registry } from 'prom-client';

/** What happened to a webhook delivery. */
export type WebhookOutcome = 'processed' | 'duplicate' | 'rejected' | 'invalid' | 'failed';

export interface TillkitMetrics {
  registry: Registry;
  webhookEvents: Counter<'outcome'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(registry = new Registry()): TillkitMetrics {
  const webhookEvents = new Counter({
    name: 'tillkit_webhook_events_total',
    help: 'Stripe webhook deliveries by outcome: processed, duplicate, rejected (bad signature), invalid (signed, but not shaped as a Stripe event) or failed (handler error).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['processed', 'duplicate', 'rejected', 'invalid', 'failed'] as const) {
    webhookEvents.inc({ outcome }, 0);
  }
  const httpRequests = new Counter({
    name: 'tillkit_http_requests_total',
    help: 'Requests answered by the Tillkit router, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'tillkit_http_request_duration_seconds',
    help: 'Time to answer a request, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, webhookEvents, httpRequests, httpDuration };
}
