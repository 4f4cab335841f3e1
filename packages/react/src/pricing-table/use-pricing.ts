'use client';
/**
 * `usePricing()`: the plans of the catalog (`GET /prices`: the products with monthly or yearly
 * prices), one billing period at a time, with what paying yearly saves (computed from the prices),
 * and choosing a plan: `onSelect(price)`, the built-in subscribe form (`SubscribeForm`, in place),
 * or Stripe's hosted Checkout (`checkout: 'hosted'`: `POST /checkout-sessions`, then a redirect).
 * A signed-in caller's trials already had (`GET /trial-eligibility`) are not offered again.
 */
import type { CatalogPrice, CatalogProduct, TrialEligibilityResponse } from '@tillkit/protocol';
import { createCheckoutSession, getTrialEligibility } from '@tillkit/protocol/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import { leavePage } from '../internal/leave-page.js';
import { useLoad } from '../internal/use-load.js';
import type { CommonMessages } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type SubscribeFormMessages, subscribeFormMessages } from '../subscribe-form/messages.js';
import { isPlanPrice, priceLabel } from '../subscribe-form/price-label.js';
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
  /** Handles the choice yourself (a cart, your own route) instead of the built-in flows. */
  onSelect?: (price: CatalogPrice, product: CatalogProduct) => void;
  /**
   * Without `onSelect`: `embedded` shows the subscribe form in place, `hosted` sends the customer
   * to Stripe's Checkout page. @default 'embedded'
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
  | { status: 'subscribing' | 'redirecting'; plan: PricingPlan };

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
  /** Chooses a plan: `onSelect`, the subscribe form or the hosted Checkout. */
  select(plan: PricingPlan): void;
  /** Back from the subscribe form to the plans. */
  back(): void;
  /** Reads the plans again (after they could not be loaded). */
  refresh(): void;
  /** A ref for the error region: it takes focus when the hosted Checkout could not open. */
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
  const [chosen, setChosen] = useState<PricingState | null>(null);
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
  const plans = offers.flatMap(({ product, [interval]: price }) => {
    const trialUsed = !!used?.includes(product.id);
    return price
      ? [
          {
            product,
            price,
            formattedPrice: priceLabel(price, messages, formatMoney),
            trialDays: (used || had.error) && !trialUsed ? price.trialPeriodDays : undefined,
            trialUsed,
          },
        ]
      : [];
  });

  const state: PricingState = chosen
    ? chosen
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
      if (props.onSelect) return props.onSelect(plan.price, plan.product);
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
      setChosen(null);
      // A trial or a subscription started meanwhile: its badge goes.
      had.refresh();
    },
    refresh: catalog.refresh,
    errorRef: useCallback((node: HTMLElement | null) => {
      errorNode.current = node;
    }, []),
    messages,
  };
}
