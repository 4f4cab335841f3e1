'use client';
/**
 * `useSaveCard()`: saves a card for later payments with a SetupIntent. The Payment Element renders
 * in `setup` mode with nothing created; on submit `elements.submit()`, then `POST /setup-intents`
 * (with an idempotency key), then `stripe.confirmSetup({ redirect: 'if_required' })`, so 3D Secure
 * happens in place. A declined card shows Stripe's message, and the next try confirms the same
 * SetupIntent.
 *
 * Given a `clientSecret` (a SetupIntent made elsewhere: a subscription's `pendingAction` of type
 * `save_card`, a trial that has no card for its renewals yet), the form confirms that one instead
 * and asks the server for nothing, so it also serves callers `POST /setup-intents` would refuse.
 * The group stays a deferred `setup` one: `SubscribeForm` confirms the same kind of SetupIntent
 * (the one a trial's `POST /subscriptions` answers) from such a group, given the price's
 * `currency` as here (pass the subscription's), and another secret needs no new group (the form
 * starts afresh for it). Stripe.js marks
 * such a card as its subscription's (`allow_redisplay: 'limited'`): charged again, not offered at
 * checkout, as for a card given to `SubscribeForm`.
 * @see https://docs.stripe.com/payments/accept-a-payment-deferred?type=setup
 */
import type { SetupIntent, StripeElementsOptions } from '@stripe/stripe-js';
import type { SetupIntentResponse } from '@tillkit/protocol';
import { createSetupIntent, type Transport } from '@tillkit/protocol/client';
import { useRef } from 'react';
import type { TillkitFailure } from '../internal/errors.js';
import { randomKey } from '../internal/random-key.js';
import {
  type ElementFormReturn,
  type ElementFormState,
  useElementForm,
} from '../internal/use-element-form.js';
import type { CommonMessages } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type SaveCardFormMessages, saveCardFormMessages } from './messages.js';

export interface UseSaveCardProps {
  /**
   * A SetupIntent made elsewhere to confirm (`subscription.pendingAction.clientSecret` when its
   * `type` is `save_card`): no `POST /setup-intents` then. Another one starts the form afresh.
   * @default none: the form asks the server for a SetupIntent on submit
   */
  clientSecret?: string;
  /**
   * The currency the card will be charged in later: Stripe shows the payment methods that support
   * it (cards support every currency).
   */
  currency?: string;
  /**
   * Where Stripe sends the customer back if a payment method needs a redirect (cards never do).
   * @default the current page
   */
  returnUrl?: string;
  /** Called once the card is saved, with the succeeded SetupIntent. */
  onSuccess?: (setupIntent: SetupIntent) => void;
  /** Called on every failure: a decline, a failed 3D Secure, a server refusal. */
  onError?: (error: TillkitFailure) => void;
}

/** Where the form is; `succeeded` carries the SetupIntent. */
export type SaveCardState = ElementFormState<{ setupIntent: SetupIntent }>;
export type SaveCardStatus = SaveCardState['status'];
export type UseSaveCardReturn = ElementFormReturn<
  { setupIntent: SetupIntent },
  CommonMessages & SaveCardFormMessages
>;

/**
 * The headless save-a-card form (signed-in callers: `POST /setup-intents` is a user route; with
 * `clientSecret`, anyone who has the SetupIntent's secret).
 * @example
 * const form = useSaveCard({ onSuccess: () => cards.refresh() });
 * // A trial waiting for its card:
 * useSaveCard({ clientSecret: subscription.pendingAction.clientSecret, onSuccess: refresh });
 * <form {...form.getRootProps()}>
 *   <div {...form.getElementProps()} />
 *   <div {...form.getErrorProps()}>{form.error?.message}</div>
 *   <button {...form.getSubmitProps()}>{form.submitLabel}</button>
 * </form>
 */
export function useSaveCard(props: UseSaveCardProps = {}): UseSaveCardReturn {
  const tillkit = useTillkitContext('useSaveCard()');
  const messages = useMessages(tillkit, saveCardFormMessages);
  const made = useRef<{
    transport: Transport;
    key: string;
    intent?: SetupIntentResponse;
  } | null>(null);
  const options: StripeElementsOptions = { mode: 'setup' };
  if (props.currency) options.currency = props.currency;
  return useElementForm(tillkit, {
    slot: 'save-card-form',
    messages,
    options,
    label: messages.cardDetails,
    action: messages.saveCard,
    busy: messages.savingCard,
    returnUrl: props.returnUrl,
    // A subscription's card is the subscription's (see above); one the customer saves, theirs.
    save: !props.clientSecret,
    fresh: props.clientSecret,
    onSuccess: (value) => props.onSuccess?.(value.setupIntent),
    onError: props.onError,
    async run({ confirm }) {
      const given = props.clientSecret;
      if (given) {
        const setupIntent = await confirm(given, true);
        return setupIntent && { setupIntent: setupIntent as SetupIntent };
      }
      // A retried POST (a lost answer) gets the same SetupIntent back; after a decline the same
      // one is confirmed again with the next card. Another server (the provider's `apiBase`)
      // knows neither: it makes its own.
      const { transport } = tillkit;
      if (made.current?.transport !== transport) made.current = { transport, key: randomKey() };
      const current = made.current;
      current.intent ??= await createSetupIntent(transport, {}, { idempotencyKey: current.key });
      const setupIntent = await confirm(current.intent.clientSecret, true);
      return setupIntent && { setupIntent: setupIntent as SetupIntent };
    },
  });
}
