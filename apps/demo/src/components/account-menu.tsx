import { formatMessage } from '@tillkit/react';
import { useStrings } from '../i18n/strings';
import { useLocation } from '../router/history';
import { Link } from '../router/link';
import { signOut, useSession } from '../state/session';

/** "Sign in", or who is signed in and "Sign out". */
export function AccountMenu() {
  const t = useStrings();
  const session = useSession();
  const { pathname, search } = useLocation();
  if (!session) {
    // Back to the very page, with its query (the checkout of `?currency=jpy`, not the first one).
    const next = pathname === '/sign-in' ? '' : `?next=${encodeURIComponent(pathname + search)}`;
    return (
      <Link href={`/sign-in${next}`} className="button button--primary">
        {t.signIn}
      </Link>
    );
  }
  return (
    <div className="account-menu">
      <span className="account-menu__user">
        {formatMessage(t.signedInAs, { user: session.userId })}
      </span>
      <button type="button" className="button button--ghost" onClick={signOut}>
        {t.signOut}
      </button>
    </div>
  );
}
