'use client';
/**
 * `AuthenticatePayment`: the "confirm your payment" flow's unstyled parts and their ready-made
 * composition.
 */
import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import {
  alertPart,
  chain,
  focusRoot,
  part,
  retryPart,
  root,
  rootProvider,
} from '../internal/part.js';
import {
  canRetry,
  type UseAuthenticatePaymentProps,
  type UseAuthenticatePaymentReturn,
  useAuthenticatePayment,
} from './use-authenticate-payment.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [AuthenticatePaymentContext, useAuthenticatePaymentContext] =
  /* @__PURE__ */ createPartsContext<UseAuthenticatePaymentReturn>(
    'AuthenticatePayment',
    ' clientSecret={…}',
  );

type Div = ComponentPropsWithoutRef<'div'>;

export interface AuthenticatePaymentRootProps
  extends UseAuthenticatePaymentProps,
    Omit<Div, 'onError'> {}

export interface AuthenticatePaymentRootProviderProps extends Div {
  /** A `useAuthenticatePayment()` return, when the hook runs higher up. */
  value: UseAuthenticatePaymentReturn;
}

/** `<div>` for a `useAuthenticatePayment()` you called yourself. */
export const AuthenticatePaymentRootProvider = /* @__PURE__ */ rootProvider<
  UseAuthenticatePaymentReturn,
  Div,
  HTMLDivElement
>(AuthenticatePaymentContext, 'div', ({ status }) => ({
  'data-slot': 'authenticate-payment',
  'data-state': status,
  'aria-busy': status === 'loading' || status === 'submitting',
  tabIndex: -1,
}));

/** `<div>`: runs `useAuthenticatePayment()` and gives the parts its state. */
export const AuthenticatePaymentRoot = /* @__PURE__ */ root<
  UseAuthenticatePaymentProps,
  Omit<Div, 'onError'>,
  HTMLDivElement
>(AuthenticatePaymentRootProvider, useAuthenticatePayment, [
  'clientSecret',
  'onSuccess',
  'onError',
]);

/** `<p role="status">`: what the customer needs to do, or what happened. */
export const AuthenticatePaymentMessage = /* @__PURE__ */ part<
  ComponentPropsWithoutRef<'p'>,
  HTMLParagraphElement
>(({ children, ...props }) => {
  const { status, message } = useAuthenticatePaymentContext();
  return [
    'p',
    {
      'data-slot': 'authenticate-payment-message',
      'data-state': status,
      role: 'status',
      ...props,
      children: children ?? message,
    },
  ];
});

/**
 * `<button>` that opens the bank's dialog; disabled unless the payment waits for the customer.
 * "Confirm payment" unless given children.
 */
export const AuthenticatePaymentTrigger = /* @__PURE__ */ part<
  ComponentPropsWithoutRef<'button'>,
  HTMLButtonElement
>(({ children, onClick, disabled, ...props }) => {
  const { status, messages, authenticate } = useAuthenticatePaymentContext();
  return [
    'button',
    {
      type: 'button',
      'data-slot': 'authenticate-payment-trigger',
      'data-state': status,
      disabled: status !== 'requires_action' || disabled,
      ...props,
      // Disabled while the bank's dialog is open, then gone: focus stays on the flow's root.
      onClick: chain(onClick, (event) => {
        focusRoot(event, 'authenticate-payment');
        void authenticate();
      }),
      children: children ?? messages.authenticate,
    },
  ];
});

/** `<div role="alert">`, empty until authentication fails; then shows Stripe's reason and takes focus. */
export const AuthenticatePaymentError = /* @__PURE__ */ alertPart(
  'authenticate-payment-error',
  useAuthenticatePaymentContext,
);

/**
 * `<button>` "Try again", only while the payment could not be read (a network error, Stripe.js
 * did not answer): reads it again. After a failed authentication the way on is another card.
 */
export const AuthenticatePaymentRetry = /* @__PURE__ */ retryPart(
  'authenticate-payment',
  useAuthenticatePaymentContext,
  ({ state }) => canRetry(state),
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
      <AuthenticatePaymentRetry />
    </AuthenticatePaymentRoot>
  );
}

function ComposedTrigger(): ReactNode {
  const { status } = useAuthenticatePaymentContext();
  return status === 'succeeded' || status === 'failed' ? null : <AuthenticatePaymentTrigger />;
}

/**
 * Confirm a payment with the bank: `<AuthenticatePayment clientSecret={…} />`, or its parts
 * (`AuthenticatePayment.Root`, `.Message`, `.Trigger`, `.Error`, `.Retry`).
 */
export const AuthenticatePayment = /* @__PURE__ */ Object.assign(AuthenticatePaymentComposed, {
  Root: AuthenticatePaymentRoot,
  RootProvider: AuthenticatePaymentRootProvider,
  Message: AuthenticatePaymentMessage,
  Trigger: AuthenticatePaymentTrigger,
  Error: AuthenticatePaymentError,
  Retry: AuthenticatePaymentRetry,
});
