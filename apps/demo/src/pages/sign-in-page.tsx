import { formatMessage, TillkitApiError } from '@tillkit/react';
import { type FormEvent, useId, useState } from 'react';
import { Page } from '../components/page';
import { demoCustomers } from '../config';
import { useStrings } from '../i18n/strings';
import { navigate, safePath, useLocation } from '../router/history';
import { signIn } from '../state/session';

/** The sandbox's demo sign-in: a demo customer, or any customer id. */
export function SignInPage() {
  const t = useStrings();
  const location = useLocation();
  const next = safePath(location.searchParams.get('next'), '/account');
  const [userId, setUserId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const errorId = useId();

  const signInAs = async (id: string, email?: string) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(id, email);
      navigate(next, { replace: true });
    } catch (failure) {
      const reason = failure instanceof TillkitApiError ? failure.message : String(failure);
      setError(formatMessage(t.signInFailed, { reason }));
      setBusy(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!busy && userId.trim()) void signInAs(userId.trim());
  };

  return (
    <Page title={t.signInTitle} lead={t.signInLead}>
      <div className="card stack sign-in">
        <div className="actions">
          {demoCustomers.map((customer) => (
            <button
              key={customer.userId}
              type="button"
              className="button"
              disabled={busy}
              onClick={() => signInAs(customer.userId, customer.email)}
            >
              {formatMessage(t.signInAs, { name: customer.name })}
            </button>
          ))}
        </div>
        <form className="stack stack--tight" onSubmit={submit}>
          <div className="field">
            <label htmlFor={inputId}>{t.customerId}</label>
            <input
              id={inputId}
              name="userId"
              required
              maxLength={200}
              autoComplete="username"
              value={userId}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => setUserId(event.target.value)}
            />
          </div>
          <p>
            <button type="submit" className="button button--primary" disabled={busy}>
              {t.signIn}
            </button>
          </p>
        </form>
        <p id={errorId} role="alert" className="error">
          {error}
        </p>
      </div>
    </Page>
  );
}
