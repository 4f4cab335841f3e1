/**
 * What the Entitlements resources share: Feature objects and their attachments to products. They
 * live here rather than in entitlement-features.ts or product-features.ts because both of those
 * change what customers are entitled to (active-entitlements.ts), which reads them.
 */
import type Stripe from 'stripe';
import { resourceMissing } from '../core/errors.js';
import type { SandboxCore } from '../core/sandbox.js';

export function featureCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.Entitlements.Feature>('entitlement_features');
}

/** A feature, or Stripe's 404 (`No such entitlements.feature: 'feat_…'`). */
export function findFeature(
  sandbox: SandboxCore,
  id: string,
  param = 'id',
): Stripe.Entitlements.Feature {
  const feature = featureCollection(sandbox).get(id);
  if (!feature) throw resourceMissing('entitlements.feature', id, param);
  return feature;
}

export function productFeatureCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<Stripe.ProductFeature>('product_features');
}

/** A ProductFeature has no `product` field: each product's attachments are kept aside. */
const attachmentsKey = (productId: string) => `product_features:${productId}`;

/** The ids of a product's attachments, oldest first. */
export function attachmentIds(sandbox: SandboxCore, productId: string): string[] {
  return sandbox.store.getInternal<string[]>(attachmentsKey(productId)) ?? [];
}

export function setAttachmentIds(sandbox: SandboxCore, productId: string, ids: string[]): void {
  sandbox.store.setInternal(attachmentsKey(productId), ids);
}

/**
 * A product's attachments, oldest first, each with its feature as it is now (renamed or archived
 * since it was attached), as Stripe embeds it.
 */
export function productAttachments(
  sandbox: SandboxCore,
  productId: string,
): Stripe.ProductFeature[] {
  const features = featureCollection(sandbox);
  const attachments = productFeatureCollection(sandbox);
  return attachmentIds(sandbox, productId).flatMap((id) => {
    const attachment = attachments.get(id);
    if (!attachment) return [];
    const feature = features.get(attachment.entitlement_feature.id);
    return [{ ...attachment, entitlement_feature: feature ?? attachment.entitlement_feature }];
  });
}
