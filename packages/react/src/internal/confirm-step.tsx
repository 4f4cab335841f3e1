'use client';
/**
 * An inline confirmation ("Remove Visa ending in 4242?" Keep / Remove) for the account lists'
 * destructive actions: `role="alertdialog"`, named by its question. It takes focus on its first
 * button (the safe choice) and closes on Escape. Kept (or Escape), focus goes back to what opened
 * it; confirmed, to the nearest focusable root (the list), since the button that opened it is
 * about to go (a removed card, a canceled subscription).
 * @see https://www.w3.org/WAI/ARIA/apg/patterns/alertdialog/
 */
import {
  type ComponentPropsWithoutRef,
  forwardRef,
  type ReactNode,
  useEffect,
  useId,
  useRef,
} from 'react';
import { mergeRefs } from './merge-refs.js';

export interface ConfirmStepProps extends Omit<ComponentPropsWithoutRef<'div'>, 'children'> {
  /** The question, which names the dialog. */
  question: ReactNode;
  /** The safe choice: closes the step. */
  cancelLabel: string;
  /** The action. */
  confirmLabel: string;
  onCancel(): void;
  onConfirm(): void;
}

export const ConfirmStep = forwardRef<HTMLDivElement, ConfirmStepProps>(function ConfirmStep(
  { question, cancelLabel, confirmLabel, onCancel, onConfirm, onKeyDown, ...props },
  ref,
) {
  const id = useId();
  const own = useRef<HTMLDivElement | null>(null);
  const confirmed = useRef(false);
  useEffect(() => {
    const node = own.current;
    const opener = document.activeElement as HTMLElement | null;
    const home = node?.parentElement?.closest<HTMLElement>('[tabindex="-1"]');
    node?.querySelector('button')?.focus();
    return () => {
      (confirmed.current || !opener?.isConnected ? home : opener)?.focus();
    };
  }, []);
  return (
    <div
      role="alertdialog"
      aria-labelledby={id}
      {...props}
      ref={mergeRefs(own, ref)}
      onKeyDown={(event) => {
        onKeyDown?.(event);
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <p id={id}>{question}</p>
      <button type="button" data-slot="confirm-cancel" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button
        type="button"
        data-slot="confirm-action"
        onClick={() => {
          confirmed.current = true;
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
    </div>
  );
});
