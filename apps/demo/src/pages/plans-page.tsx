import { PricingTable } from '@tillkit/react';
import { useId, useState } from 'react';
import { Page } from '../components/page';
import { highlightedPlan } from '../config';
import { useStrings } from '../i18n/strings';
import { navigate } from '../router/history';
import { Link } from '../router/link';
import { useSession } from '../state/session';
import { usePromotionCodes, useServerMode } from '../state/use-server-mode';

type CheckoutMode = 'embedded' | 'hosted';

/**
 * The "Where to pay" choice, kept for the tab: the customer who comes back from Stripe's page
 * (Back, or its cancel link) finds the page as they left it, not switched back to paying here.
 */
const MODE_KEY = 'tillkit-demo:checkout-mode';

function storedMode(): CheckoutMode {
  try {
    return window.sessionStorage.getItem(MODE_KEY) === 'hosted' ? 'hosted' : 'embedded';
  } catch {
    return 'embedded';
  }
}

function storeMode(mode: CheckoutMode): void {
  try {
    window.sessionStorage.setItem(MODE_KEY, mode);
  } catch {
    // Storage disabled: the choice lasts as long as the page.
  }
}

/**
 * The catalog's plans with `PricingTable`: subscribing in place (`SubscribeForm`), or on Stripe's
 * hosted Checkout page (`checkout="hosted"`), which comes back to the account page; when the
 * server takes promotion codes (`GET /config`), the form in place has a field for one and the page
 * says where to enter it (and, in the sandbox, which code to try).
 */
export function PlansPage() {
  const t = useStrings();
  const session = useSession();
  const promotionCodes = usePromotionCodes();
  const sandbox = useServerMode() === 'sandbox';
  const [mode, setMode] = useState<CheckoutMode>(storedMode);
  const [subscribed, setSubscribed] = useState(false);
  const name = useId();
  const origin = window.location.origin;
  const modes: Array<[CheckoutMode, string]> = [
    ['embedded', t.modeEmbedded],
    ['hosted', t.modeHosted],
  ];
  return (
    <Page title={t.plansTitle} lead={t.plansLead}>
      {session ? null : (
        <p className="notice">
          <Link href="/sign-in?next=/plans">{t.signInToSubscribe}</Link>
        </p>
      )}
      <fieldset className="segmented">
        <legend>{t.checkoutMode}</legend>
        {modes.map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={name}
              value={value}
              checked={mode === value}
              onChange={() => {
                setMode(value);
                storeMode(value);
              }}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {promotionCodes && (mode === 'hosted' || sandbox) ? (
        <p className="notice">
          {mode === 'hosted' ? `${t.promotionCodeHint} ` : null}
          {sandbox ? t.sandboxPromotionCode : null}
        </p>
      ) : null}
      {subscribed ? (
        <p role="status" className="notice notice--success">
          {t.subscribedNext} <Link href="/account">{t.goToAccount}</Link> ·{' '}
          <Link href="/pro">{t.openPro}</Link>
        </p>
      ) : null}
      <PricingTable
        // Right under the page's <h1>: each plan's name is an <h2>.
        headingLevel={2}
        highlightedPlan={highlightedPlan}
        checkout={mode}
        successUrl={`${origin}/account?checkout=success`}
        cancelUrl={`${origin}/plans`}
        // Subscribing needs a customer: a guest who chooses a plan signs in first.
        onSelect={session ? undefined : () => navigate('/sign-in?next=/plans')}
        onSubscribed={() => setSubscribed(true)}
        // The form in place takes codes too when the server does.
        promotionCodes={promotionCodes}
      />
    </Page>
  );
}
