/**
 * A renewal whose card asked for 3D Secure: the server hands over the intent's client secret and
 * the customer confirms it in place.
 */
import { AuthenticatePayment } from '@tillkit/react';

export function RenewalNeedsAuthentication({ clientSecret }: { clientSecret: string }) {
  return (
    <section aria-labelledby="renewal-title">
      <h2 id="renewal-title">Your Pro plan renewal</h2>
      <AuthenticatePayment
        clientSecret={clientSecret}
        onSuccess={() => console.info('renewed')}
        onError={(error) => console.warn(error.code)}
      />
    </section>
  );
}
