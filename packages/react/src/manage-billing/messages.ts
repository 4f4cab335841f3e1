/** The billing portal button's strings, and their English. */
export interface ManageBillingMessages {
  /** The button. */
  manageBilling: string;
}

export const manageBillingMessages: ManageBillingMessages = {
  manageBilling: 'Manage billing',
};
