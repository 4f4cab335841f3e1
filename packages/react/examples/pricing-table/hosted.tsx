/** Plans that send the customer to Stripe's hosted Checkout page to subscribe. */
import { PricingTable } from '@tillkit/react';

export function HostedPricingTable({
  navigate,
}: {
  /** Where to go (tests); the browser's location by default. */
  navigate?: (url: string) => void;
}) {
  return (
    <PricingTable
      checkout="hosted"
      defaultInterval="year"
      successUrl="https://shop.example/welcome?session={CHECKOUT_SESSION_ID}"
      cancelUrl="https://shop.example/pricing"
      navigate={navigate}
    />
  );
}
