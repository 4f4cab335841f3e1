/**
 * prices: create (one-time or recurring, per unit, licensed), retrieve, update, list.
 * `createPrice` is also what `products` (`default_price_data`) and the demo catalog seed use.
 * @see https://docs.stripe.com/api/prices
 */
import type Stripe from 'stripe';
import {
  assertChargeableAmount,
  currencyParam,
  invalidCurrencyMessage,
  isSupportedCurrency,
} from '../core/currencies.js';
import { invalidRequest, missingParameter, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata, trackChanges } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import {
  bool,
  emptyable,
  int,
  listShape,
  metadata,
  oneOf,
  params,
  str,
  z,
} from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { intervalCount, nonEmpty, unitAmount } from './catalog-shared.js';
import { createProduct, findProduct, type ProductInput } from './products.js';

/** An event emitter with `ctx.emit`'s signature (`sandbox.emit` wrapped for background work). */
export type Emit = (type: string, object: object, previous?: Record<string, unknown>) => void;

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface RecurringInput {
  interval: Interval;
  interval_count?: number | undefined;
  trial_period_days?: number | undefined;
  usage_type?: 'licensed' | 'metered' | undefined;
  meter?: string | undefined;
}

/** What a price is made of: the `POST /v1/prices` parameters, already parsed. */
export interface PriceInput {
  currency: string;
  unit_amount?: number | undefined;
  unit_amount_decimal?: string | undefined;
  product?: string | undefined;
  product_data?: ProductInput | undefined;
  recurring?: RecurringInput | undefined;
  lookup_key?: string | undefined;
  transfer_lookup_key?: boolean | undefined;
  nickname?: string | undefined;
  metadata?: Record<string, string> | null | undefined;
  active?: boolean | undefined;
  billing_scheme?: 'per_unit' | 'tiered' | undefined;
  tax_behavior?: 'exclusive' | 'inclusive' | 'unspecified' | undefined;
}

/** Names a parameter for error messages: `unit_amount`, `default_price_data[unit_amount]`. */
export type ParamName = (name: string) => string;

const plain: ParamName = (name) => name;

/** The longest billing period Stripe allows: three years (3 years, 36 months, 156 weeks). */
const MAX_INTERVAL_COUNT: Record<Interval, number> = { day: 1095, week: 156, month: 36, year: 3 };

export const INTERVALS = ['day', 'week', 'month', 'year'] as const;

const decimalPattern = /^\d+(?:\.(\d+))?$/;

/** `"0012.5000"` → `"12.5"`, as Stripe answers decimals. */
function normalizeDecimal(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.');
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  return trimmedFraction ? `${trimmedWhole}.${trimmedFraction}` : trimmedWhole;
}

/** A decimal string as stripe-node types it (stripe-node turns the wire string into a Decimal). */
function wireDecimal(value: string): Stripe.Price['unit_amount_decimal'] {
  return value as unknown as Stripe.Price['unit_amount_decimal'];
}

interface CheckedPrice {
  currency: string;
  unitAmount: number | null;
  unitAmountDecimal: string;
  recurring: Stripe.Price.Recurring | null;
}

/**
 * Checks everything about a price that does not depend on other objects, as Stripe does, and
 * returns its amounts and recurrence. Throws Stripe's 400s.
 */
