'use client';
/**
 * `PricingTable`: the pricing table's unstyled parts and the ready-made composition of them,
 * which subscribes in place with `SubscribeForm` (or sends the customer to hosted Checkout), and
 * changes a signed-in customer's subscription in place (a preview of what it charges, then their
 * confirmation) when the plan chosen is another of theirs.
 */
import type { CreateSubscriptionResponse } from '@tillkit/protocol';
import { type ComponentPropsWithoutRef, type ReactNode, useId, useRef } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import {
  alertPart,
  chain,
  type HeadingLevel,
  part,
  retryPart,
  root,
  rootProvider,
} from '../internal/part.js';
import { formatMessage } from '../messages/messages.js';
import { SaveCardForm } from '../save-card-form/save-card-form.js';
import { SubscribeForm } from '../subscribe-form/subscribe-form.js';
import {
  type PricingPlan,
  type UsePricingProps,
  type UsePricingReturn,
  usePricing,
} from './use-pricing.js';

/** A stable ref callback (called once per element): focuses it. */
const focus = (node: HTMLElement | null) => node?.focus();

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [PricingTableContext, usePricingTableContext] =
  /* @__PURE__ */ createPartsContext<UsePricingReturn>('PricingTable');

type Div = ComponentPropsWithoutRef<'div'>;
export type PricingTableRootProviderProps = Div & { value: UsePricingReturn };
/** The div's own `onSelect` (text selection) gives way to the hook's. */
export type PricingTableRootProps = Omit<Div, 'onSelect'> & UsePricingProps;

/** `<div>` for a `usePricing()` you called yourself. */
export const PricingTableRootProvider = /* @__PURE__ */ rootProvider<
  UsePricingReturn,
  Div,
  HTMLDivElement
>(PricingTableContext, 'div', (value) => ({
  'data-slot': 'pricing-table',
  'data-state': value.status,
  'aria-busy':
    value.status === 'loading' ||
    value.status === 'redirecting' ||
    (value.state.status === 'changing' && value.state.change.step === 'submitting'),
  tabIndex: -1,
}));

/** `<div>`: runs `usePricing()` and gives the parts its state. */
export const PricingTableRoot = /* @__PURE__ */ root<
  UsePricingProps,
  Omit<Div, 'onSelect'>,
  HTMLDivElement
>(PricingTableRootProvider, usePricing, [
  'interval',
  'defaultInterval',
  'onIntervalChange',
  'onSelect',
  'checkout',
  'successUrl',
  'cancelUrl',
  'navigate',
  'onPlanChanged',
]);

export type PricingTableIntervalProps = Omit<ComponentPropsWithoutRef<'fieldset'>, 'children'>;

/**
 * `<fieldset>` "Billing period" with a radio button per period (arrow keys move between them),
 * the yearly one saying what it saves; nothing when the plans have one period only.
 */
export const PricingTableInterval = /* @__PURE__ */ part<
  PricingTableIntervalProps,
  HTMLFieldSetElement
>((props) => {
  const pricing = usePricingTableContext();
  const { messages, formattedYearlySaving: saving } = pricing;
  const name = useId();
  return pricing.intervals.length > 1
    ? [
        'fieldset',
        {
          'data-slot': 'pricing-table-interval',
          'data-state': pricing.interval,
          ...props,
          children: (
            <>
              <legend>{messages.billingPeriod}</legend>
              {pricing.intervals.map((period) => (
                <label key={period} data-slot="pricing-table-interval-option">
                  <input
                    type="radio"
                    name={name}
                    value={period}
                    checked={pricing.interval === period}
                    onChange={() => pricing.setInterval(period)}
                  />
                  {period === 'month' ? messages.monthly : messages.yearly}
                  {period === 'year' && saving ? (
                    <>
                      {' '}
                      <span data-slot="pricing-table-saving">
                        {formatMessage(messages.yearlySaving, { percent: saving })}
                      </span>
                    </>
                  ) : null}
                </label>
              ))}
            </>
          ),
        },
      ]
    : null;
});

export interface PricingTablePlanProps extends ComponentPropsWithoutRef<'li'> {
  plan: PricingPlan;
  /** Marks the plan (`data-highlighted`, a "Most popular" badge). */
  highlighted?: boolean;
  /** The plan name's heading. @default 3 */
  headingLevel?: HeadingLevel;
}

