/**
 * What the payment method routes share: the answer's shape, the ownership check, and the
 * subscriptions that pay with a card of their own.
 */
import type { PaymentMethod } from '@tillkit/protocol';
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { NotFoundError, rethrowAs, stripeCall } from '../errors.js';
import type { TillkitServices } from '../http/services.js';
import { ENDED_STATUSES } from '../storage/subscriptions.js';
import { idOf } from '../webhooks/handlers/context.js';

export function toPaymentMethod(
  method: Stripe.PaymentMethod,
  defaultId: string | null,
): PaymentMethod {
  return {
    id: method.id,
    brand: method.card?.brand ?? 'unknown',
    last4: method.card?.last4 ?? '',
    expMonth: method.card?.exp_month ?? 0,
    expYear: method.card?.exp_year ?? 0,
    isDefault: method.id === defaultId,
  };
}

/** The caller's customer and their card `id`; 404 when either is missing or not theirs. */
export async function ownPaymentMethod(
  services: TillkitServices,
  user: Identity,
  id: string,
): Promise<{ customer: string; method: Stripe.PaymentMethod }> {
  const notFound = new NotFoundError('payment method', id);
  const customer = await services.customers.find(user.userId);
  if (!customer) throw notFound;
  const method = await stripeCall(() => services.stripe.paymentMethods.retrieve(id)).catch(
    rethrowAs(notFound),
  );
  const owner = typeof method.customer === 'string' ? method.customer : method.customer?.id;
  if (owner !== customer) throw notFound;
  return { customer, method };
}

/**
 * The customer's subscriptions that have not ended (newest first, as Stripe lists them) whose own
 * `default_payment_method` passes `matches`. A subscription's own card comes before the customer's
 * default when Stripe charges it, and every subscription the server makes has one (the card it
 * was paid with: `save_default_payment_method: on_subscription`; Checkout does the same).
 * @see https://docs.stripe.com/api/subscriptions/object#subscription_object-default_payment_method
 */
export async function subscriptionsPaidWith(
  services: TillkitServices,
  customer: string,
  matches: (card: string) => boolean,
): Promise<Stripe.Subscription[]> {
  // Without a `status`, Stripe lists every subscription but the canceled ones.
  const current = await stripeCall(() =>
    services.stripe.subscriptions.list({ customer, limit: 100 }).autoPagingToArray({ limit: 1000 }),
  );
  return current.filter((subscription) => {
    const card = idOf(subscription.default_payment_method);
    return (
      card !== null &&
      matches(card) &&
      !(ENDED_STATUSES as readonly string[]).includes(subscription.status)
    );
  });
}
