'use client';
/**
 * `usePricing()`: the plans of the catalog (`GET /prices`: the products with monthly or yearly
 * prices), one billing period at a time, with what paying yearly saves (computed from the prices),
 * and choosing a plan: `onSelect(price)`, the built-in subscribe form (`SubscribeForm`, in place),
 * or Stripe's hosted Checkout (`checkout: 'hosted'`: `POST /checkout-sessions`, then a redirect).
 * A signed-in caller's trials already had (`GET /trial-eligibility`) are not offered again, and
 * their live subscriptions (`GET /subscriptions`) mark their current plan; a plan that would
 * change one of them (another price of its product, or, when the server keeps one subscription
 * per customer, any other plan) is a plan change in place: its preview (what it charges today),
 * the customer's confirmation, then `POST /subscriptions/:id/change`, as `SubscriptionManager`
 * does, never a second subscription.
 */
import type {
  CatalogPrice,
  CatalogProduct,
  Subscription,
  SubscriptionChangePreview,
  TrialEligibilityResponse,
} from '@tillkit/protocol';
import {
  changeSubscription,
  createCheckoutSession,
  getTrialEligibility,
  listSubscriptions,
  previewSubscriptionChange,
} from '@tillkit/protocol/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import { leavePage } from '../internal/leave-page.js';
import { planChangeQuestion } from '../internal/plan-change-question.js';
import { useLoad } from '../internal/use-load.js';
import { type CommonMessages, formatMessage } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type SubscribeFormMessages, subscribeFormMessages } from '../subscribe-form/messages.js';
import { findPlan, isPlanPrice, priceLabel } from '../subscribe-form/price-label.js';
import { type PricingTableMessages, pricingTableMessages } from './messages.js';

/** A billing period the table offers. */
export type PricingInterval = 'month' | 'year';

export interface UsePricingProps {
  /** The billing period shown (controlled). */
  interval?: PricingInterval;
  /** The billing period shown first (uncontrolled). @default 'month' when a plan has one */
  defaultInterval?: PricingInterval;
  /** Called when the customer switches the billing period. */
  onIntervalChange?: (interval: PricingInterval) => void;
  /**
   * Handles the choice yourself (a cart, your own route) instead of the built-in flows, plan
   * changes and a current plan that waits for its card too: `plan` says whether it is the
   * caller's current plan, whether that one waits for a card, and which subscription choosing it
   * would change (`current`, `waitsForCard`, `subscriptionToChange`).
   */
  onSelect?: (price: CatalogPrice, product: CatalogProduct, plan: PricingPlan) => void;
  /**
   * Without `onSelect`: `embedded` shows the subscribe form in place, `hosted` sends the customer
   * to Stripe's Checkout page. A plan change happens in place either way (Checkout has no plan
   * change), and so does adding the card a current plan waits for (`waitsForCard`: Checkout
   * would start a second subscription). @default 'embedded'
   */
  checkout?: 'embedded' | 'hosted';
  /** Hosted Checkout: where Stripe sends the customer after paying. @default the current page */
  successUrl?: string;
  /** Hosted Checkout: where its "Back" link goes. @default the current page */
  cancelUrl?: string;
  /**
   * Hosted Checkout: how to leave for Stripe's page (tests, routers, a new tab). The plans are
   * usable again once it returns (or the promise it returns settles), as the page stayed.
   * @default `window.location.assign(url)`: busy until the page goes, usable again if the
   * customer comes back to it with the Back button
   */
  navigate?: (url: string) => unknown;
  /**
   * Called once a plan change went through, with the subscription as the server answered it (a
   * payment that waits for the customer is its `pendingAction`).
   */
  onPlanChanged?: (subscription: Subscription) => void;
}

