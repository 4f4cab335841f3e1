/**
 * Plans with a monthly/yearly toggle; choosing one subscribes in place (SubscribeForm), with the
 * Pro plan highlighted.
 */
import { PricingTable } from '@tillkit/react';

export function EmbeddedPricingTable({ highlightedPlan = 'prod_tillkit_pro' }) {
  return (
    <PricingTable
      highlightedPlan={highlightedPlan}
      onSubscribed={(subscription) => console.info('subscribed', subscription.id)}
    />
  );
}
