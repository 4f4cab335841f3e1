/** The payment form's strings, and their English. */
export interface PaymentFormMessages {
  /** The label of the amount in the summary. */
  total: string;
  /** The pay button. `{amount}`: the formatted total. */
  pay: string;
  /** The pay button while a payment is on its way. */
  processing: string;
  /** The accessible name of the region that holds Stripe's card fields. */
  paymentDetails: string;
  /** After the payment went through. */
  paymentSucceeded: string;
  /** Button: load again what could not be loaded (the prices, Stripe's card fields). */
  tryAgain: string;
}

export const paymentFormMessages: PaymentFormMessages = {
  total: 'Total',
  pay: 'Pay {amount}',
  processing: 'Processing…',
  paymentDetails: 'Payment details',
  paymentSucceeded: 'Payment successful. Thank you!',
  tryAgain: 'Try again',
};
