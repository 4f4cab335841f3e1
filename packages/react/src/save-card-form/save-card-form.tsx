'use client';
/**
 * `SaveCardForm`: the save-a-card form's unstyled parts (`Root`, `Element`, `Submit`, `Error`)
 * and the ready-made composition of them.
 */
import type { ReactNode } from 'react';
import {
  createFormParts,
  type FormElementProps,
  type FormErrorProps,
  type FormRootProviderProps,
  type FormSubmitProps,
} from '../internal/form-parts.js';
import { root } from '../internal/part.js';
import { type UseSaveCardProps, type UseSaveCardReturn, useSaveCard } from './use-save-card.js';

const parts = /* @__PURE__ */ createFormParts<UseSaveCardReturn>('SaveCardForm');

/** The context a Root gives its parts. */
export const SaveCardFormContext = parts.Context;
/** The form's state inside `<SaveCardForm.Root>`; throws outside one. */
export const useSaveCardFormContext = parts.useContext;
/** `<form>` for a `useSaveCard()` you called yourself. */
export const SaveCardFormRootProvider = parts.RootProvider;
/** `<div>` that Stripe's Payment Element (in `setup` mode) is mounted into. */
export const SaveCardFormElement = parts.Element;
/** `<button type="submit">`: "Save card", "Saving…". */
export const SaveCardFormSubmit = parts.Submit;
/** `<div role="alert">`: Stripe's message after a decline; takes focus. */
export const SaveCardFormError = parts.Error;
/** `<button>` "Try again", only when Stripe's card fields could not load: `refresh()`. */
export const SaveCardFormRetry = parts.Retry;

export type SaveCardFormRootProviderProps = FormRootProviderProps<UseSaveCardReturn>;
export type SaveCardFormElementProps = FormElementProps;
export type SaveCardFormSubmitProps = FormSubmitProps;
export type SaveCardFormErrorProps = FormErrorProps;
export interface SaveCardFormRootProps
  extends UseSaveCardProps,
    Omit<SaveCardFormRootProviderProps, 'value'> {}

/** `<form>`: runs `useSaveCard()` with its props and gives the parts its state. */
export const SaveCardFormRoot = /* @__PURE__ */ root<
  UseSaveCardProps,
  Omit<SaveCardFormRootProviderProps, 'value'>,
  HTMLFormElement
>(SaveCardFormRootProvider, useSaveCard, [
  'clientSecret',
  'currency',
  'returnUrl',
  'onSuccess',
  'onError',
]);

export interface SaveCardFormProps extends SaveCardFormRootProps {
  /** Shown once the card is saved. @default messages.cardSaved */
  successMessage?: ReactNode;
}

/**
 * Save a card for later: `<SaveCardForm onSuccess={…} />`, or its parts (`SaveCardForm.Root`,
 * `.Element`, `.Submit`, `.Error`, `.Retry`) for your own layout.
 * @example
 * <SaveCardForm onSuccess={() => savedCards.refresh()} />
 * // A trial waiting for its card (`pendingAction.type === 'save_card'`):
 * <SaveCardForm clientSecret={subscription.pendingAction.clientSecret} onSuccess={refresh} />
 */
export const SaveCardForm = /* @__PURE__ */ Object.assign(
  /* @__PURE__ */ parts.compose<SaveCardFormProps>(SaveCardFormRoot, 'cardSaved'),
  {
    Root: SaveCardFormRoot,
    RootProvider: SaveCardFormRootProvider,
    Element: SaveCardFormElement,
    Submit: SaveCardFormSubmit,
    Error: SaveCardFormError,
    Retry: SaveCardFormRetry,
  },
);
