export type { HeadingLevel } from '../internal/part.js';
export type { PricingTableMessages } from './messages.js';
export {
  PricingTable,
  PricingTableChange,
  type PricingTableChangeProps,
  PricingTableContext,
  PricingTableError,
  PricingTableInterval,
  type PricingTableIntervalProps,
  PricingTablePlan,
  type PricingTablePlanProps,
  type PricingTableProps,
  PricingTableRetry,
  PricingTableRoot,
  type PricingTableRootProps,
  PricingTableRootProvider,
  type PricingTableRootProviderProps,
  PricingTableSelect,
  type PricingTableSelectProps,
  usePricingTableContext,
} from './pricing-table.js';
export {
  type PricingInterval,
  type PricingPlan,
  type PricingPlanChange,
  type PricingState,
  type PricingStatus,
  type UsePricingProps,
  type UsePricingReturn,
  usePricing,
  yearlySaving,
} from './use-pricing.js';
