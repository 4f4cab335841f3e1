import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, setUpSandboxWithWebhooks } from '../test-support/harness.js';
import { createPrice } from './prices.js';

const env = setUpSandboxWithWebhooks();

/** A decimal string sent as is (stripe-node types decimals as its Decimal). */
function wire(value: string): Stripe.Decimal {
  return value as unknown as Stripe.Decimal;
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

async function newProduct(name = 'Thing', extra: Partial<Stripe.ProductCreateParams> = {}) {
  return env.stripe.products.create({ name, ...extra });
}

describe('create', () => {
  it('creates a one-time price with every field Stripe returns', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'USD',
      unit_amount: 2500,
      nickname: 'Standard',
      metadata: { tier: 'a' },
      tax_behavior: 'exclusive',
    });
    expect(price).toMatchObject({
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      currency: 'usd',
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: { tier: 'a' },
      nickname: 'Standard',
      product: product.id,
      recurring: null,
      tax_behavior: 'exclusive',
      tiers_mode: null,
      transform_quantity: null,
      type: 'one_time',
      unit_amount: 2500,
    });
    expect(price.id).toMatch(/^price_\w{24}$/);
    expect(String(price.unit_amount_decimal)).toBe('2500');
    const again = await env.stripe.prices.retrieve(price.id, { expand: ['product'] });
    expect((again.product as Stripe.Product).name).toBe('Thing');
  });

  it('creates a recurring licensed price with a trial', async () => {
    const product = await newProduct('Plan');
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 0,
      recurring: { interval: 'week', interval_count: 2, trial_period_days: 7 },
    });
    expect(price.type).toBe('recurring');
    expect(price.unit_amount).toBe(0);
    expect(price.tax_behavior).toBe('unspecified');
    expect(price.recurring).toEqual({
      interval: 'week',
      interval_count: 2,
      meter: null,
      trial_period_days: 7,
      usage_type: 'licensed',
    });
  });

  it('creates its product from product_data: product.created, then price.created', async () => {
    const price = await env.stripe.prices.create({
      currency: 'gbp',
      unit_amount: 1000,
      product_data: { name: 'Inline product', metadata: { from: 'price' }, unit_label: 'seat' },
      expand: ['product'],
    });
    const product = price.product as Stripe.Product;
    expect(product).toMatchObject({ name: 'Inline product', metadata: { from: 'price' } });
    expect(product.unit_label).toBe('seat');
    const events = await env.verifiedEvents(product.id, price.id);
    expect(events.map((event) => event.type)).toEqual(['product.created', 'price.created']);
    expect((events[1]!.data.object as Stripe.Price).product).toBe(product.id);
  });

  it('takes unit_amount_decimal, with whole decimals also as unit_amount', async () => {
    const product = await newProduct();
    // stripe-node sends a Decimal as its string.
    const fromDecimal = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount_decimal: Stripe.Decimal.from('12.345'),
    });
    expect(fromDecimal.unit_amount).toBeNull();
    expect(String(fromDecimal.unit_amount_decimal)).toBe('12.345');
    // Raw strings on the wire are normalized as Stripe answers them.
    const fractional = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount_decimal: wire('0012.345000'),
    });
    expect(fractional.unit_amount).toBeNull();
    expect(String(fractional.unit_amount_decimal)).toBe('12.345');
    const whole = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount_decimal: wire('2500.00'),
    });
    expect(whole.unit_amount).toBe(2500);
    expect(String(whole.unit_amount_decimal)).toBe('2500');

    const bad = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount_decimal: wire('1e5'),
      }),
    );
    expect(bad).toMatchObject({ statusCode: 400, param: 'unit_amount_decimal' });
    const tooPrecise = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount_decimal: wire('1.1234567890123'),
      }),
    );
    expect(tooPrecise.param).toBe('unit_amount_decimal');
  });

  it('needs exactly one of unit_amount and unit_amount_decimal', async () => {
    const product = await newProduct();
    const both = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        unit_amount_decimal: Stripe.Decimal.from('1'),
      }),
    );
    expect(both.message).toBe(
      'You may only specify one of these parameters: unit_amount, unit_amount_decimal.',
    );
    const neither = await caught(
      env.stripe.prices.create({ product: product.id, currency: 'usd' }),
    );
    expect(neither).toMatchObject({ code: 'parameter_missing', param: 'unit_amount' });
    const negative = await caught(
      env.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: -1 }),
    );
    expect(negative).toMatchObject({
      param: 'unit_amount',
      message: 'This value must be greater than or equal to 0.',
    });
  });

  it('needs exactly one of product and product_data, and a product that exists', async () => {
    const neither = await caught(env.stripe.prices.create({ currency: 'usd', unit_amount: 1 }));
    expect(neither).toMatchObject({ statusCode: 400, param: 'product' });
    const product = await newProduct();
    const both = await caught(
      env.stripe.prices.create({
        currency: 'usd',
        unit_amount: 1,
        product: product.id,
        product_data: { name: 'x' },
      }),
    );
    expect(both.message).toBe(
      'You may only specify one of these parameters: product, product_data.',
    );
    const missing = await caught(
      env.stripe.prices.create({ currency: 'usd', unit_amount: 1, product: 'prod_nope' }),
    );
    expect(missing).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'product',
      message: "No such product: 'prod_nope'",
    });
  });

  it('allows a price on an archived product', async () => {
    const product = await newProduct('Archived', { active: false });
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
    });
    expect(price.active).toBe(true);
    expect(price.product).toBe(product.id);
  });
});

