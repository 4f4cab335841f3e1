/**
 * `POST /subscriptions` (user): subscribes the caller's customer to a recurring price. Created
 * with `payment_behavior: default_incomplete`, which never charges at creation: the answer's
 * client secret is what the browser confirms with Stripe.js, the first invoice's PaymentIntent
 * (`"payment"`) or, for a trial, the SetupIntent that saves its card (`"setup"`). The price's own
 * trial applies (`trial_from_plan`) to a customer who never had the product (see
 * `hadProductBefore`; a returning one pays at once), and the card paid (or set up) with becomes
 * the subscription's default for renewals (`save_default_payment_method: on_subscription`).
 *
 * A subscription is answered again rather than made twice: when the caller already has one to
 * the same price and quantity that still waits for its first step (`incomplete` with its first
 * invoice open, or `trialing` with its card not saved yet), the answer is that one, with its
 * secret (200 instead of 201; the oldest, when there are several). So a form that was left, or a
 * page that was reloaded, picks up where the customer was, and never leaves a second unpaid
 * subscription or refuses a trial whose card is missing. Another live one to the product (paid,
 * or a trial) is refused as `already_subscribed`. Otherwise the new one is made first, and only
 * then are the unpaid ones to the product made before it (another price or quantity) canceled: a
 * failed create cancels nothing, and a retry with the same idempotency key, which gets the first
 * answer again, is refused as `stale_request` when that subscription has been replaced since,
 * instead of canceling its replacement. A subscription answered again gets the same cleanup, so a
 * retry finishes what a failed cancel left. Either way the caller's open subscription Checkout
 * pages for the product made no later than it are expired: each could make a second one. Two
 * requests at the same time settle on one subscription too (see `settle`).
 *
 * `promotionCode` (when the server takes codes) is passed to Stripe as the subscription's
 * `discounts`, and Stripe decides whether it applies (`promotion_code_invalid` if not): the first
 * invoice that charges takes it off, as `POST /subscriptions/preview` showed. The code is part of
 * what makes a subscription "the same": one typed after a decline replaces the unpaid one.
 * @see https://docs.stripe.com/billing/subscriptions/build-subscriptions?ui=elements
 */
import {
  type CreateSubscriptionResponse,
  createSubscriptionBody,
  type SubscriptionStatus,
} from '@tillkit/protocol';
import type Stripe from 'stripe';
import { stripeCall } from '../errors.js';
import { defineRoute, type RouteResult } from '../http/define-route.js';
import type { TillkitServices } from '../http/services.js';
import type { Logger } from '../observability/logger.js';
import { waitingSetupIntent } from '../stripe/subscription-state.js';
import { idOf } from '../webhooks/handlers/context.js';
import {
  PROMOTION_CODE_KEY,
  promotionCall,
  promotionCodesNamed,
  usableCode,
} from './promotion-code-shared.js';
import {
  assertNotSubscribed,
  cancelSubscriptionNow,
  cancelUnpaid,
  expireSubscriptionPages,
  hadProductBefore,
  hasEnded,
  isLive,
  isOnlyPrice,
  madeBefore,
  openCheckoutPages,
  rivalSubscriptions,
  staleRequest,
  storeSubscription,
} from './subscription-shared.js';

/** What the answer needs expanded: the first invoice's secret, and a trial's SetupIntent. */
const EXPAND = ['latest_invoice.confirmation_secret', 'pending_setup_intent'];

/**
 * A price, quantity and promotion code: what a subscription is "the same" by (a code typed after
 * a decline is a new subscription with that code; the unpaid one without it is replaced).
 */
interface Plan {
  priceId: string;
  quantity: number;
  /**
   * The ids (`promo_…`) the promotion code typed names, any of which a subscription's metadata
   * may hold (`PROMOTION_CODE_KEY`: a code used up or expired since still names its own); `''` for
   * none.
   */
  codes: ReadonlySet<string>;
}

