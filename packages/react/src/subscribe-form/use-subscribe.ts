'use client';
/**
 * `useSubscribe()`: subscribes the signed-in caller to a recurring price, the deferred-intent way.
 * The Payment Element renders from the price's amount and currency (`subscription` mode) and
 * nothing exists at Stripe until the customer submits; then `elements.submit()`,
 * `POST /subscriptions` (with an idempotency key), and the answer's secret is confirmed: the first
 * invoice's PaymentIntent (`"payment"`, `confirmPayment`), a trial's SetupIntent (`"setup"`,
 * `confirmSetup`), or nothing (`null`: no charge and no card needed). 3D Secure happens in place;
 * after a decline or a failed 3D Secure the same subscription's secret is confirmed with the next
 * card. A refusal because the customer already has the plan (`already_subscribed`) says so.
 * @see https://docs.stripe.com/billing/subscriptions/build-subscriptions?ui=elements
 */
import type { StripeElementsOptions } from '@stripe/stripe-js';
import type { CreateSubscriptionResponse, SubscriptionPreview } from '@tillkit/protocol';
import { createSubscription, previewSubscription, type Transport } from '@tillkit/protocol/client';
import { useEffect, useRef, useState } from 'react';
import { useCustomerSession } from '../internal/customer-session.js';
import { fromThrown, type TillkitFailure } from '../internal/errors.js';
import { randomKey } from '../internal/random-key.js';
import {
  type ElementFormReturn,
  type ElementFormState,
  useElementForm,
} from '../internal/use-element-form.js';
import { useLoad } from '../internal/use-load.js';
import { type CommonMessages, formatMessage } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import {
  type PromotionCodeMessages,
  promotionCodeMessages,
  type SubscribeFormMessages,
  subscribeFormMessages,
} from './messages.js';
import { findPlan, type Plan, priceLabel } from './price-label.js';

export interface UseSubscribeProps {
  /** The recurring price's id (`price_…`), from `GET /prices`. Its trial applies. */
  price: string;
  /** @default 1 */
  quantity?: number;
  /**
   * `false`: offer no trial, only the price due today ("Subscribe"), for a customer who had the
   * product's trial already (`usePricing()`'s `plan.trialUsed`). The server decides either way.
   * @default true: the price's trial, if it has one
   */
  trial?: boolean;
  /**
   * Where Stripe sends the customer back if a payment method needs a redirect (cards never do).
   * @default the current page
   */
  returnUrl?: string;
  /** Called once subscribed (the first payment made, or the trial's card saved). */
  onSuccess?: (subscription: CreateSubscriptionResponse) => void;
  /** Called on every failure: a decline, a failed 3D Secure, a server refusal. */
  onError?: (error: TillkitFailure) => void;
}

export { findPlan, type Plan };

/**
 * The form's promotion code: `none`; `checking` (asking the server what it takes off); `applied`,
 * with the server's `preview` of today's charge and the code's terms; or `invalid`, with why.
 */
export type PromotionCodeState =
  | { status: 'none' }
  | { status: 'checking'; code: string }
  | { status: 'applied'; code: string; preview: SubscriptionPreview }
  | { status: 'invalid'; code: string; error: TillkitFailure };

export type SubscribeState = ElementFormState<{ subscription: CreateSubscriptionResponse }>;
export type SubscribeStatus = SubscribeState['status'];

export interface UseSubscribeReturn
  extends ElementFormReturn<
    { subscription: CreateSubscriptionResponse },
    CommonMessages & SubscribeFormMessages & PromotionCodeMessages
  > {
  /** The price and its product, once the catalog is read. */
  plan: Plan | null;
  /** "Pro · $29.00 / month · 14-day free trial", once the catalog is read. */
  summary: string | null;
  /** The promotion code, if the customer gave one. */
  promotion: PromotionCodeState;
  /**
   * Checks `code` with the server (`POST /subscriptions/preview`, which makes nothing): once
   * `applied`, the card fields are for the discounted amount and subscribing sends the code. An
   * empty one takes the code off. Checked again when the price or quantity changes.
   */
  applyPromotionCode(code: string): Promise<void>;
  /** Takes the code off (and clears the field): the form is for the full price again. */
  removePromotionCode(): void;
  /**
   * What the customer typed in the code field. Subscribing with a code typed but not applied (nor
   * cleared) is refused (`promotion_code_not_applied`): they pay no amount they have not seen.
   */
  promotionInput: string;
  setPromotionInput(text: string): void;
  /** "WELCOME10: 10% off the first payment", while a code is applied. */
  promotionTerms: string | null;
  /** Today's charge with the code ("$26.10"; "$0.00" for a trial), while a code is applied. */
  dueToday: string | null;
}

