'use client';
/**
 * `usePaymentStatus()`: the page Stripe sends the customer back to after a redirect (a bank's
 * page, a wallet). Stripe puts `payment_intent_client_secret` (or `setup_intent_client_secret`) and
 * `redirect_status` in the address; the hook retrieves the intent with Stripe.js and says where it
 * stands, polling a processing payment with back-off until it settles (a bounded number of times).
 * @see https://docs.stripe.com/payments/accept-a-payment?platform=web&ui=elements#web-post-payment
 */
import type { PaymentIntent, SetupIntent } from '@stripe/stripe-js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import type { CommonMessages } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { failureOf, type IntentAnswer, retrieveIntent } from './intent.js';
import { type PaymentStatusMessages, paymentStatusMessages } from './messages.js';

export interface UsePaymentStatusProps {
  /**
   * The intent's client secret.
   * @default `payment_intent_client_secret` or `setup_intent_client_secret` from the page's address
   */
  clientSecret?: string;
  /**
   * How many times a processing payment is checked again (after 1 s, 2 s, 4 s … up to
   * `maxPollDelayMs`) before the hook stops and reports it still processing.
   * @default 6
   */
  maxPolls?: number;
  /** The first wait before checking again, doubled each time. @default 1000 */
  pollDelayMs?: number;
  /** The longest wait between two checks. @default 10000 */
  maxPollDelayMs?: number;
}

/** A payment or a setup (saving a card). */
export type StatusIntent =
  | { kind: 'payment'; intent: PaymentIntent }
  | { kind: 'setup'; intent: SetupIntent };

export type PaymentStatusState =
  /** Rendered on the server; nothing is read before the page runs. */
  | { status: 'idle' }
  /** Retrieving the intent. */
  | { status: 'loading' }
  /** Paid (or the card saved). */
  | ({ status: 'succeeded' } & StatusIntent)
  /** Processing: checked again with back-off; `stalled` once the checks ran out. */
  | ({ status: 'processing'; stalled: boolean } & StatusIntent)
  /** The bank asks the customer to confirm: call `authenticate()`. */
  | ({ status: 'requires_action' } & StatusIntent)
  /**
   * Not paid: declined, authentication failed, canceled; or `missing` (no intent in the address)
   * or `error` (it could not be retrieved). The customer can try again.
   */
  | ({
      status: 'failed';
      reason: 'failed' | 'canceled' | 'missing' | 'error';
      error: TillkitFailure;
    } & Partial<StatusIntent>);

export type PaymentStatusStatus = PaymentStatusState['status'];

export interface UsePaymentStatusReturn {
  state: PaymentStatusState;
  status: PaymentStatusStatus;
  /** What to tell the customer for this state, from the provider's messages. */
  message: string;
  /** Retrieves the intent again (after a stalled processing, say). */
  refresh(): void;
  /** Opens the bank's confirmation (3D Secure) for an intent that requires action. */
  authenticate(): Promise<void>;
  messages: CommonMessages & PaymentStatusMessages;
}

function secretFromAddress(): string | null {
  const query = new URLSearchParams(window.location.search);
  return query.get('payment_intent_client_secret') ?? query.get('setup_intent_client_secret');
}

/** The state for Stripe.js's answer; `stalled`: a processing payment is not checked again. */
function stateFor(
  answer: IntentAnswer,
  kind: StatusIntent['kind'],
  messages: CommonMessages & PaymentStatusMessages,
  stalled: boolean,
): PaymentStatusState {
  const { intent, error } = answer;
  if (!intent) return { status: 'failed', reason: 'error', error };
  const found = { kind, intent } as StatusIntent;
  const status = intent.status;
  if (status === 'succeeded' || status === 'requires_capture')
    return { status: 'succeeded', ...found };
  if (status === 'processing') return { status: 'processing', stalled, ...found };
  if (status === 'requires_action') return { status: 'requires_action', ...found };
  return {
    status: 'failed',
    reason: status === 'canceled' ? 'canceled' : 'failed',
    error: failureOf(intent, messages, messages.statusFailed),
    ...found,
  };
}

/**
 * The return page's logic.
 * @example
 * const { status, message, authenticate } = usePaymentStatus();
 */
export function usePaymentStatus(props: UsePaymentStatusProps = {}): UsePaymentStatusReturn {
  const tillkit = useTillkitContext('usePaymentStatus()');
  const messages = useMessages(tillkit, paymentStatusMessages);
  const stripe = tillkit.stripe.stripe;
  const { clientSecret, maxPolls = 6, pollDelayMs = 1000, maxPollDelayMs = 10_000 } = props;
  const [state, setState] = useState<PaymentStatusState>({ status: 'idle' });
  const [run, setRun] = useState(0);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const secretRef = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `run` restarts the checks on refresh()
  useEffect(() => {
    const secret = clientSecret ?? secretFromAddress();
    secretRef.current = secret;
    const strings = messagesRef.current;
    if (!secret) {
      setState({
        status: 'failed',
        reason: 'missing',
        error: { type: 'invalid_request_error', message: strings.statusMissing },
      });
      return;
    }
    if (tillkit.stripe.status === 'error') {
      setState({
        status: 'failed',
        reason: 'error',
        error: fromThrown(tillkit.stripe.error, strings, 'load_error'),
      });
      return;
    }
    setState({ status: 'loading' });
    if (!stripe) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const kind = secret.startsWith('seti_') ? 'setup' : 'payment';
    const check = async (attempt: number) => {
      const answer = await retrieveIntent(stripe, secret, kind === 'setup', strings);
      if (!active) return;
      const next = stateFor(answer, kind, strings, attempt >= maxPolls);
      if (next.status === 'processing' && !next.stalled) {
        const delay = Math.min(pollDelayMs * 2 ** attempt, maxPollDelayMs);
        timer = setTimeout(() => void check(attempt + 1), delay);
      }
      setState(next);
    };
    void check(0);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [stripe, tillkit.stripe, clientSecret, maxPolls, pollDelayMs, maxPollDelayMs, run]);

  const refresh = useCallback(() => setRun((count) => count + 1), []);

  const authenticate = useCallback(async () => {
    const secret = secretRef.current;
    if (!stripe || !secret || state.status !== 'requires_action') return;
    await stripe.handleNextAction({ clientSecret: secret });
    refresh();
  }, [stripe, state.status, refresh]);

  return {
    state,
    status: state.status,
    message: messageFor(state, messages),
    refresh,
    authenticate,
    messages,
  };
}

/** The customer-facing sentence for a state. */
export function messageFor(
  state: PaymentStatusState,
  messages: CommonMessages & PaymentStatusMessages,
): string {
  switch (state.status) {
    case 'idle':
    case 'loading':
      return messages.statusLoading;
    case 'succeeded':
      return state.kind === 'setup' ? messages.statusSetupSucceeded : messages.statusSucceeded;
    case 'processing':
      return state.stalled ? messages.statusStillProcessing : messages.statusProcessing;
    case 'requires_action':
      return messages.statusRequiresAction;
    case 'failed':
      return state.reason === 'missing' ? messages.statusMissing : messages.statusFailed;
  }
}
