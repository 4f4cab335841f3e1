/**
 * products: create (optionally with its default price, `default_price_data`), retrieve, update,
 * list, delete (refused while the product has prices, as on Stripe).
 * `createProduct` is also what `prices` (`product_data`) and the demo catalog seed use.
 * @see https://docs.stripe.com/api/products
 */
import type Stripe from 'stripe';
import { currencyParam } from '../core/currencies.js';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { bool, emptyable, listShape, metadata, oneOf, params, str, z } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { emptyStringError, intervalCount, nonEmpty, unitAmount } from './catalog-shared.js';
import {
  checkPriceData,
  createPrice,
  type Emit,
  findPrice,
  type Interval,
  type ParamName,
  priceCollection,
} from './prices.js';

export interface DefaultPriceDataInput {
  currency: string;
  unit_amount?: number | undefined;
  unit_amount_decimal?: string | undefined;
  recurring?: { interval: Interval; interval_count?: number | undefined } | undefined;
  metadata?: Record<string, string> | null | undefined;
  tax_behavior?: 'exclusive' | 'inclusive' | 'unspecified' | undefined;
}

/** What a product is made of: the `POST /v1/products` parameters, already parsed. */
export interface ProductInput {
  name: string;
  id?: string | undefined;
  active?: boolean | undefined;
  description?: string | null | undefined;
  images?: string[] | undefined;
  marketing_features?: Array<{ name: string }> | undefined;
  metadata?: Record<string, string> | null | undefined;
  url?: string | null | undefined;
  shippable?: boolean | undefined;
  type?: 'good' | 'service' | undefined;
  unit_label?: string | null | undefined;
  statement_descriptor?: string | null | undefined;
  package_dimensions?: Stripe.Product.PackageDimensions | null | undefined;
  default_price_data?: DefaultPriceDataInput | undefined;
}

export function productCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Product>('products');
}

/** A product, or Stripe's 404 (`No such product: 'prod_…'`); deleted products are missing. */
export function findProduct(sandbox: SandboxCore, id: string, param = 'product'): Stripe.Product {
  const product = productCollection(sandbox).get(id);
  if (!product) throw resourceMissing('product', id, param);
  return product;
}

const plain: ParamName = (name) => name;

export interface CreateProductOptions {
  /** How parameters are named in errors (`product_data[name]` when nested). */
  param?: ParamName;
}

/**
 * Creates a product, and its default price from `default_price_data`: `product.created` (with
 * `default_price` set), then `price.created`. Everything is checked before anything is stored.
 */
export function createProduct(
  sandbox: SandboxCore,
  input: ProductInput,
  emit: Emit,
  options: CreateProductOptions = {},
): Stripe.Product {
  const param = options.param ?? plain;
  if (!input.name) throw emptyStringError(param('name'));
  if (input.id !== undefined) {
    if (!/^[\w-]{1,250}$/.test(input.id)) {
      throw invalidRequest(
        `Invalid ${param('id')}: product ids may contain only letters, digits, '_' and '-' (at most 250 characters).`,
        param('id'),
      );
    }
    if (productCollection(sandbox).has(input.id)) {
      throw invalidRequest('Product already exists.', param('id'), 'resource_already_exists');
    }
  }
  const priceData = input.default_price_data;
  if (priceData) checkPriceData(priceData, (name) => `default_price_data[${name}]`);

  const now = sandbox.now();
  const product: Stripe.Product = {
    id: input.id ?? newId('prod'),
    object: 'product',
    active: input.active ?? true,
    created: now,
    default_price: null,
    description: input.description || null,
    images: input.images ?? [],
    livemode: false,
    marketing_features: input.marketing_features?.map((feature) => ({ name: feature.name })) ?? [],
    metadata: initialMetadata(input.metadata),
    name: input.name,
    package_dimensions: input.package_dimensions ?? null,
    shippable: input.shippable ?? null,
    statement_descriptor: input.statement_descriptor || null,
    tax_code: null,
    tax_details: null,
    type: input.type ?? 'service',
    unit_label: input.unit_label || null,
    updated: now,
    url: input.url || null,
  };
  productCollection(sandbox).set(product);
  // The product's event comes first and already names its default price, as on Stripe.
  const deferred: Array<Parameters<Emit>> = [];
  if (priceData) {
    const price = createPrice(
      sandbox,
      { ...priceData, product: product.id },
      (...event) => {
        deferred.push(event);
      },
      { param: (name) => `default_price_data[${name}]` },
    );
    product.default_price = price.id;
  }
  emit('product.created', product);
  for (const event of deferred) emit(...event);
  return product;
}