export const createSubscription = defineRoute({
  name: 'createSubscription',
  body: createSubscriptionBody,
  async handle({ body, user, services, idempotencyKey, log }) {
    const { stripe } = services;
    const price = await services.catalog.subscriptionPrice(body.price, 'price');
    const productId = idOf(price.product as string | Stripe.Product) as string;
    const customer = await services.customers.ensure(user);
    const named = body.promotionCode
      ? await promotionCodesNamed(services, body.promotionCode, customer)
      : null;
    const plan: Plan = {
      priceId: price.id,
      quantity: body.quantity ?? 1,
      codes: new Set(named ? named.map((code) => code.id) : ['']),
    };

    const existing = await rivalSubscriptions(services, customer, productId);
    const waiting =
      (await oldestWaiting(services, existing, plan)) ??
      (await trialWithOtherCode(services, existing, plan, named));
    if (waiting) {
      // Answered again, beside nothing: a live one (paid on a Checkout page, a trial) is refused,
      // and what a new one would replace is replaced now (a cleanup that failed the first time).
      const { subscription, answer } = waiting;
      assertNotSubscribed(existing.filter((other) => other.id !== subscription.id));
      const before = madeBefore(existing, subscription.id) ?? [];
      assertNotSubscribed(await cancelUnpaid(services, log, before));
      await expireCheckoutPages(services, log, customer, productId, subscription);
      return { status: 200, body: answer };
    }
    // A new subscription takes an active code (one used up since a subscription took it does not).
    const code = named ? usableCode(named) : null;
    assertNotSubscribed(existing);
    // The price's trial is for a first subscription to the product only.
    const trial =
      Boolean(price.recurring?.trial_period_days) &&
      !(await hadProductBefore(services, customer, productId));

    const created = await promotionCall(() =>
      stripe.subscriptions.create(
        {
          customer,
          items: [{ price: plan.priceId, quantity: plan.quantity }],
          payment_behavior: 'default_incomplete',
          payment_settings: { save_default_payment_method: 'on_subscription' },
          ...(trial ? { trial_from_plan: true } : {}),
          // Stripe checks the code's restrictions for this customer and purchase, and takes it.
          ...(code ? { discounts: [{ promotion_code: code.id }] } : {}),
          expand: EXPAND,
          metadata: {
            tillkit: 'true',
            tillkit_user_id: user.userId,
            ...(code ? { [PROMOTION_CODE_KEY]: code.id } : {}),
          },
        },
        idempotencyKey ? { idempotencyKey } : undefined,
      ),
    );
    const now = await rivalSubscriptions(services, customer, productId);
    const result = await settle(services, log, created.id, madeBefore(now, created.id), {
      ...plan,
      codes: new Set([code?.id ?? '']),
    });
    await expireCheckoutPages(services, log, customer, productId, created);
    return result;
  },
});

/**
 * Expires the caller's open subscription Checkout pages for the product made no later than
 * `subscription` (the one answered): paying one of them would make a second subscription.
 * One made after it is the customer's newer choice (and its request canceled this subscription
 * if it was unpaid), so it is left alone, and two requests at the same time never undo each other.
 * A subscription on a test clock (the sandbox's per-customer clocks) is dated by its clock, a
 * page by the real time, so the two cannot be compared: every open page is expired then.
 */
async function expireCheckoutPages(
  services: TillkitServices,
  log: Logger,
  customer: string,
  productId: string,
  subscription: Stripe.Subscription,
): Promise<void> {
  const pages = await openCheckoutPages(services, customer);
  const clocked = subscription.test_clock !== null;
  await expireSubscriptionPages(
    services,
    log,
    pages.filter((page) => clocked || page.created <= subscription.created),
    productId,
    'replaced by a subscription',
  );
}

/**
 * The oldest of `subscriptions` (newest first) to `plan` that still waits for its first step, with
 * its answer: the one `settle` keeps when two were made at the same time.
 */
async function oldestWaiting(
  services: TillkitServices,
  subscriptions: readonly Stripe.Subscription[],
  plan: Plan,
): Promise<{ subscription: Stripe.Subscription; answer: CreateSubscriptionResponse } | null> {
  for (const subscription of [...subscriptions].reverse()) {
    if (!isPlan(subscription, plan)) continue;
    const answer = await firstStepStillWaiting(services, subscription.id);
    if (answer) return { subscription, answer };
  }
  return null;
}

/**
 * What stands once subscription `id` is made (or Stripe answered it again for a retry), decided
 * on `before`: the customer's subscriptions to the product made before it, newest first, read
 * after it was made (null when `id` itself has ended since). Only these are acted on, so two
 * requests at the same time agree: the later one settles what both made.
 * - `id` has ended: a retry of a request whose subscription was replaced since, or a request a
 *   newer one overtook. 409 `stale_request`, and nothing is canceled.
 * - Just before it, subscriptions to the same plan still waiting for their first step (a request
 *   for the same plan at the same time, which passed the check for one before either was made):
 *   the oldest of them is answered (200) and `id` is canceled, so both requests answer the same.
 * - A live one before it (a trial started at the same time, or an unpaid one the customer paid
 *   meanwhile, found so when it was to be canceled): `id` is canceled, and the request is refused
 *   as `already_subscribed`.
 * - Otherwise the unpaid ones before it are canceled, and `id` is answered (201).
 */
