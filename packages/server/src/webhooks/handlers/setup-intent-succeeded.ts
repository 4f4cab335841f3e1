/** setup_intent.succeeded: the card it saved, as Stripe says it is now. */
import type Stripe from 'stripe';
import * as z from 'zod/mini';
import { idOf, type WebhookHandler } from './context.js';
import { expandable, objectData, stripeId } from './event-data.js';
import { syncPaymentMethod } from './payment-method.js';

/** What the handler reads: the card the intent saved. */
export const setupIntentSucceededEventData = objectData({
  id: stripeId,
  payment_method: z.optional(z.nullable(expandable)),
});

export const handleSetupIntentSucceeded: WebhookHandler = async (event, context) => {
  const method = idOf((event.data.object as Stripe.SetupIntent).payment_method);
  if (method) await syncPaymentMethod(context, method);
};
