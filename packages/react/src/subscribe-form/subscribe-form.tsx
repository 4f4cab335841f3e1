'use client';
/**
 * `SubscribeForm`: the subscribe form's unstyled parts (`Root`, `Summary`, `Element`, `Submit`,
 * `Error`) and the ready-made composition of them.
 */
import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import {
  createFormParts,
  type FormElementProps,
  type FormErrorProps,
  type FormRootProviderProps,
  type FormSubmitProps,
} from '../internal/form-parts.js';
import { part, root } from '../internal/part.js';
import { type UseSubscribeProps, type UseSubscribeReturn, useSubscribe } from './use-subscribe.js';

const parts = /* @__PURE__ */ createFormParts<UseSubscribeReturn>(
  'SubscribeForm',
  ' price="price_…"',
);

/** The context a Root gives its parts. */
export const SubscribeFormContext = parts.Context;
/** The form's state inside `<SubscribeForm.Root>`; throws outside one. */
export const useSubscribeFormContext = parts.useContext;
/** `<form>` for a `useSubscribe()` you called yourself. */
export const SubscribeFormRootProvider = parts.RootProvider;
/** `<div>` that Stripe's Payment Element is mounted into. */
export const SubscribeFormElement = parts.Element;
/** `<button type="submit">`: "Subscribe", "Start free trial", "Processing…". */
export const SubscribeFormSubmit = parts.Submit;
/** `<div role="alert">`: Stripe's message after a decline; takes focus. */
export const SubscribeFormError = parts.Error;
/** `<button>` "Try again", only when the form could not load (the prices, Stripe's card fields). */
export const SubscribeFormRetry = parts.Retry;

export type SubscribeFormRootProviderProps = FormRootProviderProps<UseSubscribeReturn>;
export type SubscribeFormElementProps = FormElementProps;
export type SubscribeFormSubmitProps = FormSubmitProps;
export type SubscribeFormErrorProps = FormErrorProps;
export interface SubscribeFormRootProps
  extends UseSubscribeProps,
    Omit<SubscribeFormRootProviderProps, 'value'> {}

/** `<form>`: runs `useSubscribe()` with its props and gives the parts its state. */
export const SubscribeFormRoot = /* @__PURE__ */ root<
  UseSubscribeProps,
  Omit<SubscribeFormRootProviderProps, 'value'>,
  HTMLFormElement
>(SubscribeFormRootProvider, useSubscribe, [
  'price',
  'quantity',
  'trial',
  'returnUrl',
  'onSuccess',
  'onError',
]);

export type SubscribeFormSummaryProps = ComponentPropsWithoutRef<'p'>;

/** `<p>`: "Pro · $29.00 / month · 14-day free trial" unless given children. */
export const SubscribeFormSummary = /* @__PURE__ */ part<
  SubscribeFormSummaryProps,
  HTMLParagraphElement
>(({ children, ...props }) => {
  const { summary, status } = useSubscribeFormContext();
  return [
    'p',
    {
      'data-slot': 'subscribe-form-summary',
      'data-state': status,
      ...props,
      children: children ?? summary,
    },
  ];
});

export interface SubscribeFormProps extends SubscribeFormRootProps {
  /** Shown once subscribed. @default messages.subscribed */
  successMessage?: ReactNode;
}

/**
 * Subscribe to a price: `<SubscribeForm price="price_…" />`, or its parts (`SubscribeForm.Root`,
 * `.Summary`, `.Element`, `.Submit`, `.Error`, `.Retry`) for your own layout.
 * @example
 * <SubscribeForm price="price_pro_monthly" onSuccess={() => router.push('/account')} />
 */
export const SubscribeForm = /* @__PURE__ */ Object.assign(
  /* @__PURE__ */ parts.compose<SubscribeFormProps>(
    SubscribeFormRoot,
    'subscribed',
    SubscribeFormSummary,
  ),
  {
    Root: SubscribeFormRoot,
    RootProvider: SubscribeFormRootProvider,
    Summary: SubscribeFormSummary,
    Element: SubscribeFormElement,
    Submit: SubscribeFormSubmit,
    Error: SubscribeFormError,
    Retry: SubscribeFormRetry,
  },
);
