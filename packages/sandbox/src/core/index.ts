/**
 * The runtime-neutral sandbox: `createSandboxCore()` returns a Fetch API handler that works in
 * Node, in browsers (through MSW) and in any other runtime with `fetch`, `Request`, `Response` and
 * Web Crypto.
 */
import { allReactions, allRoutes } from '../resources/index.js';
import { registerPriceIncludables } from '../resources/prices.js';
import { installBilling } from '../resources/subscriptions.js';
import { customerNow, nowOn } from './billing-time.js';
import { SandboxCore, type SandboxCoreOptions } from './sandbox.js';

/** Events about a test clock's customers (and the clock itself) are dated on that clock. */
function eventTimeOnTestClocks(sandbox: SandboxCore, object: object): number {
  const o = object as { id?: string; object?: string; customer?: unknown; frozen_time?: number };
  if (o.object === 'test_helpers.test_clock') return nowOn(sandbox, o.id ?? null);
  if (o.object === 'customer') return customerNow(sandbox, o.id ?? null);
  const customer =
    typeof o.customer === 'string' ? o.customer : (o.customer as { id?: string } | null)?.id;
  return customerNow(sandbox, customer ?? null);
}

export {
  DEMO_COUPON_ID,
  DEMO_LOOKUP_KEYS,
  DEMO_PROMOTION_CODE,
  type DemoCatalog,
  seedDemoCatalog,
} from '../seed.js';
export {
  type BillingSettings,
  billingSettings,
  DEFAULT_BILLING_SETTINGS,
  setBillingSettings,
} from './billing-time.js';
export { TEST_CARDS, TEST_PAYMENT_METHOD_IDS } from './cards.js';
export type { ChaosSettings, ChaosUpdate } from './chaos.js';
export type { Clock } from './clock.js';
export {
  assertChargeableAmount,
  assertPaymentAmount,
  chargeableStep,
  formatAmount,
  isSupportedCurrency,
  MAXIMUM_CHARGE_AMOUNT,
  MINIMUM_CHARGE_AMOUNTS,
  minimumChargeAmount,
  minorUnits,
  SUPPORTED_CURRENCIES,
  THREE_DECIMAL_CURRENCIES,
  ZERO_DECIMAL_CURRENCIES,
} from './currencies.js';
export { API_VERSION, type Reaction, SandboxCore, type SandboxCoreOptions } from './sandbox.js';
export type { SerializedState } from './store.js';
export type { DeliveryRecord, WebhookDeliveryOptions } from './webhooks.js';

/** Creates a sandbox core serving every resource. */
export function createSandboxCore(options: Omit<SandboxCoreOptions, 'routes'> = {}): SandboxCore {
  const core = new SandboxCore({
    eventTime: eventTimeOnTestClocks,
    ...options,
    routes: allRoutes,
    reactions: allReactions,
  });
  installBilling(core);
  registerPriceIncludables(core);
  return core;
}
