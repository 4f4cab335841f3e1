/**
 * What the subscription routes share: the ownership check, the re-read that keeps the database in
 * step after a route changed a subscription, what a new subscription (or subscription Checkout
 * page) replaces, and the answer's shape (with the client secret of a pending action, read from
 * Stripe and never stored).
 */
import type { PendingAction, Subscription, SubscriptionStatus } from '@tillkit/protocol';
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { NotFoundError, rethrowAs, stripeCall, TillkitError } from '../errors.js';
import type { TillkitServices } from '../http/services.js';
import type { Logger } from '../observability/logger.js';
import {
  ENDED_STATUSES,
  type NewSubscriptionRow,
  type SubscriptionRow,
} from '../storage/subscriptions.js';
import { waitingSetupIntent } from '../stripe/subscription-state.js';
import { idOf } from '../webhooks/handlers/context.js';
import {
  invoiceActionOf,
  productsOf,
  syncSubscription,
} from '../webhooks/handlers/customer-subscription.js';

/** The caller's subscription `id`, read from Stripe; 404 when it is missing or someone else's. */
export async function ownSubscription(
  services: TillkitServices,
  user: Identity,
  id: string,
): Promise<Stripe.Subscription> {
  const notFound = new NotFoundError('subscription', id);
  const customer = await services.customers.find(user.userId);
  if (!customer) throw notFound;
  const subscription = await stripeCall(() => services.stripe.subscriptions.retrieve(id)).catch(
    rethrowAs(notFound),
  );
  if (idOf(subscription.customer) !== customer) throw notFound;
  return subscription;
}

/**
 * Stores a subscription a route just changed, under the same lock and re-read as the webhooks
 * use, so that the caller's next read sees the change; answers the row stored.
 */
export async function storeSubscription(
  services: TillkitServices,
  log: Logger,
  id: string,
): Promise<NewSubscriptionRow> {
  const row = await services.db.transaction((tx) =>
    syncSubscription({ db: tx, stripe: services.stripe, customers: services.customers, log }, id),
  );
  if (!row) throw new NotFoundError('subscription', id);
  return row;
}

/** Statuses of a subscription the customer still has (an `incomplete` one was never paid). */
const LIVE_STATUSES: readonly Stripe.Subscription.Status[] = [
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'paused',
];

/**
 * The customer's subscriptions that have not ended and that a new subscription to `productId`
 * would stand beside, read from Stripe (newest first, as Stripe lists them): those to the
 * product, or, with `subscriptions.onePerCustomer`, all of them. What `POST /subscriptions` and
 * `POST /checkout-sessions` decide on: a live one among them is refused as `already_subscribed`,
 * an unpaid one is replaced. Without a `status`, Stripe lists all but the canceled ones, so that a
 * customer's history of canceled subscriptions costs no pages; the `incomplete_expired` ones it
 * does list are dropped.
 * @see https://docs.stripe.com/api/subscriptions/list#list_subscriptions-status
 */
export async function rivalSubscriptions(
  services: TillkitServices,
  customer: string,
  productId: string,
): Promise<Stripe.Subscription[]> {
  const all = await stripeCall(() =>
    services.stripe.subscriptions.list({ customer, limit: 100 }).autoPagingToArray({ limit: 1000 }),
  );
  const one = services.subscriptions.onePerCustomer;
  return all.filter(
    (subscription) => !hasEnded(subscription) && (one || isTo(subscription, productId)),
  );
}

/** Whether `subscription` is to `productId` (one of its items is a price of it). */
export function isTo(subscription: Stripe.Subscription, productId: string): boolean {
  return subscription.items.data.some((item) => idOf(item.price.product) === productId);
}

/**
 * Whether a subscription (read with its `latest_invoice` expanded) ever granted its product: it
 * had a trial, or a period was paid. One canceled or expired before its first invoice was paid
 * (left unpaid, then replaced by the customer's next choice) granted nothing.
 */
function everGranted(subscription: Stripe.Subscription): boolean {
  if (subscription.trial_start !== null) return true;
  if (subscription.status === 'incomplete' || subscription.status === 'incomplete_expired') {
    return false;
  }
  if (subscription.status !== 'canceled') return true;
  const invoice = subscription.latest_invoice;
  return !(
    invoice &&
    typeof invoice === 'object' &&
    invoice.billing_reason === 'subscription_create' &&
    invoice.status !== 'paid'
  );
}

