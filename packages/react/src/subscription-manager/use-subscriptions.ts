'use client';
/**
 * `useSubscriptions()`: the signed-in caller's current subscriptions (`GET /subscriptions`) with
 * their status (trialing, active, past due, canceling…), the next date that matters (renewal,
 * trial end, end) in the provider's locale, and what the customer can do: cancel at the end of
 * the period after a confirmation step, resume, change plan (among the catalog's prices in the
 * same currency; the server prorates) after a confirmation step that says what it charges, and
 * fix a payment that waits for them (`pendingAction`); then hear what changed (`notice`).
 */
import type {
  CatalogPrice,
  Subscription,
  SubscriptionChangePreview,
  SubscriptionStatus,
} from '@tillkit/protocol';
import {
  cancelSubscription,
  changeSubscription,
  listSubscriptions,
  previewSubscriptionChange,
  resumeSubscription,
} from '@tillkit/protocol/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TillkitFailure } from '../internal/errors.js';
import { planChangeQuestion } from '../internal/plan-change-question.js';
import { useLoad } from '../internal/use-load.js';
import { type ServerListStatus, useServerList } from '../internal/use-server-list.js';
import { type CommonMessages, formatMessage } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type SubscribeFormMessages, subscribeFormMessages } from '../subscribe-form/messages.js';
import { findPlan, isPlanPrice, type Plan, priceLabel } from '../subscribe-form/price-label.js';
import { type SubscriptionManagerMessages, subscriptionManagerMessages } from './messages.js';

/** A subscription as the manager shows it. */
export interface ManagedSubscription extends Subscription {
  /** Its status, `canceling` when it is set to end (at the period's end, or on a date). */
  state: SubscriptionStatus | 'canceling';
  /** "Active", "Past due", "Canceling"… */
  statusLabel: string;
  /** "Renews on June 1, 2026", "Trial ends on …", "Ends on …", or null. */
  dateLabel: string | null;
  /** "$29.00 / month", once the catalog is read. */
  formattedPrice: string | null;
  /** When its trial ends ("May 20, 2026", in the provider's locale), or null without one. */
  formattedTrialEnd: string | null;
  /** Its price's currency, once the catalog is read (null for a price no longer for sale). */
  currency: string | null;
  /** The prices it can move to: the catalog's monthly and yearly ones in its currency. */
  changeOptions: Array<{ price: CatalogPrice; label: string }>;
  /** Whether cancel, resume and change plan apply. */
  canCancel: boolean;
  canResume: boolean;
}

/**
 * A plan change on its way: its preview `loading`, `ready` for the customer's confirmation, or
 * `failed` (the error region says why; `refresh()` reads it again, or, when the server refused
 * it, closes the step and reads the list again). It closes when the list read since shows the
 * subscription on another plan or period, or without it: its amounts are not what confirming
 * would charge.
 */
export interface PlanChangeStep {
  status: 'loading' | 'ready' | 'failed';
  /** The subscription. */
  id: string;
  /** The price it would move to. */
  price: string;
  /** What the server answered, once `ready`. */
  preview: SubscriptionChangePreview | null;
  /**
   * What the confirmation step asks, once `preview` is read: "Change Starter to Pro · $29.00 /
   * month? You’ll pay $20.00 now for the rest of this period, then $29.00 / month from December
   * 27, 2026." (or the credit a downgrade leaves), in the provider's words.
   */
  question: string | null;
}

/** `status` of the list, and `data-state` of the manager's root. */
export type SubscriptionsStatus = SubscriptionsState['status'];

export type SubscriptionsState =
  | { status: 'loading'; subscriptions: []; error: null }
  | { status: 'failed'; subscriptions: []; error: TillkitFailure }
  | {
      status: 'empty' | 'ready';
      subscriptions: ManagedSubscription[];
      /** The last action the server refused (the list is as it was). */
      error: TillkitFailure | null;
    };

