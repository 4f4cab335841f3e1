#!/usr/bin/env node
// Generates schema/stripe-objects.schema.json: a JSON Schema (draft-07) of the
// wire shapes of the Stripe objects the sandbox serves, derived from
// stripe-node's own type declarations (node_modules/stripe/esm/**/*.d.ts).
//
// Run with `pnpm --filter @tillkit/sandbox run schema`. The output is
// deterministic (keys sorted), so regenerating without a stripe upgrade gives
// an identical file.
//
// How it works: an in-memory entry module imports `Stripe` from 'stripe' and
// declares one interface whose properties reference each root type. That
// program goes through typescript-json-schema's programmatic API (which
// bundles its own TypeScript); every referenced type becomes a shared entry in
// `definitions`, so the root types and everything they reach is described once.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const TJS = require('typescript-json-schema');
const ts = TJS.ts;

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(pkgDir, 'schema', 'stripe-objects.schema.json');

/**
 * Root types: definition name in the schema -> type expression on stripe-node's
 * `Stripe` namespace. Names of namespaced types keep their namespace
 * (`Checkout.Session`), matching how stripe-node exposes them.
 */
const ROOTS = {
  PaymentIntent: 'Stripe.PaymentIntent',
  SetupIntent: 'Stripe.SetupIntent',
  Customer: 'Stripe.Customer',
  DeletedCustomer: 'Stripe.DeletedCustomer',
  PaymentMethod: 'Stripe.PaymentMethod',
  Charge: 'Stripe.Charge',
  Refund: 'Stripe.Refund',
  // In stripe-node 23 `Stripe.Event` is a discriminated union over ~280
  // `<Thing><Action>Event` interfaces (each extends `EventBase` and narrows
  // `type` and `data.object`); only `EventBase.data.object` is open.
  Event: 'Stripe.Event',
  WebhookEndpoint: 'Stripe.WebhookEndpoint',
  DeletedWebhookEndpoint: 'Stripe.DeletedWebhookEndpoint',
  Product: 'Stripe.Product',
  DeletedProduct: 'Stripe.DeletedProduct',
  Price: 'Stripe.Price',
  Subscription: 'Stripe.Subscription',
  SubscriptionItem: 'Stripe.SubscriptionItem',
  Invoice: 'Stripe.Invoice',
  InvoiceLineItem: 'Stripe.InvoiceLineItem',
  InvoicePayment: 'Stripe.InvoicePayment',
  'TestHelpers.TestClock': 'Stripe.TestHelpers.TestClock',
  'Checkout.Session': 'Stripe.Checkout.Session',
  'BillingPortal.Session': 'Stripe.BillingPortal.Session',
  'BillingPortal.Configuration': 'Stripe.BillingPortal.Configuration',
  CustomerSession: 'Stripe.CustomerSession',
  'Entitlements.Feature': 'Stripe.Entitlements.Feature',
  'Entitlements.ActiveEntitlement': 'Stripe.Entitlements.ActiveEntitlement',
  'Entitlements.ActiveEntitlementSummary': 'Stripe.Entitlements.ActiveEntitlementSummary',
  ProductFeature: 'Stripe.ProductFeature',
  DeletedProductFeature: 'Stripe.DeletedProductFeature',
  Coupon: 'Stripe.Coupon',
  DeletedCoupon: 'Stripe.DeletedCoupon',
  PromotionCode: 'Stripe.PromotionCode',
  Discount: 'Stripe.Discount',
  DeletedDiscount: 'Stripe.DeletedDiscount',
};

/** Types whose TypeScript shape is not their wire shape. */
const OVERRIDES = {
  // A BigInt-backed class in stripe-node; a decimal string on the wire.
  Decimal: { type: 'string' },
  // `string & Record<never, never>`: the "any other string" arm of stripe-node's
  // open enums. Left alone it becomes a closed empty object.
  OtherString: { type: 'string' },
};

const started = performance.now();

// --- program -------------------------------------------------------------

