/**
 * customer.subscription.created, .updated, .deleted, .trial_will_end: store the subscription as
 * Stripe says it is now. As for payments, the event's own copy is never written: the subscription
 * is re-read from Stripe under a lock on its id, so late and out-of-order events (Stripe sends
 * `.updated` events of one second in no particular order) can only ever store a state at least as
 * new as any stored before (see README, "Webhooks").
 */
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import { isStripeMissing, unlessMissing } from '../../errors.js';
import { lockObject } from '../../storage/event-ledger.js';
import {
  ENDED_STATUSES,
  type NewSubscriptionRow,
  upsertSubscription,
} from '../../storage/subscriptions.js';
import { waitingSetupIntent } from '../../stripe/subscription-state.js';
import { type HandlerContext, idOf, type WebhookHandler } from './context.js';
import { syncEntitlements } from './entitlements.js';
import { expandable, stripeId } from './event-data.js';

type PendingAction = NonNullable<NewSubscriptionRow['pendingAction']>;

const toDate = (seconds: number | null | undefined) =>
  typeof seconds === 'number' ? new Date(seconds * 1000) : null;

/**
 * What the subscription waits for from the customer. First its latest invoice: `authenticate`
 * when its payment needs 3D Secure (a renewal with a card that asks for it), `new_card` when it
 * failed or was never attempted (a declined renewal, or a first payment not made yet); invoices
 * reach their PaymentIntent through their InvoicePayments in this API version. Else `save_card`
 * when it still waits for the card its renewals will charge (a trial, or one a promotion code made
 * free: `waitingSetupIntent`); null when nothing.
 */
async function pendingActionOf(
  stripe: Stripe,
  subscription: Stripe.Subscription,
): Promise<PendingAction | null> {
  if ((ENDED_STATUSES as readonly string[]).includes(subscription.status)) return null;
  const invoice = subscription.latest_invoice;
  const invoiceAction =
    invoice && typeof invoice === 'object' ? await invoiceActionOf(stripe, invoice) : null;
  return invoiceAction ?? (waitingSetupIntent(subscription) ? 'save_card' : null);
}

/** What an invoice waits for from the customer, as its payment stands now (see above). */
export async function invoiceActionOf(
  stripe: Stripe,
  invoice: Stripe.Invoice,
): Promise<PendingAction | null> {
  if (invoice.status !== 'open' || invoice.amount_remaining <= 0) return null;
  const payments = await stripe.invoicePayments.list({
    invoice: invoice.id as string,
    status: 'open',
    limit: 10,
    expand: ['data.payment.payment_intent'],
  });
  for (const payment of payments.data) {
    const intent = payment.payment.payment_intent;
    if (!intent || typeof intent === 'string') continue;
    if (intent.status === 'requires_action') return 'authenticate';
    if (intent.status === 'requires_payment_method') {
      // An off-session payment Stripe refused for want of authentication.
      return intent.last_payment_error?.code === 'authentication_required'
        ? 'authenticate'
        : 'new_card';
    }
  }
  return null;
}

/** What a subscription is read with to be stored: what its `pendingAction` is decided on. */
const SUBSCRIPTION_EXPAND = ['latest_invoice', 'pending_setup_intent'];

/** The product's name and marketing features; empty when the product is gone. */
export async function productOf(
  stripe: Stripe,
  product: string | Stripe.Product | Stripe.DeletedProduct,
): Promise<{ id: string; name: string; features: string[] }> {
  const id = typeof product === 'string' ? product : product.id;
  let found: Stripe.Product | Stripe.DeletedProduct;
  try {
    found = typeof product === 'string' ? await stripe.products.retrieve(id) : product;
  } catch (error) {
    if (isStripeMissing(error)) return { id, name: '', features: [] };
    throw error;
  }
  if (found.deleted) return { id, name: '', features: [] };
  return {
    id,
    name: found.name,
    features: (found.marketing_features ?? [])
      .map((feature) => feature.name)
      .filter((name): name is string => typeof name === 'string'),
  };
}

/**
 * The database row for a subscription read from Stripe with `SUBSCRIPTION_EXPAND` (what its
 * `pendingAction` is decided on).
 */
