/**
 * prices: create (one-time or recurring; per unit or tiered; licensed or metered; with
 * `transform_quantity` or `custom_unit_amount`), retrieve, update, list.
 * `createPrice` is also what `products` (`default_price_data`) and the demo catalog seed use.
 *
 * Every kind of price can be created and read back with Stripe's shape and checks, so that code
 * which must tell them apart (a catalog that sells only fixed per-unit prices) can be tested. The
 * sandbox bills only fixed per-unit, licensed prices, though: subscriptions, Checkout and the
 * portal refuse the others with a clear 400 (`assertBillablePrice`) rather than charge a wrong
 * amount.
 * @see https://docs.stripe.com/api/prices
 * @see https://docs.stripe.com/products-prices/pricing-models
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

/** One of `tiers[]`, parsed: `up_to` is a quantity or `'inf'` (the last tier). */
export interface TierInput {
  up_to: number | 'inf';
  flat_amount?: number | undefined;
  flat_amount_decimal?: string | undefined;
  unit_amount?: number | undefined;
  unit_amount_decimal?: string | undefined;
}

/** `custom_unit_amount`: the customer chooses the amount (Checkout, Payment Links). */
export interface CustomUnitAmountInput {
  enabled: boolean;
  minimum?: number | undefined;
  maximum?: number | undefined;
  preset?: number | undefined;
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
  tiers?: TierInput[] | undefined;
  tiers_mode?: 'graduated' | 'volume' | undefined;
  transform_quantity?: { divide_by: number; round: 'up' | 'down' } | undefined;
  custom_unit_amount?: CustomUnitAmountInput | undefined;
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
  /** Null for tiered and customer-chosen prices, as on Stripe. */
  unitAmountDecimal: string | null;
  recurring: Stripe.Price.Recurring | null;
  billingScheme: 'per_unit' | 'tiered';
  /** Stripe's `tiers` (returned only with `expand[]=tiers`), null for per-unit prices. */
  tiers: Stripe.Price.Tier[] | null;
  tiersMode: 'graduated' | 'volume' | null;
  transformQuantity: Stripe.Price.TransformQuantity | null;
  customUnitAmount: Stripe.Price.CustomUnitAmount | null;
}

type PriceShapeInput = Pick<
  PriceInput,
  | 'currency'
  | 'unit_amount'
  | 'unit_amount_decimal'
  | 'recurring'
  | 'billing_scheme'
  | 'tiers'
  | 'tiers_mode'
  | 'transform_quantity'
  | 'custom_unit_amount'
>;

/** Stripe's 400 for two parameters that exclude each other. */
function onlyOneOf(first: string, second: string): never {
  throw invalidRequest(
    `You may only specify one of these parameters: ${first}, ${second}.`,
    second,
  );
}

/** A decimal amount parameter (`unit_amount_decimal`), normalized; at most 12 decimal places. */
function checkedDecimal(value: string, name: string): string {
  const match = decimalPattern.exec(value);
  if (!match) throw invalidRequest(`Invalid decimal: ${value}`, name);
  if ((match[1]?.length ?? 0) > 12) {
    throw invalidRequest(`Invalid ${name}: at most 12 decimal places are allowed.`, name);
  }
  return normalizeDecimal(value);
}

/** A whole, non-negative integer amount parameter. */
function checkedAmount(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidRequest(
      'This value must be greater than or equal to 0.',
      name,
      'parameter_invalid_integer',
    );
  }
  return value;
}

/** An amount and its decimal form, from either parameter (both null when neither is given). */
function amountPair(
  amount: number | undefined,
  decimal: string | undefined,
  names: [string, string],
): { amount: number | null; decimal: string | null } {
  if (amount !== undefined && decimal !== undefined) onlyOneOf(...names);
  if (amount !== undefined) {
    const checked = checkedAmount(amount, names[0]);
    return { amount: checked, decimal: String(checked) };
  }
  if (decimal !== undefined) {
    const normalized = checkedDecimal(decimal, names[1]);
    // A whole decimal is also the integer amount, as on Stripe.
    const whole = normalized.includes('.') ? null : Number(normalized);
    return {
      amount: whole !== null && Number.isSafeInteger(whole) ? whole : null,
      decimal: normalized,
    };
  }
  return { amount: null, decimal: null };
}

