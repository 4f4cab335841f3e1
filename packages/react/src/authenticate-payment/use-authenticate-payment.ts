'use client';
/**
 * `useAuthenticatePayment()`: brings the customer back to confirm a payment the server already
 * tried (a renewal with a card that asks for 3D Secure, an off-session charge). Retrieves the
 * intent, and on `authenticate()` opens the bank's dialog with `stripe.handleNextAction()`.
 * @see https://docs.stripe.com/js/payment_intents/handle_next_action
 */
import type { PaymentIntent } from '@stripe/stripe-js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fromStripeError, fromThrown, type TillkitFailure } from '../internal/errors.js';
import type { CommonMessages } from '../messages/messages.js';
import { failureOf, retrieveIntent } from '../payment-status/intent.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type AuthenticatePaymentMessages, authenticatePaymentMessages } from './messages.js';

export interface UseAuthenticatePaymentProps {
  /** The PaymentIntent's client secret (`pi_…_secret_…`), from your server. */
  clientSecret: string;
  /** Called once the payment is confirmed (succeeded, or processing). */
  onSuccess?: (paymentIntent: PaymentIntent) => void;
  /** Called when authentication failed or the payment needs another card. */
  onError?: (error: TillkitFailure) => void;
}

export type AuthenticatePaymentState =
  /** Rendered on the server, or no client secret yet. */
  | { status: 'idle' }
  /** Retrieving the intent. */
  | { status: 'loading' }
  /** The bank asks for the customer: call `authenticate()`. */
  | { status: 'requires_action'; paymentIntent: PaymentIntent }
  /** The bank's dialog is open. */
  | { status: 'submitting'; paymentIntent: PaymentIntent }
  /** Confirmed (or already paid). */
  | { status: 'succeeded'; paymentIntent: PaymentIntent }
  /**
   * Authentication failed or was abandoned, or the intent cannot be confirmed any more.
   * `needsNewCard`: the intent went back to `requires_payment_method` (pay with another card).
   */
  | {
      status: 'failed';
      error: TillkitFailure;
      needsNewCard: boolean;
      paymentIntent?: PaymentIntent | undefined;
    };

export type AuthenticatePaymentStatus = AuthenticatePaymentState['status'];

export interface UseAuthenticatePaymentReturn {
  state: AuthenticatePaymentState;
  status: AuthenticatePaymentStatus;
  error: TillkitFailure | null;
  /** Opens the bank's dialog. Does nothing unless the state is `requires_action`. */
  authenticate(): Promise<void>;
  /**
   * Reads the intent again (after it could not be read: `failed` with no `paymentIntent`). When
   * Stripe.js itself did not load, the page is reloaded, as the customer would.
   */
  refresh(): void;
  /** The customer-facing sentence for the state. */
  message: string;
  messages: CommonMessages & AuthenticatePaymentMessages;
  /** A ref for the element that takes focus after a failure (the error part). */
  errorRef: (node: HTMLElement | null) => void;
}

const CONFIRMED = new Set<string>(['succeeded', 'processing', 'requires_capture']);

/**
 * Whether reading the intent again can help (`.Retry` shows then): it could not be read, for a
 * reason other than a secret Stripe does not know. Not after a failed authentication: another
 * card is the way on.
 */
export function canRetry(state: AuthenticatePaymentState): boolean {
  return (
    state.status === 'failed' &&
    !state.paymentIntent &&
    state.error.type !== 'invalid_request_error'
  );
}

/**
 * The headless "confirm your payment" flow.
 * @example
 * const { status, authenticate } = useAuthenticatePayment({ clientSecret });
 * if (status === 'requires_action') return <button onClick={authenticate}>Confirm payment</button>;
 */
