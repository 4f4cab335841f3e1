'use client';
/**
 * The kit's own binding of Stripe's Payment Element (instead of @stripe/react-stripe-js, which
 * the host would then have to ship too): one Elements group per form, created when Stripe.js, the
 * options and the container are all there, kept in step with `elements.update()`, destroyed on
 * unmount. Shared by every form of the kit: payments, saving a card, subscribing, and paying a
 * subscription's open invoice (a group made from that intent's client secret).
 * @see https://docs.stripe.com/js/elements_object/create_without_intent
 */
import type { Stripe, StripeElements, StripeElementsOptions, StripeError } from '@stripe/stripe-js';
import { useEffect, useRef, useState } from 'react';

export interface PaymentElementState {
  /** `loading` until the element says `ready`; `error` when it could not load. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  elements: StripeElements | null;
  /** The element's `loaderror`. */
  error: StripeError | null;
}

const IDLE: PaymentElementState = { status: 'idle', elements: null, error: null };

/**
 * Mounts a Payment Element in `container` for a deferred intent (`mode`, `amount`, `currency`) or
 * an existing one (`clientSecret`). `options` may change at any time (the cart changed): the group
 * is updated, not rebuilt.
 */
export function usePaymentElement(
  stripe: Stripe | null,
  options: StripeElementsOptions | null,
  container: HTMLElement | null,
  /** Another value builds the group again (after a `loaderror`). */
  attempt = 0,
): PaymentElementState {
  const [state, setState] = useState(IDLE);
  const hasOptions = options !== null;
  // A group keeps the intent it was made from for life: another intent needs another group.
  const intent = options?.clientSecret;
  // The Customer Session's secret the group last had.
  const session = useRef<string | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: built once the options exist (and again for another `attempt` or intent); later options go through update()
  useEffect(() => {
    if (!stripe || !container || !options) return;
    // One overload per kind of group; `options` is either.
    const elements = stripe.elements(options as Parameters<Stripe['elements']>[0]);
    session.current = options.customerSessionClientSecret;
    const element = elements.create('payment');
    let active = true;
    const set = (status: PaymentElementState['status'], error: StripeError | null = null) => {
      if (active) setState({ status, elements, error });
    };
    element.on('ready', () => set('ready'));
    element.on('loaderror', (event) => set('error', event.error));
    element.mount(container);
    set('loading');
    return () => {
      active = false;
      element.destroy();
      setState(IDLE);
    };
  }, [stripe, container, hasOptions, attempt, intent]);

  // Stripe.js ignores options that did not change, so every render may pass them again; all but
  // `clientSecret` (a group keeps it for life) and `customerSessionClientSecret`, given to the
  // group once more only when it changed (a renewed Customer Session: the element lists the saved
  // cards again).
  const { elements } = state;
  const key = options ? JSON.stringify(options) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the options' content
  useEffect(() => {
    if (elements && options) {
      const { clientSecret, customerSessionClientSecret, ...patch } = options;
      const renewed = customerSessionClientSecret !== session.current;
      session.current = customerSessionClientSecret;
      elements.update(
        renewed && customerSessionClientSecret ? { ...patch, customerSessionClientSecret } : patch,
      );
    }
  }, [key, elements]);

  return state;
}
