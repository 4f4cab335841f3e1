'use client';
/**
 * `usePaymentForm()`: Stripe's deferred-intent flow for a one-time payment.
 *
 * 1. The Payment Element renders from the cart's amount and currency (from `GET /prices`): no
 *    intent exists yet, so a visitor who never pays leaves nothing behind at Stripe.
 * 2. On submit: `elements.submit()` (validates the fields), then `POST /payment-intents` with an
 *    idempotency key (the server computes the real amount from Stripe's prices), then
 *    `stripe.confirmPayment({ redirect: 'if_required' })`, so 3D Secure happens in place.
 * 3. A decline shows Stripe's message; the next try reuses the same intent, re-priced with
 *    `PATCH /payment-intents/:id` when the cart changed in between (no orphan intents).
 *
 * @see https://docs.stripe.com/payments/accept-a-payment-deferred
 */
import type { PaymentIntent, StripeElementsOptionsMode, StripeError } from '@stripe/stripe-js';
import type { CartItem, PricesResponse } from '@tillkit/protocol';
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
import { fromStripeError, fromThrown, type TillkitFailure } from '../internal/errors.js';
import { randomKey } from '../internal/random-key.js';
import { usePaymentElement } from '../internal/use-payment-element.js';
import { type CommonMessages, formatMessage } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type PaymentFormMessages, paymentFormMessages } from './messages.js';

export interface UsePaymentFormProps {
  /** The cart: Stripe price ids and quantities (1–99). The server prices it, never the browser. */
  items: readonly CartItem[];
  /**
   * Where Stripe sends the customer back if a payment method needs a redirect (cards never do:
   * 3D Secure happens in place). Put `<PaymentStatus>` there.
   * @default the current page
   */
  returnUrl?: string;
  /** Save the card to the signed-in caller's customer for later payments. @default false */
  savePaymentMethod?: boolean;
  /** Called once the payment succeeded (or is processing, for slower methods). */
  onSuccess?: (paymentIntent: PaymentIntent) => void;
  /** Called on every failure: a decline, a validation error, a server refusal. */
  onError?: (error: TillkitFailure) => void;
}

/** An amount in the currency's smallest unit, and the currency (lower case). */
export interface PaymentAmount {
  amount: number;
  currency: string;
}

/** Where the form is. */
export type PaymentFormState =
  /** Nothing to pay (no items). */
  | { status: 'idle' }
  /** Stripe.js, the prices or the Payment Element are loading (and on the server). */
  | ({ status: 'loading' } & Partial<PaymentAmount>)
  /** The customer can fill in the card and pay. */
  | ({ status: 'ready' } & PaymentAmount)
  /** Validating, creating the intent and confirming it; submitting again does nothing. */
  | ({ status: 'submitting' } & PaymentAmount)
  /** The bank asks the customer to authenticate (Stripe's 3D Secure dialog is open). */
  | ({ status: 'requires_action' } & PaymentAmount)
  /** Paid (or processing): the intent is in `paymentIntent`. */
  | ({ status: 'succeeded'; paymentIntent: PaymentIntent } & PaymentAmount)
  /**
   * A decline or another failure. `retryable`: the customer may fix the card and pay again (the
   * same intent is used); false when the form could not load at all.
   */
  | ({ status: 'failed'; error: TillkitFailure; retryable: boolean } & Partial<PaymentAmount>);

export type PaymentFormStatus = PaymentFormState['status'];

type DataProps = { 'data-slot': string; 'data-state': PaymentFormStatus };

