/**
 * Request parameters: Stripe's form encoding (`items[0][price]=…`, `expand[0]=…`), JSON bodies and
 * query strings all become one plain object, validated against a zod schema. Validation failures
 * become Stripe's own 400s, naming the parameter the way Stripe does (`items[0][price]`).
 */
import qs from 'qs';
import * as z from 'zod';
import {
  invalidRequest,
  missingParameter,
  type StripeApiError,
  unknownParameter,
} from './errors.js';

export type RawParams = Record<string, unknown>;

const QS_OPTIONS = {
  depth: 20,
  arrayLimit: 250,
  parameterLimit: 10_000,
  allowDots: false,
} as const;

export function parseQuery(search: string): RawParams {
  return qs.parse(search.startsWith('?') ? search.slice(1) : search, QS_OPTIONS) as RawParams;
}

/** Reads the body of a POST as Stripe does: form-encoded (stripe-node's choice) or JSON. */
export async function parseBody(request: Request): Promise<RawParams> {
  const text = await request.text();
  if (!text) return {};
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidRequest('Invalid JSON received in the request body.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw invalidRequest('The JSON request body must be an object.');
    }
    return parsed as RawParams;
  }
  return qs.parse(text, QS_OPTIONS) as RawParams;
}

/** `['items', 0, 'price']` → `items[0][price]`. */
export function paramName(path: ReadonlyArray<PropertyKey>): string {
  const [head, ...rest] = path.map(String);
  return `${head ?? ''}${rest.map((part) => `[${part}]`).join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Field builders that accept both wire forms: strings from form bodies, native JSON values.

const intPattern = /^-?\d+$/;

/** An integer (form bodies send `"1000"`). */
export const int = () =>
  z.preprocess(
    (value) => (typeof value === 'string' && intPattern.test(value) ? Number(value) : value),
    z.number({ error: (issue) => `Invalid integer: ${String(issue.input)}` }).int({
      error: (issue) => `Invalid integer: ${String(issue.input)}`,
    }),
  );

/** A boolean (form bodies send `"true"`/`"false"`). */
export const bool = () =>
  z.preprocess(
    (value) => (value === 'true' ? true : value === 'false' ? false : value),
    z.boolean({ error: (issue) => `Invalid boolean: ${String(issue.input)}` }),
  );

export const str = () =>
  z.string({ error: (issue) => `Invalid string: ${JSON.stringify(issue.input)}` });

/**
 * An email address of the shape Stripe accepts: no spaces or control characters, one `@` with
 * something before it, and a domain of two or more labels (`shop.example`, not `localhost`).
 * Stripe answers anything else with a 400 `email_invalid`, "Invalid email address: …" (customers'
 * `email`, `receipt_email`, Checkout's `customer_email`). Its own check is stricter in ways it
 * does not document, so this refuses only what it surely refuses.
 * @see https://docs.stripe.com/changelog/2018-07-27/stripe-validates-email-addresses-customers
 * @see https://docs.stripe.com/error-codes#email-invalid
 */
export const emailAddress = () =>
  str().refine(isEmailAddress, {
    error: (issue) => `Invalid email address: ${String(issue.input)}`,
    params: { stripeCode: 'email_invalid' },
  });

/** Whether `value` has the shape `emailAddress()` takes (the hosted pages check with it too). */
export function isEmailAddress(value: string): boolean {
  return /^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(?:\.[^\s@.\p{Cc}]+)+$/u.test(value);
}

/** One of a set of literals, with Stripe's "Invalid x: must be one of …" message. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `Invalid ${'{param}'}: must be one of ${values.slice(0, -1).join(', ')}${values.length > 1 ? ', or ' : ''}${values.at(-1)}`,
  });

/** A field that `""` unsets (Stripe's way to clear a value in a form body). */
export const emptyable = <T extends z.ZodType>(schema: T) =>
  z.union([z.literal('').transform(() => null), z.null(), schema]);

/** `metadata[key]=value`; an empty string unsets a key, `metadata=""` unsets them all. */
export const metadata = () =>
  z.union([
    z.literal('').transform(() => null),
    z.record(
      z.string().max(40, { error: 'Metadata keys can be at most 40 characters.' }),
      z.union([
        z.string().max(500, { error: 'Metadata values can be at most 500 characters.' }),
        z.number().transform(String),
      ]),
    ),
  ]);

/** `expand[]`, allowed on every endpoint. */
export const expand = () => z.array(z.string()).optional();

/** Arrays sent as `a[0]=…`: qs already turns these into arrays; a JSON array works as is. */
export const list = <T extends z.ZodType>(item: T) => z.array(item);

/** A strict params object (unknown parameters refused) that also accepts `expand`. */
export const params = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject({ expand: expand(), ...shape });

/** The cursor parameters every list takes. */
export const pageShape = {
  limit: int().pipe(z.number().min(1).max(100)).optional(),
  starting_after: str().optional(),
  ending_before: str().optional(),
};

/** The common list parameters: the cursors and `created`, for objects that have one. */
export const listShape = {
  ...pageShape,
  created: z.union([int(), z.record(z.string(), int())]).optional(),
};

function issueToError(issue: z.core.$ZodIssue, hints: Record<string, string>): StripeApiError {
  if (issue.code === 'unrecognized_keys') {
    const name = paramName([...issue.path, issue.keys[0] ?? '']);
    return unknownParameter(name, hints[name]);
  }
  const name = paramName(issue.path);
  // A refinement that stands for one of Stripe's error codes (`emailAddress`'s `email_invalid`).
  const stripeCode =
    issue.code === 'custom'
      ? (issue.params as { stripeCode?: string } | undefined)?.stripeCode
      : undefined;
  if (stripeCode) return invalidRequest(issue.message, name, stripeCode);
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
    issue.input === undefined
  ) {
    return missingParameter(name);
  }
  if (issue.code === 'invalid_union') {
    // A union's branches each complain; report the most specific, as Stripe reports one problem.
    const nested = issue.errors.flat().find((inner) => inner.code !== 'invalid_type');
    if (nested) return issueToError({ ...nested, path: [...issue.path, ...nested.path] }, hints);
    return invalidRequest(`Invalid value for ${name}.`, name);
  }
  return invalidRequest(issue.message.replace('{param}', name), name);
}

/**
 * Validates raw params against a schema. `hints` add a sentence to "unknown parameter" errors,
 * e.g. to name the replacement of a parameter this API version removed.
 */
export function validate<T extends z.ZodType>(
  schema: T,
  raw: unknown,
  hints: Record<string, string> = {},
): z.output<T> {
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (!first) throw invalidRequest('Invalid request.');
  throw issueToError(first, hints);
}

export { z };