/** A product with its price for the shown billing period. */
export interface PricingPlan {
  product: CatalogProduct;
  price: CatalogPrice;
  /** "$29.00 / month". */
  formattedPrice: string;
  /**
   * The price's trial, in days; undefined when the caller had it already (`trialUsed`), and while
   * a signed-in caller's trials are being read.
   */
  trialDays: number | undefined;
  /**
   * The signed-in caller had this product before (a trial or a paid period), so the server gives
   * no trial of it again (`GET /trial-eligibility`). False for guests, and when that could not be
   * read: the catalog's trial is shown then, and the server decides on subscribing.
   */
  trialUsed: boolean;
  /**
   * The signed-in caller has a live subscription (active, trialing, past due, unpaid, paused) on
   * this very price. False for guests, and while (or when) their subscriptions cannot be read.
   */
  current: boolean;
  /**
   * The caller's live subscription on this very price (see `current`), or null: its status,
   * renewal date, trial end and `pendingAction`, for a plan card that says more than "Current plan".
   */
  subscription: Subscription | null;
  /**
   * The current plan's subscription still has no card for its renewals (a trial, or one a
   * promotion code made free: its `pendingAction` is `save_card`). Choosing it is offered ("Add a
   * card"): `onSelect`, or the `saving_card` step, in place even with `checkout: 'hosted'`
   * (Checkout would start another subscription), which confirms that subscription's SetupIntent.
   * False otherwise.
   */
  waitsForCard: boolean;
  /**
   * Choosing this plan moves the caller's subscription to this product's other billing period
   * (a plan change, or one `changeBlocked` refuses): its button says "Switch to yearly" rather
   * than "Switch to Pro". False for another product, and for a price no longer for sale.
   */
  changesInterval: boolean;
  /**
   * The caller's live subscription that choosing this plan changes (`POST /subscriptions/:id/change`,
   * prorated) instead of starting another: the one to this plan's product (its `productId`) on
   * another price (monthly → yearly, or a price no longer for sale), or, when the server keeps one
   * subscription per customer (`GET /config`'s `oneSubscriptionPerCustomer`), the caller's only
   * one, whatever its product. Null otherwise (choosing subscribes), for the current plan, for
   * guests, and when that subscription cannot change to this plan (`changeBlocked`). A plan change
   * starts no trial: `trialDays` is undefined then.
   */
  subscriptionToChange: Subscription | null;
  /**
   * The server keeps one subscription per customer, but the caller has several live ones (made
   * before that was turned on), none to this plan's product: subscribing would be refused
   * (`already_subscribed`) and the table does not guess which one to change. `select()` does
   * nothing then (the composed table disables the button and says where to change plan).
   */
  changeUnclear: boolean;
  /**
   * Why the caller's subscription that this plan would change (see `subscriptionToChange`) cannot
   * change to it, as the server would refuse it: `inactive`, it is unpaid or paused, or set to end
   * (`cancelAtPeriodEnd`, `cancelAt`: resume it or pay for it first, where subscriptions are
   * managed); `currency`, its price is in another currency (`currency_mismatch`). Subscribing
   * would be refused too (`already_subscribed`), so `select()` does nothing (the composed table
   * disables the button and says why). Null otherwise.
   */
  changeBlocked: 'inactive' | 'currency' | null;
}

/** A plan change on its way: the step that replaces the plans, like the subscribe form does. */
export interface PricingPlanChange {
  /**
   * `loading` its preview; `ready` for the customer's confirmation; `submitting` the change;
   * `failed`: the preview could not be read (the error says why, `refresh()` reads it again).
   */
  step: 'loading' | 'ready' | 'submitting' | 'failed';
  /** The plan chosen. */
  plan: PricingPlan;
  /** The subscription it changes. */
  subscription: Subscription;
  /** What the change charges, once read: confirming sends its `prorationDate`. */
  preview: SubscriptionChangePreview | null;
  /**
   * The step's question, once the preview is read: "Change Starter to Pro · $29.00 / month?
   * You’ll pay $20.00 now for the rest of this period, then $29.00 / month from June 1, 2026."
   * (or the credit a downgrade leaves), in the provider's words.
   */
  question: string | null;
}

