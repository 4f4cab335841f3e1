/**
 * Delivers events to webhook endpoints asynchronously, signed as Stripe signs them, retrying with
 * back-off on any non-2xx answer or network error. The schedule is compressed (seconds, not
 * Stripe's three days) and configurable.
 * @see https://docs.stripe.com/webhooks#retries
 */
import type Stripe from 'stripe';
import type { Chaos } from './chaos.js';
import type { Clock } from './clock.js';
import { signatureHeader } from './signature.js';

export interface WebhookDeliveryOptions {
  /**
   * Delays in ms before each retry; its length is the number of retries.
   * @default [1000, 5000, 30000, 120000, 600000]
   */
  retrySchedule?: number[];
  /** How long one delivery may take before it counts as failed, in ms. @default 10000 */
  timeoutMs?: number;
}

export interface DeliveryRecord {
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempt: number;
  /** HTTP status, or null when the request failed (network error, time-out). */
  status: number | null;
  error: string | null;
  at: number;
}

interface Job {
  eventId: string;
  endpointId: string;
  attempt: number;
}

export interface EndpointTarget {
  id: string;
  url: string;
  secret: string;
}

export interface WebhookHost {
  clock: Clock;
  chaos: Chaos;
  findEvent(id: string): Stripe.Event | undefined;
  findEndpoint(id: string): EndpointTarget | undefined;
  /** Called once per event and endpoint when a delivery got a 2xx. */
  delivered(eventId: string, endpointId: string): void;
  log(message: string): void;
}

const DEFAULT_SCHEDULE = [1000, 5000, 30_000, 120_000, 600_000];
const MAX_RECORDS = 2000;

export class WebhookDispatcher {
  readonly #host: WebhookHost;
  readonly #schedule: number[];
  readonly #timeoutMs: number;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #pending = 0;
  #waiters: Array<() => void> = [];
  #stopped = false;
  /** Every attempt, oldest first (capped). */
  readonly deliveries: DeliveryRecord[] = [];
  readonly #succeeded = new Set<string>();

  constructor(host: WebhookHost, options: WebhookDeliveryOptions = {}) {
    this.#host = host;
    this.#schedule = options.retrySchedule ?? DEFAULT_SCHEDULE;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Queues the event for each endpoint (plus the copies chaos asks for). */
  enqueue(eventId: string, endpointIds: string[]): void {
    const copies = 1 + Math.max(0, Math.floor(this.#host.chaos.settings.webhooks.duplicates));
    for (const endpointId of endpointIds) {
      for (let copy = 0; copy < copies; copy++) {
        this.#schedule_({ eventId, endpointId, attempt: 1 }, this.#chaosDelay());
      }
    }
  }

  /** Resolves when no delivery is queued, in flight or waiting for a retry. */
  idle(timeoutMs = 30_000): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        reject(new Error(`Webhook deliveries still pending after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(done);
    });
  }

  get pending(): number {
    return this.#pending;
  }

  /** Drops every queued delivery and retry. */
  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#pending = 0;
    this.deliveries.length = 0;
    this.#succeeded.clear();
    this.#settle();
  }

  stop(): void {
    this.#stopped = true;
    this.clear();
  }

  #chaosDelay(): number {
    const chaos = this.#host.chaos.settings.webhooks;
    const shuffle = chaos.shuffle ? Math.random() * chaos.shuffleWindowMs : 0;
    return chaos.delayMs + shuffle;
  }

  #schedule_(job: Job, delayMs: number): void {
    if (this.#stopped) return;
    this.#pending += 1;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(job).finally(() => {
        this.#pending -= 1;
        this.#settle();
      });
    }, delayMs);
    this.#timers.add(timer);
  }

  #settle(): void {
    if (this.#pending > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  async #attempt(job: Job): Promise<void> {
    const event = this.#host.findEvent(job.eventId);
    const endpoint = this.#host.findEndpoint(job.endpointId);
    if (!event || !endpoint || this.#stopped) return;
    const payload = JSON.stringify(event, null, 2);
    const record: DeliveryRecord = {
      eventId: event.id,
      eventType: event.type,
      endpointId: endpoint.id,
      url: endpoint.url,
      attempt: job.attempt,
      status: null,
      error: null,
      at: this.#host.clock.now(),
    };
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': await signatureHeader(payload, endpoint.secret, timestamp),
        },
        body: payload,
        // Stripe does not follow redirects: a 3xx (a trailing slash or `www` added by the host)
        // is a failed delivery, retried like any other.
        // @see https://support.stripe.com/questions/webhooks-what-to-do-when-the-http-status-code-starts-with-a-three-(3xx)
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      // A browser (the sandbox under MSW) hides a redirect's status behind an opaque response.
      if (response.type === 'opaqueredirect') record.error = 'redirected (3xx)';
      else record.status = response.status;
      // Drain the body so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    this.#record(record);
    const ok = record.status !== null && record.status >= 200 && record.status < 300;
    if (ok) {
      const key = `${job.eventId}:${job.endpointId}`;
      if (!this.#succeeded.has(key)) {
        this.#succeeded.add(key);
        this.#host.delivered(job.eventId, job.endpointId);
      }
      return;
    }
    const delay = this.#schedule[job.attempt - 1];
    this.#host.log(
      `webhook ${event.type} ${event.id} → ${endpoint.url} failed (attempt ${job.attempt}: ${record.status ?? record.error})${delay === undefined ? ', giving up' : `, retrying in ${delay} ms`}`,
    );
    if (delay !== undefined) this.#schedule_({ ...job, attempt: job.attempt + 1 }, delay);
  }

  #record(record: DeliveryRecord): void {
    this.deliveries.push(record);
    if (this.deliveries.length > MAX_RECORDS) this.deliveries.shift();
  }
}
