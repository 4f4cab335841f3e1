/** The return page's strings, and their English. */
export interface PaymentStatusMessages {
  /** Looking the payment up. */
  statusLoading: string;
  /** Looking a card being saved (a setup intent) up. */
  statusSetupLoading: string;
  /** The payment succeeded. */
  statusSucceeded: string;
  /** A card was saved (a setup intent succeeded). */
  statusSetupSucceeded: string;
  /** The payment is processing. */
  statusProcessing: string;
  /** A card is being saved (a setup intent is processing). */
  statusSetupProcessing: string;
  /** Still processing after the last check. */
  statusStillProcessing: string;
  /** A card is still being saved after the last check. */
  statusSetupStillProcessing: string;
  /** The payment failed. */
  statusFailed: string;
  /** A card was not saved (a setup intent failed). */
  statusSetupFailed: string;
  /** The bank asks the customer to confirm. */
  statusRequiresAction: string;
  /** The bank asks the customer to confirm a card being saved. */
  statusSetupRequiresAction: string;
  /** The bank's confirmation (3D Secure) is open. */
  authenticating: string;
  /**
   * The payment could not be looked up (a network error, Stripe answered 5xx): it may have gone
   * through, so this must not say it failed.
   */
  statusUnknown: string;
  /** The payment could not be looked up, but Stripe's redirect said `redirect_status=succeeded`. */
  statusUnknownReportedPaid: string;
  /** A card being saved could not be looked up. */
  statusSetupUnknown: string;
  /** The page was opened without a payment in its address. */
  statusMissing: string;
  /** Button: start again after a failure. */
  tryAgain: string;
  /** Button: look the payment up again. */
  checkAgain: string;
  /** Button: confirm the payment with the bank (3D Secure). */
  authenticate: string;
  /** Button: confirm a card being saved with the bank (3D Secure). */
  authenticateCard: string;
}

export const paymentStatusMessages: PaymentStatusMessages = {
  statusLoading: 'Checking your payment…',
  statusSetupLoading: 'Checking your card…',
  statusSucceeded: 'Payment successful. Thank you!',
  statusSetupSucceeded: 'Your card has been saved.',
  statusProcessing: 'Your payment is processing. This page updates when it is done.',
  statusSetupProcessing: 'Your card is being saved. This page updates when it is done.',
  statusStillProcessing: 'Your payment is still processing. Check again in a moment.',
  statusSetupStillProcessing: 'Your card is still being saved. Check again in a moment.',
  statusFailed: 'Your payment was not completed.',
  statusSetupFailed: 'Your card was not saved.',
  statusRequiresAction: 'Your bank asks you to confirm this payment.',
  statusSetupRequiresAction: 'Your bank asks you to confirm this card.',
  authenticating: 'Waiting for your bank…',
  statusUnknown: 'We could not check your payment right now. Check again in a moment.',
  statusUnknownReportedPaid:
    'Your bank reported the payment as complete, but we could not confirm it yet. Check again in a moment.',
  statusSetupUnknown: 'We could not check your card right now. Check again in a moment.',
  statusMissing: 'There is no payment to show here.',
  tryAgain: 'Try again',
  checkAgain: 'Check again',
  authenticate: 'Confirm payment',
  authenticateCard: 'Confirm card',
};
