/**
 * Test-only conformance check: validates raw JSON (as parsed from a wire
 * response or webhook body) against the JSON Schema generated from stripe-node
 * 23's own type declarations (schema/stripe-objects.schema.json, produced by
 * scripts/generate-schema.mjs). Every object in the schema is closed
 * (`additionalProperties: false`) and every non-optional property is required,
 * so a field stripe-node does not declare, a missing field, or a wrong type
 * fails.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** `object` field value -> schema definition, for live objects. */
export const OBJECT_DEFINITIONS = {
  payment_intent: 'PaymentIntent',
  setup_intent: 'SetupIntent',
  customer: 'Customer',
  payment_method: 'PaymentMethod',
  charge: 'Charge',
  refund: 'Refund',
  event: 'Event',
  webhook_endpoint: 'WebhookEndpoint',
  product: 'Product',
  price: 'Price',
  subscription: 'Subscription',
  subscription_item: 'SubscriptionItem',
  invoice: 'Invoice',
  line_item: 'InvoiceLineItem',
  invoice_payment: 'InvoicePayment',
  'test_helpers.test_clock': 'TestHelpers.TestClock',
  'checkout.session': 'Checkout.Session',
  'billing_portal.session': 'BillingPortal.Session',
  'billing_portal.configuration': 'BillingPortal.Configuration',
  customer_session: 'CustomerSession',
  'entitlements.feature': 'Entitlements.Feature',
  'entitlements.active_entitlement': 'Entitlements.ActiveEntitlement',
  'entitlements.active_entitlement_summary': 'Entitlements.ActiveEntitlementSummary',
  product_feature: 'ProductFeature',
  coupon: 'Coupon',
  promotion_code: 'PromotionCode',
  discount: 'Discount',
} as const satisfies Record<string, string>;

/** `object` field value -> schema definition, for `deleted: true` stubs. */
export const DELETED_OBJECT_DEFINITIONS = {
  customer: 'DeletedCustomer',
  product: 'DeletedProduct',
  webhook_endpoint: 'DeletedWebhookEndpoint',
  product_feature: 'DeletedProductFeature',
  coupon: 'DeletedCoupon',
  discount: 'DeletedDiscount',
} as const satisfies Record<string, string>;

/** The `object` values of the payments surface (the first milestone's resources). */
export const PAYMENTS_OBJECT_TYPES = [
  'payment_intent',
  'setup_intent',
  'customer',
  'payment_method',
  'charge',
  'refund',
  'event',
  'webhook_endpoint',
] as const satisfies readonly (keyof typeof OBJECT_DEFINITIONS)[];

export type ObjectType = keyof typeof OBJECT_DEFINITIONS;

const SCHEMA_KEY = 'stripe-objects.schema.json';
const SCHEMA_URL = new URL('../../schema/stripe-objects.schema.json', import.meta.url);

interface StripeObjectsSchema {
  'x-stripe-node-version'?: string;
  definitions: Record<string, unknown>;
}

interface Loaded {
  ajv: Ajv;
  stripeNodeVersion: string;
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

// ajv-formats is CommonJS (`module.exports = plugin; exports.default = plugin`);
// under NodeNext a default import is the module object, whose `.default` is
// the plugin.
const addFormats = addFormatsModule.default;

function load(): Loaded {
  if (loaded) return loaded;
  const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as StripeObjectsSchema;
  const wanted = [
    ...Object.values(OBJECT_DEFINITIONS),
    ...Object.values(DELETED_OBJECT_DEFINITIONS),
  ];
  const missing = wanted.filter((name) => !(name in schema.definitions));
  if (missing.length > 0) {
    throw new Error(
      `${SCHEMA_URL.pathname} lacks definitions ${missing.join(', ')}; ` +
        'regenerate it with `pnpm --filter @tillkit/sandbox run schema`',
    );
  }
  // `discriminator` lets ajv check an Event against the one branch of the
  // `Event` union its `type` names instead of reporting all ~280 branches.
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true });
  addFormats(ajv);
  ajv.addSchema(schema, SCHEMA_KEY);
  loaded = {
    ajv,
    stripeNodeVersion: schema['x-stripe-node-version'] ?? 'unknown',
    validators: new Map(),
  };
  return loaded;
}

