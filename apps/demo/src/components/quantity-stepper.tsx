import { formatMessage } from '@tillkit/react';
import { useStrings } from '../i18n/strings';
import { MAX_QUANTITY, setQuantity } from '../state/cart';

/** − 2 +: a line's quantity, from 1 to 99 (Remove takes the line out). */
export function QuantityStepper({
  price,
  name,
  quantity,
}: {
  price: string;
  name: string;
  quantity: number;
}) {
  const t = useStrings();
  return (
    <fieldset aria-label={formatMessage(t.quantityOf, { name })} className="stepper">
      <button
        type="button"
        aria-label={t.oneFewer}
        disabled={quantity <= 1}
        onClick={() => setQuantity(price, quantity - 1)}
      >
        −
      </button>
      <output aria-live="polite">{quantity}</output>
      <button
        type="button"
        aria-label={t.oneMore}
        disabled={quantity >= MAX_QUANTITY}
        onClick={() => setQuantity(price, quantity + 1)}
      >
        +
      </button>
    </fieldset>
  );
}