/** `data-state` of the table's root. */
export type PricingStatus = PricingState['status'];

export type PricingState =
  | { status: 'loading' }
  /** The catalog could not be read (`error`). */
  | { status: 'failed'; error: TillkitFailure }
  /** No product has a monthly or yearly price. */
  | { status: 'empty' }
  /** The plans; `error`: the hosted Checkout could not be opened. */
  | { status: 'ready'; error: TillkitFailure | null }
  /**
   * A plan was chosen: the subscribe form runs (embedded), or the browser leaves (hosted; until
   * `navigate` returns, or the page is shown again from the back/forward cache).
   */
  | { status: 'subscribing' | 'redirecting'; plan: PricingPlan }
  /**
   * The current plan, waiting for its card (`PricingPlan.waitsForCard`), was chosen: the card is
   * saved by confirming its subscription's SetupIntent (`clientSecret`, e.g. with `SaveCardForm`),
   * which becomes the subscription's default. `message`: "Add a card to keep Pro after your trial
   * ends on May 20, 2026." (or, with no trial, "Add a card for Pro’s renewals.").
   */
  | {
      status: 'saving_card';
      plan: PricingPlan;
      subscription: Subscription;
      clientSecret: string;
      message: string;
    }
  /**
   * A plan that changes the caller's subscription was chosen (`change`); `error`: why its preview
   * could not be read, or why the change was refused (`preview_expired`: its preview is read
   * again, so the step shows what confirming charges now).
   */
  | {
      status: 'changing';
      plan: PricingPlan;
      change: PricingPlanChange;
      error: TillkitFailure | null;
    };

export interface UsePricingReturn {
  state: PricingState;
  status: PricingState['status'];
  error: TillkitFailure | null;
  /** The billing period shown. */
  interval: PricingInterval;
  /** The periods some plan has (the toggle shows when there are two). */
  intervals: PricingInterval[];
  setInterval(interval: PricingInterval): void;
  /** The plans for `interval`, in the catalog's order. */
  plans: PricingPlan[];
  /** The largest share of the price a plan saves yearly (0.17), or null. */
  yearlySaving: number | null;
  /** `yearlySaving` as a percentage in the provider's locale ("17%"). */
  formattedYearlySaving: string | null;
  /**
   * Chooses a plan: `onSelect`, a plan change (`subscriptionToChange`), the subscribe form or the
   * hosted Checkout (the `saving_card` step for a current plan that `waitsForCard`). Nothing for
   * another current plan, with `changeUnclear` or `changeBlocked`, nor while a plan change is
   * being sent.
   */
  select(plan: PricingPlan): void;
  /**
   * Back from the subscribe form or the plan change to the plans (the plan stays as it is).
   * Nothing while a plan change is being sent (`change.step: 'submitting'`): its answer is the
   * plan the customer now has.
   */
  back(): void;
  /**
   * Sends the plan change the step shows (`status: 'changing'`, `change.step: 'ready'`), with its
   * preview's `prorationDate`, so that it charges what the step said.
   */
  confirmChange(): void;
  /**
   * Reads the plans again (after they could not be loaded), or, in a plan change whose preview
   * could not be read, that preview.
   */
  refresh(): void;
  /**
   * What the status region says once a plan change went through ("Starter changed to Pro ·
   * $29.00 / month."), or that its payment waits for the customer and where to make it
   * (`changed.pendingAction`); null again once another plan is chosen.
   */
  notice: string | null;
  /**
   * The subscription as the last plan change answered it: render `AuthenticatePayment` for its
   * `pendingAction` yourself if you wish, or send the customer to `SubscriptionManager`.
   */
  changed: Subscription | null;
  /**
   * A ref for the error region: it takes focus when the hosted Checkout could not open, or a plan
   * change failed.
   */
  errorRef: (node: HTMLElement | null) => void;
  messages: CommonMessages & SubscribeFormMessages & PricingTableMessages;
}

