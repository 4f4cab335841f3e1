import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

let counter = 0;
async function newFeature(name: string): Promise<Stripe.Entitlements.Feature> {
  counter += 1;
  return env.stripe.entitlements.features.create({
    name,
    lookup_key: `${name.toLowerCase().replaceAll(' ', '_')}_${counter}_${Math.random().toString(36).slice(2, 8)}`,
  });
}

let product: Stripe.Product;

beforeAll(async () => {
  product = await env.stripe.products.create({ name: 'Team plan' });
});

describe('attach, retrieve, list, detach', () => {
  it('attaches a feature, with the feature embedded, and detaches it', async () => {
    const feature = await newFeature('Audit log');
    const attachment = conforms(
      await env.stripe.products.createFeature(product.id, { entitlement_feature: feature.id }),
    );
    expect(attachment).toEqual({
      id: expect.stringMatching(/^prodft_\w{24}$/),
      object: 'product_feature',
      entitlement_feature: feature,
      livemode: false,
    });
    expect(await env.stripe.products.retrieveFeature(product.id, attachment.id)).toEqual(
      attachment,
    );
    const listed = await env.stripe.products.listFeatures(product.id);
    expect(listed.data.map((entry) => entry.id)).toContain(attachment.id);
    expect(listed.url).toBe(`/v1/products/${product.id}/features`);

    const deleted = conforms(await env.stripe.products.deleteFeature(product.id, attachment.id));
    expect(deleted).toEqual({ id: attachment.id, object: 'product_feature', deleted: true });
    const gone = await caught(env.stripe.products.retrieveFeature(product.id, attachment.id));
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const after = await env.stripe.products.listFeatures(product.id, { limit: 100 });
    expect(after.data.map((entry) => entry.id)).not.toContain(attachment.id);
  });

  it('lists a product’s attachments newest first, and pages them', async () => {
    const other = await env.stripe.products.create({ name: 'Paged plan' });
    const attached: string[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      const feature = await newFeature(name);
      attached.push(
        (await env.stripe.products.createFeature(other.id, { entitlement_feature: feature.id })).id,
      );
    }
    const all = await env.stripe.products
      .listFeatures(other.id, { limit: 2 })
      .autoPagingToArray({ limit: 10 });
    expect(all.map((entry) => entry.id)).toEqual([...attached].reverse());
  });

  it('embeds the feature as it is now: renamed, then archived', async () => {
    const feature = await newFeature('Webhooks');
    const attachment = await env.stripe.products.createFeature(product.id, {
      entitlement_feature: feature.id,
    });
    await env.stripe.entitlements.features.update(feature.id, { name: 'Webhooks v2' });
    const renamed = await env.stripe.products.retrieveFeature(product.id, attachment.id);
    expect(renamed.entitlement_feature).toMatchObject({ name: 'Webhooks v2', active: true });
    await env.stripe.entitlements.features.update(feature.id, { active: false });
    const archived = await env.stripe.products.retrieveFeature(product.id, attachment.id);
    expect(archived.entitlement_feature).toMatchObject({ name: 'Webhooks v2', active: false });
  });
});

describe('refusals', () => {
  it('refuses an archived feature, a feature attached already, and an unknown one', async () => {
    const archived = await newFeature('Old thing');
    await env.stripe.entitlements.features.update(archived.id, { active: false });
    const archivedError = await caught(
      env.stripe.products.createFeature(product.id, { entitlement_feature: archived.id }),
    );
    expect(archivedError).toMatchObject({ statusCode: 400, param: 'entitlement_feature' });
    expect(archivedError.message).toMatch(/archived/);

    const feature = await newFeature('Once only');
    await env.stripe.products.createFeature(product.id, { entitlement_feature: feature.id });
    const twice = await caught(
      env.stripe.products.createFeature(product.id, { entitlement_feature: feature.id }),
    );
    expect(twice).toMatchObject({
      statusCode: 400,
      code: 'resource_already_exists',
      param: 'entitlement_feature',
    });

    const unknown = await caught(
      env.stripe.products.createFeature(product.id, { entitlement_feature: 'feat_missing' }),
    );
    expect(unknown).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'entitlement_feature',
    });
    const missing = await caught(
      env.stripe.products.createFeature(product.id, {} as Stripe.ProductCreateFeatureParams),
    );
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'entitlement_feature' });
  });

  it('answers 404 for an unknown product, and for an attachment through another product', async () => {
    const feature = await newFeature('Scoped');
    const noProduct = await caught(
      env.stripe.products.createFeature('prod_missing', { entitlement_feature: feature.id }),
    );
    expect(noProduct).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const attachment = await env.stripe.products.createFeature(product.id, {
      entitlement_feature: feature.id,
    });
    const elsewhere = await env.stripe.products.create({ name: 'Elsewhere' });
    for (const call of [
      env.stripe.products.retrieveFeature(elsewhere.id, attachment.id),
      env.stripe.products.deleteFeature(elsewhere.id, attachment.id),
    ]) {
      expect(await caught(call)).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    }
    // Still attached to its own product.
    expect((await env.stripe.products.retrieveFeature(product.id, attachment.id)).id).toBe(
      attachment.id,
    );
  });
});
