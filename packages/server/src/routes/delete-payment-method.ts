/**
 * `DELETE /payment-methods/:id` (user): detaches one of the caller's cards. The subscriptions it
 * pays (their own `default_payment_method`) are moved first to the customer's default card, or,
 * when that is the card removed or there is none, to the newest other card saved that has not
 * expired, or, with none, left without one: Stripe would otherwise keep them pointing at a
 * detached card, which can never be charged again. One left without any card asks for one at its
 * next renewal (`past_due`, `pendingAction: new_card`).
 * @see https://docs.stripe.com/api/payment_methods/detach
 */
import { idParams } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import type { TillkitServices } from '../http/services.js';
import type { Logger } from '../observability/logger.js';
import { idOf } from '../webhooks/handlers/context.js';
import { ownPaymentMethod, subscriptionsPaidWith } from './payment-method-shared.js';

export const deletePaymentMethod = defineRoute({
  name: 'deletePaymentMethod',
  params: idParams,
  async handle({ params, user, services, log }) {
    const { customer, method } = await ownPaymentMethod(services, user, params.id);
    await moveSubscriptionsOff(services, log, customer, method.id);
    await stripeCall(() => services.stripe.paymentMethods.detach(method.id));
    // Another removal at the same time (another tab) may have moved a subscription onto this
    // card between the look above and the detach: look again.
    await moveSubscriptionsOff(services, log, customer, method.id);
    return { body: { id: method.id, deleted: true as const } };
  },
});

/** Moves the customer's subscriptions paid with `card` to another card (see the module's doc). */
async function moveSubscriptionsOff(
  services: TillkitServices,
  log: Logger,
  customer: string,
  card: string,
): Promise<void> {
  const { stripe } = services;
  const paidWithIt = await subscriptionsPaidWith(services, customer, (id) => id === card);
  if (!paidWithIt.length) return;
  const found = (await stripeCall(() => stripe.customers.retrieve(customer))) as Stripe.Customer;
  const chosen = idOf(found.invoice_settings?.default_payment_method ?? null);
  // Newest first, as Stripe lists them.
  const saved = await stripeCall(() =>
    stripe.customers.listPaymentMethods(customer, { type: 'card', limit: 100 }),
  );
  // An expired card can't pay a renewal: the newest one that has not expired.
  const now = new Date();
  const month = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  const next =
    chosen && chosen !== card
      ? chosen
      : (saved.data.find(
          ({ id, card: details }) =>
            id !== card && (!details || details.exp_year * 12 + details.exp_month >= month),
        )?.id ?? null);
  for (const subscription of paidWithIt) {
    // An empty string unsets it: the subscription then falls back to the customer's default.
    await stripeCall(() =>
      stripe.subscriptions.update(subscription.id, { default_payment_method: next ?? '' }),
    );
    log.info(
      { subscription: subscription.id, paymentMethod: next },
      'moved a subscription off a card being removed',
    );
  }
}
