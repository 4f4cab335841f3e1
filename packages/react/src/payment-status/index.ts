export type { PaymentStatusMessages } from './messages.js';
export {
  PaymentStatus,
  PaymentStatusAuthenticate,
  PaymentStatusContext,
  PaymentStatusMessage,
  type PaymentStatusMessageProps,
  type PaymentStatusProps,
  PaymentStatusRefresh,
  PaymentStatusRetry,
  type PaymentStatusRetryProps,
  PaymentStatusRoot,
  type PaymentStatusRootProps,
  PaymentStatusRootProvider,
  type PaymentStatusRootProviderProps,
  usePaymentStatusContext,
} from './payment-status.js';
export {
  messageFor,
  type PaymentStatusState,
  type PaymentStatusStatus,
  type RedirectStatus,
  type StatusIntent,
  type UsePaymentStatusProps,
  type UsePaymentStatusReturn,
  usePaymentStatus,
} from './use-payment-status.js';