export async function subscriptionRowFrom(
  context: HandlerContext,
  subscription: Stripe.Subscription,
): Promise<NewSubscriptionRow | undefined> {
  const item = subscription.items.data[0];
  if (!item) return undefined;
  const customer = idOf(subscription.customer) as string;
  const [product, pendingAction, linkedUser] = await Promise.all([
    productOf(context.stripe, item.price.product),
    pendingActionOf(context.stripe, subscription),
    context.customers.userIdFor(customer, context.db),
  ]);
  return {
    id: subscription.id,
    stripeCustomerId: customer,
    userId: linkedUser ?? subscription.metadata?.tillkit_user_id ?? null,
    status: subscription.status,
    priceId: item.price.id,
    productId: product.id,
    productName: product.name,
    features: product.features,
    quantity: item.quantity ?? 1,
    currentPeriodEnd: toDate(item.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: toDate(subscription.cancel_at),
    trialEnd: toDate(subscription.trial_end),
    latestInvoiceId: idOf(subscription.latest_invoice),
    pendingAction,
    createdAt: new Date(subscription.created * 1000),
    syncedAt: new Date(),
  };
}

/**
 * Re-reads a subscription from Stripe under a lock on its id and stores it, with its customer's
 * entitlements (read again too: they change with the subscription, and the summary event that
 * says so may come later; a failure to read them is logged, not thrown); answers the row stored,
 * or undefined when Stripe has no such subscription.
 */
export async function syncSubscription(
  context: HandlerContext,
  id: string,
): Promise<NewSubscriptionRow | undefined> {
  await lockObject(context.db, id);
  const subscription = await unlessMissing(
    context.stripe.subscriptions.retrieve(id, { expand: SUBSCRIPTION_EXPAND }),
  );
  if (!subscription) return undefined;
  const row = await subscriptionRowFrom(context, subscription);
  if (!row) return undefined;
  await upsertSubscription(context.db, row);
  await syncEntitlements(context, row.stripeCustomerId, true);
  return row;
}

/**
 * The metadata key where a plan change keeps the products a subscription was for before: its
 * items show only the current one, and a trial once had must not come back through a switch.
 * `POST /subscriptions/:id/change` writes it, and so does the `.updated` event of a plan changed
 * elsewhere (the customer portal, the Dashboard).
 */
export const PRODUCTS_KEY = 'tillkit_products';

/** The products a subscription is for now, and was for before a plan change (`PRODUCTS_KEY`). */
export function productsOf(subscription: Stripe.Subscription): Set<string> {
  const products = new Set(
    subscription.items.data.map((item) => idOf(item.price.product)).filter((id) => id !== null),
  );
  for (const id of subscription.metadata?.[PRODUCTS_KEY]?.split(',') ?? []) {
    if (id) products.add(id);
  }
  return products;
}

/** A subscription's `items`: a list of items, each with the price (and its product) it is for. */
const subscriptionItems = z.looseObject({
  data: z.array(
    z.looseObject({
      price: z.optional(z.nullable(z.looseObject({ product: z.optional(z.nullable(expandable)) }))),
    }),
  ),
});

/**
 * What the handler reads: the subscription's id, and on `.updated` the items it had before
 * (`previous_attributes.items`, for `rememberProducts`). Its items must be a list, as Stripe
 * sends them: the hooks (`onSubscriptionUpdated`, …) get the event's subscription as it is.
 */
export const subscriptionEventData = z.looseObject({
  object: z.looseObject({ id: stripeId, items: subscriptionItems }),
  previous_attributes: z.optional(
    z.nullable(z.looseObject({ items: z.optional(z.nullable(subscriptionItems)) })),
  ),
});

export const handleSubscriptionEvent: WebhookHandler = async (event, context) => {
  const { id } = event.data.object as Stripe.Subscription;
  await syncSubscription(context, id);
  if (event.type === 'customer.subscription.updated') await rememberProducts(event, context);
};

/**
 * A plan changed outside the kit (the customer portal, the Dashboard): the products its items
 * were for before (the event's `previous_attributes.items`) join the subscription's
 * `PRODUCTS_KEY`, as a plan change through the kit does, so that their trial is not given again.
 * Only on the kit's own subscriptions (`metadata.tillkit`). Read again first, and written only
 * when something is new: a retried event changes nothing. A write Stripe refuses (a 4xx) is
 * logged, not thrown: the event's sync must not be rolled back and retried for it forever.
 */
async function rememberProducts(event: Stripe.Event, context: HandlerContext): Promise<void> {
  const previous = (event.data.previous_attributes as Partial<Stripe.Subscription> | undefined)
    ?.items?.data;
  if (!previous?.length) return;
  const { id } = event.data.object as Stripe.Subscription;
  const current = await unlessMissing(context.stripe.subscriptions.retrieve(id));
  if (!current) return;
  if (current.metadata?.tillkit !== 'true') return;
  const products = productsOf(current);
  const known = products.size;
  for (const item of previous) {
    const product = idOf(item.price?.product ?? null);
    if (product) products.add(product);
  }
  if (products.size === known) return;
  try {
    await context.stripe.subscriptions.update(id, {
      metadata: { [PRODUCTS_KEY]: [...products].join(',') },
    });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    if (status < 400 || status >= 500) throw error;
    context.log.warn(
      { subscription: id, err: error },
      'could not remember the products of a plan change',
    );
    return;
  }
  context.log.info({ subscription: id }, 'remembered the products of a plan changed elsewhere');
}
