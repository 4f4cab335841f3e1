/**
 * The cart against the catalog: each line's product and price, grouped by currency. Stripe takes
 * one currency per payment (and the server refuses a mixed cart), so each group is checked out on
 * its own; the seeded catalog sells the T-shirt in USD or KWD and the mug in USD or JPY, so a
 * T-shirt and a mug in dollars are one payment, and a mug in yen another.
 */
import type { CartItem, CatalogPrice, CatalogProduct } from '@tillkit/react';

export interface PricedLine {
  product: CatalogProduct;
  price: CatalogPrice;
  quantity: number;
  /** `price.unitAmount × quantity`, in the currency's minor units. */
  amount: number;
}

export interface PricedGroup {
  /** Lower case, as Stripe writes it (`usd`). */
  currency: string;
  lines: PricedLine[];
  total: number;
}

export function priceCart(
  cart: readonly CartItem[],
  products: readonly CatalogProduct[],
): PricedGroup[] {
  const groups = new Map<string, PricedGroup>();
  for (const item of cart) {
    const product = products.find((candidate) =>
      candidate.prices.some((price) => price.id === item.price),
    );
    const price = product?.prices.find((candidate) => candidate.id === item.price);
    // A price no longer on sale is left out (the server would refuse it anyway).
    if (!product || price?.type !== 'one_time') continue;
    const amount = price.unitAmount * item.quantity;
    const group = groups.get(price.currency) ?? { currency: price.currency, lines: [], total: 0 };
    group.lines.push({ product, price, quantity: item.quantity, amount });
    group.total += amount;
    groups.set(price.currency, group);
  }
  return [...groups.values()];
}
