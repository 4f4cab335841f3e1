'use client';
/**
 * `usePaymentForm()`: Stripe's deferred-intent flow for a one-time payment.
 *
 * 1. The Payment Element renders from the cart's amount and currency (from `GET /prices`): no
 *    intent exists yet, so a visitor who never pays leaves nothing behind at Stripe.
 * 2. On submit: `elements.submit()` (validates the fields), then `POST /payment-intents` with an
 *    idempotency key (the server computes the real amount from Stripe's prices), then
 *    `stripe.confirmPayment({ redirect: 'if_required' })`, so 3D Secure happens in place.
 * 3. A decline shows Stripe's message; the next try reuses the same intent, updated with
 *    `PATCH /payment-intents/:id` when the cart or `receiptEmail` changed in between (no orphan
 *    intents).
 * 4. The tab keeps that intent (sessionStorage) until the payment comes to an end, so a reload or a
 *    restored tab reuses it too, and finds a payment that went through instead of taking another.
 *
 * The form itself (the element, the guard against double submits, the error region) is the kit's
 * shared card form (`internal/use-element-form.ts`); this hook brings the cart and the intent.
 * @see https://docs.stripe.com/payments/accept-a-payment-deferred
 */
import type { PaymentIntent, StripeElementsOptions } from '@stripe/stripe-js';
import type { CartItem, PricesResponse } from '@tillkit/protocol';
import { createPaymentIntent, type Transport, updatePaymentIntent } from '@tillkit/protocol/client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCustomerSession } from '../internal/customer-session.js';
import type { TillkitFailure } from '../internal/errors.js';
import { callerKey, keepPendingIntent as keep } from '../internal/pending-intent.js';
import { randomKey } from '../internal/random-key.js';
import { DONE, type ElementFormReturn, useElementForm } from '../internal/use-element-form.js';
import { useLoad } from '../internal/use-load.js';
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
  /**
   * Save the card to the signed-in caller's customer for later payments. Changed after a failed
   * try, the next try tells the same intent (`PATCH /payment-intents/:id`).
   * @default false
   */
  savePaymentMethod?: boolean;
  /**
   * Where Stripe sends this payment's receipt (`receipt_email`): a guest's address, as Stripe
   * knows none; for a signed-in caller it takes the place of their customer's email. Sent when
   * the intent is made; changed after a failed try, it updates the same intent on the next one.
   * Empty or absent sets none, and never removes one given on an earlier try. Stripe sends the
   * receipt once the payment succeeds, in live mode only.
   * @see https://docs.stripe.com/receipts
   */
  receiptEmail?: string;
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
  /**
   * Validating, creating the intent and confirming it, which includes the bank's 3D Secure dialog
   * when Stripe.js opens it as part of confirming; submitting again does nothing.
   */
  | ({ status: 'submitting' } & PaymentAmount)
  /**
   * Confirming left an action to the kit (`handleNextAction`): the bank's dialog is open for it.
   */
  | ({ status: 'requires_action' } & PaymentAmount)
  /** Paid (or processing): the intent is in `paymentIntent`. */
  | ({ status: 'succeeded'; paymentIntent: PaymentIntent } & PaymentAmount)
  /**
   * A decline or another failure. `retryable`: the customer may fix the card and pay again (the
   * same intent is used); false when the form could not load at all.
   */
  | ({ status: 'failed'; error: TillkitFailure; retryable: boolean } & Partial<PaymentAmount>);

export type PaymentFormStatus = PaymentFormState['status'];

/** What `usePaymentForm()` returns: the state, actions and prop getters for the parts. */
export interface UsePaymentFormReturn
  extends Omit<
    ElementFormReturn<{ paymentIntent: PaymentIntent }, CommonMessages & PaymentFormMessages>,
    'state'
  > {
  /** The form's state, a discriminated union on `status`. */
  state: PaymentFormState;
  /** The total, formatted in the provider's locale (`$25.00`), once known. */
  formattedAmount: string | null;
  /** Props for the total. */
  getSummaryProps(): { 'data-slot': string; 'data-state': PaymentFormStatus };
}

interface Intent extends PaymentAmount {
  id: string;
  clientSecret: string;
  /** The cart the intent was priced for. */
  cartKey: string;
  /**
   * What it was last sent, and by whom (`cartKey` + `receiptEmail` + `save` + the caller's token):
   * an intent of another caller (signed out, or in as someone else, since) is sent again, and the
   * server's ownership check answers 404 for it, so one customer's card never pays (or is saved
   * to) another's intent.
   */
  sent: string;
  /** The server that made it. */
  transport: Transport;
  /** Whether it saves the card (`setup_future_usage`), as last sent. */
  save: boolean;
}

/**
 * How long after it was kept a pending intent found paid is shown as this form's payment (a reload
 * while confirming, a bank's page and back); an older one is only forgotten, so a later purchase of
 * the same cart in the tab is never shown as paid by it.
 */
const PAID_SHOWN_FOR_MS = 30 * 60_000;