describe('currencies', () => {
  it('keeps zero-decimal amounts as whole units', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'JPY',
      unit_amount: 1500,
    });
    expect(price).toMatchObject({ currency: 'jpy', unit_amount: 1500 });
    // Any whole yen amount is chargeable.
    const odd = await env.stripe.prices.create({
      product: product.id,
      currency: 'jpy',
      unit_amount: 1501,
    });
    expect(odd.unit_amount).toBe(1501);
  });

  it('takes three-decimal amounts that end in 0 and refuses the others', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'kwd',
      unit_amount: 7500,
    });
    expect(price).toMatchObject({ currency: 'kwd', unit_amount: 7500 });
    const error = await caught(
      env.stripe.prices.create({ product: product.id, currency: 'kwd', unit_amount: 7505 }),
    );
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'invalid_charge_amount',
      param: 'unit_amount',
    });
    expect(error.message).toMatch(/^Invalid amount\. Currency KWD .*divisible by 10/);
  });

  it('takes ISK amounts in whole krónur only', async () => {
    const product = await newProduct();
    expect(
      (await env.stripe.prices.create({ product: product.id, currency: 'isk', unit_amount: 50000 }))
        .unit_amount,
    ).toBe(50000);
    const error = await caught(
      env.stripe.prices.create({ product: product.id, currency: 'isk', unit_amount: 50050 }),
    );
    expect(error.code).toBe('invalid_charge_amount_no_decimal_compatible');
  });

  it("answers Stripe's 400 for an unknown currency", async () => {
    const product = await newProduct();
    const error = await caught(
      env.stripe.prices.create({ product: product.id, currency: 'xyz', unit_amount: 100 }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'currency' });
    expect(error.message).toMatch(
      /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, /,
    );
  });
});

describe('recurring', () => {
  it('refuses intervals Stripe does not have', async () => {
    const product = await newProduct();
    const error = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'fortnight' },
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'recurring[interval]' });
    expect(error.message).toBe(
      'Invalid recurring[interval]: must be one of day, week, month, or year',
    );
  });

  it('allows billing periods up to three years', async () => {
    const product = await newProduct();
    const longest = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
      recurring: { interval: 'month', interval_count: 36 },
    });
    expect(longest.recurring?.interval_count).toBe(36);
    for (const [interval, count] of [
      ['month', 37],
      ['week', 157],
      ['year', 4],
      ['day', 1096],
    ] as const) {
      const error = await caught(
        env.stripe.prices.create({
          product: product.id,
          currency: 'usd',
          unit_amount: 1,
          recurring: { interval, interval_count: count },
        }),
      );
      expect(error).toMatchObject({ statusCode: 400, param: 'recurring[interval_count]' });
    }
    const zero = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'month', interval_count: 0 },
      }),
    );
    expect(zero.param).toBe('recurring[interval_count]');
  });
});

