import { formatMessage } from '@tillkit/react';
import { apiBase } from '../config';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { useServerMode } from '../state/use-server-mode';

/** What kind of money this is: the sandbox (or Stripe's test mode), with the card to type. */
export function SandboxBanner() {
  const t = useStrings();
  const mode = useServerMode();
  if (mode === 'unreachable') {
    return (
      <p className="banner banner--error" role="alert">
        {formatMessage(t.serverUnreachable, { apiBase })}
      </p>
    );
  }
  // Its line is kept while the server is asked, so the page does not move down under a click
  // when the answer comes (a live server's collapses, once).
  if (mode === 'loading') {
    return (
      <p className="banner" aria-hidden="true">
        {'\u00a0'}
      </p>
    );
  }
  if (mode !== 'sandbox' && mode !== 'test') return null;
  return (
    <p className="banner">
      {mode === 'sandbox' ? t.sandboxNotice : t.testModeNotice} <code>4242 4242 4242 4242</code>
      {' · '}
      <Link href="/test-cards">{t.allTestCards}</Link>
    </p>
  );
}
