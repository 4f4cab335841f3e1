'use client';
/**
 * The context a feature's Root gives its parts, and the hook the parts read it with. A part used
 * outside its Root throws an error that says which Root to add, as react-stripe-js does (the
 * advice on how, in development builds only).
 */
import { type Context, createContext, useContext } from 'react';

/** Bundlers set it in an app's build; read only when a part is misused (never at import). */
declare const process: { env: { NODE_ENV?: string } };

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
          `${name} parts must be inside <${name}.Root>${
            process.env.NODE_ENV === 'production'
              ? ''
              : `: wrap them in <${name}.Root${rootProps}> (or <${name}.RootProvider value={use${name}(…)}>).`
          }`,
        );
      }
      return value;
    },
  ];
}