/**
 * `tiers`: each tier's upper bound above the one before, the last one `inf`, and at most one of
 * each amount and its decimal form.
 * @see https://docs.stripe.com/api/prices/create#create_price-tiers
 */
function checkTiers(tiers: readonly TierInput[], param: ParamName): Stripe.Price.Tier[] {
  if (tiers.length === 0) throw missingParameter(param('tiers'));
  let previous = 0;
  return tiers.map((tier, index) => {
    const at = (name: string) => param(`tiers[${index}][${name}]`);
    const last = index === tiers.length - 1;
    if (tier.up_to === 'inf' && !last) {
      throw invalidRequest(
        `Only the last tier may have \`up_to=inf\`; ${at('up_to')} is not the last tier.`,
        at('up_to'),
      );
    }
    if (tier.up_to !== 'inf') {
      if (last) {
        throw invalidRequest(
          `The last tier must have \`up_to=inf\` so that every quantity falls in a tier; ${at('up_to')} is ${tier.up_to}.`,
          at('up_to'),
        );
      }
      if (!Number.isSafeInteger(tier.up_to) || tier.up_to <= previous) {
        throw invalidRequest(
          `Invalid ${at('up_to')}: tiers must be in ascending order of \`up_to\`, each above ${previous}.`,
          at('up_to'),
        );
      }
      previous = tier.up_to;
    }
    const unit = amountPair(tier.unit_amount, tier.unit_amount_decimal, [
      at('unit_amount'),
      at('unit_amount_decimal'),
    ]);
    const flat = amountPair(tier.flat_amount, tier.flat_amount_decimal, [
      at('flat_amount'),
      at('flat_amount_decimal'),
    ]);
    return {
      flat_amount: flat.amount,
      flat_amount_decimal: flat.decimal === null ? null : wireDecimal(flat.decimal),
      unit_amount: unit.amount,
      unit_amount_decimal: unit.decimal === null ? null : wireDecimal(unit.decimal),
      up_to: tier.up_to === 'inf' ? null : tier.up_to,
    } as Stripe.Price.Tier;
  });
}

/**
 * `custom_unit_amount`: the customer picks the amount on Checkout, between `minimum` and
 * `maximum`, starting at `preset`. Stripe takes it for one-time prices only.
 * @see https://docs.stripe.com/payments/checkout/pay-what-you-want
 */
function checkCustomUnitAmount(
  input: CustomUnitAmountInput,
  currency: string,
  param: ParamName,
): Stripe.Price.CustomUnitAmount {
  if (!input.enabled) {
    throw invalidRequest(
      `${param('custom_unit_amount[enabled]')} must be true; omit ${param('custom_unit_amount')} for a price with a fixed amount.`,
      param('custom_unit_amount[enabled]'),
    );
  }
  const { minimum, maximum, preset } = input;
  for (const [name, value] of Object.entries({ minimum, maximum, preset })) {
    const at = param(`custom_unit_amount[${name}]`);
    if (value !== undefined) assertChargeableAmount(checkedAmount(value, at), currency, at);
  }
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    throw invalidRequest(
      `${param('custom_unit_amount[minimum]')} must be less than or equal to ${param('custom_unit_amount[maximum]')}.`,
      param('custom_unit_amount[minimum]'),
    );
  }
  if (
    preset !== undefined &&
    ((minimum !== undefined && preset < minimum) || (maximum !== undefined && preset > maximum))
  ) {
    throw invalidRequest(
      `${param('custom_unit_amount[preset]')} must be between the minimum and the maximum.`,
      param('custom_unit_amount[preset]'),
    );
  }
  return { maximum: maximum ?? null, minimum: minimum ?? null, preset: preset ?? null };
}

/**
 * Checks everything about a price that does not depend on other objects, as Stripe does, and
 * returns its amounts and recurrence. Throws Stripe's 400s.
 */