/**
 * `<li>` for one plan: its name, badges (highlighted, trial), price, description, features and
 * its button, unless given children. `data-current`: the signed-in customer's plan;
 * `data-change`: choosing it changes their subscription.
 */
export const PricingTablePlan = /* @__PURE__ */ part<PricingTablePlanProps, HTMLLIElement>(
  ({ plan, highlighted, headingLevel = 3, children, ...props }) => {
    const { messages } = usePricingTableContext();
    const { product, trialDays } = plan;
    const Heading = `h${headingLevel}` as const;
    const note = useId();
    // Why the button is disabled: which subscription to change is unclear, or it cannot change.
    const why = plan.changeUnclear
      ? messages.changeWhichSubscription
      : plan.changeBlocked === 'inactive'
        ? messages.changeInactiveSubscription
        : plan.changeBlocked === 'currency'
          ? messages.changeOtherCurrency
          : null;
    return [
      'li',
      {
        'data-slot': 'pricing-table-plan',
        'data-highlighted': highlighted || undefined,
        // The signed-in customer had this product's trial (no trial is offered again).
        'data-trial-used': plan.trialUsed || undefined,
        'data-current': plan.current || undefined,
        'data-change': plan.subscriptionToChange ? '' : undefined,
        ...props,
        children: children ?? (
          <>
            <Heading data-slot="pricing-table-name">{product.name}</Heading>
            {highlighted ? (
              <p data-slot="pricing-table-badge" data-state="highlighted">
                {messages.popularPlan}
              </p>
            ) : null}
            {trialDays ? (
              <p data-slot="pricing-table-badge" data-state="trial">
                {formatMessage(messages.trialDays, { days: String(trialDays) })}
              </p>
            ) : null}
            <p data-slot="pricing-table-price">{plan.formattedPrice}</p>
            {product.description ? (
              <p data-slot="pricing-table-description">{product.description}</p>
            ) : null}
            {product.features.length ? (
              <ul data-slot="pricing-table-features">
                {product.features.map((feature) => (
                  <li key={feature}>{feature}</li>
                ))}
              </ul>
            ) : null}
            {why ? (
              <p data-slot="pricing-table-note" id={note}>
                {why}
              </p>
            ) : null}
            <PricingTableSelect plan={plan} aria-describedby={why ? note : undefined} />
          </>
        ),
      },
    ];
  },
);

export interface PricingTableSelectProps extends ComponentPropsWithoutRef<'button'> {
  plan: PricingPlan;
}

/**
 * `<button>` "Choose Pro", "Switch to Pro" (a plan change, or one the server would refuse:
 * disabled; "Switch to yearly" / "Switch to monthly" within the customer's product), "Current
 * plan" (disabled, but focusable: focus lands on it after a change), or "Add a card" (the current
 * plan, waiting for its card: `PricingPlan.waitsForCard`): `select(plan)`. Busy while the hosted
 * Checkout opens. `data-state`: `current`, `add_card`, `change`, `unclear` (see
 * `PricingPlan.changeUnclear`), `blocked` (`PricingPlan.changeBlocked`) or `subscribe`.
 */
export const PricingTableSelect = /* @__PURE__ */ part<PricingTableSelectProps, HTMLButtonElement>(
  ({ plan, onClick, ...props }) => {
    const pricing = usePricingTableContext();
    const { state, messages } = pricing;
    const busy = state.status === 'redirecting';
    const kind = plan.current
      ? plan.waitsForCard
        ? 'add_card'
        : 'current'
      : plan.subscriptionToChange
        ? 'change'
        : plan.changeUnclear
          ? 'unclear'
          : plan.changeBlocked
            ? 'blocked'
            : 'subscribe';
    // The current plan, one the table cannot tell which subscription to change for, and one whose
    // change the server would refuse (with `onSelect` too: `select()` hands any plan to the host).
    const off =
      busy || (plan.current && !plan.waitsForCard) || plan.changeUnclear || !!plan.changeBlocked;
    return [
      'button',
      {
        type: 'button',
        'data-slot': 'pricing-table-select',
        'data-state': kind,
        'data-plan': plan.price.id,
        'aria-busy': busy && state.plan.price.id === plan.price.id,
        'aria-disabled': off || undefined,
        children:
          kind === 'current'
            ? messages.currentPlan
            : kind === 'add_card'
              ? messages.addCard
              : kind !== 'change' && kind !== 'blocked'
                ? formatMessage(messages.choosePlan, { plan: plan.product.name })
                : plan.changesInterval
                  ? messages[plan.price.interval === 'year' ? 'switchToYearly' : 'switchToMonthly']
                  : formatMessage(messages.switchPlan, { plan: plan.product.name }),
        ...props,
        onClick: chain(onClick, () => off || pricing.select(plan)),
      },
    ];
  },
);

