/**
 * entitlements/active_entitlements: list (`customer`), retrieve; and what keeps them true. A
 * customer is entitled to the active features attached to the products of their subscriptions
 * that are `active`, `trialing` or `past_due`, each feature once. Whenever that set of lookup keys
 * changes (a subscription created, updated or ended, a status moved by billing, a feature
 * attached, detached or archived), `entitlements.active_entitlement_summary.updated` is sent for
 * the customer with the whole set, as a list's first page; when nothing changed, nothing is sent.
 * @see https://docs.stripe.com/api/entitlements/active-entitlement
 * @see https://docs.stripe.com/billing/entitlements#webhooks
 */
import type Stripe from 'stripe';
import { emitter } from '../core/billing-time.js';
import { resourceMissing } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { paginate } from '../core/pagination.js';
import { pageShape, params, str } from '../core/params.js';
import type { RequestContext, Route } from '../core/route.js';
import type { Reaction, SandboxCore } from '../core/sandbox.js';
import type { StoredObject } from '../core/store.js';
import { findCustomer } from './customers.js';
import { featureCollection, productAttachments } from './entitlements-shared.js';
import { type Emit, idOf } from './payments-shared.js';
import { subscriptionCollection } from './subscriptions.js';

type ActiveEntitlement = Stripe.Entitlements.ActiveEntitlement;

/** Statuses whose products' features a customer has. */
const ENTITLING: readonly Stripe.Subscription.Status[] = ['active', 'trialing', 'past_due'];

/** Where Stripe lists them, also the `url` of the summary's list. */
const LIST_URL = '/v1/entitlements/active_entitlements';

function entitlementCollection(sandbox: SandboxCore) {
  return sandbox.store.collection<ActiveEntitlement>('active_entitlements');
}

/** An ActiveEntitlement has no `customer` field: each customer's are kept aside, oldest first. */
const customerKey = (customerId: string) => `active_entitlements:${customerId}`;

function entitlementsOf(sandbox: SandboxCore, customerId: string): ActiveEntitlement[] {
  const collection = entitlementCollection(sandbox);
  return (sandbox.store.getInternal<string[]>(customerKey(customerId)) ?? []).flatMap((id) => {
    const entitlement = collection.get(id);
    return entitlement ? [entitlement] : [];
  });
}

/** The active features the customer's entitling subscriptions grant, each once, in order. */
function grantedFeatures(sandbox: SandboxCore, customerId: string): Stripe.Entitlements.Feature[] {
  const granted = new Map<string, Stripe.Entitlements.Feature>();
  const features = featureCollection(sandbox);
  for (const subscription of subscriptionCollection(sandbox).values()) {
    if (idOf(subscription.customer as string) !== customerId) continue;
    if (!ENTITLING.includes(subscription.status)) continue;
    for (const item of subscription.items.data) {
      const product = idOf(item.price.product as string);
      if (!product) continue;
      for (const attachment of productAttachments(sandbox, product)) {
        const feature = features.get(attachment.entitlement_feature.id);
        if (feature?.active && !granted.has(feature.id)) granted.set(feature.id, feature);
      }
    }
  }
  return [...granted.values()];
}

/**
 * Brings a customer's active entitlements in line with their subscriptions, keeping the ids of
 * those that stay, and sends the summary event when they changed. Features are one per lookup key
 * (among active ones) and each change is one step, so a changed set of features is a changed set
 * of lookup keys.
 */
export function syncEntitlements(sandbox: SandboxCore, customerId: string, emit: Emit): void {
  const collection = entitlementCollection(sandbox);
  const current = entitlementsOf(sandbox, customerId);
  const granted = grantedFeatures(sandbox, customerId);
  const grantedIds = new Set(granted.map((feature) => feature.id));
  const kept = current.filter((entitlement) => grantedIds.has(idOf(entitlement.feature) as string));
  const keptIds = new Set(kept.map((entitlement) => idOf(entitlement.feature)));
  const added: ActiveEntitlement[] = granted
    .filter((feature) => !keptIds.has(feature.id))
    .map((feature) => ({
      id: newId('ent'),
      object: 'entitlements.active_entitlement',
      feature: feature.id,
      livemode: false,
      lookup_key: feature.lookup_key,
    }));
  if (kept.length === current.length && added.length === 0) return;
  for (const entitlement of current) {
    if (!kept.includes(entitlement)) collection.delete(entitlement.id);
  }
  for (const entitlement of added) collection.set(entitlement);
  const next = [...kept, ...added];
  sandbox.store.setInternal(
    customerKey(customerId),
    next.map((entitlement) => entitlement.id),
  );
  const summary: Stripe.Entitlements.ActiveEntitlementSummary = {
    object: 'entitlements.active_entitlement_summary',
    customer: customerId,
    entitlements: paginate(next, {}, LIST_URL, 'entitlements.active_entitlement'),
    livemode: false,
  };
  emit('entitlements.active_entitlement_summary.updated', summary);
}

/** Re-checks every customer with a subscription: after a feature is attached, detached or archived. */
export function syncAllEntitlements(sandbox: SandboxCore, emit: Emit): void {
  const customers = new Set(
    subscriptionCollection(sandbox)
      .values()
      .map((subscription) => idOf(subscription.customer as string) as string),
  );
  for (const customerId of customers) syncEntitlements(sandbox, customerId, emit);
}

// --- routes ----------------------------------------------------------------------------------

const listSchema = params({ ...pageShape, customer: str() });

function list(ctx: RequestContext): Stripe.ApiList<ActiveEntitlement> {
  const input = ctx.parse(listSchema);
  const customer = findCustomer(ctx.sandbox, input.customer);
  return paginate(
    entitlementsOf(ctx.sandbox, customer.id),
    input,
    ctx.url.pathname,
    'entitlements.active_entitlement',
  );
}

function retrieve(ctx: RequestContext): ActiveEntitlement {
  ctx.parse(params({}));
  const id = ctx.path.id as string;
  const entitlement = entitlementCollection(ctx.sandbox).get(id);
  if (!entitlement) throw resourceMissing('entitlements.active_entitlement', id);
  return entitlement;
}

export const activeEntitlementRoutes: Route[] = [
  { method: 'GET', path: LIST_URL, handler: list },
  { method: 'GET', path: `${LIST_URL}/:id`, handler: retrieve },
];

// --- reactions: subscriptions change what their customer is entitled to ----------------------

function afterSubscriptionChanged(
  sandbox: SandboxCore,
  object: StoredObject,
  options: Parameters<Reaction['run']>[2],
): void {
  const subscription = object as unknown as Stripe.Subscription;
  const customerId = idOf(subscription.customer as string);
  if (customerId) syncEntitlements(sandbox, customerId, emitter(sandbox, options.request));
}

export const activeEntitlementReactions: Reaction[] = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
].map((event) => ({ event, run: afterSubscriptionChanged }));
