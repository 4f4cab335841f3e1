/**
 * The pieces each handler's `data` schema is made of: what a handler reads of `event.data` must be
 * there, with the right type, before it runs (see `checkEvent()`). Every object is loose: Stripe
 * adds fields to its objects in any API version, and the schemas say only what must be there.
 */
import * as z from 'zod/mini';

/**
 * A Stripe id as the server stores it and looks it up: Stripe's ids are at most 255 characters,
 * and PostgreSQL's text cannot hold U+0000.
 * @see https://docs.stripe.com/upgrades#what-changes-does-stripe-consider-to-be-backward-compatible
 */
export const stripeId = z.string().check(
  z.minLength(1),
  z.maxLength(255),
  z.refine((id) => !id.includes('\u0000'), 'Must not contain U+0000'),
);

/** An id, or the object it expands to (which has the id). */
export const expandable = z.union([stripeId, z.looseObject({ id: stripeId })], {
  error: 'Invalid input: expected an id, or an object with an id',
});

/** `data` of an event whose `data.object` must have `shape` (and may have anything else). */
export const objectData = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.looseObject({ object: z.looseObject(shape) });
