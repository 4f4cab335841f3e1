/** Shows a feature to the customers who paid for it, and an upgrade link to the others. */
import { Entitled, useEntitlements } from '@tillkit/react';

/** `feature`: the lookup key of the Stripe Entitlements feature the Pro plan grants. */
export function PriorityFeature({ feature = 'priority_support' }: { feature?: string }) {
  return (
    <Entitled
      feature={feature}
      fallback={<a href="/pricing">Upgrade to Pro for priority support</a>}
      loading={<p aria-busy="true">Checking your plan…</p>}
    >
      <p>Chat with our team: we answer within the hour.</p>
    </Entitled>
  );
}

export function PlanBadge() {
  const { entitlements } = useEntitlements();
  const plan = entitlements?.subscriptions[0];
  return plan ? <span>{plan.productName}</span> : null;
}
