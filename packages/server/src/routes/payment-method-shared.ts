/** What the payment method routes share: the answer's shape and the ownership check. */
import type { PaymentMethod } from '@tillkit/protocol';
import type Stripe from 'stripe';
import type { Identity } from '../auth/identify.js';
import { NotFoundError, stripeCall, TillkitError } from '../errors.js';
import type { TillkitServices } from '../http/services.js';

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
    (error: unknown) => {
      throw error instanceof TillkitError && error.code === 'not_found' ? notFound : error;
    },
  );
  const owner = typeof method.customer === 'string' ? method.customer : method.customer?.id;
  if (owner !== customer) throw notFound;
  return { customer, method };
}