/** What `usePaymentForm()` returns: the state, actions and prop getters for the parts. */
export interface UsePaymentFormReturn {
  /** The form's state, a discriminated union on `status`. */
  state: PaymentFormState;
  /** `state.status`, for convenience. */
  status: PaymentFormStatus;
  /** The current failure, if any. */
  error: TillkitFailure | null;
  /** The total, formatted in the provider's locale (`$25.00`), once known. */
  formattedAmount: string | null;
  /** Whether `submit()` would start a payment now. */
  canSubmit: boolean;
  /** Validates, creates (or re-prices) the intent and confirms it. Does nothing while busy. */
  submit(): Promise<void>;
  /** The provider's strings. */
  messages: CommonMessages & PaymentFormMessages;
  /** Props for the `<form>`. */
  getRootProps(): DataProps & {
    onSubmit: (event: FormEvent) => void;
    noValidate: true;
    'aria-busy': boolean;
  };
  /** Props for the element the Payment Element mounts into. */
  getElementProps(): DataProps & {
    ref: Ref<HTMLDivElement>;
    role: 'group';
    'aria-label': string;
  };
  /** Props for the total. */
  getSummaryProps(): DataProps;
  /** Props for the pay button. */
  getSubmitProps(): DataProps & {
    type: 'submit';
    disabled: boolean;
    'aria-describedby': string | undefined;
  };
  /** Props for the error region: a live region that takes focus after a decline. */
  getErrorProps(): Omit<DataProps, 'data-state'> & {
    'data-state': 'visible' | 'hidden';
    id: string;
    ref: Ref<HTMLDivElement>;
    role: 'alert';
    tabIndex: -1;
  };
}

interface Intent extends PaymentAmount {
  id: string;
  clientSecret: string;
  /** The cart the intent was priced for. */
  cartKey: string;
}

type Flow =
  | { status: 'idle' }
  | { status: 'submitting' }
  | { status: 'requires_action' }
  | { status: 'succeeded'; paymentIntent: PaymentIntent }
  | { status: 'failed'; error: TillkitFailure };

/** The cart's total from the catalog, or the error code that says why there is none. */
export function priceCart(
  catalog: PricesResponse,
  items: readonly CartItem[],
): PaymentAmount | 'price_unavailable' | 'currency_mismatch' {
  const prices = new Map(
    catalog.products.flatMap((product) => product.prices.map((price) => [price.id, price])),
  );
  let amount = 0;
  let currency: string | undefined;
  for (const item of items) {
    const price = prices.get(item.price);
    if (price?.type !== 'one_time') return 'price_unavailable';
    if (currency && price.currency !== currency) return 'currency_mismatch';
    currency = price.currency;
    amount += price.unitAmount * item.quantity;
  }
  return currency ? { amount, currency } : 'price_unavailable';
}

const PAID = new Set<string>(['succeeded', 'processing', 'requires_capture']);

/**
 * The headless payment form. Render its parts with `<PaymentForm.Root>` or spread the prop
 * getters on your own elements.
 * @example
 * const form = usePaymentForm({ items: [{ price: 'price_123', quantity: 1 }] });
 * <form {...form.getRootProps()}>
 *   <div {...form.getElementProps()} />
 *   <div {...form.getErrorProps()}>{form.error?.message}</div>
 *   <button {...form.getSubmitProps()}>Pay {form.formattedAmount}</button>
 * </form>
 */
