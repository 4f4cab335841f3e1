import { formatMessage, useProducts } from '@tillkit/react';
import { useState } from 'react';
import { CatalogStatus } from '../components/catalog-status';
import { Page } from '../components/page';
import { ProductCard } from '../components/product-card';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';

/**
 * The goods sold once: the catalog's one-time prices (`useProducts()`: `GET /prices`, read once
 * per provider and shared with the checkout's `PaymentForm`).
 */
export function ShopPage() {
  const t = useStrings();
  const catalog = useProducts({ type: 'one_time' });
  const [added, setAdded] = useState<string | null>(null);
  return (
    <Page title={t.shopTitle} lead={t.shopLead}>
      {catalog.status !== 'ready' ? (
        <CatalogStatus status={catalog.status} retry={catalog.refresh} />
      ) : catalog.products.length ? (
        <ul className="product-grid">
          {catalog.products.map((product) => (
            <ProductCard
              key={product.id}
              product={product}
              onAdded={(chosen) => setAdded(chosen.name)}
            />
          ))}
        </ul>
      ) : (
        <p>{t.noProducts}</p>
      )}
      <div role="status" className="toast" data-open={added ? '' : undefined}>
        {added ? (
          <>
            {formatMessage(t.added, { name: added })} <Link href="/cart">{t.viewCart}</Link>
          </>
        ) : null}
      </div>
    </Page>
  );
}
