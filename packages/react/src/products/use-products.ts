'use client';
/**
 * `useProducts()`: the catalog (`GET /prices`) for a storefront's own product list, each price
 * with its amount in the provider's locale. It reads through the provider's `getPrices()`: one
 * request per provider, shared with `PaymentForm`, `PricingTable` and every other `useProducts()`.
 */
import type { CatalogPrice, CatalogProduct } from '@tillkit/protocol';
import { useMemo } from 'react';
import type { TillkitFailure } from '../internal/errors.js';
import { useLoad } from '../internal/use-load.js';
import { useTillkitContext } from '../provider/tillkit-provider.js';

export interface UseProductsProps {
  /**
   * Keeps only the prices of this type (`one_time`: what a shop sells once; `recurring`: plans),
   * and the products that have one. @default every price
   */
  type?: CatalogPrice['type'];
}

/** A price of the catalog with its amount worded. */
export interface PriceEntry extends CatalogPrice {
  /** "$25.00", "¥1,500", "KWD 7.500": `formatMoney()` in the provider's locale (no period). */
  formattedAmount: string;
}

/** A product of the catalog with its prices (of `type`, when given), in the catalog's order. */
export interface ProductEntry extends Omit<CatalogProduct, 'prices'> {
  prices: PriceEntry[];
}

export type ProductsState =
  /** Reading (and on the server). */
  | { status: 'loading'; products: []; error: null }
  /** Read: the products, in the catalog's order (none when nothing is for sale). */
  | { status: 'ready'; products: ProductEntry[]; error: null }
  /** The catalog could not be read (`load_error`, in the provider's words). */
  | { status: 'failed'; products: []; error: TillkitFailure };

export type ProductsStatus = ProductsState['status'];

export type UseProductsReturn = ProductsState & {
  /**
   * Reads the catalog again after a failure (`loading` meanwhile). A catalog that was read stays
   * for the provider's life, shared by all.
   */
  refresh(): void;
};

/**
 * The catalog's products and prices, for a list of your own.
 * @example
 * const catalog = useProducts({ type: 'one_time' });
 * if (catalog.status === 'ready')
 *   catalog.products.map((product) => <p>{product.name}: {product.prices[0]?.formattedAmount}</p>);
 */
export function useProducts(props: UseProductsProps = {}): UseProductsReturn {
  const { getPrices, formatMoney, messages } = useTillkitContext('useProducts()');
  const { data, error, refresh } = useLoad(getPrices, getPrices, messages);
  const { type } = props;
  // The same array until the catalog, `type` or the provider's value changes: a host may key its
  // effects and memos on it.
  const products = useMemo(
    () =>
      data?.products.flatMap((product) => {
        const prices = product.prices.flatMap((price) =>
          !type || price.type === type
            ? [{ ...price, formattedAmount: formatMoney(price.unitAmount, price.currency) }]
            : [],
        );
        // The server lists no product without a price; one left with none by `type` goes.
        return prices.length ? [{ ...product, prices }] : [];
      }),
    [data, type, formatMoney],
  );
  return {
    ...(products
      ? { status: 'ready', products, error: null }
      : error
        ? { status: 'failed', products: [], error }
        : { status: 'loading', products: [], error: null }),
    refresh,
  } as UseProductsReturn;
}