export function useAuthenticatePayment(
  props: UseAuthenticatePaymentProps,
): UseAuthenticatePaymentReturn {
  const tillkit = useTillkitContext('useAuthenticatePayment()');
  const messages = useMessages(tillkit, authenticatePaymentMessages);
  const stripe = tillkit.stripe.stripe;
  const stripeFailed = tillkit.stripe.status === 'error';
  const { clientSecret } = props;
  const [state, setState] = useState<AuthenticatePaymentState>({ status: 'idle' });
  const [run, setRun] = useState(0);
  const latest = useRef({ props, messages });
  latest.current = { props, messages };
  // Each failure is a new state: its error part takes focus once it shows.
  const errorNode = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (state.status === 'failed') errorNode.current?.focus();
  }, [state]);

  // A Stripe error may carry `payment_intent: null`: the failed state says undefined then.
  const settleNow = useCallback((paymentIntent?: PaymentIntent | null, error?: TillkitFailure) => {
    const { props: current, messages: strings } = latest.current;
    if (paymentIntent && CONFIRMED.has(paymentIntent.status)) {
      setState({ status: 'succeeded', paymentIntent });
      current.onSuccess?.(paymentIntent);
      return;
    }
    if (paymentIntent?.status === 'requires_action' && !error) {
      setState({ status: 'requires_action', paymentIntent });
      return;
    }
    const needsNewCard = paymentIntent?.status === 'requires_payment_method';
    // Only an intent back to `requires_payment_method` takes another card; a canceled one none.
    const failure =
      error ??
      failureOf(
        paymentIntent,
        strings,
        needsNewCard ? strings.authenticateNeedsNewCard : strings.authenticateUnavailable,
      );
    setState({
      status: 'failed',
      error: failure,
      needsNewCard,
      paymentIntent: paymentIntent ?? undefined,
    });
    current.onError?.(failure);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `run` reads the intent again on refresh()
  useEffect(() => {
    if (!clientSecret) {
      setState({ status: 'idle' });
      return;
    }
    const strings = latest.current.messages;
    if (stripeFailed) {
      settleNow(undefined, fromThrown(tillkit.stripe.error, strings, 'load_error'));
      return;
    }
    setState({ status: 'loading' });
    if (!stripe) return;
    let active = true;
    void retrieveIntent(stripe, clientSecret, false, strings, strings.authenticateUnavailable).then(
      ({ intent, error }) => {
        if (active) settleNow(intent as PaymentIntent | undefined, error);
      },
    );
    return () => {
      active = false;
    };
  }, [stripe, tillkit.stripe, clientSecret, settleNow, run]);

  const busy = useRef(false);
  const authenticate = useCallback(async () => {
    if (busy.current || !stripe || state.status !== 'requires_action') return;
    busy.current = true;
    const strings = latest.current.messages;
    setState({ status: 'submitting', paymentIntent: state.paymentIntent });
    // Another intent given meanwhile (a host's one panel for whichever payment is chosen) is
    // being read for itself: this one's outcome is not its.
    const settle = (paymentIntent?: PaymentIntent | null, error?: TillkitFailure) => {
      if (latest.current.props.clientSecret === clientSecret) settleNow(paymentIntent, error);
    };
    try {
      const result = await stripe.handleNextAction({ clientSecret });
      if (result.error) {
        // After a failed authentication the intent is back to requires_payment_method.
        settle(
          result.error.payment_intent,
          fromStripeError(result.error, strings, strings.authenticateUnavailable),
        );
      } else {
        settle(result.paymentIntent);
      }
    } catch (error) {
      // Where the payment stands is unknown now: without an intent the failure offers to read it
      // again (`refresh()`), not another card.
      settle(undefined, fromThrown(error, strings));
    } finally {
      busy.current = false;
    }
  }, [stripe, state, clientSecret, settleNow]);

  return {
    state,
    status: state.status,
    error: state.status === 'failed' ? state.error : null,
    authenticate,
    // The provider does not load a Stripe.js that failed again; a new page does.
    refresh: useCallback(() => {
      if (stripeFailed) window.location.reload();
      else setRun((count) => count + 1);
    }, [stripeFailed]),
    message:
      state.status === 'succeeded'
        ? messages.authenticateSucceeded
        : state.status === 'submitting'
          ? messages.authenticating
          : state.status === 'requires_action'
            ? messages.authenticateRequired
            : state.status === 'failed'
              ? state.needsNewCard
                ? messages.authenticateNeedsNewCard
                : // "Please try again" only beside "Try again"; otherwise the error region
                  // alone says why.
                  canRetry(state)
                  ? messages.genericError
                  : ''
              : messages.loading,
    messages,
    errorRef: useCallback((node: HTMLElement | null) => {
      errorNode.current = node;
    }, []),
  };
}
