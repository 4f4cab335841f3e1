/** The subscription manager's strings, and their English (prices: `SubscribeFormMessages`). */
export interface SubscriptionManagerMessages {
  /** The list's accessible name. */
  subscriptions: string;
  /** Status badges. */
  subscriptionActive: string;
  subscriptionTrialing: string;
  subscriptionPastDue: string;
  /** Canceled at period end, still active until then. */
  subscriptionCanceling: string;
  subscriptionIncomplete: string;
  subscriptionUnpaid: string;
  subscriptionPaused: string;
  /** `{date}`: the end of the period, in the provider's locale. */
  renewsOn: string;
  trialEndsOn: string;
  endsOn: string;
  /** Button: cancel at the end of the period (asks first). */
  cancelSubscription: string;
  /** The confirmation step's question. `{plan}`: the product's name. */
  cancelQuestion: string;
  /** The confirmation step's safe choice. */
  keepSubscription: string;
  /** Button: undo a cancellation at period end. */
  resumeSubscription: string;
  /** The new plan's select label. */
  newPlan: string;
  /** Button: see what the selected plan costs, to confirm the change. */
  changePlan: string;
  /** The status region while the change's price is read. */
  checkingChange: string;
  /**
   * The change's confirmation step opens with this question. `{plan}`: the product's name;
   * `{newPlan}`: the plan chosen, as the select shows it.
   */
  changeQuestion: string;
  /**
   * Then one of these. `{amount}`: charged now (or the credit left); `{price}`: the new plan's
   * price ("$29.00 / month"); `{date}`: when it is next charged. `changeChargesRest`: the rest of
   * the period is charged now; `changeCharges`: a new period (another interval) is.
   */
  changeChargesRest: string;
  changeCharges: string;
  changeCredit: string;
  changeNoCharge: string;
  /** The change's confirmation step: its safe choice, and the change. */
  keepPlan: string;
  confirmChange: string;
  /** A payment needs another card. `{plan}`: the product's name. */
  paymentFailed: string;
  /**
   * A trial has no card for its renewals yet (`pendingAction` `save_card`). `{plan}`: the
   * product's name; `{date}`: the trial's end, in the provider's locale.
   */
  saveCardForTrial: string;
  /** A subscription with nothing charged yet (a promotion code) has no card for its renewals. */
  saveCardForRenewals: string;
  /** The status region, once that card was saved (its form goes). `{plan}`: the product's name. */
  cardSavedFor: string;
  /** Button: pay the open invoice with the card entered. */
  payNow: string;
  /** The accessible name of the region that holds Stripe's card fields. */
  cardDetails: string;
  /** The pay button while busy. */
  processing: string;
  /** The invoice was paid with the card entered (as `PaymentForm` says it). */
  paymentSucceeded: string;
  /**
   * The status region, once a payment that waited for the customer went through (its form goes
   * with it). `{plan}`: the product's name.
   */
  paymentWentThrough: string;
  /**
   * The status region, once the server canceled at period end. `{plan}`: the product's name;
   * `{date}`: the end of the period, in the provider's locale.
   */
  subscriptionCanceled: string;
  /** The status region, once the server undid a cancellation (`{plan}`, `{date}`: as above). */
  subscriptionResumed: string;
  /**
   * The status region, once the server changed plan. `{plan}`: the product's name before;
   * `{newPlan}`: the plan chosen, as the select shows it ("Pro · $240.00 / year").
   */
  planChanged: string;
  /** The status region after an action, when the details are missing. `{plan}`: the product's name. */
  subscriptionUpdated: string;
  /**
   * The status region, while the subscriptions show without prices and "Change plan" because the
   * catalog could not be read ("Try again" reads it again).
   */
  plansNotLoaded: string;
  /** No current subscription. */
  noSubscriptions: string;
  /** Button: read again what could not be loaded (the subscriptions, or plans and prices). */
  tryAgain: string;
}

export const subscriptionManagerMessages: SubscriptionManagerMessages = {
  subscriptions: 'Your subscriptions',
  subscriptionActive: 'Active',
  subscriptionTrialing: 'Trial',
  subscriptionPastDue: 'Past due',
  subscriptionCanceling: 'Canceling',
  subscriptionIncomplete: 'Incomplete',
  subscriptionUnpaid: 'Unpaid',
  subscriptionPaused: 'Paused',
  renewsOn: 'Renews on {date}',
  trialEndsOn: 'Trial ends on {date}',
  endsOn: 'Ends on {date}',
  cancelSubscription: 'Cancel subscription',
  cancelQuestion: 'Cancel {plan}? It stays active until the end of the period you paid for.',
  keepSubscription: 'Keep subscription',
  resumeSubscription: 'Resume subscription',
  newPlan: 'New plan',
  changePlan: 'Change plan',
  checkingChange: 'Checking what the change costs…',
  changeQuestion: 'Change {plan} to {newPlan}?',
  changeChargesRest:
    'You’ll pay {amount} now for the rest of this period, then {price} from {date}.',
  changeCharges: 'You’ll pay {amount} now, then {price} from {date}.',
  changeCredit:
    'No charge now: {amount} of credit goes to your next invoices. Then {price} from {date}.',
  changeNoCharge: 'No charge now, then {price} from {date}.',
  keepPlan: 'Keep current plan',
  confirmChange: 'Confirm change',
  paymentFailed: 'The last payment for {plan} failed. Pay with another card to keep it.',
  saveCardForTrial: 'Add a card to keep {plan} after your trial ends on {date}.',
  saveCardForRenewals: 'Add a card for {plan}’s renewals.',
  cardSavedFor: 'Your card is saved for {plan}.',
  payNow: 'Pay now',
  cardDetails: 'Card details',
  processing: 'Processing…',
  paymentSucceeded: 'Payment successful. Thank you!',
  paymentWentThrough: 'The payment for {plan} went through.',
  subscriptionCanceled: '{plan} is canceled. It stays active until {date}.',
  subscriptionResumed: '{plan} is no longer canceled. It renews on {date}.',
  planChanged: '{plan} changed to {newPlan}.',
  subscriptionUpdated: 'Your changes to {plan} are saved.',
  plansNotLoaded: 'Plans and prices could not be loaded.',
  noSubscriptions: 'No subscriptions.',
  tryAgain: 'Try again',
};
