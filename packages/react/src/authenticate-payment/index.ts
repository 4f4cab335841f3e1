export {
  AuthenticatePayment,
  AuthenticatePaymentContext,
  AuthenticatePaymentError,
  AuthenticatePaymentMessage,
  type AuthenticatePaymentProps,
  AuthenticatePaymentRetry,
  AuthenticatePaymentRoot,
  type AuthenticatePaymentRootProps,
  AuthenticatePaymentRootProvider,
  type AuthenticatePaymentRootProviderProps,
  AuthenticatePaymentTrigger,
  useAuthenticatePaymentContext,
} from './authenticate-payment.js';
export type { AuthenticatePaymentMessages } from './messages.js';
export {
  type AuthenticatePaymentState,
  type AuthenticatePaymentStatus,
  type UseAuthenticatePaymentProps,
  type UseAuthenticatePaymentReturn,
  useAuthenticatePayment,
} from './use-authenticate-payment.js';
