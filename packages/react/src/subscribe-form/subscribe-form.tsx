'use client';
/**
 * `SubscribeForm`: the subscribe form's unstyled parts (`Root`, `Summary`, `PromotionCode`,
 * `Element`, `Submit`, `Error`) and the ready-made composition of them.
 */
import {
  type ComponentPropsWithoutRef,
  forwardRef,
  type ReactNode,
  useEffect,
  useId,
  useRef,
} from 'react';
import {
  createFormParts,
  type FormElementProps,
  type FormErrorProps,
  type FormRootProviderProps,
  type FormSubmitProps,
} from '../internal/form-parts.js';
import { part, root } from '../internal/part.js';
import { formatMessage } from '../messages/messages.js';
import { type UseSubscribeProps, type UseSubscribeReturn, useSubscribe } from './use-subscribe.js';

const parts = /* @__PURE__ */ createFormParts<UseSubscribeReturn>(
  'SubscribeForm',
  ' price="price_…"',
);

/** The context a Root gives its parts. */
export const SubscribeFormContext = parts.Context;
/** The form's state inside `<SubscribeForm.Root>`; throws outside one. */
export const useSubscribeFormContext = parts.useContext;
/** `<form>` for a `useSubscribe()` you called yourself. */
export const SubscribeFormRootProvider = parts.RootProvider;
/** `<div>` that Stripe's Payment Element is mounted into. */
export const SubscribeFormElement = parts.Element;
/** `<button type="submit">`: "Subscribe", "Start free trial", "Processing…". */
export const SubscribeFormSubmit = parts.Submit;
/** `<div role="alert">`: Stripe's message after a decline; takes focus. */
export const SubscribeFormError = parts.Error;
/** `<button>` "Try again", only when the form could not load (the prices, Stripe's card fields). */
export const SubscribeFormRetry = parts.Retry;

export type SubscribeFormRootProviderProps = FormRootProviderProps<UseSubscribeReturn>;
export type SubscribeFormElementProps = FormElementProps;
export type SubscribeFormSubmitProps = FormSubmitProps;
export type SubscribeFormErrorProps = FormErrorProps;
export interface SubscribeFormRootProps
  extends UseSubscribeProps,
    Omit<SubscribeFormRootProviderProps, 'value'> {}

/** `<form>`: runs `useSubscribe()` with its props and gives the parts its state. */
export const SubscribeFormRoot = /* @__PURE__ */ root<
  UseSubscribeProps,
  Omit<SubscribeFormRootProviderProps, 'value'>,
  HTMLFormElement
>(SubscribeFormRootProvider, useSubscribe, [
  'price',
  'quantity',
  'trial',
  'returnUrl',
  'onSuccess',
  'onError',
]);

export type SubscribeFormSummaryProps = ComponentPropsWithoutRef<'p'>;

/** `<p>`: "Pro · $29.00 / month · 14-day free trial" unless given children. */
export const SubscribeFormSummary = /* @__PURE__ */ part<
  SubscribeFormSummaryProps,
  HTMLParagraphElement
>(({ children, ...props }) => {
  const { summary, status } = useSubscribeFormContext();
  return [
    'p',
    {
      'data-slot': 'subscribe-form-summary',
      'data-state': status,
      ...props,
      children: children ?? summary,
    },
  ];
});

export type SubscribeFormPromotionCodeProps = ComponentPropsWithoutRef<'div'>;

/**
 * `<div>`: the promotion code field ("Promotion code", "Apply"; Enter applies it too, without
 * submitting the form) or, once applied, what the code takes off, what is due today and
 * "Remove". A refused code's reason is announced and describes the field. Focus follows: to
 * "Remove" once applied, back to the field after removing it or a refusal.
 */
export const SubscribeFormPromotionCode = forwardRef<
  HTMLDivElement,
  SubscribeFormPromotionCodeProps
