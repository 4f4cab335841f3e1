'use client';
/**
 * `PaymentForm`: the payment form's unstyled parts and the ready-made composition of them. Each
 * part renders one element, passes `className`, `ref` and handlers through, and exposes its
 * state as `data-state` (and its role as `data-slot`) for styling.
 */
import { type ComponentPropsWithoutRef, type FormEvent, forwardRef, type ReactNode } from 'react';
import { createPartsContext } from '../internal/create-parts-context.js';
import { mergeRefs } from '../internal/merge-refs.js';
import {
  submitLabel,
  type UsePaymentFormProps,
  type UsePaymentFormReturn,
  usePaymentForm,
} from './use-payment-form.js';

/** The context a Root gives its parts, and the hook the parts read it with (it throws outside a Root). */
export const [PaymentFormContext, usePaymentFormContext] = createPartsContext<UsePaymentFormReturn>(
  'PaymentForm',
  ' items={…}',
);

type FormProps = Omit<ComponentPropsWithoutRef<'form'>, 'onSubmit' | 'onError'>;

export interface PaymentFormRootProps extends UsePaymentFormProps, FormProps {
  /** Runs before the payment starts; call `event.preventDefault()` to stop it. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
}

/** `<form>`: runs `usePaymentForm()` with its props and gives the parts its state. */
export const PaymentFormRoot = forwardRef<HTMLFormElement, PaymentFormRootProps>(
  function PaymentFormRoot(props, ref) {
    const { items, returnUrl, savePaymentMethod, onSuccess, onError, ...rest } = props;
    const form = usePaymentForm({ items, returnUrl, savePaymentMethod, onSuccess, onError });
    return <PaymentFormRootProvider {...rest} ref={ref} value={form} />;
  },
);

export interface PaymentFormRootProviderProps extends FormProps {
  /** A `usePaymentForm()` return, when the hook runs higher up (to read its state there). */
  value: UsePaymentFormReturn;
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
}

/** `<form>` for a `usePaymentForm()` you called yourself. */
export const PaymentFormRootProvider = forwardRef<HTMLFormElement, PaymentFormRootProviderProps>(
  function PaymentFormRootProvider({ value, onSubmit, children, ...rest }, ref) {
    const root = value.getRootProps();
    return (
      <PaymentFormContext.Provider value={value}>
        <form
          {...root}
          {...rest}
          ref={ref}
          onSubmit={(event) => {
            onSubmit?.(event);
            if (event.defaultPrevented && onSubmit) return;
            root.onSubmit(event);
          }}
        >
          {children}
        </form>
      </PaymentFormContext.Provider>
    );
  },
);

export type PaymentFormElementProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'>;

/** `<div>` that Stripe's Payment Element (its iframe) is mounted into. */
export const PaymentFormElement = forwardRef<HTMLDivElement, PaymentFormElementProps>(
  function PaymentFormElement(props, ref) {
    const { ref: elementRef, ...element } = usePaymentFormContext().getElementProps();
    return <div {...element} {...props} ref={mergeRefs(elementRef, ref)} />;
  },
);

export interface PaymentFormSummaryProps extends Omit<ComponentPropsWithoutRef<'p'>, 'children'> {
  /** What to show instead of "Total $25.00"; a function gets the formatted amount. */
  children?: ReactNode | ((summary: { formattedAmount: string | null }) => ReactNode);
}

/** `<p>` with the total, in the provider's locale (the server's amount once it priced the cart). */
export const PaymentFormSummary = forwardRef<HTMLParagraphElement, PaymentFormSummaryProps>(
  function PaymentFormSummary({ children, ...props }, ref) {
    const form = usePaymentFormContext();
    const { formattedAmount, messages } = form;
    return (
      <p {...form.getSummaryProps()} {...props} ref={ref}>
        {typeof children === 'function'
          ? children({ formattedAmount })
          : (children ?? (formattedAmount ? `${messages.total} ${formattedAmount}` : null))}
      </p>
    );
  },
);

export type PaymentFormSubmitProps = ComponentPropsWithoutRef<'button'>;

/**
 * `<button type="submit">`, disabled while nothing can be paid or a payment is on its way.
 * Shows "Pay $25.00" / "Processing…" unless given children.
 */
export const PaymentFormSubmit = forwardRef<HTMLButtonElement, PaymentFormSubmitProps>(
  function PaymentFormSubmit({ children, disabled, ...props }, ref) {
    const form = usePaymentFormContext();
    const submit = form.getSubmitProps();
    return (
      <button {...submit} {...props} disabled={submit.disabled || disabled} ref={ref}>
        {children ?? submitLabel(form)}
      </button>
    );
  },
);

export type PaymentFormErrorProps = ComponentPropsWithoutRef<'div'>;

/**
 * `<div role="alert">`, always present (so screen readers announce what appears in it), empty
 * until something fails; focused after a decline. Shows the error's message unless given children.
 */
export const PaymentFormError = forwardRef<HTMLDivElement, PaymentFormErrorProps>(
  function PaymentFormError({ children, ...props }, ref) {
    const form = usePaymentFormContext();
    const { ref: errorRef, ...error } = form.getErrorProps();
    return (
      <div {...error} {...props} ref={mergeRefs(errorRef, ref)}>
        {form.error ? (children ?? form.error.message) : null}
      </div>
    );
  },
);

export interface PaymentFormProps extends PaymentFormRootProps {
  /** Shown after the payment succeeded. @default messages.paymentSucceeded */
  successMessage?: ReactNode;
}

/**
 * The ready-made payment form: total, card fields, error and pay button, then a confirmation.
 * @example
 * <PaymentForm
 *   items={[{ price: 'price_123', quantity: 2 }]}
 *   onSuccess={(paymentIntent) => router.push(`/thanks?payment=${paymentIntent.id}`)}
 * />
 */
function PaymentFormComposed({ successMessage, ...props }: PaymentFormProps): ReactNode {
  return (
    <PaymentFormRoot {...props}>
      <PaymentFormBody successMessage={successMessage} />
    </PaymentFormRoot>
  );
}

function PaymentFormBody({ successMessage }: { successMessage: ReactNode }): ReactNode {
  const form = usePaymentFormContext();
  const succeeded = form.status === 'succeeded';
  return (
    <>
      {succeeded ? null : (
        <>
          <PaymentFormSummary />
          <PaymentFormElement />
          <PaymentFormError />
          <PaymentFormSubmit />
        </>
      )}
      <p data-slot="payment-form-status" data-state={form.status} role="status">
        {succeeded
          ? (successMessage ?? form.messages.paymentSucceeded)
          : form.status === 'loading'
            ? form.messages.loading
            : null}
      </p>
    </>
  );
}

/**
 * The payment form: `<PaymentForm items={…} />` for the ready-made one, or its parts
 * (`PaymentForm.Root`, `.Element`, `.Summary`, `.Submit`, `.Error`) for your own layout.
 */
export const PaymentForm = /* @__PURE__ */ Object.assign(PaymentFormComposed, {
  Root: PaymentFormRoot,
  RootProvider: PaymentFormRootProvider,
  Element: PaymentFormElement,
  Summary: PaymentFormSummary,
  Submit: PaymentFormSubmit,
  Error: PaymentFormError,
});
