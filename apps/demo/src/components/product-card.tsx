import type { ProductEntry } from '@tillkit/react';
import { useId, useState } from 'react';
import { useStrings } from '../i18n/strings';
import { addToCart } from '../state/cart';
import { ProductArt } from './product-art';

/**
 * One product and its one-time prices. A product sold in several currencies (the T-shirt: USD or
 * KWD; the mug: USD or JPY) lets the customer choose one, the first listed at first (the server
 * lists a product's prices oldest first, and the seed creates the default price first).
 */
export function ProductCard({
  product,
  onAdded,
}: {
  product: ProductEntry;
  onAdded(product: ProductEntry): void;
}) {
  const t = useStrings();
  const [chosen, setChosen] = useState(product.prices[0]?.id ?? '');
  const price = product.prices.find((candidate) => candidate.id === chosen) ?? product.prices[0];
  const nameId = useId();
  const currencyId = useId();
  if (!price) return null;
  return (
    <li className="product-card">
      <article aria-labelledby={nameId}>
        <ProductArt productId={product.id} />
        <h2 id={nameId}>{product.name}</h2>
        {product.description ? <p className="muted">{product.description}</p> : null}
        <ul className="features">
          {product.features.map((feature) => (
            <li key={feature}>{feature}</li>
          ))}
        </ul>
        <div className="product-card__buy">
          <p className="price">{price.formattedAmount}</p>
          {product.prices.length > 1 ? (
            <div className="field field--inline">
              <label htmlFor={currencyId}>{t.currency}</label>
              <select
                id={currencyId}
                value={price.id}
                onChange={(event) => setChosen(event.target.value)}
              >
                {product.prices.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.currency.toUpperCase()}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button
            type="button"
            className="button button--primary"
            aria-describedby={nameId}
            onClick={() => {
              addToCart(price.id);
              onAdded(product);
            }}
          >
            {t.addToCart}
          </button>
        </div>
      </article>
    </li>
  );
}
