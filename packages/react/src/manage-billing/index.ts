export {
  ManageBillingButton,
  type ManageBillingButtonProps,
} from './manage-billing-button.js';
export type { ManageBillingMessages } from './messages.js';
export {
  type ManageBillingState,
  type ManageBillingStatus,
  type UseManageBillingProps,
  type UseManageBillingReturn,
  useManageBilling,
} from './use-manage-billing.js';
