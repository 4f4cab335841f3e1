import { PaymentStatus, usePaymentStatus, useProducts } from '@tillkit/react';
import { useEffect } from 'react';
import { priceCart } from '../catalog/price-cart';
import { Page } from '../components/page';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { useCart } from '../state/cart';
import { completeOrder, useOrders } from '../state/orders';

/**
 * Where Stripe sends the customer back after a payment method that leaves the page (the
 * checkout's `returnUrl`): `PaymentStatus` reads the intent from the address and says how it
 * went. Once it has succeeded, the cart's lines in its currency (what the checkout priced) become
 * the order.
 */
export function PaymentReturnPage() {
  const t = useStrings();
  const status = usePaymentStatus();
  const catalog = useProducts();
  const cart = useCart();
  const orders = useOrders();
  const { state } = status;
  const paid = state.status === 'succeeded' && state.kind === 'payment' ? state.intent : null;
  const group =
    paid && catalog.status === 'ready'
      ? priceCart(cart, catalog.products).find((candidate) => candidate.currency === paid.currency)
      : undefined;
  useEffect(() => {
    if (paid && group) completeOrder(paid, group);
  }, [paid, group]);
  const ordered = paid && orders.some((order) => order.id === paid.id) ? paid : null;
  return (
    <Page title={t.returnTitle}>
      <PaymentStatus.RootProvider value={status}>
        <PaymentStatus.Message />
        <PaymentStatus.Authenticate />
        <PaymentStatus.Refresh />
        {status.status === 'failed' ? (
          <Link href="/checkout" className="button button--primary">
            {status.messages.tryAgain}
          </Link>
        ) : null}
      </PaymentStatus.RootProvider>
      <p>
        {ordered ? (
          <Link href={`/orders/${ordered.id}`}>{t.viewOrder}</Link>
        ) : (
          <Link href="/">{t.continueShopping}</Link>
        )}
      </p>
    </Page>
  );
}