export interface UseSubscriptionsReturn {
  state: SubscriptionsState;
  status: ServerListStatus;
  subscriptions: ManagedSubscription[];
  error: TillkitFailure | null;
  /** The subscription an action runs on; the other actions wait. */
  pending: string | null;
  /** The subscription whose cancellation waits for the customer's confirmation. */
  confirming: string | null;
  /** Opens a subscription's confirmation step (`null` closes it). */
  requestCancel(id: string | null): void;
  /** Cancels at the end of the period paid for. */
  cancel(id: string): Promise<boolean>;
  /** Undoes a cancellation at period end. */
  resume(id: string): Promise<boolean>;
  /**
   * Reads what moving to `price` would charge (`POST /subscriptions/:id/change-preview`) and opens
   * the change's confirmation step (`planChange`) with it; answers it, or null when it could not
   * be read (the error region says why, and `refresh()` reads it again, or, after a refusal such
   * as `already_subscribed`, closes the step and reads the list).
   */
  previewChange(id: string, price: string): Promise<SubscriptionChangePreview | null>;
  /** The plan change whose preview is read, waits for confirmation, or could not be read. */
  planChange: PlanChangeStep | null;
  /** Closes the change's confirmation step: the plan stays as it is. */
  keepPlan(): void;
  /**
   * Moves to another price, prorated by the server (a failed charge leaves a `pendingAction`).
   * `prorationDate`: the preview's, so that the charge is the amount it showed (a preview older
   * than 15 minutes is refused: preview again).
   */
  changePlan(id: string, price: string, options?: { prorationDate?: number }): Promise<boolean>;
  /**
   * Why the catalog could not be read while the subscriptions show (without prices and "Change
   * plan"), or null. `refresh()` reads it again; the list stays shown meanwhile.
   */
  catalogError: TillkitFailure | null;
  /**
   * Reads the subscriptions again (after a pending payment was made, say), and the catalog if it
   * could not be read. After the subscriptions could not be loaded, the state is `loading` until
   * the answer. After a plan change's preview failed in a way that can pass (no connection, a
   * timeout, 429, 5xx), it reads that preview again instead; after a refusal (another 4xx, such
   * as 409 `already_subscribed` or `invalid_state`), it closes the step and reads the list.
   */
  refresh(): void;
  /**
   * Call once a subscription's pending payment went through, or its card was saved (its
   * `pendingAction` was `save_card`; `SubscriptionManager.PendingAction` calls it for each):
   * reads the subscriptions again, like `refresh()`, and says so in `notice`.
   */
  paymentSucceeded(id: string): void;
  /**
   * What the status region says once the server agreed to an action ("Pro is canceled. It stays
   * active until June 1, 2026.", "Pro is no longer canceled. It renews on June 1, 2026.", "Pro
   * changed to Pro · $240.00 / year.") or a pending payment went through ("The payment for Pro
   * went through.", "Your card is saved for Pro.": its form goes with the `pendingAction`), since
   * the list changes without a word otherwise. Null while an action runs, after one failed (the error region says why), and
   * again at the next action (opening the cancellation step too) or `refresh()`.
   */
  notice: string | null;
  /**
   * The id of the element that holds a subscription's name (`SubscriptionManager.Item`'s
   * heading): its actions are described by it (`aria-describedby`) and its pending payment
   * labelled by it, so that three "Cancel subscription" buttons say whose they are.
   */
  labelId(id: string): string;
  errorRef: (node: HTMLElement | null) => void;
  messages: CommonMessages & SubscribeFormMessages & SubscriptionManagerMessages;
}

const STATUS: Partial<Record<SubscriptionStatus | 'canceling', keyof SubscriptionManagerMessages>> =
  {
    active: 'subscriptionActive',
    trialing: 'subscriptionTrialing',
    past_due: 'subscriptionPastDue',
    canceling: 'subscriptionCanceling',
    incomplete: 'subscriptionIncomplete',
    unpaid: 'subscriptionUnpaid',
    paused: 'subscriptionPaused',
  };

const LIVE = ['active', 'trialing', 'past_due'];

/**
 * An action the server agreed to (the message that says so), the subscription as it answered,
 * and its plan's name before.
 */
interface Done {
  action: 'subscriptionCanceled' | 'subscriptionResumed' | 'planChanged';
  subscription: Subscription;
  from: string;
}

const english = { ...subscribeFormMessages, ...subscriptionManagerMessages };

/** The plan change step as kept: what it was previewed for, and whether its failure lasts. */
interface Step extends Omit<PlanChangeStep, 'question'> {
  /** The subscription as listed when its preview was asked for (undefined: it was not listed). */
  basis: Subscription | undefined;
  /** Failed with a refusal that reading again would not change (a 4xx but 408 and 429). */
  lasting: boolean;
}

/** Whether the preview's failure is the server's refusal, not one that can pass. */
function refusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return (
    typeof status === 'number' && status >= 400 && status < 500 && ![408, 429].includes(status)
  );
}

/**
 * Whether the subscription is listed as it was when its change was previewed: the same plan and
 * period (a change elsewhere, a renewal or a cancellation makes other amounts, or none).
 */
function previewedAs(basis: Subscription | undefined, items: Subscription[], id: string): boolean {
  if (!basis) return true;
  const now = items.find((item) => item.id === id);
  return (
    now !== undefined &&
    now.priceId === basis.priceId &&
    now.currentPeriodEnd === basis.currentPeriodEnd &&
    now.cancelAtPeriodEnd === basis.cancelAtPeriodEnd &&
    now.cancelAt === basis.cancelAt
  );
}

/**
 * The headless subscription manager.
 * @example
 * const { subscriptions, requestCancel, resume } = useSubscriptions();
 */
