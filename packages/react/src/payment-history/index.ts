export type { PaymentHistoryMessages } from './messages.js';
export {
  PaymentHistory,
  PaymentHistoryContext,
  PaymentHistoryError,
  PaymentHistoryItem,
  type PaymentHistoryItemProps,
  PaymentHistoryList,
  type PaymentHistoryListProps,
  PaymentHistoryLoadMore,
  type PaymentHistoryLoadMoreProps,
  type PaymentHistoryProps,
  PaymentHistoryRetry,
  type PaymentHistoryRetryProps,
  PaymentHistoryRoot,
  type PaymentHistoryRootProps,
  PaymentHistoryRootProvider,
  type PaymentHistoryRootProviderProps,
  usePaymentHistoryContext,
} from './payment-history.js';
export {
  type PaymentHistoryEntry,
  type PaymentHistoryEntryStatus,
  type PaymentHistoryState,
  type PaymentHistoryStatus,
  type UsePaymentHistoryProps,
  type UsePaymentHistoryReturn,
  usePaymentHistory,
} from './use-payment-history.js';
