'use client';
/**
 * The kit's unstyled parts in one shape: `part(use)` makes a component that forwards its ref and
 * renders what `use(props, ref)` answers, `[tag, props]` (the part's `data-slot`, `data-state`,
 * ARIA and default children, with the caller's props merged in), or null to render nothing.
 * Most parts are a line of data on top of it, which keeps the kit small.
 */
import {
  type ComponentPropsWithoutRef,
  type Context,
  createElement,
  type ElementType,
  type ForwardedRef,
  type ForwardRefExoticComponent,
  forwardRef,
  type Ref,
  type RefAttributes,
} from 'react';
import { mergeRefs } from './merge-refs.js';

export type PartRender = [tag: ElementType, props: Record<string, unknown>] | null;

export function part<P, E extends Element = HTMLElement>(
  use: (props: P, ref: ForwardedRef<E>) => PartRender,
): ForwardRefExoticComponent<P & RefAttributes<E>> {
  // biome-ignore lint/correctness/noComponentHookFactories: made once per part, at module load
  return forwardRef<E, P>(function Part(props, ref) {
    const made = use(props as P, ref);
    return made && createElement(made[0], { ref, ...made[1] });
  }) as unknown as ForwardRefExoticComponent<P & RefAttributes<E>>;
}

/** Calls the caller's handler, then `action` unless the caller prevented the default. */
export function chain<T extends { defaultPrevented: boolean }>(
  handler: ((event: T) => void) | undefined,
  action: (event: T) => unknown,
): (event: T) => void {
  return (event) => {
    handler?.(event);
    if (!event.defaultPrevented) action(event);
  };
}

/** A Root's props besides the element's: the value of the hook it runs. */
export interface RootProviderProps<V> {
  /** The hook's return, when the hook runs higher up (to read its state there). */
  value: V;
}

/**
 * `<tag>` that gives its parts `value` through `Context`, with `attrs(value)` (its `data-slot`,
 * `data-state`…) under the caller's props.
 */
export function rootProvider<V, P, E extends Element = HTMLElement>(
  Context: Context<V | null>,
  tag: string,
  attrs: (value: V) => Record<string, unknown>,
): ForwardRefExoticComponent<P & RootProviderProps<V> & RefAttributes<E>> {
  return forwardRef<E, P & RootProviderProps<V>>(function RootProvider({ value, ...props }, ref) {
    return createElement(
      Context.Provider,
      { value },
      createElement(tag, { ...attrs(value), ...props, ref }),
    );
  }) as unknown as ForwardRefExoticComponent<P & RootProviderProps<V> & RefAttributes<E>>;
}

/**
 * A Root that runs `use` with the props named in `keys` and renders `Provider` with the rest.
 */
export function root<H, P, E extends Element = HTMLElement>(
  Provider: ForwardRefExoticComponent<P & RootProviderProps<never> & RefAttributes<E>>,
  use: (props: H) => unknown,
  keys: ReadonlyArray<keyof H>,
): ForwardRefExoticComponent<H & P & RefAttributes<E>> {
  return part<H & P, E>((props) => {
    const own: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props as object)) {
      ((keys as readonly string[]).includes(key) ? own : rest)[key] = value;
    }
    return [Provider, { ...rest, value: use(own as H) }];
  });
}

/**
 * A list's `<div role="alert">`: empty until something fails, then the error's message (or the
 * caller's children). With an `errorRef` it is focusable, so the list can move focus there.
 */
export function alertPart(
  slot: string,
  use: () => { error: { message: string } | null; errorRef?: Ref<HTMLDivElement> },
) {
  return part<ComponentPropsWithoutRef<'div'>, HTMLDivElement>(({ children, ...props }, ref) => {
    const { error, errorRef } = use();
    return [
      'div',
      {
        'data-slot': slot,
        'data-state': error ? 'visible' : 'hidden',
        role: 'alert',
        ...(errorRef ? { tabIndex: -1 } : {}),
        ...props,
        ref: errorRef ? mergeRefs(errorRef, ref) : ref,
        children: error ? (children ?? error.message) : null,
      },
    ];
  });
}

/**
 * Moves focus from a button that is about to go (or be disabled) to its feature's root (`slot`,
 * focusable with `tabIndex={-1}`), so that it does not fall back to the page's body. Only when
 * focus is in that root: a host's click from script takes it from nowhere else.
 */
export function focusRoot(event: { currentTarget: Element }, slot: string): void {
  const { currentTarget } = event;
  const home = currentTarget.closest<HTMLElement>(`[data-slot="${slot}"]`);
  // In a shadow root, `document.activeElement` is its host: ask the control's own root. Focus
  // anywhere in the feature moves (Safari leaves it on the last control a mouse click passed by,
  // and every control is disabled while an action runs).
  if (home?.contains((currentTarget.getRootNode() as Document | ShadowRoot).activeElement)) {
    home.focus();
  }
}

/**
 * A list's `<button>` "Try again", only while it could not be loaded: focus moves to the list's
 * root (the button goes while it loads again), then `refresh()`.
 */
export function retryPart<
  V extends { status: string; refresh(): void; messages: { tryAgain: string } },
>(
  slot: string,
  use: () => V,
  /** When it shows. @default while `status` is `failed` */
  shows: (value: V) => boolean = (value) => value.status === 'failed',
) {
  return part<ComponentPropsWithoutRef<'button'>, HTMLButtonElement>(
    ({ children, onClick, ...props }) => {
      const value = use();
      const { messages, refresh } = value;
      return shows(value)
        ? [
            'button',
            {
              type: 'button',
              'data-slot': `${slot}-retry`,
              children: children ?? messages.tryAgain,
              ...props,
              onClick: chain(onClick, (event) => {
                focusRoot(event, slot);
                refresh();
              }),
            },
          ]
        : null;
    },
  );
}

/** The level of the headings that name a list's items: one below the heading the list sits under. */
export type HeadingLevel = 2 | 3 | 4 | 5 | 6;