const entryFile = path.join(pkgDir, 'scripts', '__stripe_schema_roots__.ts');
const rootKey = (name) => name.replace(/\./g, '_');
const entrySource = [
  "import type Stripe from 'stripe';",
  'export interface __StripeSchemaRoots__ {',
  ...Object.entries(ROOTS).map(([name, expr]) => `  ${rootKey(name)}: ${expr};`),
  '}',
  '',
].join('\n');

const compilerOptions = {
  noEmit: true,
  strict: true,
  strictNullChecks: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  types: [],
};
const host = ts.createCompilerHost(compilerOptions);
const { getSourceFile, fileExists, readFile } = host;
host.getSourceFile = (fileName, languageVersion, ...rest) =>
  fileName === entryFile
    ? ts.createSourceFile(fileName, entrySource, languageVersion, true)
    : getSourceFile.call(host, fileName, languageVersion, ...rest);
host.fileExists = (fileName) => fileName === entryFile || fileExists.call(host, fileName);
host.readFile = (fileName) =>
  fileName === entryFile ? entrySource : readFile.call(host, fileName);

const program = ts.createProgram([entryFile], compilerOptions, host);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
  console.error(ts.formatDiagnostics(diagnostics, host));
  process.exit(1);
}

// The stripe package the program actually resolved (its exports map hides
// package.json from require.resolve).
const stripeEntry = program
  .getSourceFiles()
  .map((file) => path.normalize(file.fileName))
  .find((file) => file.endsWith(path.join('stripe', 'esm', 'stripe.esm.node.d.ts')));
if (!stripeEntry)
  throw new Error("'stripe' did not resolve to stripe-node's esm type declarations");
const stripePkg = JSON.parse(
  fs.readFileSync(path.join(path.dirname(stripeEntry), '..', 'package.json'), 'utf8'),
);

// --- generator -----------------------------------------------------------

const generator = TJS.buildGenerator(program, {
  ref: true,
  aliasRef: false,
  topRef: false,
  required: true,
  noExtraProps: true,
  strictNullChecks: true,
  ignoreErrors: true, // diagnostics were checked above
});
if (!generator) throw new Error('typescript-json-schema could not build a generator');

for (const [name, schema] of Object.entries(OVERRIDES)) generator.setSchemaOverride(name, schema);

// typescript-json-schema drops an override when it meets the overridden type as
// `T | undefined` (properties of `Partial<InvoiceItem>` in `previous_attributes`
// come out as `{}`). The `undefined` arm carries no information (optionality is
// read from the `?` flag), so hand it the bare type. Patches a private method of
// typescript-json-schema 0.68.0, like the naming patch below.
if (typeof generator.getTypeDefinition !== 'function') {
  throw new Error('typescript-json-schema internals changed: getTypeDefinition is missing');
}
const getTypeDefinition = generator.getTypeDefinition;
generator.getTypeDefinition = function (typ, ...rest) {
  if (typ.flags & ts.TypeFlags.Union) {
    const defined = typ.types.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    const only = defined.length === 1 && defined.length < typ.types.length ? defined[0] : undefined;
    if (only?.aliasSymbol && Object.hasOwn(OVERRIDES, only.aliasSymbol.name)) {
      return getTypeDefinition.call(this, only, ...rest);
    }
  }
  return getTypeDefinition.call(this, typ, ...rest);
};

// typescript-json-schema names a definition after its type with the module
// stripped, so `Checkout.Session` and `BillingPortal.Session` (or `Dispute` and
// `Issuing.Dispute`) collide and get `_1` suffixes whose assignment depends on
// traversal order. stripe-node's public namespaces mirror the resource folder
// layout (esm/resources/Checkout/Sessions.d.ts is `Stripe.Checkout.*`), so
// prefix names with the folder path. This patches a private method of
// typescript-json-schema 0.68.0; fail loudly if it ever goes away.
if (typeof generator.makeTypeNameUnique !== 'function') {
  throw new Error('typescript-json-schema internals changed: makeTypeNameUnique is missing');
}
const checker = program.getTypeChecker();
const resourcesMarker = `${path.sep}esm${path.sep}resources${path.sep}`;

