/** Provider setup: where the server is, the signed-in user's token, the card fields' look. */
import { TillkitProvider, toStripeAppearance } from '@tillkit/react';
import type { ReactNode } from 'react';

const appearance = toStripeAppearance({ colorPrimary: '#0a58ca', borderRadius: '6px' });

export function ProviderSetup({
  children,
  getToken,
}: {
  children: ReactNode;
  getToken?: () => string | null;
}) {
  return (
    // No publishableKey: the provider reads it from `${apiBase}/config` (and, when the server runs
    // against the Stripe sandbox, loads the sandbox's Stripe.js instead of Stripe's).
    <TillkitProvider apiBase="/api" getAuthToken={getToken} appearance={appearance}>
      {children}
    </TillkitProvider>
  );
}
