'use client';
/**
 * `SubscriptionManager`: the subscription manager's unstyled parts and their ready-made
 * composition; and `PayWithNewCard`, the form that pays an invoice waiting for another card.
 */
import {
  type ComponentPropsWithoutRef,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import {
  AuthenticatePaymentError,
  AuthenticatePaymentMessage,
  AuthenticatePaymentRetry,
  AuthenticatePaymentRootProvider,
  AuthenticatePaymentTrigger,
} from '../authenticate-payment/authenticate-payment.js';
import { useAuthenticatePayment } from '../authenticate-payment/use-authenticate-payment.js';
import { ConfirmStep } from '../internal/confirm-step.js';
import { createPartsContext } from '../internal/create-parts-context.js';
import {
  createFormParts,
  type FormElementProps,
  type FormErrorProps,
  type FormRootProviderProps,
  type FormSubmitProps,
} from '../internal/form-parts.js';
import { mergeRefs } from '../internal/merge-refs.js';
import {
  alertPart,
  chain,
  focusRoot,
  type HeadingLevel,
  part,
  retryPart,
  root,
  rootProvider,
} from '../internal/part.js';
import { formatMessage } from '../messages/messages.js';
import { SaveCardForm } from '../save-card-form/save-card-form.js';
import {
  type UsePayWithNewCardProps,
  type UsePayWithNewCardReturn,
  usePayWithNewCard,
} from './use-pay-with-new-card.js';
import {
  type ManagedSubscription,
  type UseSubscriptionsReturn,
  useSubscriptions,
} from './use-subscriptions.js';

// --- PayWithNewCard ----------------------------------------------------------------------------

const payParts = /* @__PURE__ */ createFormParts<UsePayWithNewCardReturn>(
  'PayWithNewCard',
  ' clientSecret={…}',
);

export type PayWithNewCardRootProviderProps = FormRootProviderProps<UsePayWithNewCardReturn>;
export type PayWithNewCardRootProps = UsePayWithNewCardProps &
  Omit<PayWithNewCardRootProviderProps, 'value'>;

/** `<form>` for a `usePayWithNewCard()` you called yourself. */
export const PayWithNewCardRootProvider = payParts.RootProvider;
/** `<div>` that Stripe's Payment Element is mounted into. */
export const PayWithNewCardElement = payParts.Element;
/** `<button type="submit">`: "Pay now", "Processing…". */
export const PayWithNewCardSubmit = payParts.Submit;
/** `<div role="alert">`: Stripe's message after a decline; takes focus. */
export const PayWithNewCardError = payParts.Error;
/** `<button>` "Try again", only when Stripe's card fields could not load: `refresh()`. */
export const PayWithNewCardRetry = payParts.Retry;
export type PayWithNewCardElementProps = FormElementProps;
export type PayWithNewCardSubmitProps = FormSubmitProps;
export type PayWithNewCardErrorProps = FormErrorProps;
/** `<form>`: runs `usePayWithNewCard()` with its props and gives the parts its state. */
export const PayWithNewCardRoot = /* @__PURE__ */ root<
  UsePayWithNewCardProps,
  Omit<PayWithNewCardRootProviderProps, 'value'>,
  HTMLFormElement
>(payParts.RootProvider, usePayWithNewCard, ['clientSecret', 'returnUrl', 'onSuccess', 'onError']);

export interface PayWithNewCardProps extends PayWithNewCardRootProps {
  /** Shown once the invoice is paid. @default messages.paymentSucceeded */
  successMessage?: ReactNode;
}

/**
 * Pay an open invoice with another card: `<PayWithNewCard clientSecret={…} />`, or its parts
 * (`.Root`, `.Element`, `.Submit`, `.Error`, `.Retry`). A decline, or 3D Secure that fails, shows Stripe's
 * reason (focused) and the next card pays the same invoice.
 * @example
 * <PayWithNewCard clientSecret={subscription.pendingAction.clientSecret} onSuccess={refresh} />
 */
export const PayWithNewCard = /* @__PURE__ */ Object.assign(
  /* @__PURE__ */ payParts.compose<PayWithNewCardProps>(PayWithNewCardRoot, 'paymentSucceeded'),
  {
    Root: PayWithNewCardRoot,
    RootProvider: PayWithNewCardRootProvider,
    Element: PayWithNewCardElement,
    Submit: PayWithNewCardSubmit,
    Error: PayWithNewCardError,
    Retry: PayWithNewCardRetry,
  },
);

// --- SubscriptionManager -----------------------------------------------------------------------

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [SubscriptionManagerContext, useSubscriptionManagerContext] =
  /* @__PURE__ */ createPartsContext<UseSubscriptionsReturn>('SubscriptionManager');

type Div = ComponentPropsWithoutRef<'div'>;
export type SubscriptionManagerRootProviderProps = Div & { value: UseSubscriptionsReturn };
export type SubscriptionManagerRootProps = Div;

/** The manager's root: where focus goes when the control that had it is disabled or goes. */
const ROOT_SLOT = 'subscription-manager';

/** `<div>` for a `useSubscriptions()` you called yourself. */
export const SubscriptionManagerRootProvider = /* @__PURE__ */ rootProvider<
  UseSubscriptionsReturn,
  Div,
  HTMLDivElement
>(SubscriptionManagerContext, 'div', (value) => ({
  'data-slot': ROOT_SLOT,
  'data-state': value.status,
  'aria-busy': value.status === 'loading',
  // Focus lands here when a control goes: a named group says where it is ("Your subscriptions").
  role: 'group',
  'aria-label': value.messages.subscriptions,
  tabIndex: -1,
}));

/** `<div>`: runs `useSubscriptions()` and gives the parts its state. */
export const SubscriptionManagerRoot = /* @__PURE__ */ root<object, Div, HTMLDivElement>(
  SubscriptionManagerRootProvider,
  useSubscriptions,
  [],
);

export interface SubscriptionManagerListProps
  extends Omit<ComponentPropsWithoutRef<'ul'>, 'children'> {
  /** Renders each subscription. @default `<SubscriptionManager.Item subscription={…} />` */
  children?: (subscription: ManagedSubscription) => ReactNode;
  /** The default items' name headings. @default 3 */
  headingLevel?: HeadingLevel;
}

/**
 * `<ul role="list">` of the subscriptions, named "Your subscriptions"; nothing while there are
 * none. The role is explicit: WebKit drops the list role of a list styled `list-style: none`.
 */
export const SubscriptionManagerList = /* @__PURE__ */ part<
  SubscriptionManagerListProps,
  HTMLUListElement
>(({ children, headingLevel, ...props }) => {
  const { subscriptions, messages } = useSubscriptionManagerContext();
  return subscriptions.length
    ? [
        'ul',
        {
          'data-slot': 'subscription-manager-list',
          role: 'list',
          'aria-label': messages.subscriptions,
          ...props,
          children: subscriptions.map((subscription) =>
            children ? (
              children(subscription)
            ) : (
              <SubscriptionManagerItem
                key={subscription.id}
                subscription={subscription}
                headingLevel={headingLevel}
              />
            ),
          ),
        },
      ]
    : null;
});

export interface SubscriptionPartProps {
  subscription: ManagedSubscription;
}

export type SubscriptionManagerItemProps = SubscriptionPartProps &
  ComponentPropsWithoutRef<'li'> & {
    /** The name's heading. @default 3 */
    headingLevel?: HeadingLevel;
  };

/**
 * `<li>` for one subscription (`data-state`: its status, or `canceling`): name, status, price,
 * date, what needs fixing, and its actions, unless given children. The name's heading has the id
 * `labelId(subscription.id)`, which the actions point at; children of your own give it that id.
 */
export const SubscriptionManagerItem = /* @__PURE__ */ part<
  SubscriptionManagerItemProps,
  HTMLLIElement
>(({ subscription, headingLevel = 3, children, ...props }) => {
  const { labelId } = useSubscriptionManagerContext();
  const Heading = `h${headingLevel}` as const;
  return [
    'li',
    {
      'data-slot': 'subscription-manager-item',
      'data-state': subscription.state,
      ...props,
      children: children ?? (
        <>
          <Heading data-slot="subscription-manager-name" id={labelId(subscription.id)}>
            {subscription.productName}
          </Heading>
          <span data-slot="subscription-manager-badge" data-state={subscription.state}>
            {subscription.statusLabel}
          </span>{' '}
          {subscription.formattedPrice ? (
            <span data-slot="subscription-manager-price">{subscription.formattedPrice}</span>
          ) : null}{' '}
          {subscription.dateLabel ? (
            <span data-slot="subscription-manager-date">{subscription.dateLabel}</span>
          ) : null}
          <SubscriptionManagerPendingAction subscription={subscription} />
          <SubscriptionManagerChangePlan subscription={subscription} />
          <SubscriptionManagerConfirmChange subscription={subscription} />
          <SubscriptionManagerResume subscription={subscription} />
          <SubscriptionManagerCancel subscription={subscription} />
          <SubscriptionManagerConfirm subscription={subscription} />
        </>
      ),
    },
  ];
});

export type SubscriptionButtonProps = SubscriptionPartProps & ComponentPropsWithoutRef<'button'>;

const subscriptionButton = (
  slot: string,
  use: (
    manager: UseSubscriptionsReturn,
    subscription: ManagedSubscription,
  ) => [string, (event: { currentTarget: Element }) => unknown] | null,
) =>
  part<SubscriptionButtonProps, HTMLButtonElement>(
    ({ subscription, onClick, disabled, ...props }) => {
      const manager = useSubscriptionManagerContext();
      const found = use(manager, subscription);
      return found
        ? [
            'button',
            {
              type: 'button',
              'data-slot': slot,
              // Several subscriptions have the same buttons: the name says whose this one is.
              'aria-describedby': manager.labelId(subscription.id),
              children: found[0],
              ...props,
              disabled: disabled || manager.pending !== null,
              onClick: chain(onClick, found[1]),
            },
          ]
        : null;
    },
  );

/** `<button>` "Cancel subscription" (opens the confirmation step); for live, renewing subscriptions. */
export const SubscriptionManagerCancel = /* @__PURE__ */ subscriptionButton(
  'subscription-manager-cancel',
  (manager, subscription) =>
    subscription.canCancel
      ? [manager.messages.cancelSubscription, () => manager.requestCancel(subscription.id)]
      : null,
);

/**
 * `<button>` "Resume subscription"; for subscriptions canceled at period end. Pressed, it is
 * disabled and then goes (the subscription renews again), so focus moves to the manager's root.
 */
export const SubscriptionManagerResume = /* @__PURE__ */ subscriptionButton(
  'subscription-manager-resume',
  (manager, subscription) =>
    subscription.canResume
      ? [
          manager.messages.resumeSubscription,
          (event) => {
            focusRoot(event, ROOT_SLOT);
            return manager.resume(subscription.id);
          },
        ]
      : null,
);

export type SubscriptionManagerConfirmProps = SubscriptionPartProps & Omit<Div, 'children'>;

/**
 * `<div role="alertdialog">` "Cancel Pro? …" with Keep subscription / Cancel subscription, only
 * while that cancellation waits for confirmation. Focus moves to "Keep"; Escape closes it.
 */
export const SubscriptionManagerConfirm = /* @__PURE__ */ part<
  SubscriptionManagerConfirmProps,
  HTMLDivElement
>(({ subscription, ...props }, ref) => {
  const { confirming, messages, cancel, requestCancel } = useSubscriptionManagerContext();
  return confirming === subscription.id
    ? [
        ConfirmStep,
        {
          'data-slot': 'subscription-manager-confirm',
          question: formatMessage(messages.cancelQuestion, { plan: subscription.productName }),
          cancelLabel: messages.keepSubscription,
          confirmLabel: messages.cancelSubscription,
          onCancel: () => requestCancel(null),
          onConfirm: () => cancel(subscription.id),
          ...props,
          ref,
        },
      ]
    : null;
});

/**
 * `<div role="alertdialog">` "Change Starter to Pro · $29.00 / month? You’ll pay $20.00 now for
 * the rest of this period, then $29.00 / month from December 27, 2026." with Keep current plan /
 * Confirm change, once that change's preview is read. Focus moves to "Keep"; Escape closes it
 * (focus goes back to "Change plan"). Confirmed, the change is sent with the preview's
 * `prorationDate`, so that the charge is the amount shown.
 */
export const SubscriptionManagerConfirmChange = /* @__PURE__ */ part<
  SubscriptionManagerConfirmProps,
  HTMLDivElement
>(({ subscription, ...props }, ref) => {
  const { planChange: step, messages, keepPlan, changePlan } = useSubscriptionManagerContext();
  return step?.id === subscription.id && step.question
    ? [
        ConfirmStep,
        {
          'data-slot': 'subscription-manager-confirm-change',
          question: step.question,
          cancelLabel: messages.keepPlan,
          confirmLabel: messages.confirmChange,
          onCancel: keepPlan,
          onConfirm: () =>
            changePlan(step.id, step.price, { prorationDate: step.preview?.prorationDate }),
          ...props,
          ref,
        },
      ]
    : null;
});

export type SubscriptionManagerChangePlanProps = SubscriptionPartProps &
  Omit<ComponentPropsWithoutRef<'form'>, 'children'>;

/**
 * `<form>` with "New plan" (the prices it can move to) and "Change plan", both described by the
 * subscription's name; for live subscriptions with somewhere to go. "Change plan" reads what the
 * change costs (`data-state="loading"` meanwhile, the button keeping focus) and opens
 * `.ConfirmChange`.
 */
export const SubscriptionManagerChangePlan = /* @__PURE__ */ part<
  SubscriptionManagerChangePlanProps,
  HTMLFormElement
>(({ subscription, onSubmit, ...props }) => {
  const manager = useSubscriptionManagerContext();
  const { messages } = manager;
  const id = useId();
  const name = manager.labelId(subscription.id);
  const step = manager.planChange;
  const state = step?.id === subscription.id ? step.status : 'idle';
  return subscription.changeOptions.length
    ? [
        'form',
        {
          'data-slot': 'subscription-manager-change',
          'data-state': state,
          ...props,
          onSubmit: chain(onSubmit, (event) => {
            event.preventDefault();
            // A select's value: a string. Its button stays enabled (and focused) while the price
            // is read, so that "Keep current plan" can give focus back to it.
            const price = new FormData(event.currentTarget).get('price') as string | null;
            if (price && state !== 'loading') void manager.previewChange(subscription.id, price);
          }),
          children: (
            <>
              <label htmlFor={id}>{messages.newPlan}</label>
              <select id={id} name="price" aria-describedby={name}>
                {subscription.changeOptions.map((option) => (
                  <option key={option.price.id} value={option.price.id}>
                    {option.label}
                  </option>
                ))}
              </select>
              <button
                type="submit"
                disabled={manager.pending !== null && state !== 'loading'}
                aria-describedby={name}
              >
                {messages.changePlan}
              </button>
            </>
          ),
        },
      ]
    : null;
});

export type SubscriptionManagerPendingActionProps = SubscriptionPartProps & Omit<Div, 'children'>;

/**
 * `<div role="group">`, named after the subscription, that does in place what waits for the
 * customer (`data-state`: what it shows): `authenticate` opens the bank's 3D Secure
 * (`AuthenticatePayment`'s parts), `new_card` pays with another card (`PayWithNewCard`),
 * `save_card` saves the card a trial (or a subscription a promotion code made free) renews with
 * ("Add a card to keep Pro after your trial ends on May 20, 2026.", `SaveCardForm` confirming
 * the subscription's SetupIntent). When authentication fails and the invoice's PaymentIntent goes
 * back to `requires_payment_method`, the bank's reason stays (focused) and `PayWithNewCard` is
 * offered at once with the same client secret. The list is read again once paid or saved (and
 * the manager's status region says so), and after a failed authentication. Once done, the block
 * goes with the `pendingAction`: focus that was in it moves to the manager's root, not the page's
 * body.
 */
export const SubscriptionManagerPendingAction = /* @__PURE__ */ part<
  SubscriptionManagerPendingActionProps,
  HTMLDivElement
>(({ subscription, ...props }, ref) => {
  const { messages, refresh, paymentSucceeded, labelId } = useSubscriptionManagerContext();
  const action = subscription.pendingAction;
  const block = useRef<HTMLDivElement | null>(null);
  // Set once the payment went through, until the block goes (the list read again has no
  // `pendingAction` any more; a stale answer may keep it a little longer).
  const paid = useRef(false);
  const succeed = () => {
    paid.current = true;
    paymentSucceeded(subscription.id);
  };
  const shown = action !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the block comes and goes
  useEffect(() => {
    const node = block.current;
    const home = node?.parentElement?.closest<HTMLElement>(`[data-slot="${ROOT_SLOT}"]`);
    return () => {
      // The focused form or flow went with the block, which leaves focus on the body (as after a
      // confirmed cancel, see ConfirmStep). Focus the customer moved elsewhere meanwhile stays.
      const active = document.activeElement;
      if (paid.current && (!active || active === document.body || node?.contains(active))) {
        home?.focus();
      }
      paid.current = false;
    };
  }, [shown]);
  // The secret this part was asked to authenticate. Kept when the list, read again after a failed
  // authentication, says `new_card` for it, so that the bank's reason stays on screen.
  const [asked, setAsked] = useState('');
  // Whether the customer acted here (3D Secure, or "Try again" after a failed read): a payment
  // the first read finds done (paid elsewhere meanwhile) is only read again, with nothing said
  // and focus left where it is. Each payment starts afresh.
  const asking = useRef(false);
  if (action?.type === 'authenticate' && action.clientSecret !== asked) {
    asking.current = false;
    setAsked(action.clientSecret);
  }
  /** The customer's own action: what comes of it is announced. */
  const own = (run: () => unknown) => (): unknown => {
    asking.current = true;
    return run();
  };
  const authentication = useAuthenticatePayment({
    clientSecret: action?.clientSecret === asked ? asked : '',
    onSuccess: () => (asking.current ? succeed() : refresh()),
    onError: refresh,
  });
  const { state } = authentication;
  // The server's answer may still say `authenticate` here: it learns of the failure from a
  // webhook (`invoice.payment_failed`) that can come after the list is read again, and an
  // invoice's PaymentIntent in `requires_payment_method` takes a new card with the same secret.
  const newCard = action?.type === 'new_card' || (state.status === 'failed' && state.needsNewCard);
  const saveCard = action?.type === 'save_card';
  const settled = state.status === 'succeeded' || state.status === 'failed';
  return action
    ? [
        'div',
        {
          'data-slot': 'subscription-manager-pending',
          'data-state': saveCard ? 'save_card' : newCard ? 'new_card' : 'authenticate',
          // "Pay now" and "Card details" do not say which subscription they pay for; the group does.
          role: 'group',
          'aria-labelledby': labelId(subscription.id),
          ...props,
          ref: mergeRefs(block, ref),
          children: (
            <>
              {action.type === 'authenticate' || state.status !== 'idle' ? (
                <AuthenticatePaymentRootProvider
                  value={{
                    ...authentication,
                    authenticate: own(authentication.authenticate) as () => Promise<void>,
                    refresh: own(authentication.refresh),
                  }}
                >
                  {newCard ? null : <AuthenticatePaymentMessage />}
                  <AuthenticatePaymentError />
                  {settled ? null : <AuthenticatePaymentTrigger />}
                  <AuthenticatePaymentRetry />
                </AuthenticatePaymentRootProvider>
              ) : null}
              {newCard ? (
                <>
                  <p>{formatMessage(messages.paymentFailed, { plan: subscription.productName })}</p>
                  <PayWithNewCard clientSecret={action.clientSecret} onSuccess={succeed} />
                </>
              ) : null}
              {saveCard ? (
                <>
                  <p>
                    {subscription.status === 'trialing' && subscription.formattedTrialEnd
                      ? formatMessage(messages.saveCardForTrial, {
                          plan: subscription.productName,
                          date: subscription.formattedTrialEnd,
                        })
                      : formatMessage(messages.saveCardForRenewals, {
                          plan: subscription.productName,
                        })}
                  </p>
                  <SaveCardForm
                    clientSecret={action.clientSecret}
                    currency={subscription.currency ?? undefined}
                    onSuccess={succeed}
                  />
                </>
              ) : null}
            </>
          ),
        },
      ]
    : null;
});

/** `<div role="alert">`: why the subscriptions could not load, or why an action failed; takes focus then. */
export const SubscriptionManagerError = /* @__PURE__ */ alertPart(
  'subscription-manager-error',
  useSubscriptionManagerContext,
);

export type SubscriptionManagerRetryProps = ComponentPropsWithoutRef<'button'>;

/**
 * `<button>` "Try again", only while the subscriptions, or the catalog beside them
 * (`catalogError`), or a plan change's price could not be loaded: reads them again (`refresh()`).
 * It goes while they load, so focus moves to the manager's root first.
 */
export const SubscriptionManagerRetry = /* @__PURE__ */ retryPart(
  ROOT_SLOT,
  useSubscriptionManagerContext,
  // One button for all: the list's own "Try again" already reads a failed catalog again.
  (value) =>
    value.status === 'failed' ||
    value.catalogError !== null ||
    value.planChange?.status === 'failed',
);

export interface SubscriptionManagerProps extends SubscriptionManagerRootProps {
  /** The subscription names' headings (`<h3>` by default): one below the page's heading above. */
  headingLevel?: HeadingLevel;
}

function SubscriptionManagerComposed({
  headingLevel,
  ...props
}: SubscriptionManagerProps): ReactNode {
  return (
    <SubscriptionManagerRoot {...props}>
      <SubscriptionManagerList headingLevel={headingLevel} />
      <SubscriptionManagerStatus />
      <SubscriptionManagerError />
      <SubscriptionManagerRetry />
    </SubscriptionManagerRoot>
  );
}

function SubscriptionManagerStatus(): ReactNode {
  const { status, notice, catalogError, messages } = useSubscriptionManagerContext();
  return (
    <p data-slot="subscription-manager-status" data-state={status} role="status">
      {status === 'loading'
        ? messages.loading
        : (notice ?? (status === 'empty' ? messages.noSubscriptions : null))}
      {/* Polite, not an alert: the list is there, only prices and plan changes are missing. */}
      {catalogError ? ` ${messages.plansNotLoaded}` : null}
    </p>
  );
}

/**
 * The caller's subscriptions: `<SubscriptionManager />`, or its parts (`SubscriptionManager.Root`,
 * `.List`, `.Item`, `.Cancel`, `.Confirm`, `.Resume`, `.ChangePlan`, `.ConfirmChange`,
 * `.PendingAction`, `.Error`, `.Retry`).
 * @example
 * <SubscriptionManager />
 */
export const SubscriptionManager = /* @__PURE__ */ Object.assign(SubscriptionManagerComposed, {
  Root: SubscriptionManagerRoot,
  RootProvider: SubscriptionManagerRootProvider,
  List: SubscriptionManagerList,
  Item: SubscriptionManagerItem,
  Cancel: SubscriptionManagerCancel,
  Confirm: SubscriptionManagerConfirm,
  Resume: SubscriptionManagerResume,
  ChangePlan: SubscriptionManagerChangePlan,
  ConfirmChange: SubscriptionManagerConfirmChange,
  PendingAction: SubscriptionManagerPendingAction,
  Error: SubscriptionManagerError,
  Retry: SubscriptionManagerRetry,
});
