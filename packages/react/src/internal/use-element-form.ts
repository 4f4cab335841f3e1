'use client';
/**
 * What the kit's card forms share (saving a card, subscribing, paying a subscription's open
 * invoice with another card): the Payment Element, a submit flow that cannot run twice at once,
 * the state as a union, an error region that takes focus after a decline, and the parts' prop
 * getters. Each form brings its Elements options (the provider's appearance and locale are added
 * here) and `run`, the part that talks to the server and confirms.
 */
import type {
  PaymentIntent,
  SetupIntent,
  StripeElements,
  StripeElementsOptions,
  StripeError,
} from '@stripe/stripe-js';
import {
  type FormEvent,
  type Ref,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { CommonMessages } from '../messages/messages.js';
import type { TillkitContextValue } from '../provider/tillkit-provider.js';
import { fromStripeError, fromThrown, type TillkitFailure } from './errors.js';
import { usePaymentElement } from './use-payment-element.js';

/**
 * Where a card form is: `idle` (nothing to pay), `loading` (Stripe.js, the prices or the card
 * fields), `ready`, `submitting` (including a 3D Secure dialog Stripe.js opens while confirming),
 * `requires_action` (confirming left an action to the kit, which opens the bank's dialog for it),
 * `succeeded` (with what the form made) or `failed` (`retryable`: fix the card and submit again).
 */
export type ElementFormState<S extends object> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready' }
  | { status: 'submitting' }
  | { status: 'requires_action' }
  | ({ status: 'succeeded' } & S)
  | { status: 'failed'; error: TillkitFailure; retryable: boolean };

/** `ElementFormState['status']`. */
export type ElementFormStatus =
  | 'idle'
  | 'loading'
  | 'ready'
  | 'submitting'
  | 'requires_action'
  | 'succeeded'
  | 'failed';

type DataProps = { 'data-slot': string; 'data-state': ElementFormStatus };

/** What a card form's hook returns: its state, `submit()` and the parts' prop getters. */
export interface ElementFormReturn<S extends object, M> {
  /** The form's state, a discriminated union on `status`. */
  state: ElementFormState<S>;
  status: ElementFormStatus;
  /** The current failure, if any. */
  error: TillkitFailure | null;
  /** Whether `submit()` would start now. */
  canSubmit: boolean;
  /** The submit button's text for the state ("Save card", "Processing…"). */
  submitLabel: string;
  /** Validates the card, asks the server and confirms with Stripe. Does nothing while busy. */
  submit(): Promise<void>;
  /**
   * After a load failure (`error.type` `load_error`): reads the prices again, or builds the card
   * fields again; when Stripe.js itself did not load, reloads the page (the provider loads it
   * once per page).
   */
  refresh(): void;
  messages: M;
  /**
   * Props for the `<form>`, focusable from script: the pressed submit button is disabled while the
   * form works (and goes once it succeeds), so focus moves to the form instead of the page's body.
   */
  getRootProps(): DataProps & {
    onSubmit: (event: FormEvent) => void;
    noValidate: true;
    'aria-busy': boolean;
    tabIndex: -1;
  };
  /** Props for the element the Payment Element mounts into. */
  getElementProps(): DataProps & {
    ref: Ref<HTMLDivElement>;
    role: 'group';
    'aria-label': string;
  };
  /** Props for the submit button. */
  getSubmitProps(): DataProps & {
    type: 'submit';
    disabled: boolean;
    'aria-describedby': string | undefined;
  };
  /** Props for the error region: a live region that takes focus after a decline. */
  getErrorProps(): {
    'data-slot': string;
    'data-state': 'visible' | 'hidden';
    id: string;
    ref: Ref<HTMLDivElement>;
    role: 'alert';
    tabIndex: -1;
  };
}

/** What a form's `run` is given: Stripe.js, the submitted Elements group and the ways out. */
export interface FormStep {
  elements: StripeElements;
  /**
   * Confirms an intent with the form's card (`confirmSetup` or `confirmPayment`, 3D Secure in
   * place) and answers it, or reports the failure and answers undefined. `clientSecret` null: the
   * group was made from the intent.
   */
  confirm(
    clientSecret: string | null,
    setup: boolean,
  ): Promise<PaymentIntent | SetupIntent | undefined>;
  /** The failure this submit reported, if any (after `confirm` answered undefined). */
  failure(): TillkitFailure | undefined;
}

export interface ElementFormConfig<S extends object, M extends FormMessages> {
  /** `data-slot` of the root; the parts add `-element`, `-submit`, `-error`. */
  slot: string;
  messages: M;
  /**
   * The Elements group's options; null while what they need (a price) loads. The provider's
   * `appearance` and `locale` are added here, so a form need not set them.
   */
  options: StripeElementsOptions | null;
  /** Nothing to do (an empty cart): the state is `idle`. */
  idle?: boolean;
  /**
   * Another value starts the form afresh (`ready`, unless a submit is on its way): another cart.
   * @default the intent's client secret, for a group made from one
   */
  fresh?: string | undefined;
  /** Why the form cannot load (a price that is not on sale, the prices could not be read). */
  loadError?: TillkitFailure | null | undefined;
  /** Reads again what `loadError` reports (the prices). */
  refresh?: (() => void) | undefined;
  /** Something the submit needs is on its way (a promotion code being checked): it waits. */
  hold?: boolean | undefined;
  /**
   * What the form came to with no submit of its own (a payment found made after the page was
   * reloaded): shown as `succeeded` while given. The form that gives it tells `onSuccess` itself.
   */
  outcome?: S | null | undefined;
  /** The card fields' accessible name. */
  label: string;
  /** The submit button's text when not busy. */
  action: string;
  /** The busy button's text. */
  busy: string;
  /** Where a payment method that redirects comes back to. @default the current page */
  returnUrl?: string | undefined;
  /**
   * The card is saved because the customer (or the host, for them) asked to: it is marked
   * `allow_redisplay: 'always'`, so the Payment Element offers it again at later checkouts (see
   * `POST /customer-sessions`). Cards saved for a subscription stay as Stripe marks them
   * (`limited`: charged again, not offered at checkout).
   */
  save?: boolean | undefined;
  /** The server's part and the confirmation; answers what `succeeded` carries, or undefined. */
  run(step: FormStep): Promise<S | undefined>;
  onSuccess?: ((value: S) => void) | undefined;
  onError?: ((error: TillkitFailure) => void) | undefined;
}

/** The strings every card form has. */
export type FormMessages = CommonMessages & { tryAgain: string };

type Answer = {
  error?: StripeError | undefined;
  paymentIntent?: PaymentIntent | undefined;
  setupIntent?: SetupIntent | undefined;
};

/** The statuses of an intent whose money moved (or will, for `processing`): the outcome. */
export const DONE = new Set<string>(['succeeded', 'processing', 'requires_capture']);

/** The shared card form. `tillkit` is the caller's `useTillkitContext()`. */
export function useElementForm<S extends object, M extends FormMessages>(
  tillkit: TillkitContextValue,
  config: ElementFormConfig<S, M>,
): ElementFormReturn<S, M> {
  const { slot, messages } = config;
  const { appearance, locale } = tillkit;
  const stripe = tillkit.stripe.stripe;
  const errorId = useId();
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  // An appearance read from the page (`appearanceFromStyles`: the theme `styles.css` gives the
  // form where it sits) is read again when the OS's colour scheme changes, and when a theme is
  // switched on the page: a `class`, `data-theme` or `style` of an element the form sits in (not
  // the card fields' own container, whose classes Stripe.js changes as the customer types).
  const [scheme, setScheme] = useState(0);
  useEffect(() => {
    if (typeof appearance !== 'function' || !container) return;
    const again = () => setScheme((count) => count + 1);
    // jsdom (a host's tests) has no matchMedia.
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (query) query.onchange = again;
    const observer = new MutationObserver(again);
    for (let node = container.parentElement; node; node = node.parentElement) {
      observer.observe(node, { attributeFilter: ['class', 'data-theme', 'style'] });
    }
    return () => {
      if (query) query.onchange = null;
      observer.disconnect();
    };
  }, [appearance, container]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `scheme` stands for the OS's scheme
  const look = useMemo(
    () => (typeof appearance !== 'function' ? appearance : container && appearance(container)),
    [appearance, container, scheme],
  );
  let options = config.options;
  if (options) {
    options = { ...options };
    if (look) options.appearance = look;
    if (locale) options.locale = locale as StripeElementsOptions['locale'];
  }
  // Bumped by refresh() after the card fields failed to load: the group is built again.
  const [attempt, setAttempt] = useState(0);
  const element = usePaymentElement(stripe, options, container, attempt);
  // Where the customer's attempts are; shown only while the element is ready (`ready` is idle).
  const [flow, setFlow] = useState<ElementFormState<S>>({ status: 'ready' });
  const busy = useRef(false);
  // Another intent (`PayWithNewCard` given another invoice's secret), or another cart, starts
  // afresh: what the last one came to (paid, declined) is not this one's.
  const fresh = config.fresh ?? options?.clientSecret;
  const [flowFor, setFlowFor] = useState(fresh);
  if (flowFor !== fresh) {
    setFlowFor(fresh);
    if (!busy.current) setFlow({ status: 'ready' });
  }
  const freshNow = useRef(fresh);
  freshNow.current = fresh;
  // A form taken off the page before it confirms confirms nothing (its Elements group is
  // destroyed) and reports no failure; a payment that goes through all the same is reported.
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const errorRef = useRef<HTMLDivElement | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest) errorRef.current?.focus();
  }, [focusRequest]);

  const broken = tillkit.stripe.error ?? element.error;
  const loadError =
    config.loadError ?? (broken ? fromThrown(broken, messages, 'load_error') : null);
  const state: ElementFormState<S> = config.idle
    ? { status: 'idle' }
    : flow.status === 'succeeded'
      ? flow
      : config.outcome
        ? { status: 'succeeded', ...config.outcome }
        : loadError
          ? { status: 'failed', error: loadError, retryable: false }
          : element.status === 'ready'
            ? flow
            : { status: 'loading' };
  const { status } = state;
  const error = state.status === 'failed' ? state.error : null;
  const canSubmit =
    !config.hold && (status === 'ready' || (state.status === 'failed' && state.retryable));
  const working = status === 'submitting' || status === 'requires_action';

  const now = { config, canSubmit, elements: element.elements, stripe, changes: tillkit.changes };
  const latest = useRef(now);
  latest.current = now;

  const submit = useCallback(async (): Promise<void> => {
    const { config: current, canSubmit: can, elements, stripe: stripeJs } = latest.current;
    if (busy.current || !can || !stripeJs || !elements) return;
    busy.current = true;
    const words = current.messages;
    let reported: TillkitFailure | undefined;
    // What this submit comes to shows only while the form is for what it submitted: another
    // intent or cart since (`fresh`) is `ready` for itself. The callbacks are told all the same.
    const started = freshNow.current;
    const show = (next: ElementFormState<S>) => {
      const same = freshNow.current === started;
      setFlow(same ? next : { status: 'ready' });
      return same;
    };
    const fail = (failure: TillkitFailure, focus = true): undefined => {
      reported = failure;
      if (show({ status: 'failed', error: failure, retryable: true }) && focus) {
        setFocusRequest((count) => count + 1);
      }
      if (mounted.current) latest.current.config.onError?.(failure);
    };
    setFlow({ status: 'submitting' });
    try {
      // First, before any other await: Stripe requires it right after the customer's click.
      const submitted = await elements.submit();
      // The element shows a field's error and focuses the field itself; any other, the region.
      if (submitted.error) {
        return fail(
          fromStripeError(submitted.error, words),
          submitted.error.type !== 'validation_error',
        );
      }
      const value = await current.run({
        elements,
        failure: () => reported,
        async confirm(clientSecret, setup) {
          if (!mounted.current) return;
          const here = window.location.href;
          const options = {
            elements,
            ...(clientSecret ? { clientSecret } : {}),
            // Stripe needs an absolute URL; hosts may pass one relative to the page.
            confirmParams: {
              return_url: new URL(current.returnUrl ?? here, here).href,
              // A saved card chosen in the element is already marked: Stripe.js makes no new one.
              ...(current.save
                ? { payment_method_data: { allow_redisplay: 'always' as const } }
                : {}),
            },
            redirect: 'if_required' as const,
          };
          const secret =
            clientSecret ?? (current.options as { clientSecret?: string } | null)?.clientSecret;
          // Stripe.js answers a lost connection as `api_connection_error` (and throws for a
          // misuse): the answer was lost, not necessarily the payment, so the intent is read
          // before the form calls it a failure.
          const settle = async (call: () => Promise<Answer>): Promise<Answer> => {
            let result: Answer | undefined;
            let thrown: unknown;
            try {
              result = await call();
            } catch (error) {
              thrown = error;
            }
            if (!result || result.error?.type === 'api_connection_error') {
              try {
                const read: Answer = await (setup
                  ? stripeJs.retrieveSetupIntent(secret as string)
                  : stripeJs.retrievePaymentIntent(secret as string));
                const found = read.paymentIntent ?? read.setupIntent;
                if (found && (DONE.has(found.status) || found.status === 'requires_action')) {
                  return read;
                }
              } catch {
                // Unknown still: the first answer stands.
              }
              if (!result) throw thrown;
            }
            return result;
          };
          let result = await settle(() =>
            setup ? stripeJs.confirmSetup(options) : stripeJs.confirmPayment(options),
          );
          let intent = result.paymentIntent ?? result.setupIntent;
          // Stripe.js handles 3D Secure inside confirm; an action it left to us is finished here.
          if (intent?.status === 'requires_action') {
            show({ status: 'requires_action' });
            result = await settle(() =>
              stripeJs.handleNextAction({
                clientSecret: (secret ?? intent?.client_secret) as string,
              }),
            );
            intent = result.paymentIntent ?? result.setupIntent;
          }
          // An intent that went through already (`…_unexpected_state`: confirmed again after an
          // answer that was lost) comes with the error: it is the outcome. Any other error, or an
          // intent canceled meanwhile (say by another tab), is a failure in the kit's words.
          intent = result.error?.payment_intent ?? result.error?.setup_intent ?? intent;
          if (intent && DONE.has(intent.status)) return intent;
          return fail(
            result.error
              ? fromStripeError(result.error, words)
              : { type: 'api_error', message: words.genericError },
          );
        },
      });
      if (value) {
        show({ status: 'succeeded', ...value });
        // The account lists under the provider read again (a card saved, a plan started or paid).
        latest.current.changes.dispatchEvent(new Event('change'));
        // Even from a form taken off the page meanwhile: the money moved, and the host must know.
        latest.current.config.onSuccess?.(value);
      }
    } catch (thrown) {
      fail(fromThrown(thrown, words));
    } finally {
      busy.current = false;
    }
  }, []);

  /** A part's `data-slot` (the root's, plus `suffix`) and `data-state`. */
  const data = (suffix: string) => ({ 'data-slot': slot + suffix, 'data-state': status });
  return {
    state,
    status,
    error,
    canSubmit,
    submitLabel: working ? config.busy : config.action,
    submit,
    refresh: () => {
      // The provider does not load a Stripe.js that failed again; a new page does.
      if (tillkit.stripe.error) window.location.reload();
      else if (element.error) setAttempt((count) => count + 1);
      else config.refresh?.();
    },
    messages,
    getRootProps: () => ({
      ...data(''),
      noValidate: true,
      'aria-busy': working,
      tabIndex: -1,
      onSubmit: (event: FormEvent) => {
        event.preventDefault();
        // The pressed button is disabled now (and goes once done), which drops focus to the body;
        // the bank's dialog also gives focus back to what had it when it opened. The form takes it.
        const pressed = (event.nativeEvent as SubmitEvent).submitter;
        if (canSubmit && pressed && pressed === document.activeElement) {
          (event.currentTarget as HTMLElement).focus();
        }
        void submit();
      },
    }),
    getElementProps: () => ({
      ...data('-element'),
      ref: setContainer,
      role: 'group',
      'aria-label': config.label,
    }),
    getSubmitProps: () => ({
      ...data('-submit'),
      type: 'submit',
      disabled: !canSubmit,
      'aria-describedby': error ? errorId : undefined,
    }),
    getErrorProps: () => ({
      ...data('-error'),
      'data-state': error ? 'visible' : 'hidden',
      id: errorId,
      ref: errorRef,
      role: 'alert',
      tabIndex: -1,
    }),
  };
}
