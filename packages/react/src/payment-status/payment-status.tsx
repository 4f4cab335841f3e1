'use client';
/**
 * `PaymentStatus`: the return page's unstyled parts and their ready-made composition.
 */
import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import { chain, focusRoot, part, root, rootProvider } from '../internal/part.js';
import {
  type UsePaymentStatusProps,
  type UsePaymentStatusReturn,
  usePaymentStatus,
} from './use-payment-status.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [PaymentStatusContext, usePaymentStatusContext] =
  /* @__PURE__ */ createPartsContext<UsePaymentStatusReturn>('PaymentStatus');

type Div = ComponentPropsWithoutRef<'div'>;
type Button = ComponentPropsWithoutRef<'button'>;

export interface PaymentStatusRootProps extends UsePaymentStatusProps, Div {}

export interface PaymentStatusRootProviderProps extends Div {
  /** A `usePaymentStatus()` return, when the hook runs higher up. */
  value: UsePaymentStatusReturn;
}

/** `<div>` for a `usePaymentStatus()` you called yourself. */
export const PaymentStatusRootProvider = /* @__PURE__ */ rootProvider<
  UsePaymentStatusReturn,
  Div,
  HTMLDivElement
>(PaymentStatusContext, 'div', ({ status, state }) => ({
  'data-slot': 'payment-status',
  'data-state': status,
  'aria-busy':
    status === 'loading' ||
    status === 'idle' ||
    (state.status === 'requires_action' && state.authenticating),
  tabIndex: -1,
}));

/** `<div>`: runs `usePaymentStatus()` and gives the parts its state. */
export const PaymentStatusRoot = /* @__PURE__ */ root<UsePaymentStatusProps, Div, HTMLDivElement>(
  PaymentStatusRootProvider,
  usePaymentStatus,
  ['clientSecret', 'redirectStatus', 'maxPolls', 'pollDelayMs', 'maxPollDelayMs'],
);

export type PaymentStatusMessageProps = ComponentPropsWithoutRef<'p'>;

/**
 * `<p role="status">`: what happened, in the provider's language, with Stripe's reason after a
 * decline ("Your payment was not completed. Your card was declined.").
 */
export const PaymentStatusMessage = /* @__PURE__ */ part<
  PaymentStatusMessageProps,
  HTMLParagraphElement
>(({ children, ...props }) => {
  const { state, message } = usePaymentStatusContext();
  const reason =
    state.status === 'failed' && state.reason === 'failed' && state.error.message !== message
      ? ` ${state.error.message}`
      : '';
  return [
    'p',
    {
      'data-slot': 'payment-status-message',
      'data-state': state.status,
      role: 'status',
      ...props,
      children: children ?? message + reason,
    },
  ];
});

export interface PaymentStatusRetryProps extends Button {}

/**
 * `<button>` shown only when the payment failed: starts again (`onClick`: back to the checkout,
 * say). Never shown for `unknown` (the payment may have gone through). For a plain link use the
 * composed `<PaymentStatus retryHref>`.
 */
export const PaymentStatusRetry = /* @__PURE__ */ part<PaymentStatusRetryProps, HTMLButtonElement>(
  ({ children, ...props }) => {
    const { status, messages } = usePaymentStatusContext();
    return status === 'failed'
      ? [
          'button',
          {
            type: 'button',
            'data-slot': 'payment-status-retry',
            'data-state': status,
            ...props,
            children: children ?? messages.tryAgain,
          },
        ]
      : null;
  },
);

/**
 * `<button>` "Check again", shown only when the checks stopped while the payment still processes,
 * or when the payment could not be looked up (`unknown`).
 */
export const PaymentStatusRefresh = /* @__PURE__ */ part<Button, HTMLButtonElement>(
  ({ children, onClick, ...props }) => {
    const { state, messages, refresh } = usePaymentStatusContext();
    return (state.status === 'processing' && state.stalled) || state.status === 'unknown'
      ? [
          'button',
          {
            type: 'button',
            'data-slot': 'payment-status-refresh',
            'data-state': state.status,
            ...props,
            // The button goes while the payment is read again: focus stays on the page's root.
            onClick: chain(onClick, (event) => {
              focusRoot(event, 'payment-status');
              refresh();
            }),
            children: children ?? messages.checkAgain,
          },
        ]
      : null;
  },
);

/**
 * `<button>` shown only when the bank asks the customer to confirm (3D Secure); disabled and
 * `aria-busy` while the bank's confirmation is open.
 */
export const PaymentStatusAuthenticate = /* @__PURE__ */ part<Button, HTMLButtonElement>(
  ({ children, onClick, disabled, ...props }) => {
    const { state, messages, authenticate } = usePaymentStatusContext();
    return state.status === 'requires_action'
      ? [
          'button',
          {
            type: 'button',
            'data-slot': 'payment-status-authenticate',
            'data-state': state.status,
            disabled: state.authenticating || disabled,
            'aria-busy': state.authenticating,
            ...props,
            // Disabled while the bank's dialog is open, then gone: focus stays on the page's root.
            onClick: chain(onClick, (event) => {
              focusRoot(event, 'payment-status');
              void authenticate();
            }),
            children:
              children ??
              (state.kind === 'setup' ? messages.authenticateCard : messages.authenticate),
          },
        ]
      : null;
  },
);

export interface PaymentStatusProps extends PaymentStatusRootProps {
  /** A link back to the checkout, shown when the payment failed. */
  retryHref?: string;
  /** Called by the "Try again" button when the payment failed (instead of `retryHref`). */
  onRetry?: () => void;
}

/**
 * The ready-made return page: the outcome, with "Try again" (failed), "Check again" (still
 * processing, or could not be looked up) or "Confirm payment" where they apply.
 * @example
 * // app/checkout/complete/page.tsx
 * <PaymentStatus retryHref="/checkout" />
 */
function PaymentStatusComposed({ retryHref, onRetry, ...props }: PaymentStatusProps): ReactNode {
  return (
    <PaymentStatusRoot {...props}>
      <PaymentStatusMessage />
      <PaymentStatusAuthenticate />
      <PaymentStatusRefresh />
      {retryHref ? (
        <RetryLink href={retryHref} />
      ) : onRetry ? (
        <PaymentStatusRetry onClick={onRetry} />
      ) : null}
    </PaymentStatusRoot>
  );
}

function RetryLink({ href }: { href: string }): ReactNode {
  const { status, messages } = usePaymentStatusContext();
  if (status !== 'failed') return null;
  return (
    <a data-slot="payment-status-retry" data-state={status} href={href}>
      {messages.tryAgain}
    </a>
  );
}

/**
 * The return page: `<PaymentStatus retryHref="/checkout" />`, or its parts (`PaymentStatus.Root`,
 * `.Message`, `.Authenticate`, `.Refresh`, `.Retry`).
 */
export const PaymentStatus = /* @__PURE__ */ Object.assign(PaymentStatusComposed, {
  Root: PaymentStatusRoot,
  RootProvider: PaymentStatusRootProvider,
  Message: PaymentStatusMessage,
  Authenticate: PaymentStatusAuthenticate,
  Refresh: PaymentStatusRefresh,
  Retry: PaymentStatusRetry,
});
