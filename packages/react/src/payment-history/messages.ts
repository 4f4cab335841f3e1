/** The order history's strings, and their English. */
export interface PaymentHistoryMessages {
  /** The list's accessible name. */
  paymentHistory: string;
  /** One line of an order. `{quantity}`: 2; `{product}`: the product's name. */
  paymentLine: string;
  /** Status badges. */
  paymentPaid: string;
  paymentProcessing: string;
  /** Refunded in full. */
  paymentRefunded: string;
  /** Refunded in part. `{amount}`: the amount refunded, "$5.00". */
  paymentPartiallyRefunded: string;
  /** Button: read the next orders, older ones. */
  loadMorePayments: string;
  /** No order yet. */
  noPayments: string;
  /** Button: read the orders again after they could not be loaded. */
  tryAgain: string;
}

export const paymentHistoryMessages: PaymentHistoryMessages = {
  paymentHistory: 'Your orders',
  paymentLine: '{quantity} × {product}',
  paymentPaid: 'Paid',
  paymentProcessing: 'Processing',
  paymentRefunded: 'Refunded',
  paymentPartiallyRefunded: '{amount} refunded',
  loadMorePayments: 'Show older orders',
  noPayments: 'No orders yet.',
  tryAgain: 'Try again',
};
