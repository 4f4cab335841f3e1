import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOOKUP_KEYS, seedDemoCatalog } from './core/index.js';
import { sandboxStripe } from './index.js';
import { DEMO_CATALOG } from './seed.js';
import { setUpSandboxWithWebhooks } from './test-support/harness.js';
import { startTestSandbox } from './test-support/test-sandbox.js';

const env = setUpSandboxWithWebhooks();

interface SeedAnswer {
  object: string;
  products: string[];
  prices: string[];
  features: string[];
  coupons: string[];
  promotion_codes: string[];
}

async function seedOverHttp(key = env.sandbox.secretKey): Promise<Response> {
  return fetch(`${env.sandbox.url}/v1/_sandbox/seed`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}` },
  });
}

function counts() {
  const { store } = env.sandbox.core;
  return {
    products: store.collection('products').size,
    prices: store.collection('prices').size,
    features: store.collection('entitlement_features').size,
    attachments: store.collection('product_features').size,
    events: store.collection('events').size,
  };
}

describe('seedDemoCatalog', () => {
  let first: SeedAnswer;

  it('creates the catalog over HTTP and answers its ids', async () => {
    const response = await seedOverHttp();
    expect(response.status).toBe(200);
    first = (await response.json()) as SeedAnswer;
    expect(first.object).toBe('sandbox.seed');
    expect(first.products).toEqual([
      'prod_tillkit_starter',
      'prod_tillkit_pro',
      'prod_tillkit_tshirt',
      'prod_tillkit_mug',
    ]);
    expect(first.prices).toHaveLength(8);
    for (const id of first.prices) expect(id).toMatch(/^price_/);
    expect(first.features).toHaveLength(5);
    for (const id of first.features) expect(id).toMatch(/^feat_/);
    expect(counts()).toMatchObject({ products: 4, prices: 8, features: 5, attachments: 6 });
    expect(first.coupons).toEqual(['tillkit_welcome10']);
    expect(first.promotion_codes).toHaveLength(1);
  });

  it('makes a welcome discount: WELCOME10, 10% off once, redeemable in any case', async () => {
    const coupon = await env.stripe.coupons.retrieve('tillkit_welcome10');
    expect(coupon).toMatchObject({
      percent_off: 10,
      duration: 'once',
      name: 'Welcome 10% off',
      valid: true,
      metadata: { tillkit_demo: 'true' },
    });
    const codes = await env.stripe.promotionCodes.list({ code: 'welcome10' });
    expect(codes.data.map((code) => code.id)).toEqual(first.promotion_codes);
    expect(codes.data[0]).toMatchObject({
      code: 'WELCOME10',
      active: true,
      promotion: { coupon: 'tillkit_welcome10', type: 'coupon' },
    });
  });

  it('is idempotent, over HTTP and in-process', async () => {
    const before = counts();
    const again = (await (await seedOverHttp()).json()) as SeedAnswer;
    expect(again).toEqual(first);
    const direct = seedDemoCatalog(env.sandbox.core);
    expect(direct.products.map((product) => product.id)).toEqual(first.products);
    expect(direct.prices.map((price) => price.id)).toEqual(first.prices);
    expect(direct.features.map((feature) => feature.id)).toEqual(first.features);
    expect(counts()).toEqual(before);
  });

  it('is visible by lookup key, with products expanded', async () => {
    const list = await env.stripe.prices.list({
      lookup_keys: [...DEMO_LOOKUP_KEYS],
      expand: ['data.product'],
    });
    expect(list.data).toHaveLength(8);
    const byKey = new Map(list.data.map((price) => [price.lookup_key, price]));
    expect([...byKey.keys()].sort()).toEqual(
      [
        'mug',
        'mug_jpy',
        'pro_monthly',
        'pro_yearly',
        'starter_monthly',
        'starter_yearly',
        'tshirt',
        'tshirt_kwd',
      ].sort(),
    );
    const price = (key: string) => byKey.get(key) as Stripe.Price;
    const productOf = (key: string) => price(key).product as Stripe.Product;

    for (const plan of ['starter', 'pro']) {
      const monthly = price(`${plan}_monthly`);
      const yearly = price(`${plan}_yearly`);
      expect(monthly).toMatchObject({ currency: 'usd', type: 'recurring' });
      expect(monthly.recurring).toMatchObject({ interval: 'month', interval_count: 1 });
      expect(yearly.recurring).toMatchObject({ interval: 'year', interval_count: 1 });
      expect(yearly.unit_amount as number).toBeLessThan(12 * (monthly.unit_amount as number));
      expect(productOf(`${plan}_monthly`).id).toBe(productOf(`${plan}_yearly`).id);
    }
    expect(productOf('starter_monthly').name).toBe('Starter');
    expect(productOf('pro_monthly').name).toBe('Pro');
    expect(price('pro_monthly').recurring?.trial_period_days).toBe(14);
    expect(price('starter_monthly').recurring?.trial_period_days).toBeNull();

    expect(price('tshirt')).toMatchObject({ type: 'one_time', currency: 'usd', unit_amount: 2500 });
    expect(price('tshirt_kwd')).toMatchObject({ currency: 'kwd', unit_amount: 7500 });
    expect(productOf('tshirt_kwd').id).toBe(productOf('tshirt').id);
    expect(productOf('tshirt').name).toBe('Tillkit T-shirt');
    expect(price('mug')).toMatchObject({
      type: 'one_time',
      currency: 'usd',
      unit_amount: 1400,
      nickname: 'Mug',
    });
    expect(price('mug_jpy')).toMatchObject({
      type: 'one_time',
      currency: 'jpy',
      unit_amount: 1500,
    });
    expect(productOf('mug_jpy').id).toBe(productOf('mug').id);
    expect(productOf('mug').name).toBe('Tillkit Mug');

    for (const item of list.data) {
      expect(item.metadata).toEqual({ tillkit_demo: 'true' });
      const product = item.product as Stripe.Product;
      expect(product.metadata).toEqual({ tillkit_demo: 'true' });
      expect(product.marketing_features).toHaveLength(3);
    }
  });

  it('attaches the plans’ features, by lookup key; the goods have none', async () => {
    const keysOf = async (product: string) =>
      (await env.stripe.products.listFeatures(product, { limit: 100 })).data
        .map((attachment) => attachment.entitlement_feature.lookup_key)
        .sort();
    expect(await keysOf('prod_tillkit_starter')).toEqual(['email_support', 'hosted_checkout']);
    expect(await keysOf('prod_tillkit_pro')).toEqual([
      'hosted_checkout',
      'priority_support',
      'subscriptions',
      'unlimited_orders',
    ]);
    expect(await keysOf('prod_tillkit_tshirt')).toEqual([]);
    expect(await keysOf('prod_tillkit_mug')).toEqual([]);
    const [support] = (
      await env.stripe.entitlements.features.list({ lookup_key: 'priority_support' })
    ).data;
    expect(support).toMatchObject({
      name: 'Priority support',
      active: true,
      metadata: { tillkit_demo: 'true' },
    });
  });

  it('sets each product a default price', async () => {
    const defaults = await Promise.all(
      first.products.map(async (id) => {
        const product = await env.stripe.products.retrieve(id, { expand: ['default_price'] });
        return (product.default_price as Stripe.Price).lookup_key;
      }),
    );
    expect(defaults).toEqual(['starter_monthly', 'pro_monthly', 'tshirt', 'mug']);
  });

  it('emitted the events the API would have, once, signed for stripe-node', async () => {
    const events = await env.verifiedEvents();
    const starter = events.filter((event) => {
      const object = event.data.object as { id: string; product?: string };
      return object.id === 'prod_tillkit_starter' || object.product === 'prod_tillkit_starter';
    });
    expect(starter.map((event) => event.type)).toEqual([
      'product.created',
      'price.created',
      'price.created',
      'product.updated',
    ]);
    expect(starter[3]?.data.previous_attributes).toMatchObject({ default_price: null });
    // The HTTP seed's events name its request.
    expect(starter[0]?.request?.id).toMatch(/^req_/);
    expect(events.filter((event) => event.type === 'product.created')).toHaveLength(4);
    expect(events.filter((event) => event.type === 'price.created')).toHaveLength(8);
    expect(events.filter((event) => event.type === 'coupon.created')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'promotion_code.created')).toHaveLength(1);
  });

  it('needs a secret key', async () => {
    const response = await seedOverHttp(env.sandbox.publishableKey);
    expect(response.status).toBe(401);
  });

  it('creates again what was taken away', async () => {
    const mug = await env.stripe.prices.list({ lookup_keys: ['mug_jpy'] });
    const mugPrice = mug.data[0] as Stripe.Price;
    await env.stripe.prices.update(mugPrice.id, { lookup_key: '' });
    const after = seedDemoCatalog(env.sandbox.core);
    const newMug = after.prices.find((price) => price.lookup_key === 'mug_jpy');
    expect(newMug?.id).not.toBe(mugPrice.id);
    expect(newMug?.product).toBe('prod_tillkit_mug');
    expect(
      after.prices.map((price) => price.id).filter((id) => !first.prices.includes(id)),
    ).toEqual([newMug?.id]);
  });
});

describe('seedDemoCatalog on a state an older catalog seeded', () => {
  it('adds the prices the catalog gained since, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tillkit-seed-state-'));
    const stateFile = join(dir, 'sandbox.json');
    try {
      // What the seed made before the mug had a USD price, saved to a state file: the catalog
      // with the mug in yen only, its default.
      const older = await startTestSandbox({ stateFile });
      const olderPrices = new Map<string, string>();
      for (const spec of DEMO_CATALOG) {
        await older.stripe.products.create(spec.product as Stripe.ProductCreateParams);
        for (const price of spec.prices.filter((candidate) => candidate.lookup_key !== 'mug')) {
          const created = await older.stripe.prices.create({
            ...price,
            product: spec.product.id,
          } as Stripe.PriceCreateParams);
          olderPrices.set(price.lookup_key, created.id);
        }
        const defaultKey = spec.defaultPrice === 'mug' ? 'mug_jpy' : spec.defaultPrice;
        await older.stripe.products.update(spec.product.id, {
          default_price: olderPrices.get(defaultKey) as string,
        });
      }
      await older.close();

      const later = await startTestSandbox({ stateFile });
      try {
        const store = later.core.store;
        const eventsBefore = store.collection('events').size;
        const seeded = seedDemoCatalog(later.core);
        const olderIds = new Set(olderPrices.values());
        const added = seeded.prices.filter((price) => !olderIds.has(price.id));
        expect(added).toHaveLength(1);
        expect(added[0]).toMatchObject({
          lookup_key: 'mug',
          product: 'prod_tillkit_mug',
          currency: 'usd',
          unit_amount: 1400,
          metadata: { tillkit_demo: 'true' },
        });
        // Only that price and the welcome discount were created (price.created, coupon.created,
        // promotion_code.created); the products were found by id.
        expect(store.collection('events').size).toBe(eventsBefore + 3);
        expect(seeded.products).toHaveLength(4);
        expect(store.collection('products').size).toBe(4);
        // The features came later than that state too (they send no events).
        expect(store.collection('entitlement_features').size).toBe(5);
        expect(store.collection('product_features').size).toBe(6);
        const mugJpy = await later.stripe.prices.list({ lookup_keys: ['mug_jpy'] });
        expect(mugJpy.data.map((price) => price.id)).toEqual([olderPrices.get('mug_jpy')]);
        // A default price already there is kept: it may be one chosen since.
        const mug = await later.stripe.products.retrieve('prod_tillkit_mug');
        expect(mug.default_price).toBe(olderPrices.get('mug_jpy'));

        // And the next run creates nothing.
        const again = seedDemoCatalog(later.core);
        expect(again.prices.map((price) => price.id)).toEqual(
          seeded.prices.map((price) => price.id),
        );
        expect(store.collection('prices').size).toBe(8);
        expect(store.collection('product_features').size).toBe(6);
        expect(store.collection('coupons').size).toBe(1);
        expect(store.collection('promotion_codes').size).toBe(1);
        expect(store.collection('events').size).toBe(eventsBefore + 3);
      } finally {
        await later.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tillkit-sandbox --seed', () => {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  let buildDir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    // Build the CLI into a directory of its own (the package's dist/ is another test's), with the
    // package's dependencies beside it.
    buildDir = mkdtempSync(join(tmpdir(), 'tillkit-seed-cli-'));
    const tsc = join(
      dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
      'bin/tsc',
    );
    spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', buildDir], {
      cwd: packageDir,
    });
    if (!existsSync(join(buildDir, 'cli.js'))) throw new Error('the CLI did not build');
    writeFileSync(join(buildDir, 'package.json'), '{ "type": "module" }');
    symlinkSync(join(packageDir, 'node_modules'), join(buildDir, 'node_modules'), 'dir');
  });

  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(buildDir, { recursive: true, force: true });
  });

  async function start(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, [join(buildDir, 'cli.js'), '--port', '0', ...args], {
      env: { ...process.env, TILLKIT_SANDBOX_SEED: '', ...env },
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 10_000);
      child.stdout?.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const stop = async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    };
    return { url, output: () => output, stop };
  }

  it('seeds the catalog with --seed', async () => {
    const cli = await start(['--seed']);
    expect(cli.output()).toContain('demo catalog     4 products, 8 prices');
    const list = await sandboxStripe(cli.url).prices.list({ lookup_keys: ['pro_monthly'] });
    expect(list.data[0]?.unit_amount).toBe(2900);
    await cli.stop();
  });

  it('seeds the catalog with TILLKIT_SANDBOX_SEED=1, and not without', async () => {
    const seeded = await start([], { TILLKIT_SANDBOX_SEED: '1' });
    const found = await sandboxStripe(seeded.url).prices.list({ lookup_keys: ['mug_jpy'] });
    expect(found.data).toHaveLength(1);
    await seeded.stop();
    const plain = await start([]);
    expect(plain.output()).not.toContain('demo catalog');
    expect((await sandboxStripe(plain.url).products.list()).data).toHaveLength(0);
    await plain.stop();
  });

  it('documents the flag in --help', () => {
    const result = spawnSync(process.execPath, [join(buildDir, 'cli.js'), '--help'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--seed\s+create the demo catalog/);
    expect(result.stdout).toContain('TILLKIT_SANDBOX_SEED=1');
  });
});
