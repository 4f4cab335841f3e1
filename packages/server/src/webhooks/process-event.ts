/**
 * Exactly-once handling of one verified, well-formed event (`checkEvent()`). In one database
 * transaction:
 *
 * 1. the event's ledger row is inserted if new and locked (`SELECT … FOR UPDATE`): a concurrent
 *    duplicate, on this instance or another one sharing the database, waits here;
 * 2. if the row says `handled`, this delivery is a duplicate: nothing else runs;
 * 3. the handler stores the state the event brings (re-read from Stripe under a lock on the object);
 * 4. the host's hooks run;
 * 5. the row is marked `handled`, and the transaction commits.
 *
 * Any failure rolls all of it back, so the event stays unhandled and Stripe's retry (or a waiting
 * duplicate) handles it again; the failed attempt is then recorded outside the transaction.
 */
import type Stripe from 'stripe';
import type { TillkitServices } from '../http/services.js';
import {
  claimEvent,
  markEventHandled,
  recordEventFailure,
  setLockTimeout,
} from '../storage/event-ledger.js';
import { handlerFor } from './handlers/index.js';
import { runHooks } from './hooks.js';

/** How long a delivery waits for another delivery of the same event (or object) to finish. */
const LOCK_TIMEOUT = '20s';

export type ProcessOutcome = 'processed' | 'duplicate';

export async function processEvent(
  event: Stripe.Event,
  services: TillkitServices,
): Promise<ProcessOutcome> {
  const log = services.logger.child({ eventId: event.id, eventType: event.type });
  try {
    return await services.db.transaction(async (tx) => {
      await setLockTimeout(tx, LOCK_TIMEOUT);
      const row = await claimEvent(tx, event);
      if (row.status === 'handled') return 'duplicate';
      const context = {
        db: tx,
        stripe: services.stripe,
        customers: services.customers,
        log,
        onePerCustomer: services.subscriptions.onePerCustomer,
      };
      await handlerFor(event.type)?.handle(event, context);
      await runHooks(services.hooks, event, { eventId: event.id, stripe: services.stripe, log });
      await markEventHandled(tx, row);
      return 'processed';
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
    await recordEventFailure(services.db, event, message).catch((recordError: unknown) =>
      log.error({ err: recordError }, 'could not record the failed attempt'),
    );
    throw error;
  }
}
