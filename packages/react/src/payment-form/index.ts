export type { TillkitFailure } from '../internal/errors.js';
export type { PaymentFormMessages } from './messages.js';
export {
  PaymentForm,
  PaymentFormContext,
  PaymentFormElement,
  type PaymentFormElementProps,
  PaymentFormError,
  type PaymentFormErrorProps,
  type PaymentFormProps,
  PaymentFormRetry,
  PaymentFormRoot,
  type PaymentFormRootProps,
  PaymentFormRootProvider,
  type PaymentFormRootProviderProps,
  PaymentFormSubmit,
  type PaymentFormSubmitProps,
  PaymentFormSummary,
  type PaymentFormSummaryProps,
  usePaymentFormContext,
} from './payment-form.js';
export {
  type PaymentAmount,
  type PaymentFormState,
  type PaymentFormStatus,
  priceCart,
  type UsePaymentFormProps,
  type UsePaymentFormReturn,
  usePaymentForm,
} from './use-payment-form.js';