export function useSubscriptions(): UseSubscriptionsReturn {
  const tillkit = useTillkitContext('useSubscriptions()');
  const messages = useMessages(tillkit, english);
  const { transport, getPrices, locale, formatMoney } = tillkit;
  const { items, act, setConfirming, done, ...list } = useServerList<Subscription, Done>(
    tillkit,
    messages,
    listSubscriptions,
  );
  const prices = useLoad(getPrices, getPrices, messages);
  const catalog = prices.data;
  // Set once the catalog is read again beside a shown list: the list stays meanwhile.
  const [again, setAgain] = useState(false);
  // Ready once the catalog is read too (or could not be), so that prices and plan changes do not
  // appear after the list has been announced. (Reading again forgets a failure: `loading` again.)
  const waiting = list.status === 'ready' && !catalog && !prices.error && !again;
  const managerStatus = waiting ? 'loading' : list.status;
  const error = waiting ? null : list.error;
  // Only beside a shown list: after the list failed too, its error says it and both are read again.
  const catalogError = managerStatus === 'ready' ? prices.error : null;
  // The plan whose pending payment went through (or card was saved: `saved`): `notice`, in the
  // provider's current words.
  const [paid, setPaid] = useState<{ plan: string; saved: boolean } | null>(null);
  // The plan change on its way (`refresh` reads its preview again once it failed).
  const [step, setStep] = useState<Step | null>(null);
  // Closed once the list shows the subscription otherwise than it was previewed (read again, or
  // changed elsewhere): confirming would charge something else than the step says.
  const current = step === null || previewedAs(step.basis, items, step.id);
  useEffect(() => {
    if (!current) setStep(null);
  }, [current]);
  // What `read` reads, so that it and `refresh` stay the same functions.
  const latest = useRef({ list, prices, step, previewChange: (_id: string, _price: string) => {} });
  latest.current = {
    list,
    prices,
    step,
    previewChange: (id, price) => void previewChange(id, price),
  };
  const read = useCallback(() => {
    const now = latest.current;
    if (now.prices.error) {
      if (now.list.status === 'ready') setAgain(true);
      now.prices.refresh();
    }
    now.list.refresh();
  }, []);
  const refresh = useCallback(() => {
    const { step, previewChange } = latest.current;
    setPaid(null);
    // A failure that can pass: the preview again. A refusal (already subscribed, ended) would
    // come again: the step closes and the list, which it may come from, is read again.
    if (step?.status === 'failed' && !step.lasting) {
      previewChange(step.id, step.price);
    } else {
      if (step?.status === 'failed') setStep(null);
      read();
    }
  }, [read]);
  const label = (price: CatalogPrice) => priceLabel(price, messages, formatMoney);
  /** "Pro · $240.00 / year": a change option's label. */
  const planLabel = (product: Plan['product'], price: CatalogPrice) =>
    `${product.name} · ${label(price)}`;
  const longDate = (iso: string) => new Date(iso).toLocaleDateString(locale, { dateStyle: 'long' });
  const subscriptions = (waiting ? [] : items).map((subscription): ManagedSubscription => {
    const { status, cancelAtPeriodEnd, cancelAt, trialEnd, currentPeriodEnd } = subscription;
    // Set to end: at the period's end, or on a date (`cancelAt`: the Dashboard, the portal).
    const ending = cancelAtPeriodEnd || !!cancelAt;
    const state = ending ? 'canceling' : status;
    const key = STATUS[state];
    const live = LIVE.includes(status);
    const current = findPlan(catalog, subscription.priceId)?.price;
    const [template, when] = ending
      ? [messages.endsOn, cancelAt || currentPeriodEnd]
      : status === 'trialing' && trialEnd
        ? [messages.trialEndsOn, trialEnd]
        : [messages.renewsOn, live && currentPeriodEnd];
    // Ending by the period's end already; one set to end on a later date (the Dashboard) can still
    // be canceled at the period's end, which brings its end forward.
    const endsInPeriod =
      cancelAtPeriodEnd ||
      (!!cancelAt && (!currentPeriodEnd || Date.parse(cancelAt) <= Date.parse(currentPeriodEnd)));
    const canCancel = live && !endsInPeriod;
    return {
      ...subscription,
      state,
      statusLabel: key ? messages[key] : status,
      dateLabel: when ? formatMessage(template, { date: longDate(when) }) : null,
      formattedPrice: current ? label(current) : null,
      formattedTrialEnd: trialEnd ? longDate(trialEnd) : null,
      currency: current?.currency ?? null,
      changeOptions:
        live && !ending && current
          ? (catalog?.products ?? []).flatMap((product) =>
              product.prices
                .filter(
                  (price) =>
                    isPlanPrice(price) &&
                    price.currency === current.currency &&
                    price.id !== current.id,
                )
                .map((price) => ({ price, label: planLabel(product, price) })),
            )
          : [],
      canCancel,
      canResume: ending,
    };
  });
  /** Reads a change's preview, then opens its confirmation step; null when it failed. */
  const previewChange = async (id: string, price: string) => {
    let preview: SubscriptionChangePreview | null = null;
    let lasting = false;
    setPaid(null);
    setConfirming(null);
    const basis = items.find((item) => item.id === id);
    setStep({ status: 'loading', id, price, preview, basis, lasting });
    const ok = await act(
      id,
      async () => {
        try {
          preview = await previewSubscriptionChange(transport, id, { price });
        } catch (error) {
          lasting = refusal(error);
          throw error;
        }
      },
      undefined,
      undefined,
      () => null,
    );
    // Another action (or step) since leaves it closed.
    setStep((now) =>
      now?.id === id && now.price === price
        ? { ...now, status: ok ? 'ready' : 'failed', preview, lasting }
        : null,
    );
    return preview;
  };
  /** The question of the change's confirmation step, in the provider's current words. */
  const question = (id: string, price: string, preview: SubscriptionChangePreview) => {
    const subscription = items.find((item) => item.id === id);
    const plan = findPlan(catalog, price);
    return planChangeQuestion(messages, preview, {
      plan: subscription?.productName ?? '',
      newPlan: plan ? planLabel(plan.product, plan.price) : price,
      periodEnd: subscription?.currentPeriodEnd,
      // The new price times the quantity, as the server answers it.
      price: (nextAmount) =>
        plan
          ? label({ ...plan.price, unitAmount: nextAmount })
          : formatMoney(nextAmount, preview.currency),
      formatMoney,
      longDate,
    });
  };
  /** Runs an action whose answer is the subscription as it now is; `done` keeps it. */
  const update = (action: Done['action'], id: string, call: () => Promise<Subscription>) => {
    setPaid(null);
    setStep(null);
    return act(
      id,
      call,
      undefined,
      (before, updated) => before.map((item) => (item.id === updated.id ? updated : item)),
      (updated, before) => ({
        action,
        subscription: updated,
        from: before.find((item) => item.id === id)?.productName ?? updated.productName,
      }),
    );
  };
  /** `done` in the provider's current words (and date and money formats). */
  const doneNotice = ({ action, subscription, from }: Done): string => {
    const { productName: plan, cancelAt, currentPeriodEnd } = subscription;
    const end = cancelAt || currentPeriodEnd;
    if (action === 'planChanged') {
      const now = findPlan(catalog, subscription.priceId);
      if (now)
        return formatMessage(messages[action], {
          plan: from,
          newPlan: planLabel(now.product, now.price),
        });
    } else if (end) {
      return formatMessage(messages[action], { plan, date: longDate(end) });
    }
    // A price the catalog does not list, or a subscription without a period end: no details.
    return formatMessage(messages.subscriptionUpdated, { plan });
  };
  return {
    ...list,
    state: { status: managerStatus, subscriptions, error } as SubscriptionsState,
    status: managerStatus,
    error,
    catalogError,
    subscriptions,
    requestCancel: (id) => {
      setPaid(null);
      setStep(null);
      setConfirming(id);
    },
    cancel: (id) => {
      setConfirming(null);
      return update('subscriptionCanceled', id, () =>
        cancelSubscription(transport, id, { atPeriodEnd: true }),
      );
    },
    resume: (id) => update('subscriptionResumed', id, () => resumeSubscription(transport, id)),
    previewChange,
    planChange:
      step && current
        ? {
            status: step.status,
            id: step.id,
            price: step.price,
            preview: step.preview,
            question: step.preview && question(step.id, step.price, step.preview),
          }
        : null,
    keepPlan: () => setStep(null),
    changePlan: async (id, price, options) => {
      let expired = false;
      const changed = await update('planChanged', id, () =>
        changeSubscription(transport, id, { price, prorationDate: options?.prorationDate }).catch(
          (error: { code?: string }) => {
            expired = error.code === 'preview_expired';
            throw error;
          },
        ),
      );
      // Confirmed too late (the step was left open): what it charges now is asked afresh.
      if (expired) await previewChange(id, price);
      return changed;
    },
    refresh,
    paymentSucceeded: (id) => {
      const found = items.find((item) => item.id === id);
      setPaid(
        found
          ? { plan: found.productName, saved: found.pendingAction?.type === 'save_card' }
          : null,
      );
      read();
    },
    notice:
      step?.status === 'loading' && current
        ? messages.checkingChange
        : paid === null
          ? done && doneNotice(done)
          : formatMessage(messages[paid.saved ? 'cardSavedFor' : 'paymentWentThrough'], {
              plan: paid.plan,
            }),
    messages,
  };
}
