/** `GET /prices`: the active products and prices for sale, cached briefly. */
import { defineRoute } from '../http/define-route.js';

export const listPrices = defineRoute({
  name: 'listPrices',
  async handle({ services, res }) {
    res.setHeader('Cache-Control', 'public, max-age=30');
    return { body: await services.catalog.list() };
  },
});
