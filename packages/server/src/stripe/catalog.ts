/**
 * The catalog: Stripe's active products and prices, shaped for `GET /prices` and cached briefly;
 * and the pricing of a cart, which always reads the prices fresh from Stripe so that an amount is
 * never computed from a stale or client-sent number. Pricing looks at the cached catalog first, so
 * that a cart of made-up ids costs one Stripe call, not one per line.
 *
 * The server charges `unit_amount × quantity`, so it sells only prices that Stripe bills that way
 * (see `unitPricingIssue`): tiered, package (`transform_quantity`), metered and customer-chosen
 * prices are left out of `GET /prices` and refused like a price not for sale.
 */
import type { CartItem, CatalogPrice, CatalogProduct, PricesResponse } from '@tillkit/protocol';
import type Stripe from 'stripe';
import { isStripeMissing, stripeCall, TillkitError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

export interface CatalogOptions {
  /** Which products and prices the server shows and sells. @default every active one */
  filter?: (product: Stripe.Product, price: Stripe.Price) => boolean;
  /**
   * How long `GET /prices` answers from its cache, in ms; pricing a cart uses the same cache to
   * know which ids to read from Stripe at once. @default 30000
   */
  cacheTtlMs?: number;
}

/**
 * Why Stripe would not bill `price` at `unit_amount × quantity`, the amount the server charges,
 * or null when it would. Such a price is never sold: its amount would be wrong.
 * - `billing_scheme: 'tiered'`: the amount depends on the quantity's tiers (volume or graduated);
 *   `unit_amount` is null.
 * - `transform_quantity`: package pricing, the quantity divided and rounded first.
 * - `recurring.usage_type: 'metered'`: billed for usage at the period's end, and Stripe refuses a
 *   quantity for it on a subscription.
 * - `custom_unit_amount`: the customer chooses the amount (on Stripe's Checkout only).
 * - no whole `unit_amount` (only a fractional `unit_amount_decimal`): no integer amount to charge.
 * @see https://docs.stripe.com/products-prices/pricing-models
 */
export function unitPricingIssue(price: Stripe.Price): string | null {
  if (price.billing_scheme === 'tiered') return 'it is tiered (billing_scheme: tiered)';
  if (price.transform_quantity) return 'it uses package pricing (transform_quantity)';
  if (price.recurring?.usage_type === 'metered') return 'it is metered (recurring.usage_type)';
  if (price.custom_unit_amount) return 'the customer chooses its amount (custom_unit_amount)';
  if (price.unit_amount === null) return 'it has no whole unit_amount';
  return null;
}

/** A cart priced from Stripe. */
export interface PricedCart {
  amount: number;
  currency: string;
  lines: Array<{ price: Stripe.Price; quantity: number }>;
}

export class Catalog {
  readonly #stripe: Stripe;
  readonly #filter: NonNullable<CatalogOptions['filter']>;
  readonly #ttlMs: number;
  readonly #log: Logger | undefined;
  /** Prices already logged as never sold, so each is logged once, not at every reload. */
  readonly #reported = new Set<string>();
  #cached: { at: number; value: Promise<PricesResponse> } | undefined;
  #listed: { of: PricesResponse; byId: Map<string, CatalogPrice> } | undefined;

  constructor(stripe: Stripe, options: CatalogOptions = {}, log?: Logger) {
    this.#stripe = stripe;
    this.#filter = options.filter ?? (() => true);
    this.#ttlMs = options.cacheTtlMs ?? 30_000;
    this.#log = log;
  }

  /** True when the server can charge for `price` (else logs why not, once per price). */
  #unitPriced(price: Stripe.Price): boolean {
    const issue = unitPricingIssue(price);
    if (issue && !this.#reported.has(price.id)) {
      this.#reported.add(price.id);
      this.#log?.warn(
        { price: price.id },
        `Price ${price.id} is not sold (left out of GET /prices, refused in carts, subscriptions and Checkout): ${issue}, and Tillkit charges unit_amount × quantity.`,
      );
    }
    return issue === null;
  }

  /** The products and prices for sale, from the cache when it is fresh. */
  list(): Promise<PricesResponse> {
    const now = Date.now();
    if (!this.#cached || now - this.#cached.at > this.#ttlMs) {
      const value = this.#load();
      this.#cached = { at: now, value };
      // A failed load is not cached.
      value.catch(() => {
        if (this.#cached?.value === value) this.#cached = undefined;
      });
    }
    return this.#cached.value;
  }

  async #load(): Promise<PricesResponse> {
    const [products, prices] = await stripeCall(() =>
      Promise.all([
        this.#stripe.products.list({ active: true, limit: 100 }).autoPagingToArray({ limit: 1000 }),
        this.#stripe.prices.list({ active: true, limit: 100 }).autoPagingToArray({ limit: 5000 }),
      ]),
    );
    const byProduct = new Map<string, Stripe.Price[]>();
    for (const price of prices) {
      const productId = typeof price.product === 'string' ? price.product : price.product.id;
      const list = byProduct.get(productId) ?? [];
      list.push(price);
      byProduct.set(productId, list);
    }
    const result: CatalogProduct[] = [];
    // Oldest first, the order the catalog was written in (Stripe lists newest first; the
    // reversal keeps that order among objects created in the same second).
    for (const product of [...products].reverse().sort((a, b) => a.created - b.created)) {
      const visible = (byProduct.get(product.id) ?? [])
        .reverse()
        .filter((price) => this.#unitPriced(price) && this.#filter(product, price))
        .sort((a, b) => a.created - b.created);
      if (visible.length === 0) continue;
      result.push({
        id: product.id,
        name: product.name,
        description: product.description ?? null,
        features: (product.marketing_features ?? [])
          .map((feature) => feature.name)
          .filter((name): name is string => typeof name === 'string'),
        prices: visible.map(toCatalogPrice),
      });
    }
    return { products: result };
  }

  /** The prices in the cached catalog, by id. */
  async #listedPrices(): Promise<Map<string, CatalogPrice>> {
    const catalog = await this.list();
    if (this.#listed?.of !== catalog) {
      const byId = new Map<string, CatalogPrice>();
      for (const product of catalog.products) {
        for (const price of product.prices) byId.set(price.id, price);
      }
      this.#listed = { of: catalog, byId };
    }
    return this.#listed.byId;
  }

  /**
   * Prices a cart from Stripe. Unknown, inactive, filtered-out, not per-unit (`unitPricingIssue`)
   * and recurring prices and mixed currencies are refused with the index of a line at fault: the
   * first the catalog does not list and Stripe does not sell, else the first listed one that is no
   * longer for sale.
   *
   * Each distinct price is read from Stripe once. The cached catalog says first what it can
   * without a call (a price's type never changes); prices it does not list (made up, inactive, or
   * created since it was cached) are read one at a time and the first one not for sale ends the
   * pricing, so a cart of 50 made-up ids costs one call; the listed ones are then read together.
   */
  async priceCart(items: readonly CartItem[]): Promise<PricedCart> {
    const listed = await this.#listedPrices();
    const reads = new Map<string, Promise<Stripe.Price>>();
    for (const [index, item] of items.entries()) {
      const param = `items[${index}].price`;
      const known = listed.get(item.price);
      if (known?.type === 'recurring') throw recurringNotAllowed(item.price, param);
      if (known || reads.has(item.price)) continue;
      const price = await this.#priceForSale(item.price, param);
      if (price.type === 'recurring') throw recurringNotAllowed(price.id, param);
      reads.set(item.price, Promise.resolve(price));
    }
    for (const [index, item] of items.entries()) {
      if (!reads.has(item.price)) {
        reads.set(item.price, this.#priceForSale(item.price, `items[${index}].price`));
      }
    }
    const results = await Promise.allSettled(reads.values());
    const settled = new Map([...reads.keys()].map((id, index) => [id, results[index]]));
    // Recurring prices were refused above: a listed one by its listing (a price's type never
    // changes), an unlisted one once read.
    const prices = items.map((item) => {
      const result = settled.get(item.price) as PromiseSettledResult<Stripe.Price>;
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const currency = prices[0]?.currency as string;
    const mixed = prices.findIndex((price) => price.currency !== currency);
    if (mixed !== -1) {
      throw new TillkitError(
        'currency_mismatch',
        `Every item must be in the same currency: items[${mixed}] is in ${prices[mixed]?.currency.toUpperCase()}, items[0] in ${currency.toUpperCase()}.`,
        { param: `items[${mixed}].price` },
      );
    }
    const lines = prices.map((price, index) => ({
      price,
      quantity: (items[index] as CartItem).quantity,
    }));
    const amount = lines.reduce(
      (sum, line) => sum + (line.price.unit_amount ?? 0) * line.quantity,
      0,
    );
    return { amount, currency, lines };
  }

  /**
   * A recurring price for a subscription, read fresh from Stripe (its product expanded). Unknown,
   * inactive, filtered-out, not per-unit (`unitPricingIssue`) and one-time prices are refused,
   * naming `param`.
   */
  async subscriptionPrice(id: string, param: string): Promise<Stripe.Price> {
    const price = await this.#priceForSale(id, param);
    if (price.type !== 'recurring' || !price.recurring) {
      throw new TillkitError(
        'one_time_price_not_allowed',
        `Price ${price.id} is a one-time price; pay for it once (a payment intent, or Checkout in payment mode) instead of subscribing to it.`,
        { param },
      );
    }
    return price;
  }

  /**
   * A price that is for sale now: active, with an active product, priced per unit (see
   * `unitPricingIssue`) and shown by the filter.
   */
  async #priceForSale(id: string, param: string): Promise<Stripe.Price> {
    let price: Stripe.Price;
    try {
      price = await this.#stripe.prices.retrieve(id, { expand: ['product'] });
    } catch (error) {
      if (isStripeMissing(error)) throw unavailable(id, param);
      return stripeCall(() => Promise.reject(error));
    }
    const product = price.product as Stripe.Product | Stripe.DeletedProduct;
    if (
      !price.active ||
      product.deleted ||
      !(product as Stripe.Product).active ||
      !this.#unitPriced(price) ||
      !this.#filter(product as Stripe.Product, price)
    ) {
      throw unavailable(id, param);
    }
    return price;
  }
}

function recurringNotAllowed(id: string, param: string): TillkitError {
  return new TillkitError(
    'recurring_price_not_allowed',
    `Price ${id} is a subscription price; subscribe to it instead of paying for it once.`,
    { param },
  );
}

function unavailable(id: string, param: string): TillkitError {
  return new TillkitError('price_unavailable', `Price ${id} is not for sale.`, { param });
}

const INTERVALS = ['day', 'week', 'month', 'year'] as const;

function toCatalogPrice(price: Stripe.Price): CatalogPrice {
  const result: CatalogPrice = {
    id: price.id,
    unitAmount: price.unit_amount ?? 0,
    currency: price.currency,
    type: price.type === 'recurring' ? 'recurring' : 'one_time',
  };
  if (price.recurring) {
    const interval = price.recurring.interval;
    if ((INTERVALS as readonly string[]).includes(interval)) {
      result.interval = interval as (typeof INTERVALS)[number];
    }
    result.intervalCount = price.recurring.interval_count;
    if (price.recurring.trial_period_days) {
      result.trialPeriodDays = price.recurring.trial_period_days;
    }
  }
  return result;
}
