/**
 * Chaos knobs for tests: make webhooks arrive twice, out of order or late, and make API requests
 * fail, drop their connection or answer slowly. Every knob is off by default.
 */

export type ApiFailure = 500 | 429 | 'drop';

export interface WebhookChaos {
  /** Extra copies of every delivery (1 = each event arrives twice). @default 0 */
  duplicates: number;
  /** Deliver in random order: each delivery waits a random 0…`shuffleWindowMs`. @default false */
  shuffle: boolean;
  /** @default 50 */
  shuffleWindowMs: number;
  /** A fixed delay before each delivery, in ms. @default 0 */
  delayMs: number;
}

export interface ApiChaos {
  /** Fail this share (0…1) of API requests. @default 0 */
  failureRate: number;
  /** Fail the next N API requests, then stop. @default 0 */
  failNext: number;
  /** How a failing request fails. @default 500 */
  failWith: ApiFailure;
  /**
   * `before`: the request is refused before it runs (nothing changes); `after`: it runs, then its
   * answer is lost (the case idempotency keys exist for). @default 'before'
   */
  failWhen: 'before' | 'after';
  /** Delay every API answer by this many ms. @default 0 */
  latencyMs: number;
}

export interface ChaosSettings {
  webhooks: WebhookChaos;
  api: ApiChaos;
}

/** A partial update of the chaos settings. */
export interface ChaosUpdate {
  webhooks?: Partial<WebhookChaos>;
  api?: Partial<ApiChaos>;
}

export function defaultChaos(): ChaosSettings {
  return {
    webhooks: { duplicates: 0, shuffle: false, shuffleWindowMs: 50, delayMs: 0 },
    api: { failureRate: 0, failNext: 0, failWith: 500, failWhen: 'before', latencyMs: 0 },
  };
}

export class Chaos {
  settings: ChaosSettings = defaultChaos();

  update(update: ChaosUpdate): ChaosSettings {
    this.settings = {
      webhooks: { ...this.settings.webhooks, ...update.webhooks },
      api: { ...this.settings.api, ...update.api },
    };
    return this.settings;
  }

  reset(): ChaosSettings {
    this.settings = defaultChaos();
    return this.settings;
  }

  /** Decides whether this API request fails, consuming one of `failNext`. */
  nextApiFailure(): ApiFailure | null {
    const api = this.settings.api;
    if (api.failNext > 0) {
      api.failNext -= 1;
      return api.failWith;
    }
    if (api.failureRate > 0 && Math.random() < api.failureRate) return api.failWith;
    return null;
  }
}
