/**
 * The sandbox's state: one ordered map per resource plus private side data (a payment method's
 * test card, a webhook endpoint's secret…). Everything is plain JSON, so the state can be saved to
 * a file and loaded again.
 */

/** The name of every collection the sandbox keeps. */
export type CollectionName =
  | 'customers'
  | 'payment_methods'
  | 'payment_intents'
  | 'setup_intents'
  | 'charges'
  | 'refunds'
  | 'events'
  | 'webhook_endpoints'
  | 'products'
  | 'prices'
  | 'subscriptions'
  | 'subscription_items'
  | 'invoices'
  | 'invoice_payments'
  | 'test_clocks'
  | 'checkout_sessions'
  | 'billing_portal_sessions'
  | 'billing_portal_configurations'
  | 'entitlement_features'
  | 'product_features'
  | 'active_entitlements'
  | 'coupons'
  | 'promotion_codes'
  | 'discounts';

export interface StoredObject {
  id: string;
  object: string;
  created?: number;
}

export interface SerializedState {
  version: 1;
  collections: Partial<Record<CollectionName, StoredObject[]>>;
  internal: Record<string, unknown>;
}

/** One collection, newest last in insertion order (Stripe lists newest first). */
export class Collection<T extends StoredObject = StoredObject> {
  readonly #items = new Map<string, T>();

  get(id: string): T | undefined {
    return this.#items.get(id);
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  set(object: T): T {
    this.#items.set(object.id, object);
    return object;
  }

  delete(id: string): boolean {
    return this.#items.delete(id);
  }

  /** Oldest first. */
  values(): T[] {
    return [...this.#items.values()];
  }

  get size(): number {
    return this.#items.size;
  }

  clear(): void {
    this.#items.clear();
  }
}

/** Maps an id prefix to the collection holding such objects, for `expand` and lookups by id. */
const PREFIXES: Array<[string, CollectionName]> = [
  ['cus_', 'customers'],
  ['pm_', 'payment_methods'],
  ['pi_', 'payment_intents'],
  ['seti_', 'setup_intents'],
  ['ch_', 'charges'],
  ['py_', 'charges'],
  ['re_', 'refunds'],
  ['evt_', 'events'],
  ['we_', 'webhook_endpoints'],
  ['prod_', 'products'],
  ['price_', 'prices'],
  ['sub_', 'subscriptions'],
  ['si_', 'subscription_items'],
  ['in_', 'invoices'],
  ['inpay_', 'invoice_payments'],
  ['clock_', 'test_clocks'],
  ['cs_', 'checkout_sessions'],
  ['bps_', 'billing_portal_sessions'],
  ['bpc_', 'billing_portal_configurations'],
  ['feat_', 'entitlement_features'],
  ['prodft_', 'product_features'],
  ['ent_', 'active_entitlements'],
  ['promo_', 'promotion_codes'],
  ['di_', 'discounts'],
];

export class Store {
  readonly #collections = new Map<CollectionName, Collection>();
  /** Private data keyed by object id or by a name; never sent in API responses. */
  internal = new Map<string, unknown>();

  collection<T extends StoredObject>(name: CollectionName): Collection<T> {
    let found = this.#collections.get(name);
    if (!found) {
      found = new Collection();
      this.#collections.set(name, found);
    }
    return found as unknown as Collection<T>;
  }

  /** Finds any object by its id, from the id's prefix. */
  findById(id: string): StoredObject | undefined {
    for (const [prefix, name] of PREFIXES) {
      if (id.startsWith(prefix)) {
        const found = this.collection(name).get(id);
        if (found) return found;
        break;
      }
    }
    // Coupon ids are chosen freely (`SUMMER25`), so they have no prefix to go by.
    return this.collection('coupons').get(id);
  }

  getInternal<T>(key: string): T | undefined {
    return this.internal.get(key) as T | undefined;
  }

  setInternal<T>(key: string, value: T): T {
    this.internal.set(key, value);
    return value;
  }

  clear(): void {
    for (const collection of this.#collections.values()) collection.clear();
    this.internal.clear();
  }

  serialize(): SerializedState {
    const collections: SerializedState['collections'] = {};
    for (const [name, collection] of this.#collections) {
      if (collection.size) collections[name] = collection.values();
    }
    return { version: 1, collections, internal: Object.fromEntries(this.internal) };
  }

  load(state: SerializedState): void {
    if (state.version !== 1) throw new Error(`Unsupported sandbox state version ${state.version}`);
    this.clear();
    for (const [name, objects] of Object.entries(state.collections)) {
      const collection = this.collection(name as CollectionName);
      for (const object of objects ?? []) collection.set(object);
    }
    this.internal = new Map(Object.entries(state.internal));
  }
}