/** `Checkout.` for a type declared in esm/resources/Checkout/*.d.ts, else ''. */
function namespacePrefix(typ) {
  const symbol = typ.aliasSymbol ?? typ.getSymbol();
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
  if (!file) return '';
  const normalized = path.normalize(file);
  const at = normalized.lastIndexOf(resourcesMarker);
  if (at < 0) return '';
  const dirs = path
    .dirname(normalized.slice(at + resourcesMarker.length))
    .split(path.sep)
    .filter((dir) => dir && dir !== '.');
  return dirs.length > 0 ? `${dirs.join('.')}.` : '';
}

function typeArguments(typ) {
  if (typ.aliasTypeArguments?.length) return typ.aliasTypeArguments;
  if (typ.flags & ts.TypeFlags.Object && typ.objectFlags & ts.ObjectFlags.Reference) {
    return checker.getTypeArguments(typ);
  }
  return [];
}

/** Name as typescript-json-schema would, but with namespaces kept, also in type arguments. */
function qualifiedName(typ, baseName) {
  const lt = baseName.indexOf('<');
  const outer = lt < 0 ? baseName : baseName.slice(0, lt);
  const prefix = namespacePrefix(typ);
  let name = prefix && !outer.startsWith(prefix) ? prefix + outer : outer;
  if (lt >= 0) {
    const args = typeArguments(typ).map((arg) =>
      qualifiedName(
        arg,
        checker
          .typeToString(
            arg,
            undefined,
            ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseFullyQualifiedType,
          )
          .replace(/(\bimport\(".*?"\)|".*?")\.| /g, ''),
      ),
    );
    name += args.length > 0 ? `<${args.join(',')}>` : baseName.slice(lt);
  }
  return name;
}

// TypeScript can create several identical instantiations of one generic (e.g.
// `Partial<BankAccount>` directly and via the distributed
// `Partial<ExternalAccount>`). Give mutually assignable types with the same name
// one shared definition instead of `_1` copies.
const typesByName = new Map();
const sameType = (a, b) => checker.isTypeAssignableTo(a, b) && checker.isTypeAssignableTo(b, a);
const makeTypeNameUnique = generator.makeTypeNameUnique;
generator.makeTypeNameUnique = function (typ, baseName) {
  const name = qualifiedName(typ, baseName);
  const existing = typesByName.get(name);
  if (existing && existing !== typ && sameType(existing, typ)) {
    this.typeNamesById[typ.id] = name;
    return name;
  }
  if (!existing) typesByName.set(name, typ);
  return makeTypeNameUnique.call(this, typ, name);
};

const generated = generator.getSchemaForSymbol('__StripeSchemaRoots__');
const definitions = generated.definitions ?? {};

// --- post-processing -----------------------------------------------------

const refPrefix = '#/definitions/';
const refName = (ref) => decodeURIComponent(ref.slice(refPrefix.length));

// Map every root to its generated definition and give it its public name.
const rename = new Map();
for (const name of Object.keys(ROOTS)) {
  const prop = generated.properties?.[rootKey(name)];
  if (!prop?.$ref) throw new Error(`root ${name} did not produce a $ref: ${JSON.stringify(prop)}`);
  const generatedName = refName(prop.$ref);
  if (generatedName !== name) rename.set(generatedName, name);
}
for (const [from, to] of rename) {
  if (definitions[to]) throw new Error(`cannot rename ${from} to ${to}: name taken`);
  definitions[to] = definitions[from];
  delete definitions[from];
}

const suffixed = Object.keys(definitions).filter((n) => /_\d+$/.test(n));
if (suffixed.length > 0) {
  throw new Error(`ambiguous type names (typescript-json-schema added suffixes): ${suffixed}`);
}

const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_KEYWORDS = new Set(['additionalProperties', 'items', 'not']);
const SCHEMA_LIST_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf']);

/**
 * Walks a schema: drops `description` annotations (stripe-node's doc comments
 * double the file size and ajv never reports them), rewrites renamed refs, and
 * fixes what typescript-json-schema gets wrong. Data keywords (`const`, `enum`,
 * `required`, ...) are copied as they are.
 */