>(function SubscribeFormPromotionCode(props, ref) {
  const form = useSubscribeFormContext();
  const { promotion, messages } = form;
  const { status } = promotion;
  const id = useId();
  const typed = form.promotionInput;
  const input = useRef<HTMLInputElement>(null);
  const remove = useRef<HTMLButtonElement>(null);
  // Focus moves after the customer's own Apply or Remove only.
  const acted = useRef(false);
  useEffect(() => {
    if (!acted.current || status === 'checking') return;
    acted.current = false;
    (status === 'applied' ? remove : input).current?.focus();
  }, [status]);
  const act = (run: () => unknown) => {
    acted.current = true;
    run();
  };
  const apply = () => act(() => form.applyPromotionCode(typed));
  const working = form.status === 'submitting' || form.status === 'requires_action';
  const invalid = status === 'invalid';
  // A refusal when subscribing is said (and focused) by the form's error region: the field is
  // described by it there instead of saying it a second time.
  const saidByForm = invalid && form.error?.cause === promotion.error.cause;
  return (
    <div
      data-slot="subscribe-form-promotion"
      data-state={status}
      aria-busy={status === 'checking'}
      {...props}
      ref={ref}
    >
      {status === 'applied' ? null : (
        <>
          <label htmlFor={id}>{messages.promotionCode}</label>
          <input
            id={id}
            ref={input}
            value={typed}
            onChange={(event) => form.setPromotionInput(event.target.value)}
            onKeyDown={(event) => {
              // Enter applies the code: it does not submit the payment form around it.
              if (event.key === 'Enter') {
                event.preventDefault();
                apply();
              }
            }}
            autoComplete="off"
            spellCheck={false}
            disabled={working}
            aria-invalid={invalid}
            aria-describedby={
              invalid ? (saidByForm ? form.getErrorProps().id : `${id}-status`) : undefined
            }
          />
          <button type="button" onClick={apply} disabled={working}>
            {messages.applyCode}
          </button>
        </>
      )}
      <p id={`${id}-status`} data-slot="subscribe-form-promotion-status" role="status">
        {invalid
          ? !saidByForm && promotion.error.message
          : form.promotionTerms && `${form.promotionTerms}. ${formatDue(form)}`}
      </p>
      {status === 'applied' ? (
        <button
          type="button"
          ref={remove}
          disabled={working}
          onClick={() => act(form.removePromotionCode)}
        >
          {messages.removeCode}
        </button>
      ) : null}
    </div>
  );
});

function formatDue({ messages, dueToday }: UseSubscribeReturn): string {
  return formatMessage(messages.dueToday, { amount: dueToday ?? '' });
}

export interface SubscribeFormProps extends SubscribeFormRootProps {
  /** Shown once subscribed. @default messages.subscribed */
  successMessage?: ReactNode;
  /**
   * Offer a promotion code field (`SubscribeForm.PromotionCode`). Turn it on when the server
   * takes codes (`GET /config`'s `promotionCodes`). @default false
   */
  promotionCodes?: boolean;
}

function SubscribeFormComposed({
  successMessage,
  promotionCodes,
  ...props
}: SubscribeFormProps): ReactNode {
  return (
    <SubscribeFormRoot {...props}>
      <parts.Body success={successMessage} successKey="subscribed">
        <SubscribeFormSummary />
        {promotionCodes ? <SubscribeFormPromotionCode /> : null}
      </parts.Body>
    </SubscribeFormRoot>
  );
}

/**
 * Subscribe to a price: `<SubscribeForm price="price_…" />`, or its parts (`SubscribeForm.Root`,
 * `.Summary`, `.PromotionCode`, `.Element`, `.Submit`, `.Error`, `.Retry`) for your own layout.
 * @example
 * <SubscribeForm price="price_pro_monthly" onSuccess={() => router.push('/account')} />
 * <SubscribeForm price="price_pro_monthly" promotionCodes />
 */
export const SubscribeForm = /* @__PURE__ */ Object.assign(SubscribeFormComposed, {
  Root: SubscribeFormRoot,
  RootProvider: SubscribeFormRootProvider,
  Summary: SubscribeFormSummary,
  PromotionCode: SubscribeFormPromotionCode,
  Element: SubscribeFormElement,
  Submit: SubscribeFormSubmit,
  Error: SubscribeFormError,
  Retry: SubscribeFormRetry,
});
