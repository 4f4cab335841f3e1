import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, setUpSandboxWithWebhooks } from '../test-support/harness.js';

let now = 1_800_000_000;
const env = setUpSandboxWithWebhooks({ clock: { now: () => now } });

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

describe('create', () => {
  it('creates a product with every field Stripe returns', async () => {
    const product = await env.stripe.products.create({
      name: 'Widget',
      description: 'A very fine widget',
      images: ['https://example.com/widget.png'],
      marketing_features: [{ name: 'Fast' }, { name: 'Cheap' }],
      metadata: { sku: 'w-1', empty: '' },
      url: 'https://example.com/widget',
      shippable: true,
      unit_label: 'widget',
      statement_descriptor: 'WIDGETS',
      package_dimensions: { height: 1.5, length: 2, weight: 3.25, width: 4 },
    });
    expect(product).toMatchObject({
      object: 'product',
      active: true,
      created: now,
      updated: now,
      default_price: null,
      description: 'A very fine widget',
      images: ['https://example.com/widget.png'],
      livemode: false,
      marketing_features: [{ name: 'Fast' }, { name: 'Cheap' }],
      metadata: { sku: 'w-1' },
      name: 'Widget',
      package_dimensions: { height: 1.5, length: 2, weight: 3.25, width: 4 },
      shippable: true,
      statement_descriptor: 'WIDGETS',
      tax_code: null,
      tax_details: null,
      type: 'service',
      unit_label: 'widget',
      url: 'https://example.com/widget',
    });
    expect(product.id).toMatch(/^prod_\w{24}$/);
    expect(await env.stripe.products.retrieve(product.id)).toEqual(product);
  });

  it('fills defaults for a name-only product', async () => {
    const product = await env.stripe.products.create({ name: 'Bare' });
    expect(product).toMatchObject({
      active: true,
      description: null,
      images: [],
      marketing_features: [],
      metadata: {},
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      unit_label: null,
      url: null,
    });
  });

  it('takes a custom id once', async () => {
    const id = `prod_${unique('custom').replaceAll('-', '_')}`;
    const product = await env.stripe.products.create({ id, name: 'Custom id' });
    expect(product.id).toBe(id);
    const error = await caught(env.stripe.products.create({ id, name: 'Again' }));
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'resource_already_exists',
      param: 'id',
      message: 'Product already exists.',
    });
  });

  it('requires a non-empty name', async () => {
    const missing = await caught(env.stripe.products.create({} as Stripe.ProductCreateParams));
    expect(missing).toMatchObject({
      code: 'parameter_missing',
      param: 'name',
      message: 'Missing required param: name.',
    });
    const empty = await caught(env.stripe.products.create({ name: '' }));
    expect(empty.param).toBe('name');
    expect(empty.message).toMatch(/^You passed an empty string for 'name'/);
  });

  it('refuses tax codes, naming the parameter', async () => {
    const error = await caught(
      env.stripe.products.create({ name: 'Taxed', tax_code: 'txcd_10000000' }),
    );
    expect(error).toMatchObject({ code: 'parameter_unknown', param: 'tax_code' });
    expect(error.message).toMatch(
      /^Received unknown parameter: tax_code\. The sandbox computes no tax/,
    );
  });

  it('refuses more than 15 marketing features and more than 8 images', async () => {
    const features = Array.from({ length: 16 }, (_, index) => ({ name: `Feature ${index}` }));
    const tooMany = await caught(
      env.stripe.products.create({ name: 'Many', marketing_features: features }),
    );
    expect(tooMany.param).toBe('marketing_features');
    const images = Array.from({ length: 9 }, (_, index) => `https://example.com/${index}.png`);
    expect((await caught(env.stripe.products.create({ name: 'Pics', images }))).param).toBe(
      'images',
    );
  });

  it('creates the default price from default_price_data, product event first', async () => {
    const product = await env.stripe.products.create({
      name: 'Subscription box',
      default_price_data: {
        currency: 'EUR',
        unit_amount: 1999,
        recurring: { interval: 'month', interval_count: 3 },
      },
      expand: ['default_price'],
    });
    const price = product.default_price as Stripe.Price;
    expect(price).toMatchObject({
      object: 'price',
      product: product.id,
      currency: 'eur',
      unit_amount: 1999,
      type: 'recurring',
      recurring: {
        interval: 'month',
        interval_count: 3,
        meter: null,
        trial_period_days: null,
        usage_type: 'licensed',
      },
    });
    expect(String(price.unit_amount_decimal)).toBe('1999');
    const events = await env.verifiedEvents(product.id, price.id);
    expect(events.map((event) => event.type)).toEqual(['product.created', 'price.created']);
    expect((events[0]!.data.object as Stripe.Product).default_price).toBe(price.id);
    expect(events[0]?.request).toMatchObject({ id: expect.stringMatching(/^req_/) });
  });

  it('checks default_price_data before creating anything', async () => {
    const name = unique('never-created');
    const error = await caught(
      env.stripe.products.create({
        name,
        default_price_data: { currency: 'kwd', unit_amount: 1505 },
      }),
    );
    expect(error).toMatchObject({ param: 'default_price_data[unit_amount]', statusCode: 400 });
    const bad = await caught(
      env.stripe.products.create({ name, default_price_data: { currency: 'zzz', unit_amount: 1 } }),
    );
    expect(bad.param).toBe('default_price_data[currency]');
    expect(bad.message).toMatch(/^Invalid currency: zzz\./);
    const all = await env.stripe.products.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    expect(all.some((product) => product.name === name)).toBe(false);
  });
});

