/**
 * products/:id/features: attach a feature to a product, retrieve, list, detach. Customers whose
 * subscriptions are for the product gain or lose the feature at once (with their summary event).
 * A feature is attached to a product once; an archived one cannot be attached.
 * @see https://docs.stripe.com/api/product-feature
 */
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { paginate } from '../core/pagination.js';
import { pageShape, params } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { SandboxCore } from '../core/sandbox.js';
import { syncAllEntitlements } from './active-entitlements.js';
import { nonEmpty } from './catalog-shared.js';
import {
  attachmentIds,
  findFeature,
  productAttachments,
  productFeatureCollection,
  setAttachmentIds,
} from './entitlements-shared.js';
import type { Emit } from './payments-shared.js';
import { findProduct } from './products.js';

/** Attaches a feature to a product (also what the demo catalog seed uses). */
export function attachFeature(
  sandbox: SandboxCore,
  productId: string,
  featureId: string,
  emit: Emit,
): Stripe.ProductFeature {
  const product = findProduct(sandbox, productId, 'id');
  const feature = findFeature(sandbox, featureId, 'entitlement_feature');
  if (!feature.active) {
    throw invalidRequest(
      `The feature ${feature.id} is archived: archived features cannot be attached to products.`,
      'entitlement_feature',
    );
  }
  const attached = productAttachments(sandbox, product.id);
  if (attached.some((attachment) => attachment.entitlement_feature.id === feature.id)) {
    throw invalidRequest(
      `The feature ${feature.id} is already attached to the product ${product.id}.`,
      'entitlement_feature',
      'resource_already_exists',
    );
  }
  const attachment: Stripe.ProductFeature = {
    id: newId('prodft'),
    object: 'product_feature',
    entitlement_feature: structuredClone(feature),
    livemode: false,
  };
  productFeatureCollection(sandbox).set(attachment);
  setAttachmentIds(sandbox, product.id, [...attachmentIds(sandbox, product.id), attachment.id]);
  syncAllEntitlements(sandbox, emit);
  return attachment;
}

/** One of the product's attachments, or Stripe's 404. */
function findAttachment(ctx: RequestContext): Stripe.ProductFeature {
  const product = findProduct(ctx.sandbox, ctx.path.product as string, 'product');
  const id = ctx.path.id as string;
  const attachment = productAttachments(ctx.sandbox, product.id).find(
    (candidate) => candidate.id === id,
  );
  if (!attachment) throw resourceMissing('product_feature', id);
  return attachment;
}

const createSchema = params({ entitlement_feature: nonEmpty('entitlement_feature') });

function create(ctx: RequestContext): Stripe.ProductFeature {
  const input = ctx.parse(createSchema);
  return attachFeature(ctx.sandbox, ctx.path.id as string, input.entitlement_feature, ctx.emit);
}

function retrieve(ctx: RequestContext): Stripe.ProductFeature {
  ctx.parse(params({}));
  return findAttachment(ctx);
}

function list(ctx: RequestContext): Stripe.ApiList<Stripe.ProductFeature> {
  const input = ctx.parse(params(pageShape));
  const product = findProduct(ctx.sandbox, ctx.path.id as string, 'id');
  return paginate(
    productAttachments(ctx.sandbox, product.id),
    input,
    ctx.url.pathname,
    'product_feature',
  );
}

function remove(ctx: RequestContext): Stripe.DeletedProductFeature {
  ctx.parse(params({}));
  const attachment = findAttachment(ctx);
  const product = ctx.path.product as string;
  productFeatureCollection(ctx.sandbox).delete(attachment.id);
  setAttachmentIds(
    ctx.sandbox,
    product,
    attachmentIds(ctx.sandbox, product).filter((id) => id !== attachment.id),
  );
  syncAllEntitlements(ctx.sandbox, ctx.emit);
  return { id: attachment.id, object: 'product_feature', deleted: true };
}

export const productFeatureRoutes: Route[] = [
  { method: 'POST', path: '/v1/products/:id/features', handler: create },
  { method: 'GET', path: '/v1/products/:id/features', handler: list },
  { method: 'GET', path: '/v1/products/:product/features/:id', handler: retrieve },
  { method: 'DELETE', path: '/v1/products/:product/features/:id', handler: remove },
];
