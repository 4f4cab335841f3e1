import type { Route } from '../core/route.js';
import type { Reaction } from '../core/sandbox.js';
import { checkoutPageRoutes } from '../pages/checkout-page.js';
import { portalPageReactions, portalPageRoutes } from '../pages/portal-page.js';
import { receiptPageRoutes } from '../pages/receipt-page.js';
import { threeDSecureRoutes } from '../pages/three-d-secure.js';
import { seedRoutes } from '../seed.js';
import { activeEntitlementReactions, activeEntitlementRoutes } from './active-entitlements.js';
import { billingPortalRoutes } from './billing-portal.js';
import { chargeRoutes } from './charges.js';
import { checkoutSessionReactions, checkoutSessionRoutes } from './checkout-sessions.js';
import { couponRoutes } from './coupons.js';
import { customerSessionRoutes } from './customer-sessions.js';
import { customerRoutes } from './customers.js';
import { elementsSessionRoutes } from './elements-sessions.js';
import { entitlementFeatureRoutes } from './entitlement-features.js';
import { eventRoutes } from './events.js';
import { invoicePaymentRoutes } from './invoice-payments.js';
import { invoicePreviewRoutes } from './invoice-previews.js';
import { invoiceReactions, invoiceRoutes } from './invoices.js';
import { paymentIntentRoutes } from './payment-intents.js';
import { paymentMethodRoutes } from './payment-methods.js';
import { priceRoutes } from './prices.js';
import { productFeatureRoutes } from './product-features.js';
import { productRoutes } from './products.js';
import { promotionCodeRoutes } from './promotion-codes.js';
import { refundRoutes } from './refunds.js';
import { sandboxControlRoutes } from './sandbox-control.js';
import { setupIntentRoutes } from './setup-intents.js';
import { subscriptionItemRoutes } from './subscription-items.js';
import { subscriptionReactions, subscriptionRoutes } from './subscriptions.js';
import { testClockRoutes } from './test-clocks.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';

/** Every route the sandbox serves. */
export const allRoutes: Route[] = [
  ...customerRoutes,
  ...customerSessionRoutes,
  ...elementsSessionRoutes,
  ...paymentMethodRoutes,
  ...eventRoutes,
  ...webhookEndpointRoutes,
  ...sandboxControlRoutes,
  ...threeDSecureRoutes,
  ...setupIntentRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...receiptPageRoutes,
  ...refundRoutes,
  ...productRoutes,
  ...productFeatureRoutes,
  ...priceRoutes,
  ...couponRoutes,
  ...promotionCodeRoutes,
  ...entitlementFeatureRoutes,
  ...activeEntitlementRoutes,
  ...seedRoutes,
  ...subscriptionRoutes,
  ...subscriptionItemRoutes,
  ...invoicePreviewRoutes,
  ...invoiceRoutes,
  ...invoicePaymentRoutes,
  ...testClockRoutes,
  ...checkoutSessionRoutes,
  ...checkoutPageRoutes,
  ...billingPortalRoutes,
  ...portalPageRoutes,
];

/** What resources do when others change (billing reacts to payments). */
export const allReactions: Reaction[] = [
  ...invoiceReactions,
  ...subscriptionReactions,
  ...checkoutSessionReactions,
  ...portalPageReactions,
  ...activeEntitlementReactions,
];
