/** The return page's strings, and their English. */
export interface PaymentStatusMessages {
  /** Looking the payment up. */
  statusLoading: string;
  /** The payment succeeded. */
  statusSucceeded: string;
  /** A card was saved (a setup intent succeeded). */
  statusSetupSucceeded: string;
  /** The payment is processing. */
  statusProcessing: string;
  /** Still processing after the last check. */
  statusStillProcessing: string;
  /** The payment failed. */
  statusFailed: string;
  /** The bank asks the customer to confirm. */
  statusRequiresAction: string;
  /** The page was opened without a payment in its address. */
  statusMissing: string;
  /** Button: start again after a failure. */
  tryAgain: string;
  /** Button: look the payment up again. */
  checkAgain: string;
  /** Button: confirm the payment with the bank (3D Secure). */
  authenticate: string;
}

export const paymentStatusMessages: PaymentStatusMessages = {
  statusLoading: 'Checking your payment…',
  statusSucceeded: 'Payment successful. Thank you!',
  statusSetupSucceeded: 'Your card has been saved.',
  statusProcessing: 'Your payment is processing. This page updates when it is done.',
  statusStillProcessing: 'Your payment is still processing. Check again in a moment.',
  statusFailed: 'Your payment was not completed.',
  statusRequiresAction: 'Your bank asks you to confirm this payment.',
  statusMissing: 'There is no payment to show here.',
  tryAgain: 'Try again',
  checkAgain: 'Check again',
  authenticate: 'Confirm payment',
};
