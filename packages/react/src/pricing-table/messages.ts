/** The pricing table's strings, and their English (prices and trials: `SubscribeFormMessages`). */
export interface PricingTableMessages {
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
};
