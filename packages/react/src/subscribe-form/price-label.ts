/** A recurring price as the billing components write it: "$29.00 / month". */
import type { CatalogPrice } from '@tillkit/protocol';
import { formatMessage } from '../messages/messages.js';
import type { SubscribeFormMessages } from './messages.js';

/** The recurring prices the billing components offer: monthly or yearly (one period at a time). */
export function isPlanPrice(price: CatalogPrice): price is CatalogPrice & {
  interval: 'month' | 'year';
} {
  return (
    price.type === 'recurring' &&
    (price.interval === 'month' || price.interval === 'year') &&
    (price.intervalCount ?? 1) === 1
  );
}

/** "$29.00 / month", "$290.00 / year"; other periods show the amount alone. */
export function priceLabel(
  price: CatalogPrice,
  messages: SubscribeFormMessages,
  format: (amount: number, currency: string) => string,
): string {
  const amount = format(price.unitAmount, price.currency);
  return isPlanPrice(price)
    ? formatMessage(price.interval === 'month' ? messages.perMonth : messages.perYear, { amount })
    : amount;
}
