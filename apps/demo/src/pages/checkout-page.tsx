import { PaymentForm, useProducts } from '@tillkit/react';
import { useEffect, useId, useRef, useState } from 'react';
import { type PricedGroup, priceCart } from '../catalog/price-cart';
import { CatalogStatus } from '../components/catalog-status';
import { OrderLines } from '../components/order-lines';
import { OtherCurrencies } from '../components/other-currencies';
import { Page } from '../components/page';
import { useStrings } from '../i18n/strings';
import { navigate, useLocation } from '../router/history';
import { Link } from '../router/link';
import { useCart } from '../state/cart';
import { completeOrder } from '../state/orders';
import { useSession } from '../state/session';

/**
 * Pays the cart's lines in one currency (`?currency=usd`, else the first) with `PaymentForm`:
 * the server prices the cart again and creates the PaymentIntent only when the customer pays.
 * A guest may give an email for the receipt (`receiptEmail`); a signed-in customer's Stripe
 * customer has one already.
 */
export function CheckoutPage() {
  const t = useStrings();
  const catalog = useProducts();
  const cart = useCart();
  const session = useSession();
  const location = useLocation();
  const [saveCard, setSaveCard] = useState(false);
  const saveId = useId();
  const [email, setEmail] = useState('');
  // The browser's own check (`type="email"`): a malformed address is not sent (the server would
  // refuse the payment's request for it).
  const [emailValid, setEmailValid] = useState(true);
  const emailId = useId();
  // The lines as the customer pressed Pay: what the payment is for. The cart may change meanwhile
  // (another tab adds to it while the bank's dialog is open), and the order is what was paid.
  const paying = useRef<PricedGroup | null>(null);
  // A reload or a closed tab while the payment is on its way loses its answer, not the payment:
  // Stripe may take the money, and the page loaded again would offer to pay the same cart once
  // more. While the form is busy (`aria-busy`: confirming, or the bank's dialog open), the browser
  // asks first.
  const payment = useRef<HTMLElement>(null);
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (payment.current?.querySelector('form[aria-busy="true"]')) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  if (catalog.status !== 'ready') {
    return (
      <Page title={t.checkoutTitle}>
        <CatalogStatus status={catalog.status} retry={catalog.refresh} />
      </Page>
    );
  }
  const groups = priceCart(cart, catalog.products);
  const wanted = location.searchParams.get('currency');
  const group = groups.find((candidate) => candidate.currency === wanted) ?? groups[0];
  if (!group) {
    return (
      <Page title={t.checkoutTitle}>
        <p>
          {t.nothingToPay} <Link href="/">{t.continueShopping}</Link>
        </p>
      </Page>
    );
  }
  const items = group.lines.map((line) => ({ price: line.price.id, quantity: line.quantity }));
  return (
    <Page title={t.checkoutTitle}>
      <OtherCurrencies
        groups={groups.filter((other) => other !== group)}
        message={t.otherCurrencies}
      />
      <div className="checkout">
        <section className="card" aria-labelledby="summary-title">
          <h2 id="summary-title">{t.orderSummary}</h2>
          <OrderLines
            lines={group.lines.map(({ product, quantity, amount }) => ({
              name: product.name,
              quantity,
              amount,
            }))}
            currency={group.currency}
            total={group.total}
            totalLabel={t.total}
          />
          <Link href="/cart">{t.editCart}</Link>
        </section>
        <section ref={payment} aria-labelledby="payment-title">
          <h2 id="payment-title">{t.payment}</h2>
          {session ? (
            <div className="field field--check">
              <input
                id={saveId}
                type="checkbox"
                checked={saveCard}
                onChange={(event) => setSaveCard(event.target.checked)}
              />
              <label htmlFor={saveId}>{t.saveCard}</label>
            </div>
          ) : (
            <>
              <p className="muted">
                <Link
                  href={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}
                >
                  {t.signInToSave}
                </Link>
              </p>
              <div className="field field--spaced">
                <label htmlFor={emailId}>{t.receiptEmail}</label>
                <input
                  id={emailId}
                  type="email"
                  name="email"
                  autoComplete="email"
                  maxLength={320}
                  // A domain of two or more labels, as Stripe (and the server) take: the browser's
                  // own check lets `buyer@localhost` through.
                  pattern="[^\s@]+@[^\s@.]+(\.[^\s@.]+)+"
                  value={email}
                  aria-invalid={!emailValid}
                  aria-describedby={emailValid ? undefined : `${emailId}-error`}
                  onChange={(event) => {
                    setEmail(event.target.value);
                    setEmailValid(event.target.validity.valid);
                  }}
                />
                {emailValid ? null : (
                  <p id={`${emailId}-error`} className="field__error">
                    {t.receiptEmailInvalid}
                  </p>
                )}
              </div>
            </>
          )}
          <PaymentForm
            items={items}
            // Only for payment methods that leave the page; cards confirm in place (3D Secure in
            // a dialog), so onSuccess runs here.
            returnUrl={`${window.location.origin}/checkout/complete`}
            savePaymentMethod={Boolean(session) && saveCard}
            // Empty sends none; a changed one after a decline updates the same PaymentIntent.
            receiptEmail={session || !emailValid ? undefined : email.trim()}
            onSubmit={() => {
              paying.current = group;
            }}
            onSuccess={(intent) => {
              completeOrder(intent, paying.current ?? group);
              navigate(`/orders/${intent.id}`, { replace: true });
            }}
          />
        </section>
      </div>
    </Page>
  );
}