const english = { ...subscribeFormMessages, ...promotionCodeMessages };

/**
 * The headless subscribe form.
 * @example
 * const form = useSubscribe({ price: 'price_pro_monthly', onSuccess: () => router.push('/account') });
 */
export function useSubscribe(props: UseSubscribeProps): UseSubscribeReturn {
  const tillkit = useTillkitContext('useSubscribe()');
  const messages = useMessages(tillkit, english);
  const { transport, getPrices } = tillkit;
  const { price: priceId, quantity = 1 } = props;
  const catalog = useLoad(getPrices, getPrices, messages);
  const plan = findPlan(catalog.data, priceId);
  const price = plan?.price;
  // The price the server answered without its trial (the customer had the product before).
  const [noTrial, setNoTrial] = useState<string | null>(null);
  // The code, for the plan (price and quantity) and the server it was checked for.
  const planKey = `${priceId}:${quantity}`;
  const [promotion, setPromotion] = useState<
    PromotionCodeState & { plan?: string; transport?: Transport }
  >({ status: 'none' });
  const checks = useRef(0);
  const [promotionInput, setPromotionInput] = useState('');
  const applyPromotionCode = async (typed: string) => {
    const code = typed.trim();
    const check = ++checks.current;
    if (!code) return setPromotion({ status: 'none' });
    const at = { plan: planKey, transport };
    setPromotion({ status: 'checking', code, ...at });
    try {
      const preview = await previewSubscription(transport, {
        price: priceId,
        quantity,
        promotionCode: code,
      });
      if (check === checks.current) {
        setPromotion({ status: 'applied', code: preview.promotion?.code ?? code, preview, ...at });
      }
    } catch (thrown) {
      if (check === checks.current) {
        setPromotion({ status: 'invalid', code, error: fromThrown(thrown, messages) });
      }
    }
  };
  const stale =
    promotion.status !== 'none' &&
    promotion.status !== 'invalid' &&
    (promotion.plan !== planKey || promotion.transport !== transport);
  // Another plan or server: the code is checked again for it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: checked again when it goes stale only
  useEffect(() => {
    if (stale) void applyPromotionCode(promotion.code);
  }, [stale]);
  const applied = promotion.status === 'applied' && !stale ? promotion : null;
  // A code's preview is the server's word on the trial too (none for a product had before).
  const trial =
    noTrial === priceId
      ? undefined
      : applied
        ? (applied.preview.trialDays ?? undefined)
        : props.trial === false
          ? undefined
          : price?.trialPeriodDays;
  const planAmount = (price?.unitAmount ?? 0) * quantity;
  const amount = applied ? applied.preview.amountDue : planAmount;
  // A signed-in caller's saved cards (a Customer Session's secret, '' for none): the element waits.
  // The first invoice's PaymentIntent and a trial's SetupIntent carry the caller's customer.
  const saved = useCustomerSession(transport);
  // A trial charges nothing today: the subscription's SetupIntent saves the card, so the group
  // is a setup one (Stripe.js confirms a SetupIntent only from a group of that kind or with none).
  // useElementForm adds the provider's appearance and locale.
  const options: StripeElementsOptions | null =
    !price || saved === null
      ? null
      : // Nothing to charge today (a code that takes it all off): the card is saved for later.
        trial || !amount
        ? { mode: 'setup', currency: price.currency }
        : { mode: 'subscription', amount, currency: price.currency };
  if (options && saved) options.customerSessionClientSecret = saved;
  const created = useRef<{
    key: string;
    transport: Transport;
    idempotencyKey: string;
    answer?: CreateSubscriptionResponse;
  } | null>(null);
  const form = useElementForm<
    { subscription: CreateSubscriptionResponse },
    CommonMessages & SubscribeFormMessages & PromotionCodeMessages
  >(tillkit, {
    slot: 'subscribe-form',
    messages,
    options,
    loadError:
      catalog.error ??
      (catalog.data && price?.type !== 'recurring'
        ? { type: 'api_error', code: 'price_unavailable', message: messages.priceUnavailable }
        : null),
    refresh: catalog.refresh,
    hold: promotion.status === 'checking' || stale,
    label: messages.cardDetails,
    action: trial ? messages.startTrial : messages.subscribe,
    busy: messages.processing,
    returnUrl: props.returnUrl,
    onSuccess: (value) => props.onSuccess?.(value.subscription),
    onError: props.onError,
    async run({ confirm, elements, failure }) {
      const promotionCode = applied?.code;
      const typed = promotionInput.trim().toLowerCase();
      if (typed && typed !== promotionCode?.toLowerCase()) {
        throw Object.assign(new Error(messages.promotionCodeNotApplied), {
          code: 'promotion_code_not_applied',
        });
      }
      const key = `${planKey}:${promotionCode}`;
      // One subscription per price and quantity: after a decline the next card confirms its
      // secret again, and a POST whose answer was lost is retried with the same idempotency key.
      // A form mounted anew (back to the plans, a reload) has none of this: the server answers
      // the subscription that still waits for its first step instead of making another.
      // Another server (the provider's `apiBase`) knows neither the key nor the answer.
      if (created.current?.key !== key || created.current.transport !== transport) {
        created.current = { key, transport, idempotencyKey: randomKey() };
      }
      const current = created.current;
      const create = () =>
        createSubscription(
          transport,
          { price: priceId, quantity, ...(promotionCode ? { promotionCode } : {}) },
          { idempotencyKey: current.idempotencyKey },
        );
      // `stale_request`: the key's request was overtaken (another tab replaced what it made); the
      // server asks for a new key, and the plan is asked for once more with one.
      current.answer ??= await create().catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        // The code went out of use since it was checked (used up, expired): the field says so.
        if (code === 'promotion_code_invalid' && promotionCode) {
          setPromotion({
            status: 'invalid',
            code: promotionCode,
            error: fromThrown(error, messages),
          });
        }
        if (code !== 'stale_request') throw error;
        current.idempotencyKey = randomKey();
        return create();
      });
      const { clientSecret, clientSecretType } = current.answer;
      if (clientSecret) {
        const setup = clientSecretType === 'setup';
        // A trial was offered but the server asks for the first payment (the customer had the
        // product's trial before): nothing is charged on a button that said "Start free trial".
        // The form shows the price and "Subscribe", and the next submit pays this subscription.
        if (trial && !setup) {
          setNoTrial(priceId);
          // The code's preview said trial too: it is asked again for what is due today.
          if (promotionCode) void applyPromotionCode(promotionCode);
          throw Object.assign(new Error(messages.trialUsed), { code: 'trial_used' });
        }
        // The server decides (a trial it did not expect, say): the group follows its answer.
        if (setup !== (options?.mode === 'setup')) {
          // A subscription group needs an amount (a setup one has none): the plan's, which the
          // server's first invoice may come under.
          await elements.update(
            setup ? { mode: 'setup' } : { mode: 'subscription', amount: planAmount },
          );
        }
        if (!(await confirm(clientSecret, setup))) {
          // The subscription was canceled meanwhile (another tab replaced it with another plan):
          // the next try asks the server anew, with a new key.
          if (failure()?.code?.endsWith('_unexpected_state')) created.current = null;
          return undefined;
        }
      }
      return { subscription: current.answer };
    },
  });
  const terms = applied?.preview.promotion;
  const format = tillkit.formatMoney;
  return {
    ...form,
    plan,
    promotion: applied ?? (stale ? { status: 'checking', code: promotion.code } : promotion),
    applyPromotionCode,
    removePromotionCode: () => {
      checks.current++;
      setPromotion({ status: 'none' });
      setPromotionInput('');
    },
    promotionInput,
    setPromotionInput,
    promotionTerms: terms
      ? formatMessage(messages.codeApplied, {
          code: terms.code,
          off: formatMessage(terms.percentOff === null ? messages.amountOff : messages.percentOff, {
            amount: format(terms.amountOff ?? 0, applied.preview.currency),
            percent: new Intl.NumberFormat(tillkit.locale, {
              style: 'percent',
              maximumFractionDigits: 2,
            }).format((terms.percentOff ?? 0) / 100),
          }),
          duration:
            terms.duration === 'repeating'
              ? formatMessage(
                  terms.durationInMonths === 1 ? messages.durationMonth : messages.durationMonths,
                  { months: String(terms.durationInMonths) },
                )
              : terms.duration === 'once'
                ? messages.durationOnce
                : messages.durationForever,
        })
      : null,
    dueToday: applied ? format(applied.preview.amountDue, applied.preview.currency) : null,
    summary: plan
      ? [
          plan.product.name,
          priceLabel(plan.price, messages, tillkit.formatMoney),
          trial ? formatMessage(messages.trialDays, { days: String(trial) }) : '',
        ]
          .filter(Boolean)
          .join(' · ')
      : null,
  };
}
