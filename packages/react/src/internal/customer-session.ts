'use client';
/**
 * A signed-in caller's saved cards for the card forms: the secret of a Customer Session
 * (`POST /customer-sessions`), which the Payment Element lists them from. The forms give it when
 * the Elements group is made, as Stripe's guide does, so they wait for it: '' for none. A guest
 * (no token) asks nothing; a failure, a refusal or an answer slower than 3 s is no saved cards,
 * never an error (and is tried again 5 minutes later). Read once per server and form (not cached
 * by the provider), and again a minute before Stripe expires it (30 minutes on), once the page is
 * looked at: the form hands the fresh secret to its group (`elements.update()`), so a form left
 * open still lists the cards.
 * @see https://docs.stripe.com/payments/existing-customers?platform=web&ui=elements
 */
import { createCustomerSession, type Transport } from '@tillkit/protocol/client';
import { useEffect, useState } from 'react';

const MINUTE = 6e4;

/** The secret ('' for none; null while the first read is on), read with `transport`. */
export function useCustomerSession(transport: Transport | null): string | null {
  const [session, setSession] = useState<{ transport: Transport; secret: string } | null>(null);
  useEffect(() => {
    if (!transport) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let active = true;
    // A renewal waits for the page to be looked at (the first read never does).
    const renew = () => {
      if (document.hidden) document.addEventListener('visibilitychange', renew, { once: true });
      else void read();
    };
    const read = async () => {
      let secret: string | null | undefined;
      // When to read again: a failure in 5 minutes; a session a minute before it expires.
      let wait = 0;
      // Whatever fails here (the host's token getter too) must not leave the form loading.
      try {
        const answer = (await transport.getAuthToken?.())
          ? await createCustomerSession(transport, {}, { signal: AbortSignal.timeout(3e3) })
          : null;
        secret = answer?.clientSecret;
        wait = answer?.expiresAt ? Date.parse(answer.expiresAt) - Date.now() - MINUTE : Number.NaN;
      } catch {}
      if (!active) return;
      // A failed renewal keeps the secret there is.
      setSession((last) =>
        secret
          ? { transport, secret }
          : last?.transport === transport
            ? last
            : { transport, secret: '' },
      );
      // Between 5 and 29 minutes, whatever the device's clock says; never for a guest.
      if (!Number.isNaN(wait)) {
        timer = setTimeout(renew, Math.min(Math.max(wait, 5 * MINUTE), 29 * MINUTE));
      }
    };
    void read();
    return () => {
      active = false;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', renew);
    };
  }, [transport]);
  return session?.transport === transport ? session.secret : null;
}
