/**
 * `POST /webhooks`: Stripe's deliveries. The raw body is verified with stripe-node's
 * `constructEvent` (constant-time compare, 5-minute tolerance), its shape checked (`checkEvent`),
 * then handled exactly once (`processEvent`). 400 for a missing, forged, stale or tampered
 * signature; 400 for a signed event that is not shaped as Stripe sends them (recorded in the ledger
 * as `invalid`, never handled); 200 once the event is durably handled (also for a duplicate); 500
 * when handling failed (or an invalid event could not be recorded), 503 `database_unavailable`
 * when the database is down or out of connections, so that Stripe retries.
 * @see https://docs.stripe.com/webhooks#verify-official-libraries
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { ConfigurationError, fromDatabaseError, TillkitError } from '../errors.js';
import { locals } from '../http/request-context.js';
import type { TillkitServices } from '../http/services.js';
import { recordEventFailure } from '../storage/event-ledger.js';
import { checkEvent } from '../webhooks/check-event.js';
import { processEvent } from '../webhooks/process-event.js';

/** Said when the database is away: the event is not marked handled, Stripe delivers it again. */
const DATABASE_AWAY =
  'The database is not answering, so this event was not handled; Stripe will deliver it again.';

/** Stripe's events can be large (an invoice with many lines); this route takes up to 1 MB. */
const WEBHOOK_BODY_LIMIT = '1mb';

export function receiveWebhook(services: TillkitServices) {
  /**
   * A failure to handle or record an event, counted: a 503 when the database is away, else a 500;
   * either way Stripe delivers the event again.
   */
  const failed = (error: unknown, message: string): TillkitError => {
    services.metrics.webhookEvents.inc({ outcome: 'failed' });
    const unavailable = fromDatabaseError(error, DATABASE_AWAY);
    return unavailable instanceof TillkitError
      ? unavailable
      : new TillkitError('webhook_handler_failed', message, { cause: error });
  };
  const raw = express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT });
  const mark = (_req: Request, res: Response, next: NextFunction) => {
    locals(res).route = '/webhooks';
    next();
  };
  const handle = async (req: Request, res: Response) => {
    const body: unknown = req.body;
    if (body !== undefined && !Buffer.isBuffer(body)) {
      throw new ConfigurationError(
        "The webhook route got a body that another middleware already parsed, so Stripe's signature (which covers the raw bytes) cannot be checked. Mount the Tillkit router before express.json() (or any body parser), or keep that parser off the router's path.",
      );
    }
    const secret = services.webhookSecret;
    if (!secret) {
      throw new ConfigurationError(
        'No webhook secret is configured: pass webhookSecret to createTillkitRouter() (STRIPE_WEBHOOK_SECRET for the standalone server).',
      );
    }
    const signature = req.headers['stripe-signature'];
    let event: ReturnType<typeof services.stripe.webhooks.constructEvent>;
    try {
      if (typeof signature !== 'string' || !signature) {
        throw new Error('No Stripe-Signature header');
      }
      event = services.stripe.webhooks.constructEvent(body ?? Buffer.alloc(0), signature, secret);
    } catch (error) {
      services.metrics.webhookEvents.inc({ outcome: 'rejected' });
      services.logger.warn(
        { requestId: locals(res).requestId, reason: (error as Error).message },
        'webhook refused: bad signature',
      );
      throw new TillkitError(
        'webhook_signature_invalid',
        typeof signature === 'string' && signature
          ? 'The Stripe-Signature header does not match this body: it was forged, tampered with, signed with another secret, or is older than 5 minutes.'
          : 'The Stripe-Signature header is missing.',
      );
    }
    const checked = checkEvent(event);
    if (!checked.valid) {
      const { key, issues, param } = checked;
      // The issues name paths and problems, never values: the body stays out of the logs.
      services.logger.error(
        { requestId: locals(res).requestId, eventId: key?.id, eventType: key?.type, issues },
        'webhook refused: the event is not shaped as Stripe sends events',
      );
      // Kept, so that nothing is lost: an operator finds it in the ledger (status `invalid`).
      // Without a usable id, type, created and livemode there is no key to keep it under.
      if (key) {
        try {
          await recordEventFailure(services.db, key, issues.join('; ').slice(0, 500), 'invalid');
        } catch (error) {
          throw failed(
            error,
            'This event is malformed, and recording it failed; Stripe will deliver it again.',
          );
        }
      }
      services.metrics.webhookEvents.inc({ outcome: 'invalid' });
      throw new TillkitError(
        'webhook_event_invalid',
        `The event is signed but not shaped as Stripe sends events (${issues[0]}), so it was not handled${key ? '; it is recorded in the ledger as invalid' : ''}.`,
        { param },
      );
    }
    let outcome: Awaited<ReturnType<typeof processEvent>>;
    try {
      outcome = await processEvent(checked.event, services);
    } catch (error) {
      throw failed(
        error,
        'Handling this event failed; it stays unhandled and Stripe will deliver it again.',
      );
    }
    services.metrics.webhookEvents.inc({ outcome });
    res.status(200).json({ received: true, duplicate: outcome === 'duplicate' });
  };
  return [mark, raw, handle];
}