/**
 * What paying yearly saves against twelve months, as a share (0.1667 for $9 a month or $90 a
 * year); null unless both prices are in one currency and the yearly one is cheaper.
 */
export function yearlySaving(monthly: CatalogPrice, yearly: CatalogPrice): number | null {
  const full = monthly.unitAmount * 12;
  return monthly.currency === yearly.currency && full > yearly.unitAmount
    ? 1 - yearly.unitAmount / full
    : null;
}

const english = { ...subscribeFormMessages, ...pricingTableMessages };

/** The statuses in which a subscription is the customer's (the server's live ones). */
const LIVE = ['active', 'trialing', 'past_due', 'unpaid', 'paused'];
/** The statuses in which the server changes a subscription's plan (`plan-change-shared.ts`). */
const CHANGEABLE = ['active', 'trialing', 'past_due'];

/** The caller's live subscriptions, and whether the server keeps one per customer. */
interface Held {
  live: Subscription[];
  onePerCustomer: boolean;
}

/**
 * A plan change as kept between renders (its question is worded as it renders), and the card
 * step (its message too).
 */
type Changing = Extract<PricingState, { status: 'changing' }>;
type SavingCard = Extract<PricingState, { status: 'saving_card' }>;
type Chosen =
  | Exclude<PricingState, SavingCard>
  | (Omit<Changing, 'change'> & { change: Omit<PricingPlanChange, 'question'> })
  | Omit<SavingCard, 'message'>;

/**
 * What choosing `product`'s `price` means for a caller with `held`: their current plan, a change
 * of one of their subscriptions (or one the server would refuse), unclear, or (none of these) a
 * new subscription. `priceOf` finds a subscription's price in the catalog (not one no longer for
 * sale).
 */
function planFor(
  held: Held | null,
  priceOf: (price: string) => CatalogPrice | undefined,
  product: CatalogProduct,
  price: CatalogPrice,
): Pick<
  PricingPlan,
  | 'current'
  | 'subscription'
  | 'waitsForCard'
  | 'changesInterval'
  | 'subscriptionToChange'
  | 'changeUnclear'
  | 'changeBlocked'
> {
  const live = held?.live ?? [];
  const mine = live.find((subscription) => subscription.priceId === price.id);
  const current = mine !== undefined;
  // The server keeps one per product, so there is one at most to this product: by its own
  // `productId`, as a price no longer for sale (a grandfathered one) is not in the catalog.
  const own = live.find((subscription) => subscription.productId === product.id);
  const only = held?.onePerCustomer && live.length === 1 ? live[0] : undefined;
  const target = (!current && (own ?? only)) || null;
  const changeBlocked = !target
    ? null
    : // The server's refusals, as `SubscriptionManager` offers no change for these either.
      !CHANGEABLE.includes(target.status) || target.cancelAtPeriodEnd || target.cancelAt
      ? 'inactive'
      : (priceOf(target.priceId)?.currency ?? price.currency) !== price.currency
        ? 'currency'
        : null;
  const from = target?.productId === product.id ? priceOf(target.priceId) : undefined;
  return {
    current,
    subscription: mine ?? null,
    waitsForCard: mine?.pendingAction?.type === 'save_card',
    changesInterval: !!from?.interval && from.interval !== price.interval,
    subscriptionToChange: changeBlocked ? null : target,
    changeUnclear: !current && !own && !!held?.onePerCustomer && live.length > 1,
    changeBlocked,
  };
}

/**
 * The headless pricing table.
 * @example
 * const pricing = usePricing({ defaultInterval: 'year' });
 * pricing.plans.map((plan) => <button onClick={() => pricing.select(plan)}>{plan.product.name}</button>);
 */
