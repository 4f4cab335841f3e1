'use client';
/**
 * `usePaymentStatus()`: the page Stripe sends the customer back to after a redirect (a bank's
 * page, a wallet). Stripe puts `payment_intent_client_secret` (or `setup_intent_client_secret`) and
 * `redirect_status` in the address; the hook retrieves the intent with Stripe.js and says where it
 * stands, polling a processing payment with back-off until it settles (a bounded number of times).
 * The intent decides; `redirect_status` is kept in the state for the host. An intent that cannot
 * be read is `unknown`, never `failed`: the customer may have paid, and must not be asked to pay
 * again.
 * @see https://docs.stripe.com/payments/accept-a-payment?platform=web&ui=elements#web-post-payment
 */
import type { PaymentIntent, SetupIntent } from '@stripe/stripe-js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import { forgetPendingIntent } from '../internal/pending-intent.js';
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
   * What Stripe's redirect said about the intent. Shown in the state as `redirectStatus`; the
   * retrieved intent decides the outcome whenever it can be read.
   * @default `redirect_status` from the page's address
   */
  redirectStatus?: RedirectStatus;
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

/**
 * What Stripe put in the return address's `redirect_status` (the sandbox sends `succeeded` or
 * `failed`).
 * @see https://docs.stripe.com/payments/payment-intents/verifying-status
 */
export type RedirectStatus = 'succeeded' | 'processing' | 'requires_payment_method' | 'failed';

const REDIRECT_STATUSES: ReadonlyArray<string | null> = [
  'succeeded',
  'processing',
  'requires_payment_method',
  'failed',
] satisfies RedirectStatus[];

/** Where the intent stands, without what every state carries. */
type Outcome =
  /** Rendered on the server; nothing is read before the page runs. */
  | { status: 'idle' }
  /** Retrieving the intent. */
  | { status: 'loading'; kind: StatusIntent['kind'] }
  /** Paid (or the card saved). */
  | ({ status: 'succeeded' } & StatusIntent)
  /** Processing: checked again with back-off; `stalled` once the checks ran out. */
  | ({ status: 'processing'; stalled: boolean } & StatusIntent)
  /**
   * The bank asks the customer to confirm: call `authenticate()`. `authenticating` while the
   * bank's confirmation is open.
   */
  | ({ status: 'requires_action'; authenticating: boolean } & StatusIntent)
  /**
   * The intent could not be read (a network error, Stripe answered 5xx, Stripe.js did not load):
   * it may well be paid, so the customer is asked to check again, never to pay again.
   */
  | { status: 'unknown'; kind: StatusIntent['kind']; error: TillkitFailure }
  /**
   * Not paid: declined, authentication failed, canceled; or `missing` (no intent in the address,
   * or one Stripe does not know: a malformed or wrong secret). The customer can try again.
   */
  | ({
      status: 'failed';
      reason: 'failed' | 'canceled' | 'missing';
      error: TillkitFailure;
    } & Partial<StatusIntent>);

/** The return page's state: where the intent stands, and what Stripe's redirect said. */
export type PaymentStatusState = Outcome & {
  /**
   * What Stripe's redirect said (`redirect_status`), or null when the address has none (or a value
   * Stripe does not send) and before the page runs. Only a hint: the retrieved intent decides.
   */
  redirectStatus: RedirectStatus | null;
};

export type PaymentStatusStatus = PaymentStatusState['status'];

