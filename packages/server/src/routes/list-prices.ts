/**
 * `GET /prices` (anyone): the active products and prices for sale, cached briefly. For a signed-in
 * caller who had a product before (a trial, or a paid period, as the database has it), its prices
 * come without their trial: `POST /subscriptions` gives a product's trial once, and a pricing table
 * should not offer one that will not be given. Such an answer is the caller's own
 * (`Cache-Control: private`).
 */
import type { PricesResponse } from '@tillkit/protocol';
import { defineRoute } from '../http/define-route.js';
import { listProductsHad } from '../storage/subscriptions.js';

export const listPrices = defineRoute({
  name: 'listPrices',
  async handle({ services, res, identity }) {
    const catalog = await services.catalog.list();
    res.setHeader('Vary', 'Authorization');
    if (!identity) {
      res.setHeader('Cache-Control', 'public, max-age=30');
      return { body: catalog };
    }
    res.setHeader('Cache-Control', 'private, max-age=30');
    const had = await listProductsHad(services.db, identity.userId);
    return { body: withoutTrials(catalog, had) };
  },
});

/** The catalog with the trials of `products` left off. */
function withoutTrials(catalog: PricesResponse, products: Set<string>): PricesResponse {
  if (!products.size) return catalog;
  return {
    ...catalog,
    products: catalog.products.map((product) =>
      products.has(product.id)
        ? {
            ...product,
            prices: product.prices.map(({ trialPeriodDays: _trial, ...price }) => price),
          }
        : product,
    ),
  };
}
