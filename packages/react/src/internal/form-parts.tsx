'use client';
/**
 * The unstyled parts every card form has (`RootProvider`, `Element`, `Submit`, `Error`, `Retry`),
 * made for one form's context: `SaveCardForm.Element` and `SubscribeForm.Element` are the same
 * code over different hooks. Each part renders one element, passes `className`, `ref` and handlers through,
 * and carries the form's `data-slot` / `data-state`.
 */
import {
  type ComponentPropsWithoutRef,
  type ComponentType,
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
import { chain, focusRoot, part } from './part.js';
import type { ElementFormReturn } from './use-element-form.js';

type AnyForm = ElementFormReturn<object, { loading: string; tryAgain: string }>;
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
type MessageKey<V> = V extends { messages: infer M } ? keyof M : never;

export interface BodyProps<V> {
  children?: ReactNode;
  success: ReactNode;
  /** The message shown once done when `success` is undefined. */
  successKey?: MessageKey<V> | undefined;
}

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
  /** `<button>` "Try again", only after a load failure: `refresh()`. */
  Retry: Part<FormSubmitProps, HTMLButtonElement>;
  /**
   * The composed form's inside: `children` (a summary), the parts, then `success` once done (or,
   * when that is undefined, `messages[successKey]`).
   */
  Body: (props: BodyProps<V>) => ReactNode;
  /**
   * The ready-made form: `Root` (which runs the hook) around `Body`, with `Summary` above the card
   * fields and, once done, the `successMessage` prop or else `messages[successKey]`.
   */
  compose<P extends { successMessage?: ReactNode }>(
    Root: ComponentType<Omit<P, 'successMessage'> & { children?: ReactNode }>,
    successKey: MessageKey<V>,
    Summary?: ComponentType,
  ): (props: P) => ReactNode;
}

export function createFormParts<V extends AnyForm>(name: string, rootProps = ''): FormParts<V> {
  const [Context, useFormContext] = createPartsContext<V>(name, rootProps);

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  const RootProvider = forwardRef<HTMLFormElement, FormRootProviderProps<V>>(function RootProvider(
    { value, onSubmit, ...props },
    ref,
  ) {
    const root = value.getRootProps();
    return (
      <Context.Provider value={value}>
        <form
          {...root}
          {...props}
          ref={ref}
          onSubmit={(event) => {
            onSubmit?.(event);
            if (!(onSubmit && event.defaultPrevented)) root.onSubmit(event);
          }}
        />
      </Context.Provider>
    );
  });

  const Element = part<FormElementProps, HTMLDivElement>((props, ref) => {
    const { ref: elementRef, ...element } = useFormContext().getElementProps();
    // One ref for the element's life: its ref sets state (the container), and a new callback each
    // render would detach and attach it again, render after render (React 18).
    const merged = useMemo(() => mergeRefs(elementRef, ref), [elementRef, ref]);
    return ['div', { ...element, ...props, ref: merged }];
  });

  const Submit = part<FormSubmitProps, HTMLButtonElement>(({ children, disabled, ...props }) => {
    const form = useFormContext();
    const submit = form.getSubmitProps();
    return [
      'button',
      {
        ...submit,
        ...props,
        disabled: submit.disabled || disabled,
        children: children ?? form.submitLabel,
      },
    ];
  });

  const ErrorPart = part<FormErrorProps, HTMLDivElement>(({ children, ...props }, ref) => {
    const { error, getErrorProps } = useFormContext();
    const { ref: errorRef, ...region } = getErrorProps();
    return [
      'div',
      {
        ...region,
        ...props,
        ref: mergeRefs(errorRef, ref),
        children: error ? (children ?? error.message) : null,
      },
    ];
  });

  const Retry = part<FormSubmitProps, HTMLButtonElement>(({ children, onClick, ...props }) => {
    const form = useFormContext();
    const slot = form.getRootProps()['data-slot'];
    return form.error?.type === 'load_error'
      ? [
          'button',
          {
            type: 'button',
            'data-slot': `${slot}-retry`,
            children: children ?? form.messages.tryAgain,
            ...props,
            // The button goes while the form loads again: focus in the form moves to the form.
            onClick: chain(onClick, (event) => {
              focusRoot(event, slot);
              form.refresh();
            }),
          },
        ]
      : null;
  });

  // biome-ignore lint/correctness/noComponentHookFactories: made once per form, at module load
  function Body({ children, success, successKey }: BodyProps<V>): ReactNode {
    const form = useFormContext();
    const { status, messages } = form;
    const done = status === 'succeeded';
    return (
      <>
        {done ? null : (
          <>
            {children}
            <Element />
            <ErrorPart />
            <Retry />
            <Submit />
          </>
        )}
        <p
          data-slot={`${form.getRootProps()['data-slot']}-status`}
          data-state={status}
          role="status"
        >
          {done
            ? (success ?? (successKey && (messages[successKey] as ReactNode)))
            : status === 'loading'
              ? messages.loading
              : null}
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
    Retry,
    Body,
    compose: (Root, successKey, Summary) =>
      function Composed({ successMessage, ...props }) {
        return (
          <Root {...props}>
            <Body success={successMessage} successKey={successKey}>
              {Summary ? <Summary /> : null}
            </Body>
          </Root>
        );
      },
  };
}
