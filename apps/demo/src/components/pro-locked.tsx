import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { useSession } from '../state/session';

/**
 * What a customer without Pro sees on the Pro page. `checkAgain` (signed in) is the gate's
 * `useEntitlements().refresh`; a guest, whom the page never asks the server about, gets none.
 */
export function ProLocked({ checkAgain }: { checkAgain?: () => void }) {
  const t = useStrings();
  const session = useSession();
  return (
    <section className="card locked">
      <svg className="locked__icon" viewBox="0 0 24 24" width="40" height="40" aria-hidden="true">
        <path
          d="M6 11h12v9H6zM8.5 11V8a3.5 3.5 0 0 1 7 0v3"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinejoin="round"
        />
      </svg>
      <p>{t.proLocked}</p>
      <p className="actions">
        <Link href="/plans" className="button button--primary">
          {t.seePlans}
        </Link>
        {session && checkAgain ? (
          <button type="button" className="button" onClick={checkAgain}>
            {t.checkAgain}
          </button>
        ) : (
          <Link href="/sign-in?next=/pro" className="button">
            {t.signIn}
          </Link>
        )}
      </p>
      {/* Entitlements come from the server's database, which learns of a new plan from Stripe's
          webhook a moment after the customer subscribed. */}
      {session ? <p className="muted">{t.justSubscribed}</p> : null}
    </section>
  );
}
