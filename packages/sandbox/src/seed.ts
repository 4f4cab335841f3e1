/**
 * A demo catalog for trying Tillkit: two subscription plans (Starter and Pro, monthly and yearly)
 * and two one-time goods (a T-shirt in USD and KWD, a mug in USD and JPY), with stable lookup keys,
 * the Entitlements features the plans grant (`priority_support` with Pro…), attached to them, and
 * a welcome discount: the coupon `tillkit_welcome10` (10% off, once) behind the promotion code
 * `WELCOME10`.
 * `seedDemoCatalog()` creates them through the same functions the API routes use, with the same
 * events, and is idempotent: prices and features are found again by lookup key, products by their
 * fixed ids, so a state seeded by an older catalog gains only what was added since.
 * Also served as `POST /v1/_sandbox/seed` and run by the CLI's `--seed`.
 */
import type Stripe from 'stripe';
import { params } from './core/params.js';
import type { RequestContext, Route } from './core/route.js';
import type { SandboxCore } from './core/sandbox.js';
import { couponCollection, createCoupon } from './resources/coupons.js';
import { createFeature, findFeatureByLookupKey } from './resources/entitlement-features.js';
import { productAttachments } from './resources/entitlements-shared.js';
import {
  createPrice,
  type Emit,
  findPriceByLookupKey,
  type PriceInput,
} from './resources/prices.js';
import { attachFeature } from './resources/product-features.js';
import {
  createProduct,
  type ProductInput,
  productCollection,
  updateProduct,
} from './resources/products.js';
import {
  createPromotionCode,
  promotionCodeCollection,
  promotionCodeCoupon,
} from './resources/promotion-codes.js';

export interface DemoCatalog {
  products: Stripe.Product[];
  prices: Stripe.Price[];
  features: Stripe.Entitlements.Feature[];
  /** The welcome coupon (`DEMO_COUPON_ID`). */
  coupons: Stripe.Coupon[];
  /** Its promotion code, `WELCOME10` (`DEMO_PROMOTION_CODE`). */
  promotionCodes: Stripe.PromotionCode[];
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
  /** The lookup keys of the features (`DEMO_FEATURES`) the product grants its subscribers. */
  features?: string[];
}

/**
 * The features the plans grant: what an app gates on (`<Entitled feature="priority_support">`),
 * by lookup keys that stay when the marketing features (display text for pricing tables) are
 * reworded. Starter's order limit is a quota, not a feature to gate on, so it has none.
 */
export const DEMO_FEATURES: ReadonlyArray<{ lookup_key: string; name: string }> = [
  { lookup_key: 'hosted_checkout', name: 'Hosted checkout and customer portal' },
  { lookup_key: 'email_support', name: 'Email support' },
  { lookup_key: 'unlimited_orders', name: 'Unlimited orders' },
  { lookup_key: 'subscriptions', name: 'Subscriptions with trials and proration' },
  { lookup_key: 'priority_support', name: 'Priority support' },
];

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
    features: ['hosted_checkout', 'email_support'],
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
    // What Starter has, with priority support in place of email support.
    features: ['hosted_checkout', 'unlimited_orders', 'subscriptions', 'priority_support'],
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

/** The demo's welcome coupon: 10% off the first invoice or payment. */
export const DEMO_COUPON_ID = 'tillkit_welcome10';

/** The code customers type for it (any case), e.g. in the hosted Checkout's promotion code field. */
export const DEMO_PROMOTION_CODE = 'WELCOME10';

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
  const features = DEMO_FEATURES.map(
    (feature) =>
      findFeatureByLookupKey(sandbox, feature.lookup_key) ??
      createFeature(sandbox, { ...feature, metadata: DEMO_METADATA }),
  );
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
    const attached = new Set(
      productAttachments(sandbox, product.id).map(
        (attachment) => attachment.entitlement_feature.id,
      ),
    );
    for (const key of spec.features ?? []) {
      const feature = features.find((candidate) => candidate.lookup_key === key);
      if (feature && !attached.has(feature.id))
        attachFeature(sandbox, product.id, feature.id, send);
    }
  }
  const coupon =
    couponCollection(sandbox).get(DEMO_COUPON_ID) ??
    createCoupon(
      sandbox,
      {
        id: DEMO_COUPON_ID,
        name: 'Welcome 10% off',
        percent_off: 10,
        duration: 'once',
        metadata: DEMO_METADATA,
      },
      send,
    );
  const promotionCode =
    promotionCodeCollection(sandbox)
      .values()
      .find(
        (code) =>
          code.code.toLowerCase() === DEMO_PROMOTION_CODE.toLowerCase() &&
          promotionCodeCoupon(sandbox, code)?.id === coupon.id,
      ) ??
    createPromotionCode(
      sandbox,
      {
        promotion: { type: 'coupon', coupon: coupon.id },
        code: DEMO_PROMOTION_CODE,
        metadata: DEMO_METADATA,
      },
      send,
    );
  sandbox.markDirty();
  return { products, prices, features, coupons: [coupon], promotionCodes: [promotionCode] };
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
        features: catalog.features.map((feature) => feature.id),
        coupons: catalog.coupons.map((coupon) => coupon.id),
        promotion_codes: catalog.promotionCodes.map((code) => code.id),
      };
    },
  },
];
