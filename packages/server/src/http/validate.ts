/** Validation against the protocol's schemas, with one clear message naming the field at fault. */
import * as z from 'zod/mini';
import { InvalidRequestError } from '../errors.js';

const english = z.locales.en();

/** `["items", 0, "price"]` → `items[0].price`. */
function paramName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const part of path) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name ? `.${String(part)}` : String(part);
  }
  return name;
}

/** Parses `value` or throws a 400 `invalid_request` for its first problem. */
export function validate<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'path',
): z.output<S> {
  const result = schema.safeParse(value, { error: english.localeError });
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  if (issue.code === 'unrecognized_keys') {
    const param = paramName([...issue.path, issue.keys[0] as string]);
    const what = where === 'body' ? 'field' : where === 'query' ? 'query parameter' : 'parameter';
    throw new InvalidRequestError(
      `Unknown ${what} "${param}": the server refuses ${what}s it does not know.`,
      param,
    );
  }
  const param = paramName(issue.path);
  if (!param) {
    const message =
      where === 'body' && value === undefined ? 'This route needs a JSON body.' : issue.message;
    throw new InvalidRequestError(`Invalid ${where}: ${message}`);
  }
  throw new InvalidRequestError(`Invalid ${param}: ${issue.message}`, param);
}
