/** Opens Stripe's customer portal (invoices, cards, plans) and comes back to this page. */
import { ManageBillingButton } from '@tillkit/react';

export function BillingPortalButton({ navigate }: { navigate?: (url: string) => void }) {
  return <ManageBillingButton navigate={navigate}>Invoices and billing</ManageBillingButton>;
}