describe('retrieve', () => {
  it("answers Stripe's 404 for an unknown product", async () => {
    const error = await caught(env.stripe.products.retrieve('prod_nope'));
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such product: 'prod_nope'",
      param: 'id',
    });
  });
});

describe('update', () => {
  it('changes fields, refreshes updated and emits product.updated with previous attributes', async () => {
    const product = await env.stripe.products.create({
      name: 'Before',
      description: 'old',
      marketing_features: [{ name: 'One' }],
      metadata: { keep: 'yes', drop: 'no' },
    });
    const created = now;
    now += 60;
    const updated = await env.stripe.products.update(product.id, {
      name: 'After',
      description: '',
      marketing_features: [{ name: 'Two' }, { name: 'Three' }],
      metadata: { drop: '', added: '1' },
      active: false,
    });
    expect(updated).toMatchObject({
      name: 'After',
      description: null,
      marketing_features: [{ name: 'Two' }, { name: 'Three' }],
      metadata: { keep: 'yes', added: '1' },
      active: false,
      created,
      updated: created + 60,
    });
    const events = await env.verifiedEvents(product.id);
    expect(events.map((event) => event.type)).toEqual(['product.created', 'product.updated']);
    expect(events[1]?.data.previous_attributes).toEqual({
      name: 'Before',
      description: 'old',
      marketing_features: [{ name: 'One' }],
      metadata: { keep: 'yes', drop: 'no' },
      active: true,
      updated: created,
    });
  });

  it('emits nothing when nothing changes', async () => {
    const product = await env.stripe.products.create({ name: 'Same' });
    now += 5;
    const same = await env.stripe.products.update(product.id, { name: 'Same' });
    expect(same.updated).toBe(product.updated);
    expect((await env.verifiedEvents(product.id)).map((event) => event.type)).toEqual([
      'product.created',
    ]);
  });

  it('sets a default price only from its own, active prices', async () => {
    const product = await env.stripe.products.create({ name: 'Has prices' });
    const other = await env.stripe.products.create({ name: 'Other' });
    const own = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 500,
    });
    const foreign = await env.stripe.prices.create({
      product: other.id,
      currency: 'usd',
      unit_amount: 700,
    });
    const archived = await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 900,
      active: false,
    });

    const wrong = await caught(
      env.stripe.products.update(product.id, { default_price: foreign.id }),
    );
    expect(wrong).toMatchObject({ statusCode: 400, param: 'default_price' });
    expect(wrong.message).toContain(foreign.id);
    const inactive = await caught(
      env.stripe.products.update(product.id, { default_price: archived.id }),
    );
    expect(inactive).toMatchObject({ statusCode: 400, param: 'default_price' });
    const missing = await caught(
      env.stripe.products.update(product.id, { default_price: 'price_nope' }),
    );
    expect(missing).toMatchObject({ statusCode: 404, param: 'default_price' });

    const updated = await env.stripe.products.update(product.id, {
      default_price: own.id,
      expand: ['default_price'],
    });
    expect((updated.default_price as Stripe.Price).id).toBe(own.id);
    expect((updated.default_price as Stripe.Price).unit_amount).toBe(500);
  });

  it('answers 404 for an unknown product', async () => {
    const error = await caught(env.stripe.products.update('prod_nope', { name: 'x' }));
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('list', () => {
  it('filters by ids, active, shippable and url, newest first', async () => {
    const url = `https://example.com/${unique('list')}`;
    const a = await env.stripe.products.create({ name: 'A', url, shippable: true });
    const b = await env.stripe.products.create({ name: 'B', url, active: false });
    const c = await env.stripe.products.create({ name: 'C', url, shippable: false });
    const ids = (list: Stripe.ApiList<Stripe.Product>) => list.data.map((product) => product.id);

    expect(ids(await env.stripe.products.list({ url }))).toEqual([c.id, b.id, a.id]);
    expect(ids(await env.stripe.products.list({ url, active: true }))).toEqual([c.id, a.id]);
    expect(ids(await env.stripe.products.list({ url, active: false }))).toEqual([b.id]);
    expect(ids(await env.stripe.products.list({ url, shippable: true }))).toEqual([a.id]);
    expect(ids(await env.stripe.products.list({ url, shippable: false }))).toEqual([c.id]);
    expect(ids(await env.stripe.products.list({ ids: [a.id, c.id] }))).toEqual([c.id, a.id]);
  });

  it('filters by created', async () => {
    now += 1000;
    const early = await env.stripe.products.create({ name: 'Early' });
    now += 10;
    const late = await env.stripe.products.create({ name: 'Late' });
    const found = await env.stripe.products.list({
      created: { gte: early.created },
      ids: [early.id, late.id],
    });
    expect(found.data.map((product) => product.id)).toEqual([late.id, early.id]);
    const after = await env.stripe.products.list({ created: { gt: early.created } });
    expect(after.data.map((product) => product.id)).toEqual([late.id]);
  });

  it('paginates with limit, starting_after, ending_before and auto-pagination', async () => {
    const url = `https://example.com/${unique('pages')}`;
    const created: string[] = [];
    for (let index = 0; index < 5; index++) {
      created.push((await env.stripe.products.create({ name: `P${index}`, url })).id);
    }
    const newestFirst = [...created].reverse();
    const first = await env.stripe.products.list({ url, limit: 2 });
    expect(first.data.map((product) => product.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.has_more).toBe(true);
    expect(first.url).toBe('/v1/products');
    const second = await env.stripe.products.list({
      url,
      limit: 2,
      starting_after: newestFirst[1],
    });
    expect(second.data.map((product) => product.id)).toEqual(newestFirst.slice(2, 4));
    const back = await env.stripe.products.list({ url, limit: 2, ending_before: newestFirst[2] });
    expect(back.data.map((product) => product.id)).toEqual(newestFirst.slice(0, 2));
    const all = await env.stripe.products.list({ url, limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(all.map((product) => product.id)).toEqual(newestFirst);
  });
});

describe('delete', () => {
  it('deletes a product without prices and emits product.deleted', async () => {
    const product = await env.stripe.products.create({ name: 'Doomed' });
    const deleted = await env.stripe.products.del(product.id);
    expect(deleted).toEqual({ id: product.id, object: 'product', deleted: true });
    expect((await caught(env.stripe.products.retrieve(product.id))).statusCode).toBe(404);
    expect((await caught(env.stripe.products.del(product.id))).statusCode).toBe(404);
    const events = await env.verifiedEvents(product.id);
    expect(events.map((event) => event.type)).toEqual(['product.created', 'product.deleted']);
    expect((events[1]!.data.object as Stripe.Product).name).toBe('Doomed');
  });

  it('refuses to delete a product that has prices, archived ones included', async () => {
    const product = await env.stripe.products.create({ name: 'Priced' });
    await env.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      active: false,
    });
    const error = await caught(env.stripe.products.del(product.id));
    expect(error).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      message: 'This product cannot be deleted because it has one or more user-created prices.',
    });
    expect((await env.stripe.products.retrieve(product.id)).id).toBe(product.id);
  });
});