describe('prices that are not a fixed amount per unit', () => {
  it('creates a tiered price: no unit amount, its tiers only with expand[]=tiers', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 10, unit_amount: 500 },
        { up_to: 'inf', unit_amount_decimal: wire('400.5'), flat_amount: 1000 },
      ],
      recurring: { interval: 'month' },
    });
    expect(price).toMatchObject({
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      unit_amount: null,
      unit_amount_decimal: null,
      transform_quantity: null,
      custom_unit_amount: null,
    });
    expect(price).not.toHaveProperty('tiers');
    const expanded = await env.stripe.prices.retrieve(price.id, { expand: ['tiers'] });
    // stripe-node turns the wire's decimal strings into Decimals; compare them as strings.
    const tiers = expanded.tiers?.map((tier) => ({
      ...tier,
      flat_amount_decimal: tier.flat_amount_decimal && String(tier.flat_amount_decimal),
      unit_amount_decimal: tier.unit_amount_decimal && String(tier.unit_amount_decimal),
    }));
    expect(tiers).toEqual([
      {
        flat_amount: null,
        flat_amount_decimal: null,
        unit_amount: 500,
        unit_amount_decimal: '500',
        up_to: 10,
      },
      {
        flat_amount: 1000,
        flat_amount_decimal: '1000',
        unit_amount: null,
        unit_amount_decimal: '400.5',
        up_to: null,
      },
    ]);
    const listed = await env.stripe.prices.list({ product: product.id, expand: ['data.tiers'] });
    expect(listed.data[0]?.tiers).toHaveLength(2);
  });

  it('refuses tiers that Stripe refuses', async () => {
    const product = await newProduct();
    const base = { product: product.id, currency: 'usd' } as const;
    const last = { up_to: 'inf', unit_amount: 100 } as const;
    const cases: Array<[Stripe.PriceCreateParams, string]> = [
      [{ ...base, billing_scheme: 'tiered', tiers: [last] }, 'tiers_mode'],
      [{ ...base, billing_scheme: 'tiered', tiers_mode: 'volume' }, 'tiers'],
      [{ ...base, tiers_mode: 'volume', tiers: [last], unit_amount: 1 }, 'tiers'],
      [
        { ...base, billing_scheme: 'tiered', tiers_mode: 'volume', tiers: [last], unit_amount: 1 },
        'unit_amount',
      ],
      [
        { ...base, billing_scheme: 'tiered', tiers_mode: 'volume', tiers: [{ up_to: 5 }] },
        'tiers[0][up_to]',
      ],
      [
        {
          ...base,
          billing_scheme: 'tiered',
          tiers_mode: 'volume',
          tiers: [{ up_to: 5 }, { up_to: 5 }, last],
        },
        'tiers[1][up_to]',
      ],
      [
        {
          ...base,
          billing_scheme: 'tiered',
          tiers_mode: 'volume',
          tiers: [last, { up_to: 5 }],
        },
        'tiers[0][up_to]',
      ],
      [
        {
          ...base,
          billing_scheme: 'tiered',
          tiers_mode: 'volume',
          tiers: [{ up_to: 'inf', unit_amount: 1, unit_amount_decimal: wire('1') }],
        },
        'tiers[0][unit_amount_decimal]',
      ],
      [
        {
          ...base,
          billing_scheme: 'tiered',
          tiers_mode: 'volume',
          tiers: [last],
          transform_quantity: { divide_by: 10, round: 'up' },
        },
        'transform_quantity',
      ],
    ];
    for (const [params, param] of cases) {
      const error = await caught(env.stripe.prices.create(params));
      expect(error, JSON.stringify(params)).toMatchObject({ statusCode: 400, param });
    }
  });

  it('creates package pricing (transform_quantity) and checks it', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      transform_quantity: { divide_by: 5, round: 'up' },
    });
    expect(price).toMatchObject({
      billing_scheme: 'per_unit',
      unit_amount: 1000,
      transform_quantity: { divide_by: 5, round: 'up' },
    });
    const zero = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1000,
        transform_quantity: { divide_by: 0, round: 'up' },
      }),
    );
    expect(zero.param).toBe('transform_quantity[divide_by]');
    const noRound = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1000,
        transform_quantity: { divide_by: 5 } as Stripe.PriceCreateParams.TransformQuantity,
      }),
    );
    expect(noRound).toMatchObject({
      code: 'parameter_missing',
      param: 'transform_quantity[round]',
    });
  });

  it('creates metered prices on a meter, and takes a meter only for them', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2,
      recurring: { interval: 'month', usage_type: 'metered', meter: 'mtr_123' },
    });
    expect(price.recurring).toMatchObject({ usage_type: 'metered', meter: 'mtr_123' });
    const listed = await env.stripe.prices.list({
      product: product.id,
      recurring: { usage_type: 'metered' },
    });
    expect(listed.data.map((p) => p.id)).toEqual([price.id]);
    const noMeter = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'month', usage_type: 'metered' },
      }),
    );
    expect(noMeter).toMatchObject({ code: 'parameter_missing', param: 'recurring[meter]' });
    const licensed = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'month', meter: 'mtr_123' },
      }),
    );
    expect(licensed).toMatchObject({ statusCode: 400, param: 'recurring[meter]' });
  });

  it('creates customer-chosen prices (custom_unit_amount), one-time only', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'eur',
      custom_unit_amount: { enabled: true, minimum: 500, maximum: 10_000, preset: 1500 },
    });
    expect(price).toMatchObject({
      custom_unit_amount: { minimum: 500, maximum: 10_000, preset: 1500 },
      unit_amount: null,
      unit_amount_decimal: null,
      type: 'one_time',
    });
    const base = { product: product.id, currency: 'eur' } as const;
    const cases: Array<[Stripe.PriceCreateParams, string]> = [
      [{ ...base, unit_amount: 100, custom_unit_amount: { enabled: true } }, 'custom_unit_amount'],
      [
        { ...base, custom_unit_amount: { enabled: true }, recurring: { interval: 'month' } },
        'custom_unit_amount',
      ],
      [{ ...base, custom_unit_amount: { enabled: false } }, 'custom_unit_amount[enabled]'],
      [
        { ...base, custom_unit_amount: { enabled: true, minimum: 900, maximum: 800 } },
        'custom_unit_amount[minimum]',
      ],
      [
        { ...base, custom_unit_amount: { enabled: true, minimum: 500, preset: 100 } },
        'custom_unit_amount[preset]',
      ],
      [{ ...base }, 'unit_amount'],
    ];
    for (const [params, param] of cases) {
      const error = await caught(env.stripe.prices.create(params));
      expect(error, JSON.stringify(params)).toMatchObject({ statusCode: 400, param });
    }
  });

  it('refuses to bill them where it would bill unit amount × quantity', async () => {
    const product = await newProduct();
    const customer = await env.stripe.customers.create({ email: 'tiers@example.com' });
    const tiered = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [{ up_to: 'inf', unit_amount: 100 }],
      recurring: { interval: 'month' },
    });
    const metered = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 3,
      recurring: { interval: 'month', usage_type: 'metered', meter: 'mtr_abc' },
    });
    const custom = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      custom_unit_amount: { enabled: true },
    });
    const packaged = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      transform_quantity: { divide_by: 10, round: 'up' },
    });
    for (const price of [tiered, metered]) {
      const error = await caught(
        env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }),
      );
      expect(error).toMatchObject({ statusCode: 400, param: 'items[0][price]' });
      expect(error.message).toMatch(/bills only fixed per-unit, licensed prices/);
    }
    for (const price of [custom, packaged]) {
      const error = await caught(
        env.stripe.checkout.sessions.create({
          mode: 'payment',
          success_url: 'https://shop.example/done',
          line_items: [{ price: price.id, quantity: 1 }],
        }),
      );
      expect(error).toMatchObject({ statusCode: 400, param: 'line_items[0][price]' });
    }
    const portal = await caught(
      env.stripe.billingPortal.configurations.create({
        features: {
          subscription_update: {
            enabled: true,
            default_allowed_updates: ['price'],
            products: [{ product: product.id, prices: [tiered.id] }],
          },
        },
      }),
    );
    expect(portal).toMatchObject({
      statusCode: 400,
      param: 'features[subscription_update][products][0][prices][0]',
    });
  });
});