export function checkPriceData(
  input: Pick<
    PriceInput,
    'currency' | 'unit_amount' | 'unit_amount_decimal' | 'recurring' | 'billing_scheme'
  >,
  param: ParamName = plain,
): CheckedPrice {
  const currency = input.currency.toLowerCase();
  if (!isSupportedCurrency(currency)) {
    throw invalidRequest(invalidCurrencyMessage(currency), param('currency'));
  }
  if (input.billing_scheme === 'tiered') {
    throw invalidRequest(
      'The sandbox supports per-unit prices only: billing_scheme=tiered (tiers) is not supported.',
      param('billing_scheme'),
    );
  }
  if (input.unit_amount !== undefined && input.unit_amount_decimal !== undefined) {
    throw invalidRequest(
      `You may only specify one of these parameters: ${param('unit_amount')}, ${param('unit_amount_decimal')}.`,
      param('unit_amount_decimal'),
    );
  }
  let unitAmount: number | null;
  let unitAmountDecimal: string;
  if (input.unit_amount !== undefined) {
    if (!Number.isSafeInteger(input.unit_amount) || input.unit_amount < 0) {
      throw invalidRequest(
        'This value must be greater than or equal to 0.',
        param('unit_amount'),
        'parameter_invalid_integer',
      );
    }
    unitAmount = input.unit_amount;
    unitAmountDecimal = String(unitAmount);
  } else if (input.unit_amount_decimal !== undefined) {
    const match = decimalPattern.exec(input.unit_amount_decimal);
    if (!match) {
      throw invalidRequest(
        `Invalid decimal: ${input.unit_amount_decimal}`,
        param('unit_amount_decimal'),
      );
    }
    if ((match[1]?.length ?? 0) > 12) {
      throw invalidRequest(
        `Invalid ${param('unit_amount_decimal')}: at most 12 decimal places are allowed.`,
        param('unit_amount_decimal'),
      );
    }
    unitAmountDecimal = normalizeDecimal(input.unit_amount_decimal);
    // A whole decimal is also the integer amount, as on Stripe.
    unitAmount = unitAmountDecimal.includes('.') ? null : Number(unitAmountDecimal);
    if (unitAmount !== null && !Number.isSafeInteger(unitAmount)) unitAmount = null;
  } else {
    throw missingParameter(param('unit_amount'));
  }
  if (unitAmount !== null) assertChargeableAmount(unitAmount, currency, param('unit_amount'));

  let recurring: Stripe.Price.Recurring | null = null;
  if (input.recurring) {
    const { interval } = input.recurring;
    if (!INTERVALS.includes(interval)) {
      throw invalidRequest(
        `Invalid ${param('recurring[interval]')}: must be one of day, week, month, or year`,
        param('recurring[interval]'),
      );
    }
    if (input.recurring.usage_type === 'metered' || input.recurring.meter !== undefined) {
      throw invalidRequest(
        'The sandbox supports licensed prices only: usage-based billing (recurring[usage_type]=metered, meters) is not supported.',
        param(
          input.recurring.usage_type === 'metered' ? 'recurring[usage_type]' : 'recurring[meter]',
        ),
      );
    }
    const count = input.recurring.interval_count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw invalidRequest(
        'This value must be greater than or equal to 1.',
        param('recurring[interval_count]'),
      );
    }
    if (count > MAX_INTERVAL_COUNT[interval]) {
      throw invalidRequest(
        `Invalid ${param('recurring[interval_count]')}: the maximum billing interval is three years (3 years, 36 months, 156 weeks, or 1095 days); ${count} ${interval}s is longer.`,
        param('recurring[interval_count]'),
      );
    }
    const trial = input.recurring.trial_period_days;
    if (trial !== undefined && (!Number.isSafeInteger(trial) || trial < 0 || trial > 730)) {
      throw invalidRequest(
        'The maximum number of trial period days is 730 (2 years).',
        param('recurring[trial_period_days]'),
      );
    }
    recurring = {
      interval,
      interval_count: count,
      meter: null,
      trial_period_days: trial ?? null,
      usage_type: 'licensed',
    };
  }
  return { currency, unitAmount, unitAmountDecimal, recurring };
}

export function priceCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Price>('prices');
}

/** A price, or Stripe's 404 (`No such price: 'price_…'`). */
export function findPrice(sandbox: SandboxCore, id: string, param = 'price'): Stripe.Price {
  const price = priceCollection(sandbox).get(id);
  if (!price) throw resourceMissing('price', id, param);
  return price;
}

/** The price holding a lookup key, if any. */
export function findPriceByLookupKey(
  sandbox: SandboxCore,
  lookupKey: string,
): Stripe.Price | undefined {
  return priceCollection(sandbox)
    .values()
    .find((price) => price.lookup_key === lookupKey);
}

/**
 * The price that holds `lookupKey` and must give it up (`transfer_lookup_key`), or Stripe's 400
 * when it may not. Throws before anything changes.
 */
function lookupKeyHolder(
  sandbox: SandboxCore,
  lookupKey: string | null | undefined,
  transfer: boolean | undefined,
  self: string | null,
): Stripe.Price | undefined {
  if (!lookupKey) return undefined;
  if (lookupKey.length > 200) {
    throw invalidRequest('Lookup keys can be at most 200 characters.', 'lookup_key');
  }
  const holder = findPriceByLookupKey(sandbox, lookupKey);
  if (!holder || holder.id === self) return undefined;
  if (!transfer) {
    throw invalidRequest(
      `A price (\`${holder.id}\`) already uses that lookup key. Pass \`transfer_lookup_key=true\` to move the key to this price.`,
      'lookup_key',
    );
  }
  return holder;
}

