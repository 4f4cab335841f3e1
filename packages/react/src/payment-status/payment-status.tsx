'use client';
/**
 * `PaymentStatus`: the return page's unstyled parts and their ready-made composition.
 */
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import {
  type UsePaymentStatusProps,
  type UsePaymentStatusReturn,
  usePaymentStatus,
} from './use-payment-status.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [PaymentStatusContext, usePaymentStatusContext] =
  createPartsContext<UsePaymentStatusReturn>('PaymentStatus', '');

export interface PaymentStatusRootProps
  extends UsePaymentStatusProps,
    ComponentPropsWithoutRef<'div'> {}

/** `<div>`: runs `usePaymentStatus()` and gives the parts its state. */
export const PaymentStatusRoot = forwardRef<HTMLDivElement, PaymentStatusRootProps>(
  function PaymentStatusRoot(props, ref) {
    const { clientSecret, maxPolls, pollDelayMs, maxPollDelayMs, ...rest } = props;
    const value = usePaymentStatus({ clientSecret, maxPolls, pollDelayMs, maxPollDelayMs });
    return <PaymentStatusRootProvider {...rest} ref={ref} value={value} />;
  },
);

export interface PaymentStatusRootProviderProps extends ComponentPropsWithoutRef<'div'> {
  /** A `usePaymentStatus()` return, when the hook runs higher up. */
  value: UsePaymentStatusReturn;
}

/** `<div>` for a `usePaymentStatus()` you called yourself. */
export const PaymentStatusRootProvider = forwardRef<HTMLDivElement, PaymentStatusRootProviderProps>(
  function PaymentStatusRootProvider({ value, ...props }, ref) {
    return (
      <PaymentStatusContext.Provider value={value}>
        <div
          data-slot="payment-status"
          data-state={value.status}
          aria-busy={value.status === 'loading' || value.status === 'idle'}
          {...props}
          ref={ref}
        />
      </PaymentStatusContext.Provider>
    );
  },
);

export type PaymentStatusMessageProps = ComponentPropsWithoutRef<'p'>;

/**
 * `<p role="status">`: what happened, in the provider's language, with Stripe's reason after a
 * decline ("Your payment was not completed. Your card was declined.").
 */
export const PaymentStatusMessage = forwardRef<HTMLParagraphElement, PaymentStatusMessageProps>(
  function PaymentStatusMessage({ children, ...props }, ref) {
    const { state, message } = usePaymentStatusContext();
    const reason =
      state.status === 'failed' && state.reason === 'failed' && state.error.message !== message
        ? ` ${state.error.message}`
        : '';
    return (
      <p
        data-slot="payment-status-message"
        data-state={state.status}
        role="status"
        {...props}
        ref={ref}
      >
        {children ?? `${message}${reason}`}
      </p>
    );
  },
);

export interface PaymentStatusRetryProps extends ComponentPropsWithoutRef<'button'> {}

/**
 * `<button>` shown only when the payment failed: starts again (`onClick`: back to the checkout,
 * say). For a plain link use the composed `<PaymentStatus retryHref>`.
 */
export const PaymentStatusRetry = forwardRef<HTMLButtonElement, PaymentStatusRetryProps>(
  function PaymentStatusRetry({ children, ...props }, ref) {
    const { status, messages } = usePaymentStatusContext();
    if (status !== 'failed') return null;
    return (
      <button
        type="button"
        data-slot="payment-status-retry"
        data-state={status}
        {...props}
        ref={ref}
      >
        {children ?? messages.tryAgain}
      </button>
    );
  },
);

/** `<button>` shown only when the checks stopped while the payment still processes. */
export const PaymentStatusRefresh = forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function PaymentStatusRefresh({ children, onClick, ...props }, ref) {
  const { state, messages, refresh } = usePaymentStatusContext();
  if (state.status !== 'processing' || !state.stalled) return null;
  return (
    <button
      type="button"
      data-slot="payment-status-refresh"
      data-state={state.status}
      {...props}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) refresh();
      }}
      ref={ref}
    >
      {children ?? messages.checkAgain}
    </button>
  );
});

/** `<button>` shown only when the bank asks the customer to confirm (3D Secure). */
export const PaymentStatusAuthenticate = forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function PaymentStatusAuthenticate({ children, onClick, ...props }, ref) {
  const { status, messages, authenticate } = usePaymentStatusContext();
  if (status !== 'requires_action') return null;
  return (
    <button
      type="button"
      data-slot="payment-status-authenticate"
      data-state={status}
      {...props}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) void authenticate();
      }}
      ref={ref}
    >
      {children ?? messages.authenticate}
    </button>
  );
});

export interface PaymentStatusProps extends PaymentStatusRootProps {
  /** A link back to the checkout, shown when the payment failed. */
  retryHref?: string;
  /** Called by the "Try again" button when the payment failed (instead of `retryHref`). */
  onRetry?: () => void;
}

/**
 * The ready-made return page: the outcome, with "Try again", "Check again" or "Confirm payment"
 * where they apply.
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
