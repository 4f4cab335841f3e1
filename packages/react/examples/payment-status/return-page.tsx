/**
 * The page Stripe sends the customer back to (`returnUrl`): reads the intent from the address and
 * shows succeeded, processing (checked again with back-off), failed, requires action, or unknown
 * (the intent could not be read: "Check again", never "Try again").
 */
import { PaymentStatus } from '@tillkit/react';

export function ReturnPage({ clientSecret }: { clientSecret?: string }) {
  return <PaymentStatus clientSecret={clientSecret} retryHref="/checkout" />;
}