async function settle(
  services: TillkitServices,
  log: Logger,
  id: string,
  before: Stripe.Subscription[] | null,
  plan: Plan,
): Promise<RouteResult<CreateSubscriptionResponse>> {
  if (!before) throw staleRequest('subscription');
  // The run of same-plan subscriptions just before `id`, oldest first; the oldest that waits.
  const run: Stripe.Subscription[] = [];
  for (const subscription of before) {
    if (!isPlan(subscription, plan)) break;
    run.unshift(subscription);
  }
  let survivor: { index: number; answer: CreateSubscriptionResponse } | undefined;
  for (const [index, subscription] of run.entries()) {
    const answer = await firstStepStillWaiting(services, subscription.id);
    if (answer) {
      survivor = { index, answer };
      break;
    }
  }
  const older = survivor ? before.slice(run.length - survivor.index) : before;
  // A live one before it, or an unpaid one the customer paid meanwhile (found on canceling it).
  const live = older.some(isLive) ? older : await cancelUnpaid(services, log, older);
  if (live.some(isLive)) {
    await cancelSubscriptionNow(services, log, id, 'canceled a second subscription to the product');
    assertNotSubscribed(live);
  }
  if (survivor) {
    await cancelSubscriptionNow(services, log, id, 'canceled a second subscription to the plan');
    return { status: 200, body: survivor.answer };
  }
  // The first state of the subscription; webhooks bring the later ones.
  await storeSubscription(services, log, id).catch((error: unknown) =>
    log.warn({ err: error }, 'could not store the new subscription; its webhooks will'),
  );
  // Read again: a retry's answer is Stripe's first one, from before the customer's last step.
  const subscription = await stripeCall(() =>
    services.stripe.subscriptions.retrieve(id, { expand: EXPAND }),
  );
  if (hasEnded(subscription)) throw staleRequest('subscription');
  return { status: 201, body: firstStep(subscription) };
}

/** Whether `subscription` is `plan` and nothing else (`anyCode`: whatever its promotion code). */
function isPlan(subscription: Stripe.Subscription, plan: Plan, anyCode = false): boolean {
  return (
    isOnlyPrice(subscription, plan.priceId, plan.quantity) &&
    (anyCode || plan.codes.has(subscription.metadata?.[PROMOTION_CODE_KEY] ?? ''))
  );
}

/**
 * A trial to the plan's price and quantity that still waits for its card, made with another
 * promotion code or none: a trial is never replaced, so the code typed now (or none) is put on it
 * (Stripe checks it, as on create: `promotion_code_invalid` if it does not apply) and it is
 * answered. The code then takes its part off the first invoice after the trial.
 */
async function trialWithOtherCode(
  services: TillkitServices,
  subscriptions: readonly Stripe.Subscription[],
  plan: Plan,
  named: Stripe.PromotionCode[] | null,
): Promise<{ subscription: Stripe.Subscription; answer: CreateSubscriptionResponse } | null> {
  for (const subscription of [...subscriptions].reverse()) {
    if (subscription.status !== 'trialing' || !isPlan(subscription, plan, true)) continue;
    const answer = await firstStepStillWaiting(services, subscription.id);
    if (!answer) continue;
    const code = named ? usableCode(named) : null;
    await promotionCall(() =>
      services.stripe.subscriptions.update(subscription.id, {
        discounts: code ? [{ promotion_code: code.id }] : '',
        metadata: { [PROMOTION_CODE_KEY]: code?.id ?? '' },
      }),
    );
    return { subscription, answer };
  }
  return null;
}

/** The answer for a subscription read with `EXPAND`: the secret of what the browser confirms. */
function firstStep(subscription: Stripe.Subscription): CreateSubscriptionResponse {
  const invoice = subscription.latest_invoice as Stripe.Invoice | null;
  const setupIntent = subscription.pending_setup_intent as Stripe.SetupIntent | null;
  const paymentSecret =
    invoice?.status === 'open' && invoice.amount_remaining > 0
      ? (invoice.confirmation_secret?.client_secret ?? null)
      : null;
  const setupSecret = setupIntent?.client_secret ?? null;
  return {
    id: subscription.id,
    status: subscription.status as SubscriptionStatus,
    clientSecret: paymentSecret ?? setupSecret,
    clientSecretType: paymentSecret ? 'payment' : setupSecret ? 'setup' : null,
  };
}

/**
 * The answer for subscription `id` if it still waits for its first step, read from Stripe now:
 * `incomplete` with its first invoice open (its PaymentIntent's secret; Invoice.payment_intent
 * is gone since API 2025-03-31, `confirmation_secret` replaces it), or waiting for its card (a
 * trial, or one a promotion code made free: `waitingSetupIntent`, the rule `GET /subscriptions`
 * lists as `save_card`). Null otherwise.
 * @see https://docs.stripe.com/changelog/basil
 */
async function firstStepStillWaiting(
  services: TillkitServices,
  id: string,
): Promise<CreateSubscriptionResponse | null> {
  const subscription = await stripeCall(() =>
    services.stripe.subscriptions.retrieve(id, { expand: EXPAND }),
  );
  const answer = firstStep(subscription);
  if (subscription.status === 'incomplete') {
    return answer.clientSecretType === 'payment' ? answer : null;
  }
  return answer.clientSecretType === 'setup' && waitingSetupIntent(subscription) ? answer : null;
}