export function usePaymentForm(props: UsePaymentFormProps): UsePaymentFormReturn {
  const tillkit = useTillkitContext('usePaymentForm()');
  const { client, appearance, locale, getPrices } = tillkit;
  const messages = useMessages(tillkit, paymentFormMessages);
  const stripe = tillkit.stripe.stripe;
  const { items, savePaymentMethod = false } = props;
  const cartKey = JSON.stringify(items.map((item) => [item.price, item.quantity]));
  const errorId = useId();

  // --- the cart's amount, for the Payment Element and the summary -------------------------------
  const [cart, setCart] = useState<PaymentAmount | { error: TillkitFailure } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `cartKey` stands for the items' content
  useEffect(() => {
    if (!items.length) return;
    let active = true;
    getPrices().then(
      (catalog) => {
        const priced = priceCart(catalog, items);
        if (active) {
          setCart(
            typeof priced === 'string'
              ? { error: { type: 'api_error', code: priced, message: messages.priceUnavailable } }
              : priced,
          );
        }
      },
      (error: unknown) => {
        if (active) setCart({ error: fromThrown(error, messages, 'load_error') });
      },
    );
    return () => {
      active = false;
    };
  }, [cartKey, getPrices, messages]);
  const priced = cart && 'amount' in cart ? cart : null;

  // --- the Payment Element ----------------------------------------------------------------------
  const [container, setContainer] = useState<HTMLDivElement | null>(null);
  const elementsOptions = useMemo<StripeElementsOptionsMode | null>(() => {
    if (!priced) return null;
    const options: StripeElementsOptionsMode = { mode: 'payment', ...priced };
    // The intent will be created with setup_future_usage; Stripe requires the group to say so too.
    if (savePaymentMethod) options.setupFutureUsage = 'off_session';
    if (appearance) options.appearance = appearance;
    if (locale) options.locale = locale as StripeElementsOptionsMode['locale'];
    return options;
  }, [priced, savePaymentMethod, appearance, locale]);
  const element = usePaymentElement(stripe, elementsOptions, container);

  // --- the submit flow --------------------------------------------------------------------------
  const [flow, setFlow] = useState<Flow>({ status: 'idle' });
  const [intent, setIntent] = useState<Intent | null>(null);
  const intentRef = useRef<Intent | null>(null);
  const creationKey = useRef<{ cartKey: string; value: string } | null>(null);
  const busy = useRef(false);
  const errorRef = useRef<HTMLDivElement | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);

  useEffect(() => {
    if (focusRequest) errorRef.current?.focus();
  }, [focusRequest]);

  // The amount: the server's, once an intent is priced for this very cart.
  const amount: PaymentAmount | null =
    intent?.cartKey === cartKey ? { amount: intent.amount, currency: intent.currency } : priced;

  const broken = tillkit.stripe.error ?? element.error;
  const loadError =
    cart && 'error' in cart
      ? cart.error
      : broken
        ? fromThrown(broken, messages, 'load_error')
        : null;
  let state: PaymentFormState;
  if (!items.length) state = { status: 'idle' };
  else if (flow.status === 'succeeded' && amount)
    state = { status: 'succeeded', paymentIntent: flow.paymentIntent, ...amount };
  else if (loadError) state = { status: 'failed', error: loadError, retryable: false };
  else if (!amount || element.status !== 'ready') state = { status: 'loading', ...amount };
  else if (flow.status === 'idle') state = { status: 'ready', ...amount };
  else if (flow.status === 'failed')
    state = { status: 'failed', error: flow.error, retryable: true, ...amount };
  else state = { status: flow.status as 'submitting' | 'requires_action', ...amount };

  const canSubmit = state.status === 'ready' || (state.status === 'failed' && state.retryable);

  // What submit() reads: the latest render's values, so that submit keeps one identity.
  const latest = useRef<{
    props: UsePaymentFormProps;
    items: readonly CartItem[];
    cartKey: string;
    canSubmit: boolean;
    stripe: typeof stripe;
    element: typeof element;
    client: typeof client;
    messages: typeof messages;
  }>(null!);
  latest.current = { props, items, cartKey, canSubmit, stripe, element, client, messages };

  const submit = useCallback(async (): Promise<void> => {
    const now = latest.current;
    const elements = now.element.elements;
    if (busy.current || !now.canSubmit || !now.stripe || !elements) return;
    busy.current = true;
    const { stripe: stripeJs, client: api, messages: strings } = now;
    const fail = (failure: TillkitFailure, focus: boolean) => {
      setFlow({ status: 'failed', error: failure });
      if (focus) setFocusRequest((count) => count + 1);
      latest.current.props.onError?.(failure);
    };
    setFlow({ status: 'submitting' });
    try {
      // First, before any other await: Stripe requires it right after the customer's click.
      const submitted = await elements.submit();
      if (submitted.error) {
        // The element shows the field's error and focuses it itself.
        fail(fromStripeError(submitted.error, strings), false);
        return;
      }

      let current = intentRef.current;
      if (!current) {
        // A retried POST (a lost answer, a double click) gets the same intent back.
        if (creationKey.current?.cartKey !== now.cartKey) {
          creationKey.current = { cartKey: now.cartKey, value: randomKey() };
        }
        const created = await api.createPaymentIntent(
          {
            items: [...now.items],
            ...(now.props.savePaymentMethod ? { savePaymentMethod: true } : {}),
          },
          { idempotencyKey: creationKey.current.value },
        );
        current = { ...created, cartKey: now.cartKey };
      } else if (current.cartKey !== now.cartKey) {
        const updated = await api.updatePaymentIntent(current.id, {
          items: [...now.items],
          clientSecret: current.clientSecret,
        });
        current = { ...current, ...updated, cartKey: now.cartKey };
      }
      intentRef.current = current;
      setIntent(current);

      const confirmed = await stripeJs.confirmPayment({
        elements,
        clientSecret: current.clientSecret,
        confirmParams: { return_url: now.props.returnUrl ?? window.location.href },
        redirect: 'if_required',
      });
      let result: { error?: StripeError | undefined; paymentIntent?: PaymentIntent | undefined } =
        confirmed;
      // Stripe.js handles 3D Secure inside confirmPayment; an action it left to us is finished here.
      if (!confirmed.error && confirmed.paymentIntent.status === 'requires_action') {
        setFlow({ status: 'requires_action' });
        result = await stripeJs.handleNextAction({ clientSecret: current.clientSecret });
      }
      if (result.error) {
        fail(fromStripeError(result.error, strings), true);
      } else if (result.paymentIntent && PAID.has(result.paymentIntent.status)) {
        setFlow({ status: 'succeeded', paymentIntent: result.paymentIntent });
        latest.current.props.onSuccess?.(result.paymentIntent);
      } else {
        fail({ type: 'api_error', message: strings.genericError }, true);
      }
    } catch (error) {
      fail(fromThrown(error, strings), true);
    } finally {
      busy.current = false;
    }
  }, []);

  const status = state.status;
  const error = state.status === 'failed' ? state.error : null;
  return {
    state,
    status,
    error,
    formattedAmount: amount ? tillkit.formatMoney(amount.amount, amount.currency) : null,
    canSubmit,
    submit,
    messages,
    getRootProps: () => ({
      'data-slot': 'payment-form',
      'data-state': status,
      noValidate: true,
      'aria-busy': status === 'submitting' || status === 'requires_action',
      onSubmit: (event: FormEvent) => {
        event.preventDefault();
        void submit();
      },
    }),
    getElementProps: () => ({
      'data-slot': 'payment-form-element',
      'data-state': status,
      ref: setContainer,
      role: 'group',
      'aria-label': messages.paymentDetails,
    }),
    getSummaryProps: () => ({ 'data-slot': 'payment-form-summary', 'data-state': status }),
    getSubmitProps: () => ({
      'data-slot': 'payment-form-submit',
      'data-state': status,
      type: 'submit',
      disabled: !canSubmit,
      'aria-describedby': error ? errorId : undefined,
    }),
    getErrorProps: () => ({
      'data-slot': 'payment-form-error',
      'data-state': error ? 'visible' : 'hidden',
      id: errorId,
      ref: errorRef,
      role: 'alert',
      tabIndex: -1,
    }),
  };
}

/** The pay button's label for a state: "Pay $25.00", "Processing…". */
export function submitLabel(form: UsePaymentFormReturn): string {
  const { status, messages, formattedAmount } = form;
  if (status === 'submitting' || status === 'requires_action') return messages.processing;
  return formatMessage(messages.pay, { amount: formattedAmount ?? '' }).trim();
}
