/**
 * A recurring price as the billing components write it ("$29.00 / month"), and finding one in the
 * catalog: what the subscribe form, the pricing table and the subscription manager share.
 */
import type { CatalogPrice, CatalogProduct, PricesResponse } from '@tillkit/protocol';
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

/** A catalog price with its product. */
export interface Plan {
  product: CatalogProduct;
  price: CatalogPrice;
}

/** The product and price of `id` in the catalog, or null. */
export function findPlan(catalog: PricesResponse | null, id: string): Plan | null {
  for (const product of catalog?.products ?? []) {
    for (const price of product.prices) if (price.id === id) return { product, price };
  }
  return null;
}
