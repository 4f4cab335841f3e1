/** setup_intent.succeeded: the card it saved, as Stripe says it is now. */
import type Stripe from 'stripe';
import { idOf, type WebhookHandler } from './context.js';
import { syncPaymentMethod } from './payment-method.js';

export const handleSetupIntentSucceeded: WebhookHandler = async (event, context) => {
  const method = idOf((event.data.object as Stripe.SetupIntent).payment_method);
  if (method) await syncPaymentMethod(context, method);
};
