export { Entitled, type EntitledProps } from './entitled.js';
export {
  type EntitlementsState,
  type EntitlementsStatus,
  type UseEntitlementsReturn,
  useEntitlements,
} from './use-entitlements.js';