/**
 * The products the customer has had before: those of each subscription (now or before a plan
 * change), in any status, that had a trial or a paid period. Such a customer gets no trial of
 * them again, or trial, cancel, subscribe again would be free forever. With `stopAt`, the reading
 * stops once that product is found (the rest may be missing then).
 *
 * Asked of Stripe (`status: 'all'`, one list, newest first), not of the database: the database
 * holds what webhooks and routes stored, which misses subscriptions made before the server was
 * connected, in the Dashboard, or whose events have not arrived yet; Stripe keeps canceled
 * subscriptions, trial dates included.
 * @see https://docs.stripe.com/api/subscriptions/list#list_subscriptions-status
 * @see https://docs.stripe.com/billing/subscriptions/trials
 */
export async function productsHadBefore(
  services: TillkitServices,
  customer: string,
  stopAt?: string,
): Promise<Set<string>> {
  return stripeCall(async () => {
    const had = new Set<string>();
    const all = services.stripe.subscriptions.list({
      customer,
      status: 'all',
      limit: 100,
      expand: ['data.latest_invoice'],
    });
    for await (const subscription of all) {
      if (!everGranted(subscription)) continue;
      for (const product of productsOf(subscription)) had.add(product);
      if (stopAt && had.has(stopAt)) break;
    }
    return had;
  });
}

/** Whether the customer has had `productId` before (`productsHadBefore`): no trial of it again. */
export async function hadProductBefore(
  services: TillkitServices,
  customer: string,
  productId: string,
): Promise<boolean> {
  return (await productsHadBefore(services, customer, productId)).has(productId);
}

/**
 * The items of `newestFirst` (a Stripe list, newest first) made before `id`, newest first; null
 * when `id` is not among them. Stripe's own order decides, which two requests reading the same
 * list agree on: `created` is in whole seconds (two requests at once often share one) and ids are
 * random. Routes act on these only, so two requests at once never undo each other's work.
 */
export function madeBefore<T extends { id: string }>(newestFirst: readonly T[], id: string) {
  const index = newestFirst.findIndex((item) => item.id === id);
  return index === -1 ? null : newestFirst.slice(index + 1);
}

/** Whether a subscription is over (canceled, or never paid in time). */
/** Whether `subscription` is `quantity` × `price` and nothing else. */
export function isOnlyPrice(
  subscription: Stripe.Subscription,
  price: string,
  quantity: number,
): boolean {
  const [item, ...others] = subscription.items.data;
  return !others.length && item?.price.id === price && (item.quantity ?? 1) === quantity;
}

export function hasEnded(subscription: Stripe.Subscription): boolean {
  return (ENDED_STATUSES as readonly string[]).includes(subscription.status);
}

/** Whether a subscription is one the customer still has (paid, or a trial). */
export function isLive(subscription: Stripe.Subscription): boolean {
  return LIVE_STATUSES.includes(subscription.status);
}

/**
 * Refuses a second live subscription (one of `rivalSubscriptions`: to the same product, which
 * would charge the customer twice a period, or to any with `subscriptions.onePerCustomer`): moving
 * to another price is `POST /subscriptions/:id/change`.
 */
export function assertNotSubscribed(subscriptions: readonly Stripe.Subscription[]): void {
  const duplicate = subscriptions.find(isLive);
  if (duplicate) {
    throw new TillkitError(
      'already_subscribed',
      `You already have a subscription (${duplicate.id}, ${duplicate.status.replaceAll('_', ' ')}); change its plan with POST /subscriptions/${duplicate.id}/change instead.`,
      { param: 'price' },
    );
  }
}

/**
 * Cancels subscription `id` now, and stores it; answers it as canceled (with its
 * `latest_invoice`), or null when it had ended already. One that has ended meanwhile (a request
 * running at the same time canceled it first, and Stripe refuses a second cancel) is left as it
 * is: that is what was wanted. Any other failure is thrown, so that the caller's retry (with the
 * same idempotency key) cancels it then.
 */
export async function cancelSubscriptionNow(
  services: TillkitServices,
  log: Logger,
  id: string,
  why: string,
): Promise<Stripe.Subscription | null> {
  const { stripe } = services;
  let canceled: Stripe.Subscription | null = null;
  try {
    canceled = await stripeCall(() =>
      stripe.subscriptions.cancel(id, { expand: ['latest_invoice'] }),
    );
    log.info({ subscription: id }, why);
  } catch (error) {
    const now = await stripeCall(() => stripe.subscriptions.retrieve(id)).catch(
      (reading: unknown) => {
        if (reading instanceof TillkitError && reading.code === 'not_found') return null;
        throw error;
      },
    );
    if (now && !hasEnded(now)) throw error;
    log.info({ subscription: id, err: error }, 'the subscription had ended already');
  }
  await storeSubscription(services, log, id).catch((error: unknown) =>
    log.warn({ err: error }, 'could not store the canceled subscription; its webhooks will'),
  );
  return canceled;
}

