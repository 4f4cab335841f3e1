'use client';
/**
 * `AuthenticatePayment`: the "confirm your payment" flow's unstyled parts and their ready-made
 * composition.
 */
import { type ComponentPropsWithoutRef, forwardRef, type ReactNode } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import { mergeRefs } from '../internal/merge-refs.js';
import {
  type UseAuthenticatePaymentProps,
  type UseAuthenticatePaymentReturn,
  useAuthenticatePayment,
} from './use-authenticate-payment.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [AuthenticatePaymentContext, useAuthenticatePaymentContext] =
  createPartsContext<UseAuthenticatePaymentReturn>('AuthenticatePayment', ' clientSecret={…}');

export interface AuthenticatePaymentRootProps
  extends UseAuthenticatePaymentProps,
    Omit<ComponentPropsWithoutRef<'div'>, 'onError'> {}

/** `<div>`: runs `useAuthenticatePayment()` and gives the parts its state. */
export const AuthenticatePaymentRoot = forwardRef<HTMLDivElement, AuthenticatePaymentRootProps>(
  function AuthenticatePaymentRoot({ clientSecret, onSuccess, onError, ...props }, ref) {
    const value = useAuthenticatePayment({ clientSecret, onSuccess, onError });
    return <AuthenticatePaymentRootProvider {...props} ref={ref} value={value} />;
  },
);

export interface AuthenticatePaymentRootProviderProps extends ComponentPropsWithoutRef<'div'> {
  /** A `useAuthenticatePayment()` return, when the hook runs higher up. */
  value: UseAuthenticatePaymentReturn;
}

/** `<div>` for a `useAuthenticatePayment()` you called yourself. */
export const AuthenticatePaymentRootProvider = forwardRef<
  HTMLDivElement,
  AuthenticatePaymentRootProviderProps
>(function AuthenticatePaymentRootProvider({ value, ...props }, ref) {
  return (
    <AuthenticatePaymentContext.Provider value={value}>
      <div
        data-slot="authenticate-payment"
        data-state={value.status}
        aria-busy={value.status === 'loading' || value.status === 'submitting'}
        {...props}
        ref={ref}
      />
    </AuthenticatePaymentContext.Provider>
  );
});

/** `<p role="status">`: what the customer needs to do, or what happened. */
export const AuthenticatePaymentMessage = forwardRef<
  HTMLParagraphElement,
  ComponentPropsWithoutRef<'p'>
>(function AuthenticatePaymentMessage({ children, ...props }, ref) {
  const { status, message } = useAuthenticatePaymentContext();
  return (
    <p
      data-slot="authenticate-payment-message"
      data-state={status}
      role="status"
      {...props}
      ref={ref}
    >
      {children ?? message}
    </p>
  );
});

/**
 * `<button>` that opens the bank's dialog; disabled unless the payment waits for the customer.
 * "Confirm payment" unless given children.
 */
export const AuthenticatePaymentTrigger = forwardRef<
  HTMLButtonElement,
  ComponentPropsWithoutRef<'button'>
>(function AuthenticatePaymentTrigger({ children, onClick, disabled, ...props }, ref) {
  const { status, messages, authenticate } = useAuthenticatePaymentContext();
  return (
    <button
      type="button"
      data-slot="authenticate-payment-trigger"
      data-state={status}
      disabled={status !== 'requires_action' || disabled}
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

/** `<div role="alert">`, empty until authentication fails; then shows Stripe's reason and takes focus. */
export const AuthenticatePaymentError = forwardRef<HTMLDivElement, ComponentPropsWithoutRef<'div'>>(
  function AuthenticatePaymentError({ children, ...props }, ref) {
    const { error, errorRef } = useAuthenticatePaymentContext();
    return (
      <div
        data-slot="authenticate-payment-error"
        data-state={error ? 'visible' : 'hidden'}
        role="alert"
        tabIndex={-1}
        {...props}
        ref={mergeRefs(errorRef, ref)}
      >
        {error ? (children ?? error.message) : null}
      </div>
    );
  },
);

export type AuthenticatePaymentProps = AuthenticatePaymentRootProps;

/**
 * The ready-made flow: what the bank asks, a "Confirm payment" button, then the outcome.
 * @example
 * <AuthenticatePayment clientSecret={subscription.pendingAction.clientSecret} onSuccess={refresh} />
 */
function AuthenticatePaymentComposed(props: AuthenticatePaymentProps): ReactNode {
  return (
    <AuthenticatePaymentRoot {...props}>
      <AuthenticatePaymentMessage />
      <AuthenticatePaymentError />
      <ComposedTrigger />
    </AuthenticatePaymentRoot>
  );
}

function ComposedTrigger(): ReactNode {
  const { status } = useAuthenticatePaymentContext();
  return status === 'succeeded' || status === 'failed' ? null : <AuthenticatePaymentTrigger />;
}

/**
 * Confirm a payment with the bank: `<AuthenticatePayment clientSecret={…} />`, or its parts
 * (`AuthenticatePayment.Root`, `.Message`, `.Trigger`, `.Error`).
 */
export const AuthenticatePayment = /* @__PURE__ */ Object.assign(AuthenticatePaymentComposed, {
  Root: AuthenticatePaymentRoot,
  RootProvider: AuthenticatePaymentRootProvider,
  Message: AuthenticatePaymentMessage,
  Trigger: AuthenticatePaymentTrigger,
  Error: AuthenticatePaymentError,
});
