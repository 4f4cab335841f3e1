/** Every English string in one object (each feature also carries its own). */
import { authenticatePaymentMessages } from '../authenticate-payment/messages.js';
import { paymentFormMessages } from '../payment-form/messages.js';
import { paymentStatusMessages } from '../payment-status/messages.js';
import { commonMessages, type TillkitMessages } from './messages.js';

export const en: TillkitMessages = {
  ...commonMessages,
  ...paymentFormMessages,
  ...paymentStatusMessages,
  ...authenticatePaymentMessages,
};