export function usePricing(props: UsePricingProps = {}): UsePricingReturn {
  const tillkit = useTillkitContext('usePricing()');
  const messages = useMessages(tillkit, english);
  const { getPrices, formatMoney, locale, transport } = tillkit;
  const catalog = useLoad(getPrices, getPrices, messages);
  // The trials a signed-in caller had; a guest (no token) asks nothing. A read that fails leaves
  // the catalog's trials: it never holds up the plans.
  const had = useLoad<TrialEligibilityResponse>(
    async () =>
      (await transport.getAuthToken?.())
        ? getTrialEligibility(transport)
        : { usedTrialProducts: [] },
    transport,
    messages,
  );
  const used = had.data?.usedTrialProducts;
  // The plan changes that went through, in order: a read of the subscriptions on its way as one
  // answered (Back, then a quick change) may predate it, and must not mark the old plan again.
  const answered = useRef<Subscription[]>([]);
  // The caller's live subscriptions, and whether another product's plan changes them too; a guest
  // asks nothing. A read that fails marks no plan: choosing subscribes, as without them, and the
  // server refuses what it must (`already_subscribed`). Without `/config`, one per product.
  const held = useLoad<Held>(
    async () => {
      const since = answered.current.length;
      if (!(await transport.getAuthToken?.())) return { live: [], onePerCustomer: false };
      const [{ data }, config] = await Promise.all([
        listSubscriptions(transport),
        tillkit.getConfig().catch(() => null),
      ]);
      const late = answered.current.slice(since);
      return {
        live: data
          .map((item) =>
            late.reduce((now, changed) => (changed.id === now.id ? changed : now), item),
          )
          .filter((subscription) => LIVE.includes(subscription.status)),
        onePerCustomer: config?.oneSubscriptionPerCustomer === true,
      };
    },
    transport,
    messages,
  );
  // A card form of the kit went through (the provider's `changes`: a plan started, a trial's card
  // saved, here or elsewhere on the page): the plans follow, what is shown staying meanwhile.
  const { refresh: readHeld } = held;
  const { refresh: readHad } = had;
  useEffect(() => {
    const read = () => {
      readHeld();
      readHad();
    };
    tillkit.changes.addEventListener('change', read);
    return () => tillkit.changes.removeEventListener('change', read);
  }, [tillkit.changes, readHeld, readHad]);
  const priceOf = (price: string) => findPlan(catalog.data, price)?.price;
  const [chosen, setChosen] = useState<Chosen | null>(null);
  // The plan change that went through last (the status region's words are made as it renders).
  const [done, setDone] = useState<{
    from: string;
    plan: PricingPlan;
    changed: Subscription;
  } | null>(null);
  // Which preview read is the latest: an older one's answer (the customer went back and chose
  // again) is not shown.
  const reading = useRef(0);
  // A plan change is being sent: nothing leaves its step until it answers, as the server changes
  // the plan (and charges) whatever the page does meanwhile (a ref: a host may hold an old `back`).
  const sending = useRef(false);
  const [own, setOwn] = useState(props.defaultInterval);

  const offers = (catalog.data?.products ?? []).map((product) => {
    const find = (interval: PricingInterval) =>
      product.prices.find((price) => isPlanPrice(price) && price.interval === interval);
    return { product, month: find('month'), year: find('year') };
  });
  const intervals = (['month', 'year'] as const).filter((period) =>
    offers.some((offer) => offer[period]),
  );
  const interval = props.interval ?? own ?? intervals[0] ?? 'month';
  // A saving is never 0 (`yearlySaving` answers null then), so 0 here means none.
  const best =
    Math.max(
      0,
      ...offers.map(({ month, year }) => (month && year && yearlySaving(month, year)) || 0),
    ) || null;
  const plans = offers.flatMap(({ product, [interval]: price }): PricingPlan[] => {
    if (!price) return [];
    const trialUsed = !!used?.includes(product.id);
    const plan = planFor(held.data, priceOf, product, price);
    // A plan change starts no trial, nor does a plan that cannot be had, and a trial shows once
    // both reads have answered.
    const trial =
      (used || had.error) &&
      (held.data || held.error) &&
      !trialUsed &&
      !plan.current &&
      !plan.subscriptionToChange &&
      !plan.changeBlocked;
    return [
      {
        product,
        price,
        formattedPrice: priceLabel(price, messages, formatMoney),
        trialDays: trial ? price.trialPeriodDays : undefined,
        trialUsed,
        ...plan,
      },
    ];
  });

  const label = (price: CatalogPrice) => priceLabel(price, messages, formatMoney);
  const longDate = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'long' });
  /** The change step's question, in the provider's current words (as `SubscriptionManager`'s). */
  const question = (
    { plan, subscription }: Pick<PricingPlanChange, 'plan' | 'subscription'>,
    preview: SubscriptionChangePreview,
  ) =>
    planChangeQuestion(messages, preview, {
      plan: subscription.productName,
      newPlan: `${plan.product.name} · ${plan.formattedPrice}`,
      periodEnd: subscription.currentPeriodEnd,
      // The new price times the quantity, as the server answers it.
      price: (nextAmount) => label({ ...plan.price, unitAmount: nextAmount }),
      formatMoney,
      longDate,
    });

  /** The card step's sentence, in the provider's current words (as `SubscriptionManager`'s). */
  const saveCardMessage = ({ productName: plan, status, trialEnd }: Subscription) =>
    status === 'trialing' && trialEnd
      ? formatMessage(messages.saveCardForTrial, { plan, date: longDate(trialEnd) })
      : formatMessage(messages.saveCardForRenewals, { plan });

  const state: PricingState = chosen
    ? chosen.status === 'changing'
      ? {
          ...chosen,
          change: {
            ...chosen.change,
            question: chosen.change.preview && question(chosen.change, chosen.change.preview),
          },
        }
      : chosen.status === 'saving_card'
        ? { ...chosen, message: saveCardMessage(chosen.subscription) }
        : chosen
    : catalog.data
      ? plans.length
        ? { status: 'ready', error: null }
        : { status: 'empty' }
      : catalog.error
        ? { status: 'failed', error: catalog.error }
        : { status: 'loading' };
  const error = 'error' in state ? state.error : null;
  // A failed Checkout is a new object each time: focus moves to the error region then.
  const errorNode = useRef<HTMLElement | null>(null);
  const checkoutError = chosen && 'error' in chosen ? chosen.error : null;
  /** Reads what moving `subscription` to `plan` charges, and opens (or updates) the step. */
  const preview = (plan: PricingPlan, subscription: Subscription, error: TillkitFailure | null) => {
    const read = ++reading.current;
    const step = { plan, subscription, preview: null };
    setDone(null);
    setChosen({ status: 'changing', plan, error, change: { ...step, step: 'loading' } });
    const settle = (next: Chosen) => {
      if (read === reading.current) setChosen(next);
    };
    previewSubscriptionChange(transport, subscription.id, { price: plan.price.id }).then(
      (answer) =>
        settle({
          status: 'changing',
          plan,
          error,
          change: { ...step, step: 'ready', preview: answer },
        }),
      (thrown: unknown) =>
        settle({
          status: 'changing',
          plan,
          error: fromThrown(thrown, messages),
          change: { ...step, step: 'failed' },
        }),
    );
  };
  useEffect(() => {
    if (checkoutError) errorNode.current?.focus();
  }, [checkoutError]);

  return {
    state,
    status: state.status,
    error,
    interval,
    intervals,
    setInterval(next) {
      setOwn(next);
      props.onIntervalChange?.(next);
    },
    plans,
    yearlySaving: best,
    formattedYearlySaving: best
      ? new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(best)
      : null,
    select(plan) {
      if (sending.current) return;
      if (props.onSelect) return props.onSelect(plan.price, plan.product, plan);
      if ((plan.current && !plan.waitsForCard) || plan.changeUnclear || plan.changeBlocked) return;
      if (plan.subscriptionToChange) return preview(plan, plan.subscriptionToChange, null);
      setDone(null);
      // A card for the subscription the customer has, in place: Checkout would start another one.
      const { subscription } = plan;
      if (plan.waitsForCard && subscription?.pendingAction) {
        const { clientSecret } = subscription.pendingAction;
        return setChosen({ status: 'saving_card', plan, subscription, clientSecret });
      }
      if (props.checkout !== 'hosted') return setChosen({ status: 'subscribing', plan });
      setChosen({ status: 'redirecting', plan });
      const here = window.location.href;
      createCheckoutSession(tillkit.transport, {
        mode: 'subscription',
        price: plan.price.id,
        successUrl: props.successUrl ?? here,
        cancelUrl: props.cancelUrl ?? here,
      })
        .then(({ url }) => leavePage(url, props.navigate))
        .then(
          () => setChosen(null),
          (thrown: unknown) => setChosen({ status: 'ready', error: fromThrown(thrown, messages) }),
        );
    },
    back: () => {
      if (sending.current) return;
      reading.current++;
      setChosen(null);
      // A trial or a subscription started meanwhile: its badge goes, and it is the current plan.
      had.refresh();
      held.refresh();
    },
    confirmChange() {
      if (chosen?.status !== 'changing' || chosen.change.step !== 'ready') return;
      const { plan, change } = chosen;
      const { subscription, preview: shown } = change;
      if (!shown) return;
      const read = ++reading.current;
      sending.current = true;
      setChosen({ ...chosen, error: null, change: { ...change, step: 'submitting' } });
      changeSubscription(transport, subscription.id, {
        price: plan.price.id,
        prorationDate: shown.prorationDate,
      }).then(
        (changed) => {
          sending.current = false;
          answered.current.push(changed);
          // The answer is the subscription as it now is: the new plan is current at once. The
          // change went through, so it is applied (and told) even if the step was left somehow.
          held.setData(
            (now) =>
              now && {
                ...now,
                live: now.live.map((item) => (item.id === changed.id ? changed : item)),
              },
          );
          if (read === reading.current) {
            setDone({ from: subscription.productName, plan, changed });
            setChosen(null);
          }
          // The new product's trial counts as had now.
          had.refresh();
          props.onPlanChanged?.(changed);
        },
        (thrown: unknown) => {
          sending.current = false;
          if (read !== reading.current) return;
          const error = fromThrown(thrown, messages);
          // Confirmed too late: what it charges now is read again, and confirmed again.
          if (error.code === 'preview_expired') return preview(plan, subscription, error);
          setChosen({ status: 'changing', plan, error, change: { ...change, step: 'ready' } });
        },
      );
    },
    refresh:
      chosen?.status === 'changing' && chosen.change.step === 'failed'
        ? () => preview(chosen.plan, chosen.change.subscription, null)
        : catalog.refresh,
    notice: done
      ? // A card still to add (a trial) is no payment waiting: the plan shows "Add a card".
        done.changed.pendingAction && done.changed.pendingAction.type !== 'save_card'
        ? formatMessage(
            messages[
              done.changed.pendingAction.type === 'authenticate'
                ? 'changePaymentAuthenticate'
                : 'changePaymentNewCard'
            ],
            { plan: done.plan.product.name },
          )
        : formatMessage(messages.planChanged, {
            plan: done.from,
            newPlan: `${done.plan.product.name} · ${done.plan.formattedPrice}`,
          })
      : chosen?.status === 'changing' && chosen.change.step === 'loading'
        ? messages.checkingChange
        : null,
    changed: done?.changed ?? null,
    errorRef: useCallback((node: HTMLElement | null) => {
      errorNode.current = node;
    }, []),
    messages,
  };
}
