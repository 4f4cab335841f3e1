'use client';
/**
 * `PaymentForm`: the payment form's unstyled parts and the ready-made composition of them. Each
 * part renders one element, passes `className`, `ref` and handlers through, and exposes its
 * state as `data-state` (and its role as `data-slot`) for styling.
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
import {
  type UsePaymentFormProps,
  type UsePaymentFormReturn,
  usePaymentForm,
} from './use-payment-form.js';

const parts = /* @__PURE__ */ createFormParts<UsePaymentFormReturn>('PaymentForm', ' items={…}');

/** The context a Root gives its parts. */
export const PaymentFormContext = parts.Context;
/** The form's state inside `<PaymentForm.Root>`; throws outside one. */
export const usePaymentFormContext = parts.useContext;

export type PaymentFormRootProviderProps = FormRootProviderProps<UsePaymentFormReturn>;

export interface PaymentFormRootProps
  extends UsePaymentFormProps,
    Omit<PaymentFormRootProviderProps, 'value'> {}

/** `<form>` for a `usePaymentForm()` you called yourself (to read its state higher up). */
export const PaymentFormRootProvider = parts.RootProvider;

/** `<form>`: runs `usePaymentForm()` with its props and gives the parts its state. */
export const PaymentFormRoot = /* @__PURE__ */ root<
  UsePaymentFormProps,
  Omit<PaymentFormRootProviderProps, 'value'>,
  HTMLFormElement
>(PaymentFormRootProvider, usePaymentForm, [
  'items',
  'returnUrl',
  'savePaymentMethod',
  'receiptEmail',
  'onSuccess',
  'onError',
]);

export type PaymentFormElementProps = FormElementProps;
/** `<div>` that Stripe's Payment Element (its iframe) is mounted into. */
export const PaymentFormElement = parts.Element;

export interface PaymentFormSummaryProps extends Omit<ComponentPropsWithoutRef<'p'>, 'children'> {
  /** What to show instead of "Total $25.00"; a function gets the formatted amount. */
  children?: ReactNode | ((summary: { formattedAmount: string | null }) => ReactNode);
}

/** `<p>` with the total, in the provider's locale (the server's amount once it priced the cart). */
export const PaymentFormSummary = /* @__PURE__ */ part<
  PaymentFormSummaryProps,
  HTMLParagraphElement
>(({ children, ...props }) => {
  const form = usePaymentFormContext();
  const { formattedAmount, messages } = form;
  return [
    'p',
    {
      ...form.getSummaryProps(),
      ...props,
      children:
        typeof children === 'function'
          ? children({ formattedAmount })
          : (children ?? (formattedAmount ? `${messages.total} ${formattedAmount}` : null)),
    },
  ];
});

export type PaymentFormSubmitProps = FormSubmitProps;
/**
 * `<button type="submit">`, disabled while nothing can be paid or a payment is on its way.
 * Shows "Pay $25.00" / "Processing…" unless given children.
 */
export const PaymentFormSubmit = parts.Submit;

export type PaymentFormErrorProps = FormErrorProps;
/**
 * `<div role="alert">`, always present (so screen readers announce what appears in it), empty
 * until something fails; focused after a decline. Shows the error's message unless given children.
 */
export const PaymentFormError = parts.Error;

/**
 * `<button>` "Try again", only when the form could not load (the prices, Stripe's card fields):
 * `refresh()`.
 */
export const PaymentFormRetry = parts.Retry;

export interface PaymentFormProps extends PaymentFormRootProps {
  /** Shown after the payment succeeded. @default messages.paymentSucceeded */
  successMessage?: ReactNode;
}

/**
 * The payment form: `<PaymentForm items={…} />` for the ready-made one (total, card fields, error
 * and pay button, then a confirmation), or its parts (`PaymentForm.Root`, `.Element`, `.Summary`,
 * `.Submit`, `.Error`, `.Retry`) for your own layout.
 * @example
 * <PaymentForm
 *   items={[{ price: 'price_123', quantity: 2 }]}
 *   onSuccess={(paymentIntent) => router.push(`/thanks?payment=${paymentIntent.id}`)}
 * />
 */
export const PaymentForm = /* @__PURE__ */ Object.assign(
  /* @__PURE__ */ parts.compose<PaymentFormProps>(
    PaymentFormRoot,
    'paymentSucceeded',
    PaymentFormSummary,
  ),
  {
    Root: PaymentFormRoot,
    RootProvider: PaymentFormRootProvider,
    Element: PaymentFormElement,
    Summary: PaymentFormSummary,
    Submit: PaymentFormSubmit,
    Error: PaymentFormError,
    Retry: PaymentFormRetry,
  },
);
