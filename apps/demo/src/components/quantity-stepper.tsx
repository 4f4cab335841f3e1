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
  const fewer = quantity > 1;
  const more = quantity < MAX_QUANTITY;
  // `aria-disabled`, not `disabled`: a button disabled as it is pressed (at 1 or 99) would drop
  // the keyboard's focus to the page.
  return (
    <fieldset aria-label={formatMessage(t.quantityOf, { name })} className="stepper">
      <button
        type="button"
        aria-label={t.oneFewer}
        aria-disabled={!fewer || undefined}
        onClick={fewer ? () => setQuantity(price, quantity - 1) : undefined}
      >
        −
      </button>
      <output aria-live="polite">{quantity}</output>
      <button
        type="button"
        aria-label={t.oneMore}
        aria-disabled={!more || undefined}
        onClick={more ? () => setQuantity(price, quantity + 1) : undefined}
      >
        +
      </button>
    </fieldset>
  );
}