/** The cart's total from the catalog, or the error code that says why there is none. */
export function priceCart(
  catalog: PricesResponse,
  items: readonly CartItem[],
): PaymentAmount | 'price_unavailable' | 'currency_mismatch' {
  const prices = catalog.products.flatMap((product) => product.prices);
  let amount = 0;
  let currency: string | undefined;
  for (const item of items) {
    const price = prices.find((candidate) => candidate.id === item.price);
    if (price?.type !== 'one_time') return 'price_unavailable';
    if (currency && price.currency !== currency) return 'currency_mismatch';
    currency = price.currency;
    amount += price.unitAmount * item.quantity;
  }
  return currency ? { amount, currency } : 'price_unavailable';
}

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
  const { apiBase, transport, getPrices } = tillkit;
  const messages = useMessages(tillkit, paymentFormMessages);
  const { items, savePaymentMethod } = props;
  const receiptEmail = props.receiptEmail || '';
  const cartKey = JSON.stringify(items.map((item) => [item.price, item.quantity]));

  // The cart's amount, for the Payment Element and the summary: the catalog is read once there is
  // something to pay, and again for another cart or another server (the provider's `apiBase`).
  const loadKey = useMemo(() => [cartKey, getPrices], [cartKey, getPrices]);
  const catalog = useLoad(
    () => (items.length ? getPrices() : Promise.resolve(null)),
    loadKey,
    messages,
  );
  const priced = catalog.data && items.length ? priceCart(catalog.data, items) : null;
  const cart = typeof priced === 'string' ? null : priced;

  // The intent of an earlier try, and the key it is made with (a retried POST, after a lost answer
  // or a double click, gets the same intent back), belong to the server that made them: another
  // server (the provider's `apiBase`) knows neither, so the next try starts afresh there.
  const save = !!savePaymentMethod;
  const [made, setIntent] = useState<Intent | null>(null);
  const intent = made?.transport === transport ? made : null;
  // A new key for another cart, receipt address or `save`: a key sent again with another body is
  // a 409.
  const creation = useRef<{ sent: string; transport: Transport; idempotencyKey: string } | null>(
    null,
  );
  // The amount: the server's, once an intent is priced for this very cart.
  const amount: PaymentAmount | null =
    intent?.cartKey === cartKey ? { amount: intent.amount, currency: intent.currency } : cart;
  const formattedAmount = amount ? tillkit.formatMoney(amount.amount, amount.currency) : null;

  // The intent the tab kept from before a reload, read with Stripe.js once there is something to
  // pay (in an effect: never on the server). Until it answers, Pay waits, or it would make a second
  // intent. Still open (declined, or left before or during confirming): the next try reuses it, as
  // after a decline. Paid (or processing) for this very cart: the form is `succeeded` and tells
  // `onSuccess`, once (the entry goes with it); paid for another cart, it is only forgotten, as a
  // paid intent is never re-priced and another cart was not paid (the server's webhook knows of
  // it). Canceled, unreadable or gone: forgotten, and the next try makes a new intent.
  const stripe = tillkit.stripe.stripe;
  const [restoring, setRestoring] = useState(false);
  const [paid, setPaid] = useState<{ cartKey: string; paymentIntent: PaymentIntent } | null>(null);
  // Another cart since is another payment (the host emptied the cart in `onSuccess`).
  if (paid && paid.cartKey !== cartKey) setPaid(null);
  const now = useRef({ cartKey, intent, props, changes: tillkit.changes });
  now.current = { cartKey, intent, props, changes: tillkit.changes };
  const some = items.length > 0;
  useEffect(() => {
    const kept = some && !now.current.intent && keep(apiBase);
    if (!stripe || !kept) return;
    let active = true;
    setRestoring(true);
    (async () => {
      let found: PaymentIntent | undefined;
      let caller = '';
      try {
        caller = callerKey(await transport.getAuthToken?.());
        found = (await stripe.retrievePaymentIntent(kept.clientSecret)).paymentIntent;
      } catch {
        // Unreadable (Stripe.js refuses a malformed secret by throwing): forgotten.
      }
      if (!active) return;
      setRestoring(false);
      const latest = now.current;
      const status = found?.status as string;
      if (found && !DONE.has(status) && status !== 'canceled') {
        const { id, clientSecret, cartKey: priced } = kept;
        const save = !!kept.save;
        const { amount, currency } = found;
        // Never what a try sends: the first try after the reload sends it again (with the receipt
        // address given now, none being kept), and the server checks it is still the caller's.
        const sent = '';
        setIntent({ id, clientSecret, amount, currency, cartKey: priced, sent, transport, save });
        return;
      }
      keep(apiBase, null);
      // Shown only to whoever paid it, for the cart it paid, soon after: an entry the return page
      // did not clear (the cart emptied meanwhile) is not a later purchase's payment.
      const recent = Date.now() - kept.at < PAID_SHOWN_FOR_MS;
      if (
        found &&
        DONE.has(status) &&
        kept.cartKey === latest.cartKey &&
        kept.caller === caller &&
        recent
      ) {
        setPaid({ cartKey: kept.cartKey, paymentIntent: found });
        latest.changes.dispatchEvent(new Event('change'));
        latest.props.onSuccess?.(found);
      }
    })();
    return () => {
      active = false;
      setRestoring(false);
    };
  }, [stripe, some, apiBase, transport]);

  // A signed-in caller's saved cards (a Customer Session's secret, '' for none): the element waits.
  // Not read for an empty cart (an always-mounted cart drawer makes no session at Stripe).
  const saved = useCustomerSession(items.length ? transport : null);

  let options: StripeElementsOptions | null = null;
  if (cart && saved !== null) {
    options = { mode: 'payment', ...cart };
    if (saved) options.customerSessionClientSecret = saved;
    // The intent will be created with setup_future_usage; Stripe requires the group to say so too,
    // and to say so no more once unticked (`update()` keeps what it is not given).
    if (savePaymentMethod !== undefined) options.setupFutureUsage = save ? 'off_session' : null;
  }

  const form = useElementForm<{ paymentIntent: PaymentIntent }, typeof messages>(tillkit, {
    slot: 'payment-form',
    messages,
    options,
    idle: !items.length,
    hold: restoring,
    outcome: paid && { paymentIntent: paid.paymentIntent },
    // Another cart after a payment is another payment, never the last one's "Payment successful".
    fresh: cartKey,
    loadError:
      catalog.error ??
      (typeof priced === 'string'
        ? { type: 'api_error', code: priced, message: messages.priceUnavailable }
        : null),
    refresh: catalog.refresh,
    label: messages.paymentDetails,
    action: formatMessage(messages.pay, { amount: formattedAmount ?? '' }).trim(),
    busy: messages.processing,
    returnUrl: props.returnUrl,
    save: savePaymentMethod,
    onSuccess: (value) => props.onSuccess?.(value.paymentIntent),
    onError: props.onError,
    async run({ confirm }) {
      // The intent of an earlier try, updated if the cart or the receipt address changed since.
      let current = intent;
      const caller = (await transport.getAuthToken?.()) ?? '';
      const sent = `${cartKey}${receiptEmail}${save}\u0000${caller}`;
      const body = { items: [...items], ...(receiptEmail ? { receiptEmail } : {}) };
      if (current && current.sent !== sent) {
        const { id, clientSecret } = current;
        const samePurchase = current.cartKey === cartKey;
        // An address cleared since is sent as none: Stripe keeps the one it has. "Save my card"
        // ticked or unticked after a decline goes with it, or the customer's choice is lost.
        const updated = await updatePaymentIntent(transport, id, {
          ...body,
          clientSecret,
          ...(current.save === save ? {} : { savePaymentMethod: save }),
        }).catch(async (error: unknown) => {
          const code = (error as { code?: unknown }).code;
          // Paid meanwhile (a duplicated tab shares this one's storage): that payment is this
          // try's outcome if it went through for this cart; canceled, or for another cart, a new
          // intent.
          if (code === 'invalid_state' && stripe) {
            const { paymentIntent } = await stripe.retrievePaymentIntent(clientSecret);
            if (samePurchase && paymentIntent && DONE.has(paymentIntent.status)) {
              return { paid: paymentIntent };
            }
            return;
          }
          // Not the caller's any more (signed out or in as someone else since): a new one.
          if (code !== 'not_found') throw error;
        });
        if (updated && 'paid' in updated) {
          setIntent(null);
          keep(apiBase, null);
          return { paymentIntent: updated.paid };
        }
        current = updated ? { ...current, ...updated, cartKey, sent, save } : null;
      }
      if (!current) {
        if (creation.current?.sent !== sent || creation.current.transport !== transport) {
          creation.current = { sent, transport, idempotencyKey: randomKey() };
        }
        const created = await createPaymentIntent(
          transport,
          { ...body, ...(save ? { savePaymentMethod: true } : {}) },
          { idempotencyKey: creation.current.idempotencyKey },
        );
        current = { ...created, cartKey, sent, transport, save };
      }
      setIntent(current);
      // Priced for this cart and `save` now, whichever way it came.
      keep(apiBase, {
        id: current.id,
        clientSecret: current.clientSecret,
        cartKey,
        save,
        at: Date.now(),
        caller: callerKey(caller),
      });
      const paymentIntent = await confirm(current.clientSecret, false);
      if (!paymentIntent) return;
      // Paid: the next cart's payment is made anew (with a new key), not this intent re-priced.
      setIntent(null);
      keep(apiBase, null);
      creation.current = null;
      return { paymentIntent: paymentIntent as PaymentIntent };
    },
  });
  const { status } = form;
  return {
    ...form,
    state: { ...form.state, ...(status === 'idle' ? {} : amount) } as PaymentFormState,
    formattedAmount,
    getSummaryProps: () => ({ 'data-slot': 'payment-form-summary', 'data-state': status }),
  };
}