/** The status of a subscription's `latest_invoice`, when it was read expanded. */
function latestInvoiceStatus(subscription: Stripe.Subscription): Stripe.Invoice.Status | null {
  const invoice = subscription.latest_invoice;
  return invoice && typeof invoice === 'object' ? invoice.status : null;
}

/**
 * Cancels the `incomplete` ones among `subscriptions` (never paid: canceling voids their first
 * invoice, so it can no longer be paid) when the customer subscribes to the product again.
 * Stripe would expire them 23 hours after creation anyway; until then each could still be paid
 * from the subscription list, and the customer would end up with two.
 *
 * `subscriptions` were listed a moment ago, and the customer may have paid one since (another
 * tab): each is read again just before it is canceled, and canceled only if it is still
 * `incomplete` with its first invoice still `open`. Answers the ones found live instead (paid
 * meanwhile): the caller's new one would be a second subscription to the product. One paid in
 * the instant between that read and the cancel is canceled paid (Stripe cannot cancel only if
 * unpaid): that is logged as an error, with the ids to refund.
 * @see https://docs.stripe.com/billing/subscriptions/overview#subscription-lifecycle
 */
export async function cancelUnpaid(
  services: TillkitServices,
  log: Logger,
  subscriptions: readonly Stripe.Subscription[],
): Promise<Stripe.Subscription[]> {
  const paid: Stripe.Subscription[] = [];
  for (const listed of subscriptions) {
    if (listed.status !== 'incomplete') continue;
    const now = await stripeCall(() =>
      services.stripe.subscriptions.retrieve(listed.id, { expand: ['latest_invoice'] }),
    );
    if (now.status !== 'incomplete' || latestInvoiceStatus(now) !== 'open') {
      if (isLive(now)) paid.push(now);
      continue;
    }
    const canceled = await cancelSubscriptionNow(
      services,
      log,
      listed.id,
      'canceled an unpaid subscription replaced by a new one',
    );
    if (canceled && latestInvoiceStatus(canceled) === 'paid') {
      log.error(
        {
          subscription: canceled.id,
          invoice: idOf(canceled.latest_invoice),
          customer: idOf(canceled.customer),
        },
        'canceled a subscription whose first invoice was paid just before: refund that invoice',
      );
    }
  }
  return paid;
}

/** The customer's open Checkout pages (their `line_items` expanded), newest first. */
export async function openCheckoutPages(
  services: TillkitServices,
  customer: string,
): Promise<Stripe.Checkout.Session[]> {
  return stripeCall(() =>
    services.stripe.checkout.sessions
      .list({ customer, status: 'open', limit: 100, expand: ['data.line_items'] })
      .autoPagingToArray({ limit: 1000 }),
  );
}

/** Whether Checkout page `session` sells a price of `productId`. */
async function isFor(
  services: TillkitServices,
  session: Stripe.Checkout.Session,
  productId: string,
): Promise<boolean> {
  // An expanded `line_items` is its first page only: `has_more` says when there is more.
  const items =
    session.line_items && !session.line_items.has_more
      ? session.line_items.data
      : await stripeCall(() =>
          services.stripe.checkout.sessions
            .listLineItems(session.id, { limit: 100 })
            .autoPagingToArray({ limit: 1000 }),
        );
  return items.some((item) => item.price && idOf(item.price.product) === productId);
}

/**
 * Expires Checkout page `id` (`why`, for the log). One completed or expired since it was listed
 * makes Stripe refuse, which is fine: answers the page's status after. Any other failure that
 * leaves it `open` (or that cannot be checked) is thrown, so that no second payable page is
 * answered: a retry with the same idempotency key tries again.
 */
export async function expireCheckoutPage(
  services: TillkitServices,
  log: Logger,
  id: string,
  why: string,
): Promise<Stripe.Checkout.Session.Status | null> {
  const { stripe } = services;
  try {
    await stripeCall(() => stripe.checkout.sessions.expire(id));
    log.info({ checkoutSession: id }, `expired an open Checkout page ${why}`);
    return 'expired';
  } catch (error) {
    log.warn({ err: error, checkoutSession: id }, 'could not expire an open Checkout page');
    const now = await stripeCall(() => stripe.checkout.sessions.retrieve(id)).catch(() => null);
    if (!now || now.status === 'open') throw error;
    return now.status;
  }
}

/**
 * Expires the subscription pages for `productId` (for any product with
 * `subscriptions.onePerCustomer`) among `pages` (open Checkout pages): each could still be paid
 * and make a second subscription (`already_subscribed` is checked when a page is made, not when
 * it is paid), and an expired page can no longer be paid.
 * Payment-mode pages are left alone: paying for a cart twice is the customer's choice, and makes
 * no subscription.
 * @see https://docs.stripe.com/api/checkout/sessions/expire
 */