export type PricingTableChangeProps = ComponentPropsWithoutRef<'div'>;

/**
 * `<div role="group">` for the plan change in progress (`status: 'changing'`), named by the plan
 * chosen ("Pro, $29.00 / month"): the question with what it charges (read out once it is read),
 * the error region, "Try again" (its preview could not be read), "Back to plans" (it takes focus
 * as the step opens; Escape too; disabled while the change is sent, as `back()` then does
 * nothing) and "Confirm change"; nothing in any other status. `data-state`: the change's `step`.
 */
export const PricingTableChange = /* @__PURE__ */ part<PricingTableChangeProps, HTMLDivElement>(
  ({ children, onKeyDown, ...props }) => {
    const pricing = usePricingTableContext();
    const { state, messages } = pricing;
    const name = useId();
    const asked = useId();
    if (state.status !== 'changing') return null;
    const { step, plan, question } = state.change;
    return [
      'div',
      {
        'data-slot': 'pricing-table-change',
        'data-state': step,
        role: 'group',
        'aria-labelledby': name,
        ...props,
        onKeyDown: chain(onKeyDown, (event: { key: string }) => {
          if (event.key === 'Escape') pricing.back();
        }),
        children: children ?? (
          <>
            <p data-slot="pricing-table-change-plan" id={name}>
              {`${plan.product.name}, ${plan.formattedPrice}`}
            </p>
            <p data-slot="pricing-table-change-question" id={asked} aria-live="polite">
              {question}
            </p>
            <PricingTableError />
            {step === 'failed' ? (
              <button
                type="button"
                data-slot="pricing-table-retry"
                onClick={(event) => {
                  // It goes while the preview is read again: focus stays in the step.
                  event.currentTarget.parentElement
                    ?.querySelector<HTMLElement>('[data-slot="pricing-table-back"]')
                    ?.focus();
                  pricing.refresh();
                }}
              >
                {messages.tryAgain}
              </button>
            ) : null}
            <button
              type="button"
              data-slot="pricing-table-back"
              aria-disabled={step === 'submitting' || undefined}
              onClick={pricing.back}
              ref={focus}
            >
              {messages.backToPlans}
            </button>
            <button
              type="button"
              data-slot="pricing-table-confirm"
              aria-describedby={question ? asked : undefined}
              aria-disabled={step !== 'ready' || undefined}
              aria-busy={step === 'submitting'}
              onClick={pricing.confirmChange}
            >
              {messages.confirmChange}
            </button>
          </>
        ),
      },
    ];
  },
);

/** `<div role="alert">`: why the plans could not load, or why Checkout could not open. */
export const PricingTableError = /* @__PURE__ */ alertPart(
  'pricing-table-error',
  usePricingTableContext,
);

/**
 * `<button>` "Try again", only while the plans could not be loaded: reads them again
 * (`refresh()`). It goes while they load, so focus moves to the table's root first.
 */
export const PricingTableRetry = /* @__PURE__ */ retryPart('pricing-table', usePricingTableContext);

export interface PricingTableProps extends PricingTableRootProps {
  /** The plan to mark (a product id, or a price id). */
  highlightedPlan?: string;
  /**
   * Called once the built-in subscribe form subscribed the customer (a plan change calls
   * `onPlanChanged`).
   */
  onSubscribed?: (subscription: CreateSubscriptionResponse) => void;
  /** The plan names' headings (`<h3>` by default): one below the page's heading above the table. */
  headingLevel?: HeadingLevel;
  /**
   * The built-in subscribe form offers a promotion code field (`SubscribeForm`'s). Turn it on
   * when the server takes codes (`GET /config`'s `promotionCodes`). @default false
   */
  promotionCodes?: boolean;
}

function PricingTableComposed({
  highlightedPlan,
  onSubscribed,
  headingLevel,
  promotionCodes,
  ...props
}: PricingTableProps) {
  return (
    <PricingTableRoot {...props}>
      <PricingTableBody
        highlightedPlan={highlightedPlan}
        onSubscribed={onSubscribed}
        headingLevel={headingLevel}
        promotionCodes={promotionCodes}
      />
    </PricingTableRoot>
  );
}

