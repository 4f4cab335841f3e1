/**
 * entitlements.active_entitlement_summary.updated: a customer's active entitlements changed (a
 * subscription started, changed or ended; a feature was attached to or detached from its product,
 * or archived). As for every other object, the event's copy is never written: the customer's
 * active entitlements are listed from Stripe (every page; the event's list is cut at its first
 * page, `has_more`) under a lock on the customer, so a late or out-of-order summary (their
 * `created` has one-second resolution, and Stripe sends them in no particular order) can only
 * ever store a set at least as new as any stored before (see README, "Webhooks").
 * @see https://docs.stripe.com/billing/entitlements#webhooks
 */
import type Stripe from 'stripe';
import { isStripeMissing } from '../../errors.js';
import { storeLookupKeys } from '../../storage/entitlements.js';
import { lockObject } from '../../storage/event-ledger.js';
import type { HandlerContext, WebhookHandler } from './context.js';
import { objectData, stripeId } from './event-data.js';

/**
 * Re-reads a customer's active entitlements from Stripe under a lock and stores their lookup
 * keys. Also run where a subscription is stored, so that a customer who just subscribed (a trial
 * starts entitled) has its features at once. A customer Stripe no longer has keeps nothing.
 */
export async function syncEntitlements(
  context: HandlerContext,
  customer: string,
  /**
   * From a subscription's sync: a failed read is logged and left to the summary event (which
   * Stripe sends, and retries), so that a subscription is never lost to it, nor a customer's
   * `POST /subscriptions` failed (a restricted key without the Entitlements permission, Stripe
   * unavailable for that one call).
   */
  bestEffort = false,
): Promise<void> {
  // A lock of its own: the subscription sync holds the subscription's, and may take this one.
  await lockObject(context.db, `entitlements:${customer}`);
  let lookupKeys: string[];
  try {
    const listed = await context.stripe.entitlements.activeEntitlements
      .list({ customer, limit: 100 })
      .autoPagingToArray({ limit: 10_000 });
    lookupKeys = listed.map((entitlement) => entitlement.lookup_key);
  } catch (error) {
    if (isStripeMissing(error)) {
      lookupKeys = [];
    } else if (bestEffort) {
      context.log.warn(
        { err: error, customer },
        "could not read the customer's active entitlements; the summary event will bring them",
      );
      return;
    } else {
      throw error;
    }
  }
  await storeLookupKeys(context.db, customer, [...new Set(lookupKeys)].sort());
}

/** What the handler reads: the customer (a summary has no id of its own). */
export const entitlementSummaryEventData = objectData({ customer: stripeId });

export const handleEntitlementSummaryUpdated: WebhookHandler = async (event, context) => {
  const summary = event.data.object as Stripe.Entitlements.ActiveEntitlementSummary;
  await syncEntitlements(context, summary.customer);
};
