import { Entitled, useEntitlements } from '@tillkit/react';
import { proFeature } from '../config';
import { useStrings } from '../i18n/strings';
import { ProLocked } from './pro-locked';

/** The Pro page's content, for the customers whose plan has the Pro feature. */
export function ProGate({ userId }: { userId: string }) {
  const t = useStrings();
  // The same answer `<Entitled>` reads (one request for both), and the way to read it again.
  const { refresh } = useEntitlements();
  return (
    <Entitled
      feature={proFeature}
      loading={
        <p role="status" className="muted">
          {t.proChecking}
        </p>
      }
      fallback={<ProLocked checkAgain={refresh} />}
    >
      <section className="card unlocked">
        <h2>{t.proWelcome}</h2>
        <p>{t.proContent}</p>
        <p>
          {t.proContact}: <a href="mailto:support@example.com">support@example.com</a> ({userId})
        </p>
      </section>
    </Entitled>
  );
}