function PricingTableBody({
  highlightedPlan,
  onSubscribed,
  headingLevel,
  promotionCodes,
}: Pick<
  PricingTableProps,
  'highlightedPlan' | 'onSubscribed' | 'headingLevel' | 'promotionCodes'
>): ReactNode {
  const pricing = usePricingTableContext();
  const { state, messages, status } = pricing;
  // Focus follows the customer: to "Back" when the form or the change step opens, to the plan's
  // button after it (the new current plan's, after a change).
  const chosen = useRef<string | null>(null);
  const summary = useId();
  // One status region for every view, so that what it says as the view changes is announced.
  const said =
    status === 'loading'
      ? messages.loading
      : status === 'empty'
        ? messages.noPlans
        : pricing.notice;
  const region = (
    <p data-slot="pricing-table-status" data-state={status} role="status">
      {said}
    </p>
  );
  if (state.status === 'changing') {
    chosen.current = state.plan.price.id;
    return (
      <>
        <PricingTableChange />
        {region}
      </>
    );
  }
  if (state.status === 'subscribing' || state.status === 'saving_card') {
    chosen.current = state.plan.price.id;
    // Focus lands on "Back" before the customer has read on: its description ("Pro, $240.00 /
    // year", in a `hidden` element, which a description may name) says which plan's checkout
    // opened, from the first render on (the form's own summary waits for the catalog).
    return (
      <>
        <button
          type="button"
          data-slot="pricing-table-back"
          aria-describedby={summary}
          onClick={pricing.back}
          ref={focus}
        >
          {messages.backToPlans}
        </button>
        <span id={summary} hidden>
          {`${state.plan.product.name}, ${state.plan.formattedPrice}`}
        </span>
        {state.status === 'saving_card' ? (
          <>
            <p data-slot="pricing-table-save-card-message">{state.message}</p>
            {/* Its subscription's SetupIntent, confirmed: what subscribing answers, said again. */}
            <SaveCardForm
              clientSecret={state.clientSecret}
              currency={state.plan.price.currency}
              onSuccess={() =>
                onSubscribed?.({
                  id: state.subscription.id,
                  status: state.subscription.status,
                  clientSecret: state.clientSecret,
                  clientSecretType: 'setup',
                })
              }
            />
          </>
        ) : (
          // No trial offered for a product had before (while that is read, the server decides).
          <SubscribeForm
            price={state.plan.price.id}
            trial={!state.plan.trialUsed}
            onSuccess={onSubscribed}
            promotionCodes={promotionCodes}
          />
        )}
        {region}
      </>
    );
  }
  return (
    <>
      <PricingTableInterval />
      {pricing.plans.length ? (
        <ul
          data-slot="pricing-table-plans"
          // biome-ignore lint/a11y/noRedundantRoles: WebKit drops the role of unstyled lists
          role="list"
          ref={(node) => {
            if (node && chosen.current) {
              node.querySelector<HTMLElement>(`[data-plan="${chosen.current}"]`)?.focus();
              chosen.current = null;
            }
          }}
        >
          {pricing.plans.map((plan) => (
            <PricingTablePlan
              key={plan.price.id}
              plan={plan}
              highlighted={highlightedPlan === plan.product.id || highlightedPlan === plan.price.id}
              headingLevel={headingLevel}
            />
          ))}
        </ul>
      ) : null}
      <PricingTableError />
      <PricingTableRetry />
      {region}
    </>
  );
}

/**
 * Plans and prices: `<PricingTable highlightedPlan="prod_pro" />`, or its parts
 * (`PricingTable.Root`, `.Interval`, `.Plan`, `.Select`, `.Change`, `.Error`, `.Retry`).
 * @example
 * <PricingTable highlightedPlan="prod_tillkit_pro" onSubscribed={() => router.push('/account')} />
 * <PricingTable checkout="hosted" successUrl="https://shop.example/welcome" />
 * <PricingTable onSelect={(price) => router.push(`/subscribe/${price.id}`)} />
 */
export const PricingTable = /* @__PURE__ */ Object.assign(PricingTableComposed, {
  Root: PricingTableRoot,
  RootProvider: PricingTableRootProvider,
  Interval: PricingTableInterval,
  Plan: PricingTablePlan,
  Select: PricingTableSelect,
  Change: PricingTableChange,
  Error: PricingTableError,
  Retry: PricingTableRetry,
});
