/**
 * @tillkit/react: a Stripe checkout as React components. Each feature is a headless hook
 * (`usePaymentForm`), unstyled parts (`PaymentForm.Root`, `.Element`, …) and a ready-made
 * composition (`<PaymentForm>`); `@tillkit/react/styles.css` styles them on CSS variables.
 * Per-feature entry points (`@tillkit/react/payment-form`, …) hold the same exports.
 * @packageDocumentation
 */

// The server's shapes the kit hands over (`onSelect`'s price and product, `onSubscribed`'s answer,
// a saved card, a failure's `cause`), so that a host types its own wrappers without installing
// @tillkit/protocol itself.
export type {
  CartItem,
  CatalogPrice,
  CatalogProduct,
  CreateSubscriptionResponse,
  EntitlementsResponse,
  ErrorCode,
  Payment,
  PaymentIntentResponse,
  PaymentLine,
  PaymentMethod,
  PendingAction,
  PricesResponse,
  SetupIntentResponse,
  Subscription,
  SubscriptionPreview,
  SubscriptionStatus,
} from '@tillkit/protocol';
export { type ClientErrorCode, TillkitApiError, type Transport } from '@tillkit/protocol/client';
export {
  appearanceFromStyles,
  type TillkitTheme,
  toCssVariables,
  toStripeAppearance,
} from './appearance.js';
export * from './authenticate-payment/index.js';
export * from './entitlements/index.js';
export { currencyDecimals, formatMoney } from './format-money.js';
export type { HeadingLevel } from './internal/part.js';
export * from './manage-billing/index.js';
export { en } from './messages/en.js';
export {
  type CommonMessages,
  commonMessages,
  formatMessage,
  type TillkitMessages,
} from './messages/messages.js';
export * from './payment-form/index.js';
export * from './payment-history/index.js';
export * from './payment-status/index.js';
export * from './pricing-table/index.js';
export * from './products/index.js';
export * from './provider/index.js';
export * from './save-card-form/index.js';
export * from './saved-cards/index.js';
export * from './subscribe-form/index.js';
export * from './subscription-manager/index.js';
