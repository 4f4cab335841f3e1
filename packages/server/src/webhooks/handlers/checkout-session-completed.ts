/**
 * checkout.session.completed: what a Checkout page paid for is stored as Stripe says it is now:
 * the subscription of a `subscription` session, the payment of a `payment` session (with the
 * page's line items as its lines and its discount, when this server made the page). The session is re-read from
 * Stripe under a lock on its id, then each object under its own lock (always the session's
 * first, so two deliveries cannot wait on each other).
 */
import type { PaymentLine } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { unlessMissing } from '../../errors.js';
import { lockObject } from '../../storage/event-ledger.js';
import { setPaymentLines } from '../../storage/payments.js';
import { type HandlerContext, idOf, type WebhookHandler } from './context.js';
import { syncSubscription } from './customer-subscription.js';
import { objectData, stripeId } from './event-data.js';
import { syncPaymentIntent } from './payment-intent.js';

/** What the handler reads: the session's id (the rest is read again from Stripe). */
export const checkoutSessionCompletedEventData = objectData({ id: stripeId });

export const handleCheckoutSessionCompleted: WebhookHandler = async (event, context) => {
  const id = (event.data.object as Stripe.Checkout.Session).id;
  await lockObject(context.db, id);
  const session = await unlessMissing(context.stripe.checkout.sessions.retrieve(id));
  if (!session) return;
  const subscription = idOf(session.subscription);
  if (subscription) {
    await syncSubscription(context, subscription);
    if (session.metadata?.tillkit === 'true') await reportSecond(context, subscription);
  }
  const intent = idOf(session.payment_intent);
  if (!intent || !(await syncPaymentIntent(context, intent))) return;
  // The cart `POST /checkout-sessions` priced is not kept; Stripe's line items are the same
  // prices and quantities, and each one's description is its product's name at the time. The
  // intent is for the total after a promotion code; the lines are the prices as listed, so the
  // discount is kept with them to explain the difference.
  if (session.metadata?.tillkit === 'true') {
    await setPaymentLines(
      context.db,
      intent,
      await checkoutLines(context, id),
      session.total_details?.amount_discount ?? 0,
    );
  }
};

/** Statuses of a subscription the customer still has (as the routes count them). */
const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'paused'];

/**
 * Logs an error when the subscription a page of ours made stands beside another live one it
 * should not (to the same product, or to any with `onePerCustomer`): the routes refuse a page to
 * a customer who has one, and expire open pages when one is made, but a page paid in the instant
 * between (or a subscription made in the Dashboard while a page was open) makes a second. Both
 * are paid, so neither is canceled here: the log names them, for the one to cancel and refund.
 */
async function reportSecond(context: HandlerContext, id: string): Promise<void> {
  const made = await unlessMissing(context.stripe.subscriptions.retrieve(id));
  const customer = made && idOf(made.customer);
  if (!made || !customer || !LIVE.includes(made.status)) return;
  const products = new Set(made.items.data.map((item) => idOf(item.price.product)));
  const { data } = await context.stripe.subscriptions.list({ customer, limit: 100 });
  const others = data.filter(
    (other) =>
      other.id !== id &&
      LIVE.includes(other.status) &&
      (context.onePerCustomer ||
        other.items.data.some((item) => products.has(idOf(item.price.product)))),
  );
  if (others.length === 0) return;
  context.log.error(
    { customer, subscription: id, others: others.map((other) => other.id) },
    'a Checkout page made a second live subscription for the customer: cancel and refund one of them',
  );
}

/** A Checkout page's line items as a payment's lines (a cart has at most 50, one page). */
async function checkoutLines(context: HandlerContext, sessionId: string): Promise<PaymentLine[]> {
  const items = await context.stripe.checkout.sessions.listLineItems(sessionId, { limit: 100 });
  return items.data.flatMap((item) =>
    item.price?.unit_amount == null
      ? []
      : [
          {
            price: item.price.id,
            productName: item.description ?? '',
            quantity: item.quantity ?? 1,
            unitAmount: item.price.unit_amount,
          },
        ],
  );
}
