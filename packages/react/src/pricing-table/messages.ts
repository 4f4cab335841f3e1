import type { SubscriptionManagerMessages } from '../subscription-manager/messages.js';

/**
 * The pricing table's strings, and their English (prices and trials: `SubscribeFormMessages`).
 * A plan change's confirmation says what it charges with `SubscriptionManager`'s words (the same
 * keys, so one translation serves both; their English is repeated below so that the table does
 * not ship the manager's strings).
 */
export interface PricingTableMessages
  extends Pick<
    SubscriptionManagerMessages,
    | 'checkingChange'
    | 'changeQuestion'
    | 'changeChargesRest'
    | 'changeCharges'
    | 'changeCredit'
    | 'changeNoCharge'
    | 'confirmChange'
    | 'planChanged'
  > {
  /** The interval toggle's legend. */
  billingPeriod: string;
  /** The monthly option. */
  monthly: string;
  /** The yearly option. */
  yearly: string;
  /**
   * Beside the yearly option, with its punctuation ("(save up to 17%)"). `{percent}`: "17%",
   * computed from the prices.
   */
  yearlySaving: string;
  /** Badge of the highlighted plan. */
  popularPlan: string;
  /** A plan's button. `{plan}`: its name. */
  choosePlan: string;
  /** Back from the subscribe form to the plans. */
  backToPlans: string;
  /** No plan on sale. */
  noPlans: string;
  /** Button: read the plans again after they could not be loaded. */
  tryAgain: string;
  /** The signed-in customer's plan: its badge, and its (disabled) button. */
  currentPlan: string;
  /** The button of a plan that changes the customer's subscription. `{plan}`: its name. */
  switchPlan: string;
  /** The same, for this product's other billing period (the customer is on Pro monthly). */
  switchToYearly: string;
  switchToMonthly: string;
  /** The current plan's button while its subscription has no card for its renewals (a trial). */
  addCard: string;
  /**
   * Above the card form of that plan (as `SubscriptionManager`'s). `{plan}`: the product's name;
   * `{date}`: the trial's end, in the provider's locale.
   */
  saveCardForTrial: string;
  /** The same for a subscription with no trial (a promotion code made it free). */
  saveCardForRenewals: string;
  /**
   * Beside the plans the table cannot change to: the server keeps one subscription per customer
   * but the customer has several (made before), and the table does not guess which to change.
   */
  changeWhichSubscription: string;
  /**
   * Beside the plans that would change a subscription the server will not change now: unpaid,
   * paused, or set to end.
   */
  changeInactiveSubscription: string;
  /** Beside the plans in another currency than the subscription they would change. */
  changeOtherCurrency: string;
  /**
   * The status region once a plan change went through but its payment waits for the customer.
   * `{plan}`: the new plan's name. `…Authenticate`: 3D Secure; `…NewCard`: the card failed.
   */
  changePaymentAuthenticate: string;
  changePaymentNewCard: string;
  /** The error region: the change's preview is too old (its new amounts are shown). */
  previewExpired: string;
  /** The error region: the subscription cannot change plan now (unpaid, paused, not paid yet). */
  invalidState: string;
}

export const pricingTableMessages: PricingTableMessages = {
  billingPeriod: 'Billing period',
  monthly: 'Monthly',
  yearly: 'Yearly',
  yearlySaving: '(save up to {percent})',
  popularPlan: 'Most popular',
  choosePlan: 'Choose {plan}',
  backToPlans: 'Back to plans',
  noPlans: 'No plans available.',
  tryAgain: 'Try again',
  currentPlan: 'Current plan',
  switchPlan: 'Switch to {plan}',
  switchToYearly: 'Switch to yearly',
  switchToMonthly: 'Switch to monthly',
  addCard: 'Add a card',
  saveCardForTrial: 'Add a card to keep {plan} after your trial ends on {date}.',
  saveCardForRenewals: 'Add a card for {plan}’s renewals.',
  changeWhichSubscription:
    'You have more than one subscription: change plan where you manage your subscriptions.',
  changeInactiveSubscription:
    'Your subscription cannot change plan now: resume it or pay for it where you manage your subscriptions.',
  changeOtherCurrency:
    'Your subscription is billed in another currency, so it cannot change to this plan.',
  changePaymentAuthenticate:
    '{plan} is your plan now, but its payment needs your confirmation: confirm it where you manage your subscriptions.',
  changePaymentNewCard:
    '{plan} is your plan now, but its payment failed: pay with another card where you manage your subscriptions.',
  previewExpired:
    'That price was worked out a while ago: here is what the change costs now. Confirm it again.',
  invalidState:
    'This subscription cannot change plan now: pay for it or resume it where you manage your subscriptions first.',
  // As SubscriptionManager's (see above).
  checkingChange: 'Checking what the change costs…',
  changeQuestion: 'Change {plan} to {newPlan}?',
  changeChargesRest:
    'You’ll pay {amount} now for the rest of this period, then {price} from {date}.',
  changeCharges: 'You’ll pay {amount} now, then {price} from {date}.',
  changeCredit:
    'No charge now: {amount} of credit goes to your next invoices. Then {price} from {date}.',
  changeNoCharge: 'No charge now, then {price} from {date}.',
  confirmChange: 'Confirm change',
  planChanged: '{plan} changed to {newPlan}.',
};
