/**
 * entitlements/features: create, retrieve, update (`name`, `metadata`; `active=false` archives
 * for good), list (`lookup_key`, `archived`). A lookup key belongs to one active feature at a
 * time and never changes; archiving frees it and takes the feature from every customer entitled
 * to it. Stripe sends no events about features themselves.
 * @see https://docs.stripe.com/api/entitlements/feature
 */
import type Stripe from 'stripe';
import { invalidRequest } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { initialMetadata, mergeMetadata } from '../core/objects.js';
import { paginate } from '../core/pagination.js';
import { bool, metadata, pageShape, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { syncAllEntitlements } from './active-entitlements.js';
import { nonEmpty } from './catalog-shared.js';
import { featureCollection, findFeature } from './entitlements-shared.js';

type Feature = Stripe.Entitlements.Feature;

/** `name` and `lookup_key`: at most 80 characters, as Stripe documents them. */
const upTo80 = (name: string) =>
  nonEmpty(name).max(80, { error: `Invalid ${name}: must be at most 80 characters.` });

export interface FeatureInput {
  name: string;
  lookup_key: string;
  metadata?: Record<string, string> | null | undefined;
}

/** The active feature with this lookup key, if any (archived ones give theirs up). */
export function findFeatureByLookupKey(sandbox: SandboxCore, lookupKey: string) {
  return featureCollection(sandbox)
    .values()
    .find((feature) => feature.active && feature.lookup_key === lookupKey);
}

/** Creates a feature; a lookup key an active feature has is a 400. */
export function createFeature(sandbox: SandboxCore, input: FeatureInput): Feature {
  if (findFeatureByLookupKey(sandbox, input.lookup_key)) {
    throw invalidRequest(
      `A feature with the lookup_key '${input.lookup_key}' already exists: lookup keys are unique among active features (archive that one to reuse it).`,
      'lookup_key',
      'resource_already_exists',
    );
  }
  const feature: Feature = {
    id: newId('feat'),
    object: 'entitlements.feature',
    active: true,
    livemode: false,
    lookup_key: input.lookup_key,
    metadata: initialMetadata(input.metadata),
    name: input.name,
  };
  return featureCollection(sandbox).set(feature);
}

const createSchema = params({
  name: upTo80('name'),
  lookup_key: upTo80('lookup_key'),
  metadata: metadata().optional(),
});

function create(ctx: RequestContext): Feature {
  return createFeature(ctx.sandbox, ctx.parse(createSchema));
}

function retrieve(ctx: RequestContext): Feature {
  ctx.parse(params({}));
  return findFeature(ctx.sandbox, ctx.path.id as string);
}

const updateSchema = params({
  active: bool().optional(),
  metadata: metadata().optional(),
  name: upTo80('name').optional(),
});

/** Archiving is for good: an archived feature takes no update, `active=true` included. */
function update(ctx: RequestContext): Feature {
  const input = ctx.parse(updateSchema);
  const feature = findFeature(ctx.sandbox, ctx.path.id as string);
  if (!feature.active) {
    throw invalidRequest(
      `The feature ${feature.id} is archived: archived features cannot be updated or made active again.`,
    );
  }
  if (input.name !== undefined) feature.name = input.name;
  feature.metadata = mergeMetadata(feature.metadata, input.metadata);
  if (input.active === false) {
    feature.active = false;
    syncAllEntitlements(ctx.sandbox, ctx.emit);
  }
  return feature;
}

const listSchema = params({
  ...pageShape,
  archived: bool().optional(),
  lookup_key: str().optional(),
});

/** Archived features are listed only when asked for (`archived=true`), as on Stripe. */
function list(ctx: RequestContext): Stripe.ApiList<Feature> {
  const input = ctx.parse(listSchema);
  const archived = input.archived ?? false;
  const items = featureCollection(ctx.sandbox)
    .values()
    .filter(
      (feature) =>
        feature.active === !archived &&
        (input.lookup_key === undefined || feature.lookup_key === input.lookup_key),
    );
  return paginate(items, input, ctx.url.pathname, 'entitlements.feature');
}

export const entitlementFeatureRoutes: Route[] = [
  { method: 'POST', path: '/v1/entitlements/features', handler: create },
  { method: 'GET', path: '/v1/entitlements/features', handler: list },
  { method: 'GET', path: '/v1/entitlements/features/:id', handler: retrieve },
  { method: 'POST', path: '/v1/entitlements/features/:id', handler: update },
];
