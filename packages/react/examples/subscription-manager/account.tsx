/**
 * An account page: the customer's subscriptions (cancel, resume, change plan, fix a payment in
 * place) and a link to Stripe's customer portal for invoices.
 */
import { ManageBillingButton, SubscriptionManager } from '@tillkit/react';

export function AccountSubscriptions({ navigate }: { navigate?: (url: string) => void }) {
  return (
    <section aria-labelledby="subscriptions-title">
      <h2 id="subscriptions-title">Subscriptions</h2>
      <SubscriptionManager />
      <ManageBillingButton returnUrl="https://shop.example/account" navigate={navigate} />
    </section>
  );
}
