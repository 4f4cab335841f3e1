import {
  formatMessage,
  ManageBillingButton,
  PaymentHistory,
  SubscriptionManager,
} from '@tillkit/react';
import { useState } from 'react';
import { AdvanceClock } from '../components/advance-clock';
import { Page } from '../components/page';
import { SavedCardsPanel } from '../components/saved-cards-panel';
import { useStrings } from '../i18n/strings';
import { useLocation } from '../router/history';
import { Link } from '../router/link';
import { useSession } from '../state/session';
import { useServerMode } from '../state/use-server-mode';

/**
 * The signed-in customer's subscriptions (`SubscriptionManager`), the customer portal
 * (`ManageBillingButton`), their cards (`SavedCards`, `SaveCardForm`) and their orders
 * (`PaymentHistory`).
 */
export function AccountPage() {
  const t = useStrings();
  const session = useSession();
  const location = useLocation();
  const sandbox = useServerMode() === 'sandbox';
  // Read the subscriptions again once the sandbox's clock moved.
  const [round, setRound] = useState(0);
  if (!session) {
    return (
      <Page title={t.accountTitle}>
        <p>
          {t.accountSignedOut} <Link href="/sign-in?next=/account">{t.signIn}</Link>
        </p>
      </Page>
    );
  }
  return (
    <Page title={t.accountTitle} lead={formatMessage(t.accountLead, { user: session.userId })}>
      {location.searchParams.get('checkout') === 'success' ? (
        <p className="notice notice--success">{t.checkoutReturned}</p>
      ) : null}
      <div className="account">
        <section className="stack" aria-labelledby="subscriptions-title">
          <h2 id="subscriptions-title">{t.subscriptions}</h2>
          <SubscriptionManager key={round} />
          <p className="muted">{t.billingPortal}</p>
          <p>
            <ManageBillingButton
              className="button"
              returnUrl={`${window.location.origin}/account`}
            />
          </p>
          {sandbox ? (
            <>
              <h3>{t.timeTravel}</h3>
              <AdvanceClock onAdvanced={() => setRound((count) => count + 1)} />
            </>
          ) : null}
        </section>
        <section className="stack" aria-labelledby="cards-title">
          <h2 id="cards-title">{t.paymentMethods}</h2>
          <SavedCardsPanel />
        </section>
        <section className="stack" aria-labelledby="orders-title">
          <h2 id="orders-title">{t.orders}</h2>
          <PaymentHistory />
        </section>
      </div>
    </Page>
  );
}