export async function expireSubscriptionPages(
  services: TillkitServices,
  log: Logger,
  pages: readonly Stripe.Checkout.Session[],
  productId: string,
  why: string,
): Promise<void> {
  for (const page of pages) {
    if (page.mode !== 'subscription') continue;
    if (!services.subscriptions.onePerCustomer && !(await isFor(services, page, productId))) {
      continue;
    }
    await expireCheckoutPage(services, log, page.id, why);
  }
}

/**
 * The answer when what a request made is already over: a retry with the same idempotency key
 * gets Stripe's first answer again, for `what` a newer request has replaced since.
 */
export function staleRequest(what: string): TillkitError {
  return new TillkitError(
    'stale_request',
    `The ${what} this request made has been replaced by a newer request since (or this is a retry of an older one). Send the request again with a new Idempotency-Key.`,
  );
}

/** When the subscription's current period (or trial) ends, in Unix seconds. */
export function currentPeriodEnd(subscription: Stripe.Subscription): number | null {
  if (subscription.status === 'trialing' && subscription.trial_end) return subscription.trial_end;
  return subscription.items.data[0]?.current_period_end ?? null;
}

/** Refuses a change to a subscription that has ended. */
export function assertNotEnded(subscription: Stripe.Subscription, what: string): void {
  if (hasEnded(subscription)) {
    throw new TillkitError(
      'invalid_state',
      `This subscription has ended (${subscription.status.replaceAll('_', ' ')}); it cannot ${what}.`,
    );
  }
}

/**
 * The pending action of a stored subscription with its client secret, read from Stripe now: for
 * `save_card`, the subscription's SetupIntent (null once the card is saved, or the subscription
 * waits for it no more: `waitingSetupIntent`); otherwise the latest invoice's (null once that
 * invoice no longer waits: paid or voided since the row was written). An invoice's type is read
 * now too: the row learns of a failed 3D Secure (`authenticate` becoming `new_card`) only from a
 * webhook, which may come after the customer's next look.
 */
async function pendingActionFor(
  services: TillkitServices,
  row: Pick<SubscriptionRow, 'id' | 'pendingAction' | 'latestInvoiceId'>,
): Promise<PendingAction | null> {
  if (row.pendingAction === 'save_card') {
    // No column keeps the SetupIntent's id: it is read with the subscription, in one call.
    const subscription = await stripeCall(() =>
      services.stripe.subscriptions.retrieve(row.id, { expand: ['pending_setup_intent'] }),
    );
    const clientSecret = waitingSetupIntent(subscription)?.client_secret;
    return clientSecret ? { clientSecret, type: 'save_card' } : null;
  }
  if (!row.pendingAction || !row.latestInvoiceId) return null;
  const invoiceId = row.latestInvoiceId;
  const invoice = await stripeCall(() =>
    services.stripe.invoices.retrieve(invoiceId, { expand: ['confirmation_secret'] }),
  );
  const clientSecret = invoice.confirmation_secret?.client_secret;
  if (invoice.status !== 'open' || !clientSecret) return null;
  const type = await stripeCall(() => invoiceActionOf(services.stripe, invoice));
  return type ? { clientSecret, type } : null;
}

/**
 * A listed subscription as it is now. A stored one that waited for the customer (`pendingAction`)
 * whose invoice wants nothing any more (paid in place with `PayWithNewCard` or elsewhere, before
 * its webhooks arrived), or whose card has been saved since, is read again from Stripe and stored:
 * the answer never says `past_due` (or `incomplete`) beside nothing to do.
 */
export async function currentSubscription(
  services: TillkitServices,
  log: Logger,
  row: NewSubscriptionRow,
): Promise<Subscription> {
  const answer = await toSubscription(services, row);
  if (!row.pendingAction || answer.pendingAction) return answer;
  return toSubscription(services, await storeSubscription(services, log, row.id));
}

/** The protocol's view of a stored subscription. */
export async function toSubscription(
  services: TillkitServices,
  row: NewSubscriptionRow,
): Promise<Subscription> {
  return {
    id: row.id,
    status: row.status as SubscriptionStatus,
    priceId: row.priceId,
    productId: row.productId,
    productName: row.productName,
    currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd ?? false,
    cancelAt: row.cancelAt?.toISOString() ?? null,
    trialEnd: row.trialEnd?.toISOString() ?? null,
    pendingAction: await pendingActionFor(services, {
      id: row.id,
      pendingAction: row.pendingAction ?? null,
      latestInvoiceId: row.latestInvoiceId ?? null,
    }),
  };
}