function cleanSchema(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(refPrefix)) {
      const target = refName(value);
      out.$ref = refPrefix + encodeURIComponent(rename.get(target) ?? target);
    } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
      out[key] = cleanSchemaMap(value);
    } else if (SCHEMA_LIST_KEYWORDS.has(key) || (key === 'items' && Array.isArray(value))) {
      out[key] = value.map(cleanSchema);
    } else if (SCHEMA_KEYWORDS.has(key)) {
      out[key] = cleanSchema(value);
    } else {
      out[key] = value;
    }
  }
  // `deleted?: void` on live objects: typescript-json-schema emits an empty
  // anyOf (an invalid schema). On the wire it means "never present".
  if (Array.isArray(out.anyOf) && out.anyOf.length === 0) {
    delete out.anyOf;
    out.not = {};
  }
  return out;
}

function cleanSchemaMap(map) {
  return Object.fromEntries(
    Object.entries(map).map(([name, schema]) => [name, cleanSchema(schema)]),
  );
}

/** Sort object keys recursively so the output does not depend on traversal order. */
function sortKeys(node) {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const key of Object.keys(node).sort()) out[key] = sortKeys(node[key]);
  return out;
}

const cleaned = cleanSchemaMap(definitions);

// `Event` is a union of interfaces told apart by `type`. As a plain anyOf, an
// invalid event yields errors from all ~280 branches; as oneOf + the OpenAPI
// `discriminator` keyword (ajv: `discriminator: true`) it is checked against
// the one branch its `type` names. Validators without discriminator support
// still get the same result from oneOf, the `type` consts being distinct.
{
  const branches = cleaned.Event?.anyOf;
  if (!Array.isArray(branches)) throw new Error('Event is no longer a union');
  const seen = new Set();
  for (const branch of branches) {
    const typeConst = cleaned[refName(branch.$ref ?? '')]?.properties?.type?.const;
    if (typeof typeConst !== 'string' || seen.has(typeConst)) {
      throw new Error(`Event branch ${JSON.stringify(branch)} has no distinct \`type\` const`);
    }
    seen.add(typeConst);
  }
  cleaned.Event = {
    discriminator: { propertyName: 'type' },
    oneOf: branches,
    required: ['type'],
    type: 'object',
  };
}

const cleanDefinitions = sortKeys(cleaned);

// Dangling refs would only show up when ajv compiles; catch them here.
const missing = new Set();
(function findRefs(node) {
  if (Array.isArray(node)) return node.forEach(findRefs);
  if (node === null || typeof node !== 'object') return;
  if (typeof node.$ref === 'string' && !(refName(node.$ref) in cleanDefinitions)) {
    missing.add(node.$ref);
  }
  for (const value of Object.values(node)) findRefs(value);
})(cleanDefinitions);
if (missing.size > 0) throw new Error(`dangling $refs: ${[...missing].join(', ')}`);

// `object` value -> definition name, read from each root's `object` const, so a
// consumer can cross-check its own lookup table against the schema.
const objectTypes = {};
for (const name of Object.keys(ROOTS)) {
  const def = cleanDefinitions[name];
  const objectConst = def.properties?.object?.const;
  if (typeof objectConst !== 'string') continue; // Event: a union of event interfaces
  const isDeleted = def.properties?.deleted?.const === true;
  objectTypes[isDeleted ? `deleted:${objectConst}` : objectConst] = name;
}
objectTypes.event = 'Event';

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $comment: `Generated by packages/sandbox/scripts/generate-schema.mjs from the type declarations of stripe@${stripePkg.version}. Do not edit by hand; run \`pnpm --filter @tillkit/sandbox run schema\`.`,
  'x-stripe-node-version': stripePkg.version,
  'x-roots': Object.keys(ROOTS).sort(),
  'x-object-types': sortKeys(objectTypes),
  definitions: cleanDefinitions,
};

fs.mkdirSync(path.dirname(outFile), { recursive: true });
const json = `${JSON.stringify(schema, null, 2)}\n`;
fs.writeFileSync(outFile, json);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const kib = (Buffer.byteLength(json) / 1024).toFixed(0);
console.log(
  `wrote ${path.relative(process.cwd(), outFile)}: ${Object.keys(cleanDefinitions).length} definitions, ${kib} KiB, in ${seconds}s`,
);
