'use client';
/**
 * The unstyled parts every card form has (`RootProvider`, `Element`, `Submit`, `Error`), made for
 * one form's context: `SaveCardForm.Element` and `SubscribeForm.Element` are the same code over
 * different hooks. Each part renders one element, passes `className`, `ref` and handlers through,
 * and carries the form's `data-slot` / `data-state`.
 */
import {
  type ComponentPropsWithoutRef,
  type Context,
  type FormEvent,
  type ForwardRefExoticComponent,
  forwardRef,
  type ReactNode,
  type RefAttributes,
  useMemo,
} from 'react';
import { createPartsContext } from './create-parts-context.js';
import { mergeRefs } from './merge-refs.js';
import type { ElementFormReturn } from './use-element-form.js';

type AnyForm = ElementFormReturn<object, { loading: string }>;
type FormProps = Omit<ComponentPropsWithoutRef<'form'>, 'onSubmit' | 'onError'>;

export interface FormRootProviderProps<V> extends FormProps {
  /** The hook's return, when it runs higher up (to read its state there). */
  value: V;
  /** Runs before the form submits; call `event.preventDefault()` to stop it. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
}

export type FormElementProps = Omit<ComponentPropsWithoutRef<'div'>, 'children'>;
export type FormSubmitProps = ComponentPropsWithoutRef<'button'>;
export type FormErrorProps = ComponentPropsWithoutRef<'div'>;

type Part<P, E> = ForwardRefExoticComponent<P & RefAttributes<E>>;

export interface FormParts<V> {
  Context: Context<V | null>;
  /** The form's state inside its Root; throws outside one. */
  useContext: () => V;
  /** `<form>` for a hook you called yourself. */
  RootProvider: Part<FormRootProviderProps<V>, HTMLFormElement>;
  /** `<div>` that Stripe's Payment Element (its iframe) is mounted into. */
  Element: Part<FormElementProps, HTMLDivElement>;
  /** `<button type="submit">`, disabled while the form cannot submit. */
  Submit: Part<FormSubmitProps, HTMLButtonElement>;
  /** `<div role="alert">`, empty until something fails; focused after a decline. */
  Error: Part<FormErrorProps, HTMLDivElement>;
  /** The composed form's inside: `children` (a summary), the parts, then `success` once done. */
  Body: (props: { children?: ReactNode; success: ReactNode }) => ReactNode;
}

export function createFormParts<V extends AnyForm>(name: string, rootProps = ''): FormParts<V> {
  const [Context, useFormContext] = createPartsContext<V>(name, rootProps);

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  const RootProvider = forwardRef<HTMLFormElement, FormRootProviderProps<V>>(function RootProvider(
    { value, onSubmit, children, ...rest },
    ref,
  ) {
    const root = value.getRootProps();
    return (
      <Context.Provider value={value}>
        <form
          {...root}
          {...rest}
          ref={ref}
          onSubmit={(event) => {
            onSubmit?.(event);
            if (event.defaultPrevented && onSubmit) return;
            root.onSubmit(event);
          }}
        >
          {children}
        </form>
      </Context.Provider>
    );
  });

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  const Element = forwardRef<HTMLDivElement, FormElementProps>(function Element(props, ref) {
    const { ref: elementRef, ...element } = useFormContext().getElementProps();
    // One ref for the element's life: its ref sets state (the container), and a new callback each
    // render would detach and attach it again, render after render (React 18).
    const merged = useMemo(() => mergeRefs(elementRef, ref), [elementRef, ref]);
    return <div {...element} {...props} ref={merged} />;
  });

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  const Submit = forwardRef<HTMLButtonElement, FormSubmitProps>(function Submit(
    { children, disabled, ...props },
    ref,
  ) {
    const form = useFormContext();
    const submit = form.getSubmitProps();
    return (
      <button {...submit} {...props} disabled={submit.disabled || disabled} ref={ref}>
        {children ?? form.submitLabel}
      </button>
    );
  });

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  const ErrorPart = forwardRef<HTMLDivElement, FormErrorProps>(function ErrorRegion(
    { children, ...props },
    ref,
  ) {
    const form = useFormContext();
    const { ref: errorRef, ...error } = form.getErrorProps();
    return (
      <div {...error} {...props} ref={mergeRefs(errorRef, ref)}>
        {form.error ? (children ?? form.error.message) : null}
      </div>
    );
  });

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  function Body({ children, success }: { children?: ReactNode; success: ReactNode }): ReactNode {
    const form = useFormContext();
    const done = form.status === 'succeeded';
    return (
      <>
        {done ? null : (
          <>
            {children}
            <Element />
            <ErrorPart />
            <Submit />
          </>
        )}
        <p
          data-slot={`${form.getRootProps()['data-slot']}-status`}
          data-state={form.status}
          role="status"
        >
          {done ? success : form.status === 'loading' ? form.messages.loading : null}
        </p>
      </>
    );
  }

  return {
    Context,
    useContext: useFormContext,
    RootProvider,
    Element,
    Submit,
    Error: ErrorPart,
    Body,
  };
}
