import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { caught, conforms, setUpSandboxWithWebhooks } from '../test-support/harness.js';

const env = setUpSandboxWithWebhooks();

let counter = 0;
/** A lookup key no other test uses. */
function uniqueKey(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

describe('create and retrieve', () => {
  it('creates a feature with every field Stripe returns', async () => {
    const lookupKey = uniqueKey('priority_support');
    const feature = conforms(
      await env.stripe.entitlements.features.create({
        name: 'Priority support',
        lookup_key: lookupKey,
        metadata: { tier: 'pro', empty: '' },
      }),
    );
    expect(feature).toEqual({
      id: expect.stringMatching(/^feat_\w{24}$/),
      object: 'entitlements.feature',
      active: true,
      livemode: false,
      lookup_key: lookupKey,
      metadata: { tier: 'pro' },
      name: 'Priority support',
    });
    expect(await env.stripe.entitlements.features.retrieve(feature.id)).toEqual(feature);
  });

  it('refuses a lookup key an active feature has, and frees it when that one is archived', async () => {
    const lookupKey = uniqueKey('seats');
    const first = await env.stripe.entitlements.features.create({
      name: 'Seats',
      lookup_key: lookupKey,
    });
    const taken = await caught(
      env.stripe.entitlements.features.create({ name: 'Seats again', lookup_key: lookupKey }),
    );
    expect(taken).toMatchObject({
      statusCode: 400,
      type: 'StripeInvalidRequestError',
      code: 'resource_already_exists',
      param: 'lookup_key',
    });
    await env.stripe.entitlements.features.update(first.id, { active: false });
    const second = await env.stripe.entitlements.features.create({
      name: 'Seats again',
      lookup_key: lookupKey,
    });
    expect(second.id).not.toBe(first.id);
    expect(second.lookup_key).toBe(lookupKey);
  });

  it('answers bad parameters with Stripe-shaped 400s', async () => {
    const missing = await caught(
      env.stripe.entitlements.features.create({
        lookup_key: uniqueKey('nameless'),
      } as Stripe.Entitlements.FeatureCreateParams),
    );
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'name' });
    const tooLong = await caught(
      env.stripe.entitlements.features.create({ name: 'Long', lookup_key: 'k'.repeat(81) }),
    );
    expect(tooLong).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    expect(tooLong.message).toMatch(/at most 80 characters/);
    const empty = await caught(
      env.stripe.entitlements.features.create({ name: '', lookup_key: uniqueKey('empty') }),
    );
    expect(empty).toMatchObject({ statusCode: 400, param: 'name' });
    const unknown = await caught(
      env.stripe.entitlements.features.create({
        name: 'Colour',
        lookup_key: uniqueKey('colour'),
        colour: 'blue',
      } as Stripe.Entitlements.FeatureCreateParams),
    );
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
  });

  it('answers 404 for an unknown feature', async () => {
    const error = await caught(env.stripe.entitlements.features.retrieve('feat_missing'));
    expect(error).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such entitlements.feature: 'feat_missing'",
    });
  });
});

describe('update', () => {
  it('renames and merges metadata; the lookup key cannot change', async () => {
    const feature = await env.stripe.entitlements.features.create({
      name: 'Reports',
      lookup_key: uniqueKey('reports'),
      metadata: { a: '1', b: '2' },
    });
    const updated = await env.stripe.entitlements.features.update(feature.id, {
      name: 'Advanced reports',
      metadata: { a: '', c: '3' },
    });
    expect(updated).toMatchObject({
      name: 'Advanced reports',
      metadata: { b: '2', c: '3' },
      lookup_key: feature.lookup_key,
      active: true,
    });
    const immutable = await caught(
      env.stripe.entitlements.features.update(feature.id, {
        lookup_key: 'other',
      } as Stripe.Entitlements.FeatureUpdateParams),
    );
    expect(immutable).toMatchObject({ code: 'parameter_unknown', param: 'lookup_key' });
  });

  it('archives for good: an archived feature takes no update and cannot be made active', async () => {
    const feature = await env.stripe.entitlements.features.create({
      name: 'Exports',
      lookup_key: uniqueKey('exports'),
    });
    const archived = await env.stripe.entitlements.features.update(feature.id, { active: false });
    expect(archived.active).toBe(false);
    for (const params of [{ active: true }, { name: 'Exports v2' }]) {
      const refused = await caught(env.stripe.entitlements.features.update(feature.id, params));
      expect(refused).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
      expect(refused.message).toMatch(/archived/);
    }
    expect(await env.stripe.entitlements.features.retrieve(feature.id)).toEqual(archived);
  });
});

describe('list', () => {
  it('lists active features, newest first; archived ones only with archived=true', async () => {
    const keys = [uniqueKey('listed'), uniqueKey('listed'), uniqueKey('listed')];
    const features: Stripe.Entitlements.Feature[] = [];
    for (const key of keys) {
      features.push(await env.stripe.entitlements.features.create({ name: key, lookup_key: key }));
    }
    const [first, second, third] = features as [
      Stripe.Entitlements.Feature,
      Stripe.Entitlements.Feature,
      Stripe.Entitlements.Feature,
    ];
    await env.stripe.entitlements.features.update(second.id, { active: false });

    const active = await env.stripe.entitlements.features.list({ limit: 100 });
    const ids = active.data.map((feature) => feature.id);
    expect(ids).toContain(first.id);
    expect(ids).not.toContain(second.id);
    expect(ids.indexOf(third.id)).toBeLessThan(ids.indexOf(first.id));
    expect(active.data.every((feature) => feature.active)).toBe(true);

    const archived = await env.stripe.entitlements.features.list({ archived: true, limit: 100 });
    expect(archived.data.map((feature) => feature.id)).toContain(second.id);
    expect(archived.data.every((feature) => !feature.active)).toBe(true);

    const byKey = await env.stripe.entitlements.features.list({ lookup_key: third.lookup_key });
    expect(byKey.data).toEqual([third]);
    const archivedByKey = await env.stripe.entitlements.features.list({
      lookup_key: second.lookup_key,
      archived: true,
    });
    expect(archivedByKey.data.map((feature) => feature.id)).toEqual([second.id]);
  });

  it('pages with stripe-node, and takes no created filter (features have no created)', async () => {
    const all = await env.stripe.entitlements.features.list({ limit: 2 }).autoPagingToArray({
      limit: 1000,
    });
    const inOnePage = await env.stripe.entitlements.features.list({ limit: 100 });
    expect(all.map((feature) => feature.id)).toEqual(inOnePage.data.map((feature) => feature.id));
    const created = await caught(
      env.stripe.entitlements.features.list({
        created: 1,
      } as Stripe.Entitlements.FeatureListParams),
    );
    expect(created).toMatchObject({ code: 'parameter_unknown', param: 'created' });
  });
});
