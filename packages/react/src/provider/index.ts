export {
  type StripeStatus,
  TillkitContext,
  type TillkitContextValue,
  TillkitProvider,
  type TillkitProviderProps,
  useTillkit,
} from './tillkit-provider.js';
