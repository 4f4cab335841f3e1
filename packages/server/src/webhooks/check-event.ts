/**
 * A signed event is not yet a well-formed one: `constructEvent` proves who sent the bytes, not that
 * they hold what the handlers read. `checkEvent()` checks the envelope every event must have (what
 * the ledger keeps, and `data.object`), then, for the types a handler handles, the fields that
 * handler reads. A malformed event is refused with a 400 before anything runs, instead of making
 * a handler throw halfway (a 500 that blames the server for the event's fault; Stripe retries any
 * non-2xx answer alike, and the ledger keeps the event as `invalid`). Only what is read is
 * checked, and every object is loose: real events, with Stripe's many other fields, always pass.
 */
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import type { LedgerEvent } from '../storage/event-ledger.js';
import { stripeId } from './handlers/event-data.js';
import { handlerFor } from './handlers/index.js';

const english = z.locales.en();

/** Issues listed (in the log, the ledger and the answer); the rest are counted. */
const MAX_ISSUES = 10;

/** 9999-12-31T23:59:59Z: any later `created` is no date the database (or a JS Date) can keep. */
const LAST_SECOND = 253_402_300_799;

/** What the ledger keeps of every event, so these must be usable to record it at all. */
const ledgerFields = z.looseObject({
  id: stripeId,
  // Not an id, but stored and looked up the same way (a type is a short dotted name).
  type: stripeId,
  created: z.int().check(z.minimum(0), z.maximum(LAST_SECOND)),
  livemode: z.boolean(),
});

/** Every event's `data.object` is an object (the ledger keeps its id when it has one). */
const envelopeData = z.looseObject({ object: z.looseObject({}) });

export type EventCheck =
  | { valid: true; event: Stripe.Event }
  | {
      valid: false;
      /** The event's ledger fields, when they are usable (so it can be recorded as invalid). */
      key: LedgerEvent | undefined;
      /** `path: problem`, one per issue; never a value from the event. */
      issues: string[];
      /** The path of the first issue (`data.object.id`); undefined for the body as a whole. */
      param: string | undefined;
    };

function problems(error: z.core.$ZodError, prefix: PropertyKey[] = []) {
  return error.issues.map((issue) => {
    const path = z.core.toDotPath([...prefix, ...issue.path]);
    return { path, text: `${path || '(the body)'}: ${issue.message}` };
  });
}

/** Checks a verified event's shape (see above); `event` is what `constructEvent` parsed. */
export function checkEvent(event: unknown): EventCheck {
  const key = ledgerFields.safeParse(event, { error: english.localeError });
  const found = key.success ? [] : problems(key.error);
  const data = (event as { data?: unknown } | null)?.data;
  const envelope = envelopeData.safeParse(data, { error: english.localeError });
  if (!envelope.success) found.push(...problems(envelope.error, ['data']));
  const handler = key.success ? handlerFor(key.data.type) : undefined;
  if (handler && envelope.success) {
    const read = handler.data.safeParse(data, { error: english.localeError });
    if (!read.success) found.push(...problems(read.error, ['data']));
  }
  if (found.length === 0) return { valid: true, event: event as Stripe.Event };
  const issues = found.slice(0, MAX_ISSUES).map((problem) => problem.text);
  if (found.length > MAX_ISSUES) issues.push(`and ${found.length - MAX_ISSUES} more`);
  return {
    valid: false,
    key: key.success ? (event as LedgerEvent) : undefined,
    issues,
    param: found[0]?.path || undefined,
  };
}
