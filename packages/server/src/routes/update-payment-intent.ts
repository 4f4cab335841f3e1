/**
 * `PATCH /payment-intents/:id`: re-prices an unpaid intent after the cart changed, and sets its
 * `receiptEmail` and whether it saves the card (`savePaymentMethod`, signed-in callers only) when
 * given (absent: Stripe keeps what it has), so a changed mind after a decline keeps one intent. Only intents this server
 * created for `POST /payment-intents`, and only the caller's own (or a guest's, proven by its
 * client secret). A Checkout page's intent carries the same metadata (`payment_intent_data`) but
 * is the page's: its amount is the page's line items, which a re-pricing would not change. The
 * intents `POST /payment-intents` makes are marked as its own (`OWN_INTENT_METADATA`), so only an
 * unmarked one (made before the marker) costs a Checkout Sessions list to tell.
 */
import { idParams, updatePaymentIntentBody } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { NotFoundError, rethrowAs, stripeCall, TillkitError } from '../errors.js';
import { defineRoute } from '../http/define-route.js';
import { setPaymentLines } from '../storage/payments.js';
import { syncPaymentIntent } from '../webhooks/handlers/payment-intent.js';
import {
  assertMaySave,
  cartMetadata,
  isOwnPaymentIntent,
  isPricedFor,
  paymentLines,
  sameSecret,
  toPaymentIntentResponse,
  UNPAID_STATUSES,
} from './payment-intent-shared.js';

export const updatePaymentIntent = defineRoute({
  name: 'updatePaymentIntent',
  params: idParams,
  body: updatePaymentIntentBody,
  async handle({ params, body, identity, services, log }) {
    const { stripe } = services;
    const notFound = new NotFoundError('payment intent', params.id);
    const intent = await stripeCall(() => stripe.paymentIntents.retrieve(params.id)).catch(
      rethrowAs(notFound),
    );
    if (intent.metadata?.tillkit !== 'true') throw notFound;
    const owner = typeof intent.customer === 'string' ? intent.customer : intent.customer?.id;
    if (owner) {
      const callerCustomer = identity ? await services.customers.find(identity.userId) : undefined;
      if (owner !== callerCustomer) throw notFound;
    } else if (!sameSecret(body.clientSecret, intent.client_secret)) {
      throw notFound;
    }
    if (!UNPAID_STATUSES.includes(intent.status)) {
      throw new TillkitError(
        'invalid_state',
        `This payment is ${intent.status.replaceAll('_', ' ')}; only an unpaid payment can change its amount.`,
      );
    }
    assertMaySave(body.savePaymentMethod, identity);
    const cart = await services.catalog.priceCart(body.items);
    // A Checkout page's intent (made once a card was tried there) is the page's: re-priced, and
    // its client secret answered, it could be paid for less than the page's items, and the page
    // would complete paid. An intent marked as ours never is one; an unmarked one (made before
    // the marker) is looked for among Checkout Sessions, once the cart is priced, so a cart
    // refused costs no more calls.
    if (!isOwnPaymentIntent(intent)) {
      const pages = await stripeCall(() =>
        stripe.checkout.sessions.list({ payment_intent: intent.id, limit: 1 }),
      );
      if (pages.data.length > 0) throw notFound;
    }
    // A guest's intent, "save my card" ticked once signed in: the card needs the caller's customer
    // to be saved to, so the intent becomes theirs (it is theirs by its client secret).
    const adopt =
      body.savePaymentMethod && !owner && identity
        ? await services.customers.ensure(identity)
        : undefined;
    const updated: Stripe.PaymentIntent = await stripeCall(() =>
      stripe.paymentIntents.update(intent.id, {
        amount: cart.amount,
        currency: cart.currency,
        ...(adopt ? { customer: adopt } : {}),
        metadata: {
          tillkit_items: '',
          ...cartMetadata(body.items),
          ...(adopt && identity ? { tillkit_user_id: identity.userId } : {}),
        },
        ...(body.receiptEmail ? { receipt_email: body.receiptEmail } : {}),
        // Unticked: '' takes setup_future_usage off (the secret key may; Stripe.js may not).
        ...(body.savePaymentMethod === undefined
          ? {}
          : { setup_future_usage: body.savePaymentMethod ? ('off_session' as const) : '' }),
      }),
    );
    // Keep the stored amount and lines in step, under the same lock and re-read as webhooks use.
    // The lines are written only while Stripe's intent is still priced for this cart: when
    // another re-pricing landed since, its own request writes its lines. A failed write fails the
    // request (the webhook would bring the amount, never the lines): the kit confirms nothing and
    // sends the same PATCH again at the next submit, which updates Stripe to the same cart and
    // writes them.
    await services.db.transaction(async (tx) => {
      const context = { db: tx, stripe, customers: services.customers, log };
      const current = await syncPaymentIntent(context, updated.id);
      if (current && isPricedFor(current, cart, body.items)) {
        await setPaymentLines(tx, updated.id, paymentLines(cart));
      }
    });
    return { body: toPaymentIntentResponse(updated) };
  },
});