describe('lookup keys', () => {
  it('keeps lookup keys unique unless transfer_lookup_key moves one', async () => {
    const product = await newProduct();
    const key = unique('key');
    const first = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      lookup_key: key,
    });
    const taken = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 200,
        lookup_key: key,
      }),
    );
    expect(taken).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    expect(taken.message).toContain(`A price (\`${first.id}\`) already uses that lookup key.`);

    const second = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 200,
      lookup_key: key,
      transfer_lookup_key: true,
    });
    expect(second.lookup_key).toBe(key);
    expect((await env.stripe.prices.retrieve(first.id)).lookup_key).toBeNull();
    const found = await env.stripe.prices.list({ lookup_keys: [key] });
    expect(found.data.map((price) => price.id)).toEqual([second.id]);

    const events = await env.verifiedEvents(first.id, second.id);
    expect(
      events.map((event) => `${event.type} ${(event.data.object as { id: string }).id}`),
    ).toEqual([
      `price.created ${first.id}`,
      `price.updated ${first.id}`,
      `price.created ${second.id}`,
    ]);
    expect(events[1]?.data.previous_attributes).toEqual({ lookup_key: key });
  });

  it('moves a lookup key on update too', async () => {
    const product = await newProduct();
    const key = unique('move');
    const holder = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      lookup_key: key,
    });
    const other = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 300,
    });
    expect((await caught(env.stripe.prices.update(other.id, { lookup_key: key }))).param).toBe(
      'lookup_key',
    );
    const moved = await env.stripe.prices.update(other.id, {
      lookup_key: key,
      transfer_lookup_key: true,
    });
    expect(moved.lookup_key).toBe(key);
    expect((await env.stripe.prices.retrieve(holder.id)).lookup_key).toBeNull();
    // Setting a price's own key again is no conflict.
    expect((await env.stripe.prices.update(other.id, { lookup_key: key })).lookup_key).toBe(key);
  });

  it('refuses lookup keys over 200 characters and more than 10 lookup_keys in a list', async () => {
    const product = await newProduct();
    const long = await caught(
      env.stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        lookup_key: 'k'.repeat(201),
      }),
    );
    expect(long.param).toBe('lookup_key');
    const keys = Array.from({ length: 11 }, (_, index) => `k${index}`);
    const tooMany = await caught(env.stripe.prices.list({ lookup_keys: keys }));
    expect(tooMany).toMatchObject({ statusCode: 400, param: 'lookup_keys' });
  });
});