export function checkPriceData(input: PriceShapeInput, param: ParamName = plain): CheckedPrice {
  const currency = input.currency.toLowerCase();
  if (!isSupportedCurrency(currency)) {
    throw invalidRequest(invalidCurrencyMessage(currency), param('currency'));
  }
  const tiered = input.billing_scheme === 'tiered';
  const unitGiven = input.unit_amount !== undefined || input.unit_amount_decimal !== undefined;
  if (!tiered && (input.tiers !== undefined || input.tiers_mode !== undefined)) {
    const name = input.tiers !== undefined ? 'tiers' : 'tiers_mode';
    throw invalidRequest(
      `${param(name)} can only be set when ${param('billing_scheme')} is \`tiered\`.`,
      param(name),
    );
  }
  if (tiered) {
    if (unitGiven) {
      const name = input.unit_amount !== undefined ? 'unit_amount' : 'unit_amount_decimal';
      throw invalidRequest(
        `${param(name)} cannot be set when ${param('billing_scheme')} is \`tiered\`: set the amounts in ${param('tiers')}.`,
        param(name),
      );
    }
    if (input.tiers_mode === undefined) throw missingParameter(param('tiers_mode'));
    if (input.tiers === undefined) throw missingParameter(param('tiers'));
    if (input.transform_quantity !== undefined) {
      throw invalidRequest(
        `${param('transform_quantity')} cannot be combined with ${param('tiers')}.`,
        param('transform_quantity'),
      );
    }
  }
  if (input.custom_unit_amount !== undefined) {
    if (tiered || unitGiven) {
      const other = tiered
        ? 'billing_scheme'
        : input.unit_amount !== undefined
          ? 'unit_amount'
          : 'unit_amount_decimal';
      throw invalidRequest(
        `You may only specify one of these parameters: ${param(other)}, ${param('custom_unit_amount')}.`,
        param('custom_unit_amount'),
      );
    }
    if (input.recurring) {
      throw invalidRequest(
        `${param('custom_unit_amount')} is only available for one-time prices, not with ${param('recurring')}.`,
        param('custom_unit_amount'),
      );
    }
    if (input.transform_quantity !== undefined) {
      throw invalidRequest(
        `${param('transform_quantity')} cannot be combined with ${param('custom_unit_amount')}.`,
        param('transform_quantity'),
      );
    }
  }
  if (!tiered && !unitGiven && input.custom_unit_amount === undefined) {
    throw missingParameter(param('unit_amount'));
  }
  const unit = amountPair(input.unit_amount, input.unit_amount_decimal, [
    param('unit_amount'),
    param('unit_amount_decimal'),
  ]);
  if (unit.amount !== null) assertChargeableAmount(unit.amount, currency, param('unit_amount'));
  const tiers = tiered ? checkTiers(input.tiers ?? [], param) : null;
  const customUnitAmount = input.custom_unit_amount
    ? checkCustomUnitAmount(input.custom_unit_amount, currency, param)
    : null;
  let transformQuantity: Stripe.Price.TransformQuantity | null = null;
  if (input.transform_quantity) {
    const { divide_by, round } = input.transform_quantity;
    if (!Number.isSafeInteger(divide_by) || divide_by < 1) {
      throw invalidRequest(
        'This value must be greater than or equal to 1.',
        param('transform_quantity[divide_by]'),
      );
    }
    transformQuantity = { divide_by, round };
  }

  let recurring: Stripe.Price.Recurring | null = null;
  if (input.recurring) {
    const { interval } = input.recurring;
    if (!INTERVALS.includes(interval)) {
      throw invalidRequest(
        `Invalid ${param('recurring[interval]')}: must be one of day, week, month, or year`,
        param('recurring[interval]'),
      );
    }
    const usageType = input.recurring.usage_type ?? 'licensed';
    // Since API version 2025-03-31.basil a metered price bills what a billing meter counts, so it
    // names one; a licensed price bills its quantity and takes none.
    // @see https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-legacy-usage-based-billing
    if (usageType === 'metered' && !input.recurring.meter) {
      throw missingParameter(param('recurring[meter]'));
    }
    if (usageType === 'licensed' && input.recurring.meter !== undefined) {
      throw invalidRequest(
        `${param('recurring[meter]')} can only be set when ${param('recurring[usage_type]')} is \`metered\`.`,
        param('recurring[meter]'),
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
      meter: usageType === 'metered' ? (input.recurring.meter ?? null) : null,
      trial_period_days: trial ?? null,
      usage_type: usageType,
    };
  }
  return {
    currency,
    unitAmount: unit.amount,
    unitAmountDecimal: unit.decimal,
    recurring,
    billingScheme: tiered ? 'tiered' : 'per_unit',
    tiers,
    tiersMode: tiered ? (input.tiers_mode ?? null) : null,
    transformQuantity,
    customUnitAmount,
  };
}

/**
 * Why the sandbox cannot bill `price` at a fixed unit amount × quantity, or null when it can.
 * Stripe bills the others (tiers, package pricing, metered usage, customer-chosen amounts); the
 * sandbox does not model that billing, so its subscriptions, Checkout and portal refuse them.
 */
export function unbillableReason(price: Stripe.Price): string | null {
  if (price.billing_scheme === 'tiered') return 'is tiered (billing_scheme=tiered)';
  if (price.transform_quantity) return 'uses package pricing (transform_quantity)';
  if (price.recurring?.usage_type === 'metered')
    return 'is metered (recurring[usage_type]=metered)';
  if (price.custom_unit_amount) return 'lets the customer choose the amount (custom_unit_amount)';
  if (price.unit_amount_decimal === null) return 'has no unit amount';
  return null;
}

/**
 * Refuses, with a 400 naming `param`, a price the sandbox cannot bill at a fixed unit amount ×
 * quantity (see `unbillableReason`), rather than charge a wrong amount for it.
 */
export function assertBillablePrice(price: Stripe.Price, param: string): void {
  const reason = unbillableReason(price);
  if (!reason) return;
  throw invalidRequest(
    `The sandbox bills only fixed per-unit, licensed prices: ${price.id} ${reason}.`,
    param,
  );
}

/** Registers `tiers`, which Stripe returns on a price only with `expand[]=tiers`. */
export function registerPriceIncludables(sandbox: SandboxCore): void {
  sandbox.registerIncludable('price', 'tiers', (price) =>
    sandbox.store.getInternal<Stripe.Price.Tier[]>(`price_tiers:${String(price.id)}`),
  );
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

/** A price the sandbox can bill (see `assertBillablePrice`), or Stripe's 404. */
export function findBillablePrice(sandbox: SandboxCore, id: string, param = 'price'): Stripe.Price {
  const price = findPrice(sandbox, id, param);
  assertBillablePrice(price, param);
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
    billing_scheme: checked.billingScheme,
    created: sandbox.now(),
    currency: checked.currency,
    custom_unit_amount: checked.customUnitAmount,
    livemode: false,
    lookup_key: input.lookup_key || null,
    metadata: initialMetadata(input.metadata),
    nickname: input.nickname || null,
    product: productId,
    recurring: checked.recurring,
    tax_behavior: input.tax_behavior ?? 'unspecified',
    tiers_mode: checked.tiersMode,
    transform_quantity: checked.transformQuantity,
    type: checked.recurring ? 'recurring' : 'one_time',
    unit_amount: checked.unitAmount,
    unit_amount_decimal:
      checked.unitAmountDecimal === null ? null : wireDecimal(checked.unitAmountDecimal),
  };
  priceCollection(sandbox).set(price);
  if (checked.tiers) sandbox.store.setInternal(`price_tiers:${price.id}`, checked.tiers);
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
  currency_options: 'The sandbox does not support multi-currency prices.',
  'product_data[tax_code]': 'The sandbox computes no tax, so it takes no tax codes.',
};

const recurringShape = z.strictObject({
  interval: oneOf(INTERVALS),
  interval_count: intervalCount().optional(),
  trial_period_days: int().optional(),
  usage_type: oneOf(['licensed', 'metered']).optional(),
  meter: str().optional(),
});

const tierShape = z.strictObject({
  up_to: z.union([z.literal('inf'), int()]),
  flat_amount: int().optional(),
  flat_amount_decimal: str().optional(),
  unit_amount: int().optional(),
  unit_amount_decimal: str().optional(),
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
  tiers: z.array(tierShape).optional(),
  tiers_mode: oneOf(['graduated', 'volume']).optional(),
  transform_quantity: z.strictObject({ divide_by: int(), round: oneOf(['up', 'down']) }).optional(),
  custom_unit_amount: z
    .strictObject({
      enabled: bool(),
      minimum: int().optional(),
      maximum: int().optional(),
      preset: int().optional(),
    })
    .optional(),
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
