/** The subscribe form's strings (shared with the pricing table and the subscription manager), and their English. */
export interface SubscribeFormMessages {
  /** A monthly price. `{amount}`: $29.00. */
  perMonth: string;
  /** A yearly price. `{amount}`: $290.00. */
  perYear: string;
  /** Badge: the plan starts with a trial. `{days}`: 14. */
  trialDays: string;
  /** The accessible name of the region that holds Stripe's card fields. */
  cardDetails: string;
  /** The submit button. */
  subscribe: string;
  /** The submit button for a plan with a trial (no charge today). */
  startTrial: string;
  /** The submit button while busy. */
  processing: string;
  /** After subscribing. */
  subscribed: string;
  /**
   * The server refused (`already_subscribed`): the customer already has a live subscription to
   * this product (paid, or a trial), or to any when the server keeps one per customer. Another
   * price is a plan change then.
   */
  alreadySubscribed: string;
  /**
   * The plan offered a trial, but the customer had this product before (the server gives a trial
   * once per product): nothing was charged, and the form now shows the price due today.
   */
  trialUsed: string;
  /** Button: load again what could not be loaded (the prices, Stripe's card fields). */
  tryAgain: string;
}

/**
 * The subscribe form's promotion code strings: apart, so that the pricing table's and the
 * subscription manager's plan labels (which share the form's strings) do not ship them.
 */
export interface PromotionCodeMessages {
  /** The promotion code field's label. */
  promotionCode: string;
  /** Button: check the typed code and show what it takes off. */
  applyCode: string;
  /** Button: take the applied code off again. */
  removeCode: string;
  /**
   * The applied code. `{code}`: WELCOME10; `{off}`: `percentOff` or `amountOff`; `{duration}`:
   * one of the `duration…` strings.
   */
  codeApplied: string;
  /** `{percent}`: 10% (formatted for the locale). */
  percentOff: string;
  /** `{amount}`: $5.00. */
  amountOff: string;
  /** A code that takes its part off the first invoice that charges only. */
  durationOnce: string;
  /** A code that takes its part off every invoice. */
  durationForever: string;
  /** A code that lasts `{months}` months (more than one). */
  durationMonths: string;
  /** A code that lasts one month. */
  durationMonth: string;
  /** What is charged today with the code. `{amount}`: $26.10. */
  dueToday: string;
  /**
   * The server refused the code (`promotion_code_invalid`): unknown, expired, used up, or not for
   * this customer or plan.
   */
  promotionCodeInvalid: string;
  /** Subscribe was pressed with a code typed in the field but not applied. */
  promotionCodeNotApplied: string;
}

export const subscribeFormMessages: SubscribeFormMessages = {
  perMonth: '{amount} / month',
  perYear: '{amount} / year',
  trialDays: '{days}-day free trial',
  cardDetails: 'Card details',
  subscribe: 'Subscribe',
  startTrial: 'Start free trial',
  processing: 'Processing…',
  subscribed: 'You are subscribed. Thank you!',
  alreadySubscribed:
    'You already have a subscription. Change or manage it from your subscriptions.',
  trialUsed:
    'You have had a free trial of this plan before, so it starts today at the price shown. Nothing has been charged yet: subscribe to go on.',
  tryAgain: 'Try again',
};

export const promotionCodeMessages: PromotionCodeMessages = {
  promotionCode: 'Promotion code',
  applyCode: 'Apply',
  removeCode: 'Remove',
  codeApplied: '{code}: {off} {duration}',
  percentOff: '{percent} off',
  amountOff: '{amount} off',
  durationOnce: 'the first payment',
  durationForever: 'every payment',
  durationMonths: 'for {months} months',
  durationMonth: 'for one month',
  dueToday: 'Due today: {amount}',
  promotionCodeInvalid: 'This code cannot be used. Check it and try again.',
  promotionCodeNotApplied: 'Apply the promotion code you typed, or clear it, before you subscribe.',
};
