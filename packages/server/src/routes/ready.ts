/** `GET /ready`: the database and Stripe answer; 503 `not_ready` naming the one that does not. */
import { TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';

export const ready = defineRoute({
  name: 'ready',
  async handle({ services, log }) {
    const [database, stripe] = await Promise.allSettled([
      services.database.ping(),
      // The cheapest call every account (and the sandbox) answers; no retries: this is a probe.
      services.stripe.products.list({ limit: 1 }, { maxNetworkRetries: 0, timeout: 5000 }),
    ]);
    const failing = [
      ...(database.status === 'rejected' ? ['the database'] : []),
      ...(stripe.status === 'rejected' ? ['Stripe'] : []),
    ];
    if (failing.length) {
      log.warn(
        {
          database: database.status === 'rejected' ? String(database.reason) : 'ok',
          stripe: stripe.status === 'rejected' ? String(stripe.reason) : 'ok',
        },
        'not ready',
      );
      throw new TillkitError('not_ready', `Not ready: ${failing.join(' and ')} did not answer.`);
    }
    return {
      body: { ok: true as const, checks: { database: 'ok' as const, stripe: 'ok' as const } },
    };
  },
});
