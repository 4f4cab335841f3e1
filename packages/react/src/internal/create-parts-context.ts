'use client';
/**
 * The context a feature's Root gives its parts, and the hook the parts read it with. A part used
 * outside its Root throws an error that says which Root to add, as react-stripe-js does.
 */
import { type Context, createContext, useContext } from 'react';

export function createPartsContext<T>(
  /** The feature: `PaymentForm`. */
  name: string,
  /** The Root's required props, for the message: ` items={…}`. */
  rootProps = '',
): [Context<T | null>, () => T] {
  const context = createContext<T | null>(null);
  context.displayName = `${name}Context`;
  return [
    context,
    () => {
      const value = useContext(context);
      if (!value) {
        throw new Error(
          `${name} parts must be inside <${name}.Root>: wrap them in <${name}.Root${rootProps}> (or <${name}.RootProvider value={use${name}(…)}>).`,
        );
      }
      return value;
    },
  ];
}
