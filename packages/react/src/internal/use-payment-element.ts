'use client';
/**
 * The kit's own binding of Stripe's Payment Element (instead of @stripe/react-stripe-js, which
 * the host would then have to ship too): one Elements group per form, created when Stripe.js, the
 * options and the container are all there, kept in step with `elements.update()`, destroyed on
 * unmount. Shared by every form of the kit: payments, saving a card, subscribing, and paying a
 * subscription's open invoice (a group made from that intent's client secret).
 * @see https://docs.stripe.com/js/elements_object/create_without_intent
 */
import type {
  Stripe,
  StripeElements,
  StripeElementsOptions,
  StripeError,
  StripePaymentElement,
  StripePaymentElementOptions,
} from '@stripe/stripe-js';
import { useEffect, useRef, useState } from 'react';

export interface PaymentElementState {
  /** `loading` until the element says `ready`; `error` when it could not load. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  elements: StripeElements | null;
  element: StripePaymentElement | null;
  /** The element's `loaderror`. */
  error: StripeError | null;
  /** The customer filled every field (from the element's `change` events). */
  complete: boolean;
}

/** What `elements.update()` may change of a deferred group (never `clientSecret`). */
const UPDATABLE = [
  'mode',
  'amount',
  'currency',
  'setupFutureUsage',
  'appearance',
  'locale',
] as const;

const IDLE: PaymentElementState = {
  status: 'idle',
  elements: null,
  element: null,
  error: null,
  complete: false,
};

/**
 * Mounts a Payment Element in `container` for a deferred intent (`mode`, `amount`, `currency`) or
 * an existing one (`clientSecret`). `options` may change at any time (the cart changed): the group
 * is updated, not rebuilt.
 */
export function usePaymentElement(
  stripe: Stripe | null,
  options: StripeElementsOptions | null,
  container: HTMLElement | null,
  elementOptions?: StripePaymentElementOptions,
): PaymentElementState {
  const [state, setState] = useState<PaymentElementState>(IDLE);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const elementOptionsRef = useRef(elementOptions);
  const hasOptions = options !== null;
  const elementsRef = useRef<StripeElements | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: built once the options exist; later options go through update()
  useEffect(() => {
    const initial = optionsRef.current;
    if (!stripe || !container || !initial) return;
    // One overload per kind of group; `initial` is either.
    const elements = stripe.elements(initial as Parameters<Stripe['elements']>[0]);
    const element = elements.create('payment', elementOptionsRef.current ?? {});
    elementsRef.current = elements;
    let active = true;
    const update = (patch: Partial<PaymentElementState>) => {
      if (active) setState((previous) => ({ ...previous, ...patch }));
    };
    element.on('ready', () => update({ status: 'ready' }));
    element.on('change', (event) => update({ complete: event.complete }));
    element.on('loaderror', (event) => update({ status: 'error', error: event.error }));
    element.mount(container);
    setState({ status: 'loading', elements, element, error: null, complete: false });
    return () => {
      active = false;
      elementsRef.current = null;
      element.destroy();
      setState(IDLE);
    };
  }, [stripe, container, hasOptions]);

  // Stripe.js ignores options that did not change, so every render may pass them again.
  const key = options ? JSON.stringify(options) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the options' content
  useEffect(() => {
    const current = optionsRef.current;
    if (elementsRef.current && current) {
      const given = current as unknown as Record<string, unknown>;
      const patch: Record<string, unknown> = {};
      for (const name of UPDATABLE) if (given[name] !== undefined) patch[name] = given[name];
      elementsRef.current.update(patch);
    }
  }, [key, state.elements]);

  return state;
}