describe('update', () => {
  it('changes active, nickname and metadata and emits price.updated', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      nickname: 'Old',
      metadata: { a: '1', b: '2' },
    });
    const updated = await env.stripe.prices.update(price.id, {
      active: false,
      nickname: 'New',
      metadata: { a: '', c: '3' },
    });
    expect(updated).toMatchObject({ active: false, nickname: 'New', metadata: { b: '2', c: '3' } });
    expect(updated.unit_amount).toBe(100);
    const events = await env.verifiedEvents(price.id);
    expect(events.map((event) => event.type)).toEqual(['price.created', 'price.updated']);
    expect(events[1]?.data.previous_attributes).toEqual({
      active: true,
      nickname: 'Old',
      metadata: { a: '1', b: '2' },
    });
  });

  it('refuses parameters that cannot change and unknown prices', async () => {
    const product = await newProduct();
    const price = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
    });
    const amount = await caught(
      env.stripe.prices.update(price.id, { unit_amount: 5 } as Stripe.PriceUpdateParams),
    );
    expect(amount).toMatchObject({ code: 'parameter_unknown', param: 'unit_amount' });
    const missing = await caught(env.stripe.prices.update('price_nope', { nickname: 'x' }));
    expect(missing).toMatchObject({ statusCode: 404, message: "No such price: 'price_nope'" });
  });

  it('locks tax_behavior once it is inclusive or exclusive', async () => {
    const product = await newProduct();
    const open = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
    });
    expect(
      (await env.stripe.prices.update(open.id, { tax_behavior: 'inclusive' })).tax_behavior,
    ).toBe('inclusive');
    const locked = await caught(env.stripe.prices.update(open.id, { tax_behavior: 'exclusive' }));
    expect(locked).toMatchObject({ statusCode: 400, param: 'tax_behavior' });
  });

  it("refuses to archive a product's default price", async () => {
    const product = await env.stripe.products.create({
      name: 'With default',
      default_price_data: { currency: 'usd', unit_amount: 1000 },
    });
    const error = await caught(
      env.stripe.prices.update(product.default_price as string, { active: false }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'active' });
    expect((await env.stripe.prices.retrieve(product.default_price as string)).active).toBe(true);
  });
});