function releaseLookupKey(holder: Stripe.Price | undefined, emit: Emit): void {
  if (!holder) return;
  const previous = trackChanges(holder, (price) => {
    price.lookup_key = null;
  });
  emit('price.updated', holder, previous);
}

export interface CreatePriceOptions {
  /** How parameters are named in errors (`default_price_data[…]` when nested). */
  param?: ParamName;
  /**
   * An inline price (`price_data` on other resources): stored and retrievable, but left out of
   * `GET /v1/prices`, as on Stripe.
   */
  inline?: boolean;
}

/**
 * Creates a price (and its product from `product_data`), emitting `product.created` and
 * `price.created`. Everything is checked before anything is stored.
 */
export function createPrice(
  sandbox: SandboxCore,
  input: PriceInput,
  emit: Emit,
  options: CreatePriceOptions = {},
): Stripe.Price {
  const param = options.param ?? plain;
  const checked = checkPriceData(input, param);
  if (input.product !== undefined && input.product_data !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: product, product_data.',
      'product_data',
    );
  }
  if (input.product === undefined && input.product_data === undefined) {
    throw invalidRequest(
      'You must specify either `product` or `product_data` when creating a price.',
      'product',
      'parameter_missing',
    );
  }
  if (input.product !== undefined) findProduct(sandbox, input.product, 'product');
  const holder = lookupKeyHolder(sandbox, input.lookup_key, input.transfer_lookup_key, null);

  const productId =
    input.product ??
    createProduct(sandbox, input.product_data as ProductInput, emit, {
      param: (name) => `product_data[${name}]`,
    }).id;
  releaseLookupKey(holder, emit);
  const price: Stripe.Price = {
    id: newId('price'),
    object: 'price',
    active: input.active ?? true,
    billing_scheme: 'per_unit',
    created: sandbox.now(),
    currency: checked.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookup_key || null,
    metadata: initialMetadata(input.metadata),
    nickname: input.nickname || null,
    product: productId,
    recurring: checked.recurring,
    tax_behavior: input.tax_behavior ?? 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: checked.recurring ? 'recurring' : 'one_time',
    unit_amount: checked.unitAmount,
    unit_amount_decimal: wireDecimal(checked.unitAmountDecimal),
  };
  priceCollection(sandbox).set(price);
  if (options.inline) sandbox.store.setInternal(`price_inline:${price.id}`, true);
  emit('price.created', price);
  return price;
}

export interface PriceUpdate {
  active?: boolean | undefined;
  nickname?: string | null | undefined;
  metadata?: Record<string, string> | null | undefined;
  lookup_key?: string | null | undefined;
  transfer_lookup_key?: boolean | undefined;
  tax_behavior?: 'exclusive' | 'inclusive' | 'unspecified' | undefined;
}

/** Updates a price, emitting `price.updated` when something changed. */
export function updatePrice(
  sandbox: SandboxCore,
  price: Stripe.Price,
  input: PriceUpdate,
  emit: Emit,
): Stripe.Price {
  const holder = lookupKeyHolder(sandbox, input.lookup_key, input.transfer_lookup_key, price.id);
  if (
    input.tax_behavior !== undefined &&
    input.tax_behavior !== price.tax_behavior &&
    (price.tax_behavior === 'inclusive' || price.tax_behavior === 'exclusive')
  ) {
    throw invalidRequest(
      `The tax_behavior of a price cannot be changed once it is \`${price.tax_behavior}\`.`,
      'tax_behavior',
    );
  }
  if (input.active === false && price.active) {
    const product = sandbox.store.collection<Stripe.Product>('products').get(String(price.product));
    if (product?.default_price === price.id) {
      throw invalidRequest(
        `This price cannot be archived because it is the default price of its product (\`${product.id}\`). Set another default price on the product first.`,
        'active',
      );
    }
  }
  releaseLookupKey(holder, emit);
  const previous = trackChanges(price, (p) => {
    if (input.active !== undefined) p.active = input.active;
    if (input.nickname !== undefined) p.nickname = input.nickname || null;
    if (input.lookup_key !== undefined) p.lookup_key = input.lookup_key || null;
    if (input.tax_behavior !== undefined) p.tax_behavior = input.tax_behavior;
    p.metadata = mergeMetadata(p.metadata, input.metadata);
  });
  if (Object.keys(previous).length) emit('price.updated', price, previous);
  return price;
}

// --- routes ----------------------------------------------------------------------------------

