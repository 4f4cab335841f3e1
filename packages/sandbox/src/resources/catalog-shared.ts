/**
 * Parameter shapes and errors that prices and products share. They live here rather than in either
 * file because prices.ts and products.ts import each other and build their schemas as they load.
 */
import { invalidRequest, type StripeApiError } from '../core/errors.js';
import { int, str, z } from '../core/params.js';

function emptyStringMessage(name: string): string {
  return `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`;
}

/** Stripe's 400 for `""` sent for a parameter that cannot be unset. */
export function emptyStringError(name: string): StripeApiError {
  return invalidRequest(emptyStringMessage(name), name);
}

/** A string parameter that cannot be unset: `""` gets Stripe's empty-string message. */
export const nonEmpty = (name: string) => str().min(1, { error: emptyStringMessage(name) });

/** `unit_amount`: an integer amount in minor units, zero or more. */
export const unitAmount = () =>
  int().pipe(z.number().min(0, { error: 'This value must be greater than or equal to 0.' }));

/** `recurring[interval_count]`: an integer, one or more. */
export const intervalCount = () =>
  int().pipe(z.number().min(1, { error: 'This value must be greater than or equal to 1.' }));
