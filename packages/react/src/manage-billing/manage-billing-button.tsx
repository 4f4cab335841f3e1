'use client';
/**
 * `<ManageBillingButton>`: a button that opens Stripe's customer portal, with its loading state
 * (`aria-busy`) and its error (in a live region the button points to).
 */
import { type ComponentPropsWithoutRef, forwardRef, useId } from 'react';
import { chain } from '../internal/part.js';
import { type UseManageBillingProps, useManageBilling } from './use-manage-billing.js';

export interface ManageBillingButtonProps
  extends UseManageBillingProps,
    ComponentPropsWithoutRef<'button'> {}

/**
 * Opens the customer portal for the signed-in caller; "Manage billing" unless given children.
 * @example
 * <ManageBillingButton returnUrl="https://shop.example/account" />
 */
export const ManageBillingButton = forwardRef<HTMLButtonElement, ManageBillingButtonProps>(
  function ManageBillingButton({ returnUrl, navigate, children, onClick, ...props }, ref) {
    const billing = useManageBilling({ returnUrl, navigate });
    const errorId = useId();
    const busy = billing.status === 'loading';
    return (
      <>
        <button
          type="button"
          data-slot="manage-billing"
          data-state={billing.status}
          aria-busy={busy}
          // Not `disabled` while busy: a disabled button drops the keyboard focus, which should
          // stay here if the portal cannot be opened.
          aria-disabled={busy || undefined}
          aria-describedby={billing.error ? errorId : undefined}
          {...props}
          onClick={chain(onClick, billing.open)}
          ref={ref}
        >
          {children ?? billing.messages.manageBilling}
        </button>
        <span data-slot="manage-billing-error" id={errorId} role="alert">
          {billing.error?.message}
        </span>
      </>
    );
  },
);