describe('list', () => {
  it('filters by product, active, type, currency and recurring interval', async () => {
    const product = await newProduct('Listed');
    const monthly = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      recurring: { interval: 'month' },
    });
    const yearly = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 10000,
      recurring: { interval: 'year' },
    });
    const once = await env.stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 500,
    });
    const archived = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
      active: false,
    });
    const ids = (list: Stripe.ApiList<Stripe.Price>) => list.data.map((price) => price.id);
    const base = { product: product.id };

    expect(ids(await env.stripe.prices.list(base))).toEqual([
      archived.id,
      once.id,
      yearly.id,
      monthly.id,
    ]);
    expect(ids(await env.stripe.prices.list({ ...base, active: true }))).toEqual([
      once.id,
      yearly.id,
      monthly.id,
    ]);
    expect(ids(await env.stripe.prices.list({ ...base, active: false }))).toEqual([archived.id]);
    expect(ids(await env.stripe.prices.list({ ...base, type: 'one_time' }))).toEqual([
      archived.id,
      once.id,
    ]);
    expect(ids(await env.stripe.prices.list({ ...base, type: 'recurring' }))).toEqual([
      yearly.id,
      monthly.id,
    ]);
    expect(ids(await env.stripe.prices.list({ ...base, currency: 'EUR' }))).toEqual([once.id]);
    expect(ids(await env.stripe.prices.list({ ...base, recurring: { interval: 'year' } }))).toEqual(
      [yearly.id],
    );
    expect(
      ids(await env.stripe.prices.list({ ...base, recurring: { usage_type: 'licensed' } })),
    ).toEqual([yearly.id, monthly.id]);
  });

  it('finds prices by lookup key and expands their products', async () => {
    const product = await newProduct('Looked up');
    const [a, b] = [unique('a'), unique('b')];
    const priceA = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
      lookup_key: a,
    });
    const priceB = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2,
      lookup_key: b,
    });
    const found = await env.stripe.prices.list({
      lookup_keys: [a, b, 'nobody_has_this_key'],
      expand: ['data.product'],
    });
    expect(found.data.map((price) => price.id)).toEqual([priceB.id, priceA.id]);
    expect(found.data.map((price) => (price.product as Stripe.Product).name)).toEqual([
      'Looked up',
      'Looked up',
    ]);
  });

  it('paginates', async () => {
    const product = await newProduct('Paged');
    const created: string[] = [];
    for (let index = 0; index < 5; index++) {
      created.push(
        (
          await env.stripe.prices.create({
            product: product.id,
            currency: 'usd',
            unit_amount: index,
          })
        ).id,
      );
    }
    const page = await env.stripe.prices.list({ product: product.id, limit: 3 });
    expect(page.has_more).toBe(true);
    expect(page.data.map((price) => price.id)).toEqual(created.slice(2).reverse());
    const all = await env.stripe.prices
      .list({ product: product.id, limit: 2 })
      .autoPagingToArray({ limit: 100 });
    expect(all.map((price) => price.id)).toEqual([...created].reverse());
  });

  it('leaves inline prices out of the list but lets them be retrieved', async () => {
    const product = await newProduct('Inline');
    const inline = createPrice(
      env.sandbox.core,
      { product: product.id, currency: 'usd', unit_amount: 42 },
      () => {},
      { inline: true },
    );
    const listed = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
    });
    const list = await env.stripe.prices.list({ product: product.id });
    expect(list.data.map((price) => price.id)).toEqual([listed.id]);
    expect((await env.stripe.prices.retrieve(inline.id)).unit_amount).toBe(42);
  });
});
