/**
 * The runtime-neutral sandbox: `createSandboxCore()` returns a Fetch API handler that works in
 * Node, in browsers (through MSW) and in any other runtime with `fetch`, `Request`, `Response` and
 * Web Crypto.
 */
import { allReactions, allRoutes } from '../resources/index.js';
import { SandboxCore, type SandboxCoreOptions } from './sandbox.js';

export { DEMO_LOOKUP_KEYS, type DemoCatalog, seedDemoCatalog } from '../seed.js';
export { TEST_CARDS, TEST_PAYMENT_METHOD_IDS } from './cards.js';
export type { ChaosSettings, ChaosUpdate } from './chaos.js';
export type { Clock } from './clock.js';
export {
  assertChargeableAmount,
  chargeableStep,
  formatAmount,
  isSupportedCurrency,
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
  return new SandboxCore({ ...options, routes: allRoutes, reactions: allReactions });
}