export interface UsePaymentStatusReturn {
  state: PaymentStatusState;
  status: PaymentStatusStatus;
  /** What to tell the customer for this state, from the provider's messages. */
  message: string;
  /**
   * Retrieves the intent again (after a stalled processing or an `unknown`). When Stripe.js itself
   * did not load there is nothing to retrieve with, so the page is reloaded, as the customer would.
   */
  refresh(): void;
  /**
   * Opens the bank's confirmation (3D Secure) for an intent that requires action, then retrieves
   * the intent again, however the confirmation ended (it never rejects). Does nothing while one is
   * open.
   */
  authenticate(): Promise<void>;
  messages: CommonMessages & PaymentStatusMessages;
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
  const stripeFailed = tillkit.stripe.status === 'error';
  const {
    clientSecret,
    redirectStatus: givenRedirectStatus,
    maxPolls = 6,
    pollDelayMs = 1000,
    maxPollDelayMs = 10_000,
  } = props;
  const [state, setState] = useState<PaymentStatusState>({ status: 'idle', redirectStatus: null });
  const [run, setRun] = useState(0);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `run` restarts the checks on refresh()
  useEffect(() => {
    // What Stripe put in the page's address after its redirect, unless given.
    const query = new URLSearchParams(window.location.search);
    const redirect = query.get('redirect_status');
    const redirectStatus =
      givenRedirectStatus ??
      (REDIRECT_STATUSES.includes(redirect) ? (redirect as RedirectStatus) : null);
    const secret =
      clientSecret ??
      query.get('payment_intent_client_secret') ??
      query.get('setup_intent_client_secret');
    const strings = messagesRef.current;
    const kind = secret?.startsWith('seti_') ? 'setup' : 'payment';
    /** The state for Stripe.js's answer; `stalled`: a processing payment is not checked again. */
    const stateFor = ({ intent, error }: IntentAnswer, stalled: boolean): PaymentStatusState => {
      if (!intent) {
        // Stripe does not know the secret (or it is malformed): no payment to show, as with none.
        return error.type === 'invalid_request_error'
          ? {
              status: 'failed',
              reason: 'missing',
              error: { ...error, message: strings.statusMissing },
              redirectStatus,
            }
          : { status: 'unknown', kind, error, redirectStatus };
      }
      const found = { kind, intent, redirectStatus } as StatusIntent & {
        redirectStatus: RedirectStatus | null;
      };
      const status = intent.status;
      if (status === 'succeeded' || status === 'requires_capture')
        return { status: 'succeeded', ...found };
      if (status === 'processing') return { status: 'processing', stalled, ...found };
      if (status === 'requires_action')
        return { status: 'requires_action', authenticating: false, ...found };
      return {
        status: 'failed',
        reason: status === 'canceled' ? 'canceled' : 'failed',
        error: failureOf(
          intent,
          strings,
          kind === 'setup' ? strings.statusSetupFailed : strings.statusFailed,
        ),
        ...found,
      };
    };
    if (!secret || stripeFailed) {
      // No intent in the address: as one Stripe does not know (`missing`, with the page's own
      // message). Stripe.js did not load: as an intent it could not read (`unknown`).
      const error = secret
        ? fromThrown(tillkit.stripe.error, strings, 'load_error')
        : { type: 'invalid_request_error', message: '' };
      setState(stateFor({ error }, false));
      return;
    }
    setState({ status: 'loading', kind, redirectStatus });
    if (!stripe) return;
    let active = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async (attempt: number, last?: PaymentStatusState) => {
      const answer = await retrieveIntent(stripe, secret, kind === 'setup', strings);
      if (!active) return;
      const stalled = attempt >= maxPolls;
      let next = stateFor(answer, stalled);
      // A check of a processing payment that fails (a dropped connection) is one of the checks:
      // the payment is still processing as far as anyone knows, and the next check tells.
      if (next.status === 'unknown' && last?.status === 'processing') next = { ...last, stalled };
      // Shown here as made: the checkout page's kept intent (`PaymentForm`) is done with.
      if (kind === 'payment' && (next.status === 'succeeded' || next.status === 'processing')) {
        forgetPendingIntent(tillkit.apiBase, secret);
      }
      if (next.status === 'processing' && !next.stalled) {
        const delay = Math.min(pollDelayMs * 2 ** attempt, maxPollDelayMs);
        timer = setTimeout(() => void check(attempt + 1, next), delay);
      }
      setState(next);
    };
    void check(0);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [
    stripe,
    tillkit.stripe,
    clientSecret,
    givenRedirectStatus,
    maxPolls,
    pollDelayMs,
    maxPollDelayMs,
    run,
  ]);

  const refresh = useCallback(() => {
    // The provider does not load a Stripe.js that failed again; a new page does (the address, or
    // the host's route, still holds the intent).
    if (stripeFailed) window.location.reload();
    else setRun((count) => count + 1);
  }, [stripeFailed]);

  // A ref as well as the state: two clicks in one frame both see the state before either re-render.
  const authenticating = useRef(false);
  const authenticate = useCallback(async () => {
    if (authenticating.current || !stripe || state.status !== 'requires_action') return;
    authenticating.current = true;
    // An updater: a `refresh()` in the same handler must not be overwritten by this render's state.
    setState((current) =>
      current.status === 'requires_action' ? { ...current, authenticating: true } : current,
    );
    try {
      // However it ends (confirmed, refused by the bank, closed, thrown), the intent says where
      // the payment stands: it is read again below. Read with its secret, the intent carries it.
      await stripe.handleNextAction({ clientSecret: state.intent.client_secret as string });
    } catch {
      // Nothing the intent, read again below, does not say; and a click handler cannot catch it.
    } finally {
      authenticating.current = false;
      refresh();
    }
  }, [stripe, state, refresh]);

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
  // `idle` has no intent, and a `missing` one none either.
  const setup = (state as { kind?: string }).kind === 'setup';
  switch (state.status) {
    case 'idle':
      return messages.statusLoading;
    case 'loading':
      return setup ? messages.statusSetupLoading : messages.statusLoading;
    case 'succeeded':
      return setup ? messages.statusSetupSucceeded : messages.statusSucceeded;
    case 'processing':
      if (setup)
        return state.stalled ? messages.statusSetupStillProcessing : messages.statusSetupProcessing;
      return state.stalled ? messages.statusStillProcessing : messages.statusProcessing;
    case 'requires_action':
      if (state.authenticating) return messages.authenticating;
      return setup ? messages.statusSetupRequiresAction : messages.statusRequiresAction;
    case 'unknown':
      if (setup) return messages.statusSetupUnknown;
      return state.redirectStatus === 'succeeded'
        ? messages.statusUnknownReportedPaid
        : messages.statusUnknown;
    case 'failed':
      if (state.reason === 'missing') return messages.statusMissing;
      return setup ? messages.statusSetupFailed : messages.statusFailed;
  }
}
