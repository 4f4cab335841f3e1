/**
 * A demo catalog for trying Tillkit: two subscription plans (Starter and Pro, monthly and yearly)
 * and two one-time goods (a T-shirt in USD and KWD, a mug in USD and JPY), with stable lookup keys.
 * `seedDemoCatalog()` creates them through the same functions the API routes use, with the same
 * events, and is idempotent: prices are found again by lookup key, products by their fixed ids, so
 * a state seeded by an older catalog gains only the prices added since.
 * Also served as `POST /v1/_sandbox/seed` and run by the CLI's `--seed`.
 */
import type Stripe from 'stripe';
import { params } from './core/params.js';
import type { RequestContext, Route } from './core/route.js';
import type { SandboxCore } from './core/sandbox.js';
import {
  createPrice,
  type Emit,
  findPriceByLookupKey,
  type PriceInput,
} from './resources/prices.js';
import {
  createProduct,
  type ProductInput,
  productCollection,
  updateProduct,
} from './resources/products.js';

export interface DemoCatalog {
  products: Stripe.Product[];
  prices: Stripe.Price[];
}

const DEMO_METADATA = { tillkit_demo: 'true' };

interface ProductSpec {
  product: ProductInput & { id: string };
  /**
   * Created in this order, the default first: lists that go oldest first (the Tillkit server's
   * `GET /prices`) then show it first.
   */
  prices: Array<Omit<PriceInput, 'product' | 'product_data'> & { lookup_key: string }>;
  /**
   * The lookup key of the product's default price, set when the product has none (a default
   * already there, chosen since or by an older catalog, is kept).
   */
  defaultPrice: string;
}

/** The catalog. Amounts are in minor units: KWD has three decimals (7500 is KWD 7.500). */
export const DEMO_CATALOG: readonly ProductSpec[] = [
  {
    product: {
      id: 'prod_tillkit_starter',
      name: 'Starter',
      description: 'For side projects and small shops getting started with Tillkit.',
      marketing_features: [
        { name: 'Up to 1,000 orders a month' },
        { name: 'Hosted checkout and customer portal' },
        { name: 'Email support' },
      ],
      metadata: DEMO_METADATA,
    },
    prices: [
      {
        lookup_key: 'starter_monthly',
        nickname: 'Starter monthly',
        currency: 'usd',
        unit_amount: 900,
        recurring: { interval: 'month' },
        metadata: DEMO_METADATA,
      },
      {
        lookup_key: 'starter_yearly',
        nickname: 'Starter yearly',
        currency: 'usd',
        unit_amount: 9000,
        recurring: { interval: 'year' },
        metadata: DEMO_METADATA,
      },
    ],
    defaultPrice: 'starter_monthly',
  },
  {
    product: {
      id: 'prod_tillkit_pro',
      name: 'Pro',
      description: 'For growing businesses that sell subscriptions at scale.',
      marketing_features: [
        { name: 'Unlimited orders' },
        { name: 'Subscriptions with trials and proration' },
        { name: 'Priority support' },
      ],
      metadata: DEMO_METADATA,
    },
    prices: [
      {
        lookup_key: 'pro_monthly',
        nickname: 'Pro monthly',
        currency: 'usd',
        unit_amount: 2900,
        recurring: { interval: 'month', trial_period_days: 14 },
        metadata: DEMO_METADATA,
      },
      {
        lookup_key: 'pro_yearly',
        nickname: 'Pro yearly',
        currency: 'usd',
        unit_amount: 29000,
        recurring: { interval: 'year' },
        metadata: DEMO_METADATA,
      },
    ],
    defaultPrice: 'pro_monthly',
  },
  {
    product: {
      id: 'prod_tillkit_tshirt',
      name: 'Tillkit T-shirt',
      description: 'A soft cotton T-shirt with the Tillkit logo.',
      images: [],
      shippable: true,
      marketing_features: [
        { name: '100% organic cotton' },
        { name: 'Unisex fit, sizes S to XXL' },
        { name: 'Ships worldwide' },
      ],
      metadata: DEMO_METADATA,
    },
    prices: [
      {
        lookup_key: 'tshirt',
        nickname: 'T-shirt',
        currency: 'usd',
        unit_amount: 2500,
        metadata: DEMO_METADATA,
      },
      {
        lookup_key: 'tshirt_kwd',
        nickname: 'T-shirt (Kuwaiti dinar)',
        currency: 'kwd',
        unit_amount: 7500,
        metadata: DEMO_METADATA,
      },
    ],
    defaultPrice: 'tshirt',
  },
  {
    product: {
      id: 'prod_tillkit_mug',
      name: 'Tillkit Mug',
      description: 'A stoneware mug for the coffee that keeps your checkout running.',
      shippable: true,
      marketing_features: [
        { name: '350 ml stoneware' },
        { name: 'Dishwasher safe' },
        { name: 'Ships worldwide' },
      ],
      metadata: DEMO_METADATA,
    },
    prices: [
      {
        lookup_key: 'mug',
        nickname: 'Mug',
        currency: 'usd',
        unit_amount: 1400,
        metadata: DEMO_METADATA,
      },
      {
        lookup_key: 'mug_jpy',
        nickname: 'Mug (yen)',
        currency: 'jpy',
        unit_amount: 1500,
        metadata: DEMO_METADATA,
      },
    ],
    defaultPrice: 'mug',
  },
];

/** Every lookup key the demo catalog uses. */
export const DEMO_LOOKUP_KEYS: readonly string[] = DEMO_CATALOG.flatMap((spec) =>
  spec.prices.map((price) => price.lookup_key),
);

/**
 * Creates the demo catalog, or finds what an earlier run created: running it twice creates
 * nothing new. `emit` defaults to events with no request (background).
 */
export function seedDemoCatalog(sandbox: SandboxCore, emit?: Emit): DemoCatalog {
  const send: Emit =
    emit ??
    ((type, object, previous) => {
      sandbox.emit(type, object, { previousAttributes: previous });
    });
  const products: Stripe.Product[] = [];
  const prices: Stripe.Price[] = [];
  for (const spec of DEMO_CATALOG) {
    const product =
      productCollection(sandbox).get(spec.product.id) ??
      createProduct(sandbox, structuredClone(spec.product), send);
    products.push(product);
    for (const priceSpec of spec.prices) {
      const price =
        findPriceByLookupKey(sandbox, priceSpec.lookup_key) ??
        createPrice(sandbox, { ...structuredClone(priceSpec), product: product.id }, send);
      prices.push(price);
    }
    const defaultPrice = prices.find((price) => price.lookup_key === spec.defaultPrice);
    if (!product.default_price && defaultPrice?.product === product.id && defaultPrice.active) {
      updateProduct(sandbox, product, { default_price: defaultPrice.id }, send);
    }
  }
  sandbox.markDirty();
  return { products, prices };
}

export const seedRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/_sandbox/seed',
    chaos: false,
    handler: (ctx: RequestContext) => {
      ctx.parse(params({}));
      const catalog = seedDemoCatalog(ctx.sandbox, ctx.emit);
      return {
        object: 'sandbox.seed',
        products: catalog.products.map((product) => product.id),
        prices: catalog.prices.map((price) => price.id),
      };
    },
  },
];
