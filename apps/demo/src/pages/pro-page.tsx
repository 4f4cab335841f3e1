import { Page } from '../components/page';
import { ProGate } from '../components/pro-gate';
import { ProLocked } from '../components/pro-locked';
import { useStrings } from '../i18n/strings';
import { useSession } from '../state/session';

/**
 * A page only Pro customers see (`<Entitled>`). A guest has no plan: the server is not asked (it
 * would answer 401).
 */
export function ProPage() {
  const t = useStrings();
  const session = useSession();
  return (
    <Page title={t.proTitle}>{session ? <ProGate userId={session.userId} /> : <ProLocked />}</Page>
  );
}