function validatorFor(definition: string): ValidateFunction {
  const state = load();
  let validate = state.validators.get(definition);
  if (!validate) {
    validate = state.ajv.getSchema(`${SCHEMA_KEY}#/definitions/${encodeURIComponent(definition)}`);
    if (!validate) throw new Error(`no schema definition ${definition}`);
    state.validators.set(definition, validate);
  }
  return validate;
}

/** Which definition a JSON object is checked against, or undefined if none. */
export function definitionFor(value: Record<string, unknown>): string | undefined {
  const objectType = value.object;
  if (typeof objectType !== 'string') return undefined;
  const table: Record<string, string> =
    value.deleted === true ? DELETED_OBJECT_DEFINITIONS : OBJECT_DEFINITIONS;
  return Object.hasOwn(table, objectType) ? table[objectType] : undefined;
}

const counts = new Map<string, number>();

function statsKey(value: Record<string, unknown>): string {
  const objectType = String(value.object);
  return value.deleted === true ? `deleted:${objectType}` : objectType;
}

/**
 * How many objects of each `object` type `assertConforms` has validated in this
 * module instance (with vitest's default isolation: in this test file).
 * Deleted stubs count under `deleted:<object>`. Failed objects count too.
 */
export function conformanceStats(): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

export function resetConformanceStats(): void {
  counts.clear();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  let line = `${where}: ${error.message ?? error.keyword}`;
  if (error.keyword === 'additionalProperties') {
    line += ` '${String(error.params.additionalProperty)}'`;
  } else if (error.keyword === 'discriminator') {
    line += ` (${String(error.params.tag)}: ${JSON.stringify(error.params.tagValue)})`;
  } else if (error.keyword === 'const' || error.keyword === 'enum') {
    line += ` ${JSON.stringify(error.params.allowedValue ?? error.params.allowedValues)}`;
  }
  return line;
}

interface Failure {
  path: string;
  definition: string;
  objectType: string;
  id: unknown;
  errors: string[];
}

function visit(value: unknown, path: string, failures: Failure[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      visit(item, `${path}[${index}]`, failures);
    });
    return;
  }
  if (!isPlainObject(value)) return;

  const definition = definitionFor(value);
  if (definition) {
    const key = statsKey(value);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const validate = validatorFor(definition);
    // ValidateFunction is a type guard; keep its narrowing off `value`.
    const candidate: unknown = value;
    if (!validate(candidate)) {
      const errors = [...new Set((validate.errors ?? []).map(formatError))];
      failures.push({
        path,
        definition,
        objectType: String(value.object),
        id: value.id,
        errors,
      });
    }
  }

  // Nested objects are validated on their own too: expanded sub-objects, items
  // of list objects (`{object: 'list', data: [...]}`), an event's data.object.
  for (const [key, child] of Object.entries(value)) {
    visit(
      child,
      /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
      failures,
    );
  }
}

/**
 * Validates every Stripe object found in a raw JSON value (top level, list
 * items, expanded sub-objects, event payloads) against its stripe-node
 * definition. Objects whose `object` value is not in the table are skipped,
 * but their contents are still searched. Throws one Error listing every
 * failing object (type, id, location) and all of its ajv errors.
 */
export function assertConforms(json: unknown): void {
  const failures: Failure[] = [];
  visit(json, '$', failures);
  if (failures.length === 0) return;
  const version = load().stripeNodeVersion;
  const report = failures
    .map(
      (failure) =>
        `${failure.objectType} ${typeof failure.id === 'string' ? failure.id : '(no id)'} at ${failure.path} ` +
        `does not conform to stripe-node ${version} ${failure.definition}:\n` +
        failure.errors.map((error) => `  ${error}`).join('\n'),
    )
    .join('\n');
  throw new Error(
    `${failures.length} Stripe object${failures.length === 1 ? '' : 's'} failed conformance:\n${report}`,
  );
}
