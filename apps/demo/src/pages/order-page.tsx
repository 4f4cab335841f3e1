import { formatMessage, useProducts } from '@tillkit/react';
import { priceCart } from '../catalog/price-cart';
import { OrderLines } from '../components/order-lines';
import { OrderReceipt } from '../components/order-receipt';
import { OtherCurrencies } from '../components/other-currencies';
import { Page } from '../components/page';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { useCart } from '../state/cart';
import { useOrders } from '../state/orders';
import { locales, usePreferences } from '../state/preferences';

/** The order confirmation: what was paid, as Stripe charged it (the PaymentIntent's amount). */
export function OrderPage({ id }: { id: string }) {
  const t = useStrings();
  const locale = locales[usePreferences().language];
  const order = useOrders().find((candidate) => candidate.id === id);
  const catalog = useProducts();
  const cart = useCart();
  if (!order) {
    return (
      <Page title={t.orderTitle}>
        <p>
          {formatMessage(t.orderNotFound, { id })} <Link href="/">{t.backToShop}</Link>
        </p>
      </Page>
    );
  }
  const left = catalog.status === 'ready' ? priceCart(cart, catalog.products) : [];
  return (
    <Page
      title={t.orderTitle}
      lead={order.status === 'succeeded' ? t.orderConfirmed : t.orderProcessing}
    >
      <section className="card">
        <dl className="facts">
          <div>
            <dt>{t.orderNumber}</dt>
            <dd>
              <code>{order.id}</code>
            </dd>
          </div>
          <div>
            <dt>{t.orderDate}</dt>
            <dd>
              {new Date(order.createdAt).toLocaleString(locale, {
                dateStyle: 'long',
                timeStyle: 'short',
              })}
            </dd>
          </div>
        </dl>
        <OrderLines
          lines={order.lines.map((line) => ({ ...line, amount: line.unitAmount * line.quantity }))}
          currency={order.currency}
          total={order.amount}
          totalLabel={t.totalPaid}
        />
        <OrderReceipt order={order} />
      </section>
      <OtherCurrencies groups={left} message={t.stillInCart} />
      <p>
        <Link href="/">{t.continueShopping}</Link>
      </p>
    </Page>
  );
}
