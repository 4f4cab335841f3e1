/**
 * Every JSON route, one file each. A new route is a new file plus a line here; its method, path
 * and auth come from the protocol's route table. The webhook route is mounted on its own (raw
 * body) by the router.
 */
import type { RouteDefinition } from '../http/define-route.js';
import { cancelSubscription } from './cancel-subscription.js';
import { changeSubscription } from './change-subscription.js';
import { createCheckoutSession } from './create-checkout-session.js';
import { createCustomerSession } from './create-customer-session.js';
import { createPaymentIntent } from './create-payment-intent.js';
import { createPortalSession } from './create-portal-session.js';
import { createRefund } from './create-refund.js';
import { createSetupIntent } from './create-setup-intent.js';
import { createSubscription } from './create-subscription.js';
import { deletePaymentMethod } from './delete-payment-method.js';
import { getConfig } from './get-config.js';
import { getEntitlements } from './get-entitlements.js';
import { getPayment } from './get-payment.js';
import { getTrialEligibility } from './get-trial-eligibility.js';
import { health } from './health.js';
import { listPaymentMethods } from './list-payment-methods.js';
import { listPayments } from './list-payments.js';
import { listPrices } from './list-prices.js';
import { listSubscriptions } from './list-subscriptions.js';
import { previewSubscription } from './preview-subscription.js';
import { previewSubscriptionChange } from './preview-subscription-change.js';
import { ready } from './ready.js';
import { resumeSubscription } from './resume-subscription.js';
import { sandboxAdvance } from './sandbox-advance.js';
import { sandboxSignIn } from './sandbox-sign-in.js';
import { setDefaultPaymentMethod } from './set-default-payment-method.js';
import { updatePaymentIntent } from './update-payment-intent.js';

export const API_ROUTES: readonly RouteDefinition[] = [
  health,
  ready,
  getConfig,
  listPrices,
  createPaymentIntent,
  updatePaymentIntent,
  getPayment,
  listPayments,
  createSetupIntent,
  listPaymentMethods,
  setDefaultPaymentMethod,
  deletePaymentMethod,
  createCustomerSession,
  createRefund,
  createSubscription,
  previewSubscription,
  listSubscriptions,
  cancelSubscription,
  resumeSubscription,
  changeSubscription,
  previewSubscriptionChange,
  getEntitlements,
  getTrialEligibility,
  createCheckoutSession,
  createPortalSession,
  sandboxSignIn,
  sandboxAdvance,
];