const UNSUPPORTED_HINTS: Record<string, string> = {
  tiers: 'The sandbox supports per-unit prices only.',
  tiers_mode: 'The sandbox supports per-unit prices only.',
  custom_unit_amount: 'The sandbox does not support customer-chosen (pay-what-you-want) prices.',
  currency_options: 'The sandbox does not support multi-currency prices.',
  transform_quantity: 'The sandbox does not support transform_quantity.',
  'product_data[tax_code]': 'The sandbox computes no tax, so it takes no tax codes.',
};

const recurringShape = z.strictObject({
  interval: oneOf(INTERVALS),
  interval_count: intervalCount().optional(),
  trial_period_days: int().optional(),
  usage_type: oneOf(['licensed', 'metered']).optional(),
  meter: str().optional(),
});

const productDataShape = z.strictObject({
  name: nonEmpty('product_data[name]'),
  id: str().optional(),
  active: bool().optional(),
  metadata: metadata().optional(),
  statement_descriptor: str().max(22).optional(),
  unit_label: str().optional(),
});

const createSchema = params({
  currency: currencyParam(),
  unit_amount: unitAmount().optional(),
  unit_amount_decimal: str().optional(),
  product: str().optional(),
  product_data: productDataShape.optional(),
  recurring: recurringShape.optional(),
  lookup_key: str().optional(),
  transfer_lookup_key: bool().optional(),
  nickname: str().optional(),
  metadata: metadata().optional(),
  active: bool().optional(),
  billing_scheme: oneOf(['per_unit', 'tiered']).optional(),
  tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']).optional(),
});

function create(ctx: RequestContext): Stripe.Price {
  const input = ctx.parse(createSchema, UNSUPPORTED_HINTS);
  return createPrice(ctx.sandbox, input, ctx.emit);
}

function retrieve(ctx: RequestContext): Stripe.Price {
  ctx.parse(params({}));
  return findPrice(ctx.sandbox, ctx.path.id as string, 'id');
}

const updateSchema = params({
  active: bool().optional(),
  nickname: emptyable(str()).optional(),
  metadata: metadata().optional(),
  lookup_key: emptyable(str()).optional(),
  transfer_lookup_key: bool().optional(),
  tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']).optional(),
});

function update(ctx: RequestContext): Stripe.Price {
  const input = ctx.parse(updateSchema, UNSUPPORTED_HINTS);
  const price = findPrice(ctx.sandbox, ctx.path.id as string, 'id');
  return updatePrice(ctx.sandbox, price, input, ctx.emit);
}

const listSchema = params({
  ...listShape,
  active: bool().optional(),
  currency: str().optional(),
  product: str().optional(),
  type: oneOf(['one_time', 'recurring']).optional(),
  lookup_keys: z
    .array(str())
    .max(10, { error: 'You can specify up to 10 lookup_keys.' })
    .optional(),
  recurring: z
    .strictObject({
      interval: oneOf(INTERVALS).optional(),
      usage_type: oneOf(['licensed', 'metered']).optional(),
      meter: str().optional(),
    })
    .optional(),
});

function list(ctx: RequestContext): Stripe.ApiList<Stripe.Price> {
  const input = ctx.parse(listSchema);
  const { sandbox } = ctx;
  const currency = input.currency?.toLowerCase();
  const items = priceCollection(sandbox)
    .values()
    .filter(
      (price) =>
        !sandbox.store.getInternal<boolean>(`price_inline:${price.id}`) &&
        (input.active === undefined || price.active === input.active) &&
        (currency === undefined || price.currency === currency) &&
        (input.product === undefined || price.product === input.product) &&
        (input.type === undefined || price.type === input.type) &&
        (input.lookup_keys === undefined ||
          (price.lookup_key !== null && input.lookup_keys.includes(price.lookup_key))) &&
        (input.recurring?.interval === undefined ||
          price.recurring?.interval === input.recurring.interval) &&
        (input.recurring?.usage_type === undefined ||
          price.recurring?.usage_type === input.recurring.usage_type) &&
        (input.recurring?.meter === undefined || price.recurring?.meter === input.recurring.meter),
    );
  return paginate(items, input, ctx.url.pathname, 'price');
}

export const priceRoutes: Route[] = [
  { method: 'POST', path: '/v1/prices', handler: create },
  { method: 'GET', path: '/v1/prices', handler: list },
  { method: 'GET', path: '/v1/prices/:id', handler: retrieve },
  { method: 'POST', path: '/v1/prices/:id', handler: update },
];