export interface ProductUpdate {
  active?: boolean | undefined;
  default_price?: string | undefined;
  description?: string | null | undefined;
  images?: string[] | null | undefined;
  marketing_features?: Array<{ name: string }> | null | undefined;
  metadata?: Record<string, string> | null | undefined;
  name?: string | undefined;
  package_dimensions?: Stripe.Product.PackageDimensions | null | undefined;
  shippable?: boolean | undefined;
  statement_descriptor?: string | null | undefined;
  unit_label?: string | null | undefined;
  url?: string | null | undefined;
}

/** Updates a product, emitting `product.updated` (with `updated` refreshed) when something changed. */
export function updateProduct(
  sandbox: SandboxCore,
  product: Stripe.Product,
  input: ProductUpdate,
  emit: Emit,
): Stripe.Product {
  if (input.name !== undefined && !input.name) throw emptyStringError('name');
  if (input.default_price !== undefined) {
    const price = findPrice(sandbox, input.default_price, 'default_price');
    if (price.product !== product.id) {
      throw invalidRequest(
        `The price \`${price.id}\` belongs to another product (\`${String(price.product)}\`): a product's default price must be one of its own prices.`,
        'default_price',
      );
    }
    if (!price.active) {
      throw invalidRequest(
        `The price \`${price.id}\` is archived (inactive) and cannot be the default price of a product.`,
        'default_price',
      );
    }
  }
  const previous: Record<string, unknown> = trackChanges(product, (p) => {
    if (input.active !== undefined) p.active = input.active;
    if (input.default_price !== undefined) p.default_price = input.default_price;
    if (input.description !== undefined) p.description = input.description || null;
    if (input.images !== undefined) p.images = input.images ?? [];
    if (input.marketing_features !== undefined) {
      p.marketing_features = (input.marketing_features ?? []).map((feature) => ({
        name: feature.name,
      }));
    }
    if (input.name !== undefined) p.name = input.name;
    if (input.package_dimensions !== undefined) p.package_dimensions = input.package_dimensions;
    if (input.shippable !== undefined) p.shippable = input.shippable;
    if (input.statement_descriptor !== undefined) {
      p.statement_descriptor = input.statement_descriptor || null;
    }
    if (input.unit_label !== undefined) p.unit_label = input.unit_label || null;
    if (input.url !== undefined) p.url = input.url || null;
    p.metadata = mergeMetadata(p.metadata, input.metadata);
  });
  if (Object.keys(previous).length) {
    const now = sandbox.now();
    if (product.updated !== now) {
      previous.updated = product.updated;
      product.updated = now;
    }
    emit('product.updated', product, previous);
  }
  return product;
}

/** Deletes a product, refused (400) while any price, active or archived, belongs to it. */
export function deleteProduct(
  sandbox: SandboxCore,
  product: Stripe.Product,
  emit: Emit,
): Stripe.DeletedProduct {
  const hasPrices = priceCollection(sandbox)
    .values()
    .some((price) => price.product === product.id);
  if (hasPrices) {
    throw invalidRequest(
      'This product cannot be deleted because it has one or more user-created prices.',
      'id',
    );
  }
  productCollection(sandbox).delete(product.id);
  emit('product.deleted', product);
  return { id: product.id, object: 'product', deleted: true };
}

// --- routes ----------------------------------------------------------------------------------

const HINTS: Record<string, string> = {
  tax_code: 'The sandbox computes no tax, so it takes no tax codes.',
  tax_details: 'The sandbox computes no tax, so it takes no tax details.',
  'default_price_data[currency_options]': 'The sandbox does not support multi-currency prices.',
  'default_price_data[custom_unit_amount]':
    'The sandbox does not support customer-chosen (pay-what-you-want) prices.',
};

const decimalNumber = () =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value),
    z.number({ error: (issue) => `Invalid decimal: ${String(issue.input)}` }).positive(),
  );

