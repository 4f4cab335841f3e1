export {
  type StripeStatus,
  type TillkitAppearance,
  TillkitContext,
  type TillkitContextValue,
  TillkitProvider,
  type TillkitProviderProps,
  useTillkit,
} from './tillkit-provider.js';
