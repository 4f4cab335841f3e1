import { formatMessage } from '@tillkit/react';
import { useState } from 'react';
import { oneTimeProducts, useCatalog } from '../catalog/use-catalog';
import { CatalogStatus } from '../components/catalog-status';
import { Page } from '../components/page';
import { ProductCard } from '../components/product-card';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';

/** The goods sold once: the catalog's one-time prices (`GET /prices`, through the provider). */
export function ShopPage() {
  const t = useStrings();
  const catalog = useCatalog();
  const [added, setAdded] = useState<string | null>(null);
  const products = catalog.status === 'ready' ? oneTimeProducts(catalog.products) : [];
  return (
    <Page title={t.shopTitle} lead={t.shopLead}>
      {catalog.status !== 'ready' ? (
        <CatalogStatus status={catalog.status} retry={catalog.retry} />
      ) : products.length ? (
        <ul className="product-grid">
          {products.map((product) => (
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
