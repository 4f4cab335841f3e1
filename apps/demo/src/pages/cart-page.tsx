import { formatMessage, useProducts } from '@tillkit/react';
import { priceCart } from '../catalog/price-cart';
import { CartGroup } from '../components/cart-group';
import { CatalogStatus } from '../components/catalog-status';
import { Page } from '../components/page';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { useCart } from '../state/cart';

export function CartPage() {
  const t = useStrings();
  const catalog = useProducts();
  const cart = useCart();
  if (catalog.status !== 'ready') {
    return (
      <Page title={t.cartTitle}>
        <CatalogStatus status={catalog.status} retry={catalog.refresh} />
      </Page>
    );
  }
  const groups = priceCart(cart, catalog.products);
  return (
    <Page title={t.cartTitle}>
      {groups.length === 0 ? (
        <p>
          {t.cartEmpty} <Link href="/">{t.continueShopping}</Link>
        </p>
      ) : (
        <>
          {groups.length > 1 ? (
            <p className="notice">
              {formatMessage(t.separateCurrencies, { count: String(groups.length) })}
            </p>
          ) : null}
          <div className="stack">
            {groups.map((group) => (
              <CartGroup key={group.currency} group={group} titled={groups.length > 1} />
            ))}
          </div>
        </>
      )}
    </Page>
  );
}
