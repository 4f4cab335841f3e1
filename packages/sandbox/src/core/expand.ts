/**
 * `expand[]`: replaces ids with the objects they name, for the fields Stripe lets you expand,
 * nested up to four levels (`latest_charge.customer`) and through lists (`data.customer`).
 * @see https://docs.stripe.com/expand
 */
import { invalidRequest } from './errors.js';

/** Expandable fields by object type; dotted names reach into sub-objects. */
const EXPANDABLE: Record<string, string[]> = {
  payment_intent: [
    'customer',
    'latest_charge',
    'payment_method',
    'application',
    'on_behalf_of',
    'review',
    'source',
    'payment_record',
  ],
  setup_intent: [
    'customer',
    'payment_method',
    'latest_attempt',
    'mandate',
    'single_use_mandate',
    'application',
    'on_behalf_of',
  ],
  charge: [
    'customer',
    'payment_intent',
    'balance_transaction',
    'application',
    'application_fee',
    'failure_balance_transaction',
    'on_behalf_of',
    'review',
    'source_transfer',
    'transfer',
  ],
  refund: [
    'charge',
    'payment_intent',
    'balance_transaction',
    'failure_balance_transaction',
    'source_transfer_reversal',
    'transfer_reversal',
  ],
  customer: ['default_source', 'invoice_settings.default_payment_method', 'test_clock'],
  customer_session: ['customer', 'customer_account'],
  payment_method: ['customer'],
  event: [],
  webhook_endpoint: [],
  product: ['default_price'],
  price: ['product'],
  subscription: [
    'customer',
    'default_payment_method',
    'latest_invoice',
    'pending_setup_intent',
    'schedule',
    'test_clock',
    'application',
    'default_source',
    'on_behalf_of',
    'discounts',
  ],
  subscription_item: [],
  invoice: [
    'customer',
    'default_payment_method',
    'test_clock',
    'application',
    'default_source',
    'on_behalf_of',
    'discounts',
  ],
  line_item: ['discounts'],
  invoice_payment: ['invoice', 'payment.payment_intent', 'payment.charge'],
  'checkout.session': [
    'customer',
    'payment_intent',
    'setup_intent',
    'subscription',
    'invoice',
    'payment_link',
  ],
  'billing_portal.session': ['configuration'],
  'entitlements.feature': [],
  'entitlements.active_entitlement': ['feature'],
  product_feature: [],
  coupon: [],
  promotion_code: ['customer', 'promotion.coupon'],
  discount: ['customer', 'promotion_code', 'source.coupon'],
};

/** Fields that Stripe returns only when expanded (they are absent otherwise). */
export type Includable = (object: Record<string, unknown>) => unknown;

export interface ExpandHost {
  findById(id: string): unknown;
  includable(objectType: string, field: string): Includable | undefined;
}

const MAX_DEPTH = 4;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expandOne(
  value: unknown,
  segments: string[],
  fullPath: string,
  host: ExpandHost,
): unknown {
  if (segments.length === 0 || !isRecord(value)) return value;
  if (value.object === 'list' && segments[0] === 'data' && Array.isArray(value.data)) {
    return {
      ...value,
      data: value.data.map((item) => expandOne(item, segments.slice(1), fullPath, host)),
    };
  }
  const type = String(value.object ?? '');
  const fields = EXPANDABLE[type] ?? [];
  // The longest dotted field name that matches the path's start.
  for (let take = Math.min(segments.length, 3); take >= 1; take--) {
    const field = segments.slice(0, take).join('.');
    const rest = segments.slice(take);
    const includable = host.includable(type, field);
    if (includable) {
      return { ...value, [field]: expandOne(includable(value), rest, fullPath, host) };
    }
    if (!fields.includes(field)) continue;
    const parts = field.split('.');
    const copy = structuredClone(value);
    let parent: Record<string, unknown> = copy;
    for (const part of parts.slice(0, -1)) {
      const next = parent[part];
      if (!isRecord(next)) return copy;
      parent = next;
    }
    const last = parts.at(-1) as string;
    const current = parent[last];
    const resolve = (id: unknown) =>
      expandOne(
        structuredClone(typeof id === 'string' ? (host.findById(id) ?? id) : id),
        rest,
        fullPath,
        host,
      );
    // A list of ids (`discounts`) expands each of them.
    parent[last] = Array.isArray(current) ? current.map(resolve) : resolve(current);
    return copy;
  }
  throw invalidRequest(`This property cannot be expanded (${fullPath}).`, 'expand');
}

/** Applies every expand path to a response body. */
export function applyExpand(body: unknown, paths: readonly string[], host: ExpandHost): unknown {
  let result = body;
  for (const path of paths) {
    const segments = path.split('.');
    const depth = segments.filter((segment) => segment !== 'data').length;
    if (depth > MAX_DEPTH) {
      throw invalidRequest(
        `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`,
        'expand',
      );
    }
    result = expandOne(result, segments, path, host);
  }
  return result;
}
