'use client';
/**
 * `usePayWithNewCard()`: pays an open invoice that waits for the customer (a failed renewal, a
 * first payment never made: a subscription's `pendingAction` of type `new_card`) with a card
 * entered now. The Payment Element is made from the invoice's PaymentIntent (its client secret),
 * and `confirmPayment({ redirect: 'if_required' })` pays it, 3D Secure in place.
 */
import type { PaymentIntent } from '@stripe/stripe-js';
import type { TillkitFailure } from '../internal/errors.js';
import {
  type ElementFormReturn,
  type ElementFormState,
  useElementForm,
} from '../internal/use-element-form.js';
import type { CommonMessages } from '../messages/messages.js';
import { useMessages, useTillkitContext } from '../provider/tillkit-provider.js';
import { type SubscriptionManagerMessages, subscriptionManagerMessages } from './messages.js';

export interface UsePayWithNewCardProps {
  /** The invoice's PaymentIntent client secret: `subscription.pendingAction.clientSecret`. */
  clientSecret: string;
  /** Where a payment method that redirects comes back to. @default the current page */
  returnUrl?: string;
  /** Called once paid. */
  onSuccess?: (paymentIntent: PaymentIntent) => void;
  onError?: (error: TillkitFailure) => void;
}

export type PayWithNewCardState = ElementFormState<{ paymentIntent: PaymentIntent }>;
export type PayWithNewCardStatus = PayWithNewCardState['status'];
export type UsePayWithNewCardReturn = ElementFormReturn<
  { paymentIntent: PaymentIntent },
  CommonMessages & SubscriptionManagerMessages
>;

/**
 * The headless "pay with another card" form.
 * @example
 * const form = usePayWithNewCard({ clientSecret: subscription.pendingAction.clientSecret });
 */
export function usePayWithNewCard(props: UsePayWithNewCardProps): UsePayWithNewCardReturn {
  const tillkit = useTillkitContext('usePayWithNewCard()');
  const messages = useMessages(tillkit, subscriptionManagerMessages);
  return useElementForm<{ paymentIntent: PaymentIntent }, typeof messages>(tillkit, {
    slot: 'pay-with-new-card',
    messages,
    options: { clientSecret: props.clientSecret },
    label: messages.cardDetails,
    action: messages.payNow,
    busy: messages.processing,
    returnUrl: props.returnUrl,
    onSuccess: (value) => props.onSuccess?.(value.paymentIntent),
    onError: props.onError,
    async run({ confirm }) {
      const paymentIntent = await confirm(null, false);
      return paymentIntent && { paymentIntent: paymentIntent as PaymentIntent };
    },
  });
}