const packageDimensionsShape = z.strictObject({
  height: decimalNumber(),
  length: decimalNumber(),
  weight: decimalNumber(),
  width: decimalNumber(),
});

const marketingFeaturesShape = z
  .array(
    z.strictObject({
      name: str().max(80, { error: 'Marketing feature names can be at most 80 characters.' }),
    }),
  )
  .max(15, { error: 'A product can have at most 15 marketing features.' });

const imagesShape = z
  .array(str().max(2048))
  .max(8, { error: 'A product can have at most 8 images.' });

const defaultPriceDataShape = z.strictObject({
  currency: currencyParam(),
  unit_amount: unitAmount().optional(),
  unit_amount_decimal: str().optional(),
  recurring: z
    .strictObject({
      interval: oneOf(['day', 'week', 'month', 'year']),
      interval_count: intervalCount().optional(),
    })
    .optional(),
  metadata: metadata().optional(),
  tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']).optional(),
});

const createSchema = params({
  name: nonEmpty('name'),
  id: str().optional(),
  active: bool().optional(),
  description: emptyable(str()).optional(),
  images: imagesShape.optional(),
  marketing_features: marketingFeaturesShape.optional(),
  metadata: metadata().optional(),
  url: emptyable(str()).optional(),
  shippable: bool().optional(),
  type: oneOf(['good', 'service']).optional(),
  unit_label: emptyable(str().max(12)).optional(),
  statement_descriptor: str().max(22).optional(),
  package_dimensions: packageDimensionsShape.optional(),
  default_price_data: defaultPriceDataShape.optional(),
});

function create(ctx: RequestContext): Stripe.Product {
  const input = ctx.parse(createSchema, HINTS);
  return createProduct(ctx.sandbox, input, ctx.emit);
}

function retrieve(ctx: RequestContext): Stripe.Product {
  ctx.parse(params({}));
  return findProduct(ctx.sandbox, ctx.path.id as string, 'id');
}

const updateSchema = params({
  active: bool().optional(),
  default_price: nonEmpty('default_price').optional(),
  description: emptyable(str()).optional(),
  images: emptyable(imagesShape).optional(),
  marketing_features: emptyable(marketingFeaturesShape).optional(),
  metadata: metadata().optional(),
  name: nonEmpty('name').optional(),
  package_dimensions: emptyable(packageDimensionsShape).optional(),
  shippable: bool().optional(),
  statement_descriptor: emptyable(str().max(22)).optional(),
  unit_label: emptyable(str().max(12)).optional(),
  url: emptyable(str()).optional(),
});

function update(ctx: RequestContext): Stripe.Product {
  const input = ctx.parse(updateSchema, HINTS);
  const product = findProduct(ctx.sandbox, ctx.path.id as string, 'id');
  return updateProduct(ctx.sandbox, product, input, ctx.emit);
}

function remove(ctx: RequestContext): Stripe.DeletedProduct {
  ctx.parse(params({}));
  const product = findProduct(ctx.sandbox, ctx.path.id as string, 'id');
  return deleteProduct(ctx.sandbox, product, ctx.emit);
}

const listSchema = params({
  ...listShape,
  active: bool().optional(),
  ids: z.array(str()).optional(),
  shippable: bool().optional(),
  type: oneOf(['good', 'service']).optional(),
  url: str().optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Product> {
  const input = ctx.parse(listSchema);
  const items = productCollection(ctx.sandbox)
    .values()
    .filter(
      (product) =>
        (input.active === undefined || product.active === input.active) &&
        (input.ids === undefined || input.ids.includes(product.id)) &&
        (input.shippable === undefined || product.shippable === input.shippable) &&
        (input.type === undefined || product.type === input.type) &&
        (input.url === undefined || product.url === input.url),
    );
  return paginate(items, input, ctx.url.pathname, 'product');
}

export const productRoutes: Route[] = [
  { method: 'POST', path: '/v1/products', handler: create },
  { method: 'GET', path: '/v1/products', handler: list },
  { method: 'GET', path: '/v1/products/:id', handler: retrieve },
  { method: 'POST', path: '/v1/products/:id', handler: update },
  { method: 'DELETE', path: '/v1/products/:id', handler: remove },
];
