/** The order history's strings, and their English. */
export interface PaymentHistoryMessages {
  /** The list's accessible name. */
  paymentHistory: string;
  /** One line of an order. `{quantity}`: 2; `{product}`: the product's name. */
  paymentLine: string;
  /**
   * What a discount (a promotion code) took off the lines' prices. `{amount}`: negative, in the
   * locale's way, "-$5.00".
   */
  paymentDiscount: string;
  /** Status badges. */
  paymentPaid: string;
  paymentProcessing: string;
  /** Refunded in full. */
  paymentRefunded: string;
  /** Refunded in part. `{amount}`: the amount refunded, "$5.00". */
  paymentPartiallyRefunded: string;
  /** Link to an order's receipt, on Stripe's page. */
  viewReceipt: string;
  /**
   * The receipt link's accessible name: several links all say "Receipt", so it says whose. Starts
   * with `viewReceipt`'s words, so that voice control finds the link by what it shows (WCAG 2.5.3).
   * `{amount}`: "$64.00"; `{date}`: "May 15, 2026".
   */
  receiptFor: string;
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
  paymentDiscount: 'Discount {amount}',
  paymentPaid: 'Paid',
  paymentProcessing: 'Processing',
  paymentRefunded: 'Refunded',
  paymentPartiallyRefunded: '{amount} refunded',
  viewReceipt: 'Receipt',
  receiptFor: 'Receipt for {amount} on {date} (opens in a new tab)',
  loadMorePayments: 'Show older orders',
  noPayments: 'No orders yet.',
  tryAgain: 'Try again',
};
