/**
 * checkout.session.completed: what a Checkout page paid for is stored as Stripe says it is now:
 * the subscription of a `subscription` session, the payment of a `payment` session. The session
 * is re-read from Stripe under a lock on its id, then each object under its own lock (always the
 * session's first, so two deliveries cannot wait on each other).
 */
import type Stripe from 'stripe';
import { isStripeMissing } from '../../errors.js';
import { lockObject } from '../../storage/event-ledger.js';
import { idOf, type WebhookHandler } from './context.js';
import { syncSubscription } from './customer-subscription.js';
import { syncPaymentIntent } from './payment-intent.js';

export const handleCheckoutSessionCompleted: WebhookHandler = async (event, context) => {
  const id = (event.data.object as Stripe.Checkout.Session).id;
  await lockObject(context.db, id);
  let session: Stripe.Checkout.Session;
  try {
    session = await context.stripe.checkout.sessions.retrieve(id);
  } catch (error) {
    if (isStripeMissing(error)) return;
    throw error;
  }
  const subscription = idOf(session.subscription);
  if (subscription) await syncSubscription(context, subscription);
  const intent = idOf(session.payment_intent);
  if (intent) await syncPaymentIntent(context, intent);
};
