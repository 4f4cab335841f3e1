/**
 * The seeded catalog as the server lists it (`GET /prices`), through the provider's
 * `getPrices()`: read once per provider and shared with the kit's own components (the payment
 * form prices the cart from the same answer).
 */
import { type CatalogProduct, useTillkit } from '@tillkit/react';
import { useEffect, useState } from 'react';

export type CatalogState =
  | { status: 'loading' }
  | { status: 'ready'; products: CatalogProduct[] }
  | { status: 'failed' };

export function useCatalog(): CatalogState & { retry(): void } {
  const { getPrices } = useTillkit();
  const [state, setState] = useState<CatalogState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks again after a failure
  useEffect(() => {
    let active = true;
    setState({ status: 'loading' });
    getPrices().then(
      ({ products }) => active && setState({ status: 'ready', products }),
      () => active && setState({ status: 'failed' }),
    );
    return () => {
      active = false;
    };
  }, [getPrices, attempt]);
  return { ...state, retry: () => setAttempt((count) => count + 1) };
}

/** The products sold once (not plans), each with its one-time prices only. */
export function oneTimeProducts(products: readonly CatalogProduct[]): CatalogProduct[] {
  return products.flatMap((product) => {
    const prices = product.prices.filter((price) => price.type === 'one_time');
    return prices.length ? [{ ...product, prices }] : [];
  });
}
