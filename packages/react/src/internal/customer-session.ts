/**
 * A signed-in caller's saved cards for the card forms: the secret of a Customer Session
 * (`POST /customer-sessions`), which the Payment Element lists them from. The forms give it when
 * the Elements group is made, as Stripe's guide does, so they wait for it: '' for none. A guest (no token) asks nothing;
 * a failure, a refusal or an answer slower than 3 s is no saved cards, never an error. Read once
 * per server and form (not cached by the provider): a session's secret expires in 30 minutes.
 * @see https://docs.stripe.com/payments/existing-customers?platform=web&ui=elements
 */
import { createCustomerSession, type Transport } from '@tillkit/protocol/client';

export async function readCustomerSession(transport: Transport): Promise<string> {
  // Whatever fails here (the host's token getter too) must not leave the form loading.
  try {
    return (await transport.getAuthToken?.())
      ? ((await createCustomerSession(transport, {}, { signal: AbortSignal.timeout(3e3) }))
          .clientSecret ?? '')
      : '';
  } catch {
    return '';
  }
}
