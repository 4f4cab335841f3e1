/** The "confirm your payment" flow's strings, and their English. */
export interface AuthenticatePaymentMessages {
  /** Button: confirm the payment with the bank (3D Secure). */
  authenticate: string;
  /** The payment waits for the customer's confirmation. */
  authenticateRequired: string;
  /** While the bank's dialog is open. */
  authenticating: string;
  /** The payment was confirmed. */
  authenticateSucceeded: string;
  /** Confirming with this card is no longer possible. */
  authenticateNeedsNewCard: string;
  /** The payment cannot be confirmed here (Stripe does not know it, or it was canceled). */
  authenticateUnavailable: string;
  /** Button: read the payment again after it could not be read. */
  tryAgain: string;
}

export const authenticatePaymentMessages: AuthenticatePaymentMessages = {
  authenticate: 'Confirm payment',
  authenticateRequired: 'Your bank asks you to confirm this payment.',
  authenticating: 'Waiting for your bank…',
  authenticateSucceeded: 'Payment confirmed. Thank you!',
  authenticateNeedsNewCard: 'This payment needs another card.',
  authenticateUnavailable: 'This payment cannot be confirmed.',
  tryAgain: 'Try again',
};
