/**
 * The host page of the e2e suite: a tiny shop that uses `@tillkit/react` from source, as an app
 * would. It is given only the server's `apiBase` (so the provider reads `/config` and loads the
 * sandbox's Stripe.js itself) and, for a signed-in customer, a token from the server's sandbox
 * sign-in route. One view per address, chosen by the query string:
 *
 * - `?api=…&view=pay&price=…&quantity=2` a cart paid with `PaymentForm`
 * - `?api=…&view=cards&user=…`           `SavedCards` (and its status line) above `SaveCardForm`
 * - `?api=…&view=plans&user=…`           `PricingTable`, subscribing in place (promotion codes on)
 * - `?api=…&view=hosted&user=…`          `PricingTable` through Stripe Checkout, back to `account`
 * - `?api=…&view=account&user=…`         `SubscriptionManager`, an `<Entitled>` feature and
 *                                          `ManageBillingButton` (the portal returns here)
 *
 * (`user` on `pay` too: a signed-in checkout, with the customer's saved cards.)
 */
import {
  Entitled,
  ManageBillingButton,
  PaymentForm,
  PricingTable,
  SaveCardForm,
  SavedCards,
  SubscriptionManager,
  TillkitProvider,
  useSavedCards,
} from '@tillkit/react';
import { type ReactNode, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

const query = new URLSearchParams(window.location.search);
const apiBase = query.get('api') ?? '';
const user = query.get('user');

/** The demo sign-in of a server in sandbox mode: `{ userId }` → `{ token }`. */
async function signIn(userId: string): Promise<string> {
  const response = await fetch(`${apiBase}/_sandbox/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const token = user ? signIn(user) : null;

function Pay() {
  const [paid, setPaid] = useState<string | null>(null);
  const items = [{ price: query.get('price') ?? '', quantity: Number(query.get('quantity') ?? 1) }];
  return (
    <>
      <PaymentForm items={items} onSuccess={(intent) => setPaid(intent.id)} />
      {paid ? <p data-testid="paid">{paid}</p> : null}
    </>
  );
}

function Cards() {
  const cards = useSavedCards();
  return (
    <>
      <SavedCards.RootProvider value={cards}>
        <SavedCards.List />
        <SavedCards.Error />
        <p role="status">{cards.notice}</p>
      </SavedCards.RootProvider>
      <SaveCardForm currency="usd" onSuccess={cards.refresh} />
    </>
  );
}

function Account() {
  return (
    <>
      <SubscriptionManager />
      <Entitled
        feature="priority_support"
        loading={<p>Checking your plan…</p>}
        fallback={<p>Priority support comes with Pro.</p>}
      >
        <p>Priority support is on: write to us any time.</p>
      </Entitled>
      <ManageBillingButton />
    </>
  );
}

/** Checkout's success page: the account view, told which session was paid. */
function accountAfterCheckout(): string {
  const url = new URL(window.location.href);
  url.searchParams.set('view', 'account');
  // Stripe fills in the placeholder, which URLSearchParams would percent-encode.
  return `${url}&session_id={CHECKOUT_SESSION_ID}`;
}

const views: Record<string, () => ReactNode> = {
  pay: Pay,
  cards: Cards,
  // The e2e server takes promotion codes: the form in place offers a field for one.
  plans: () => <PricingTable highlightedPlan="prod_tillkit_pro" promotionCodes />,
  hosted: () => <PricingTable checkout="hosted" successUrl={accountAfterCheckout()} />,
  account: Account,
};
const View = views[query.get('view') ?? 'pay'] ?? (() => <p>No such view.</p>);

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <TillkitProvider apiBase={apiBase} {...(token ? { getAuthToken: () => token } : {})}>
      <main>
        <h1>Tillkit e2e shop</h1>
        <View />
      </main>
    </TillkitProvider>
  </StrictMode>,
);
