/** Every English string in one object (each feature also carries its own). */
import { authenticatePaymentMessages } from '../authenticate-payment/messages.js';
import { manageBillingMessages } from '../manage-billing/messages.js';
import { paymentFormMessages } from '../payment-form/messages.js';
import { paymentHistoryMessages } from '../payment-history/messages.js';
import { paymentStatusMessages } from '../payment-status/messages.js';
import { pricingTableMessages } from '../pricing-table/messages.js';
import { saveCardFormMessages } from '../save-card-form/messages.js';
import { savedCardsMessages } from '../saved-cards/messages.js';
import { promotionCodeMessages, subscribeFormMessages } from '../subscribe-form/messages.js';
import { subscriptionManagerMessages } from '../subscription-manager/messages.js';
import { commonMessages, type TillkitMessages } from './messages.js';

export const en: TillkitMessages = {
  ...commonMessages,
  ...paymentFormMessages,
  ...paymentStatusMessages,
  ...authenticatePaymentMessages,
  ...saveCardFormMessages,
  ...savedCardsMessages,
  ...paymentHistoryMessages,
  ...subscribeFormMessages,
  ...promotionCodeMessages,
  ...pricingTableMessages,
  ...subscriptionManagerMessages,
  ...manageBillingMessages,
};
