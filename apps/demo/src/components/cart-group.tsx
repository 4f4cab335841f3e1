import { formatMessage, formatMoney } from '@tillkit/react';
import { useId } from 'react';
import type { PricedGroup } from '../catalog/price-cart';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { removeFromCart } from '../state/cart';
import { locales, usePreferences } from '../state/preferences';
import { QuantityStepper } from './quantity-stepper';

/** The cart's lines in one currency, editable, with the way to pay for them. */
export function CartGroup({ group, titled }: { group: PricedGroup; titled: boolean }) {
  const t = useStrings();
  const locale = locales[usePreferences().language];
  const money = (amount: number) => formatMoney(amount, group.currency, locale);
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titled ? titleId : undefined}>
      {titled ? (
        <h2 id={titleId}>{formatMessage(t.paidIn, { currency: group.currency.toUpperCase() })}</h2>
      ) : null}
      <div className="table-scroll">
        <table className="lines">
          <thead>
            <tr>
              <th scope="col">{t.item}</th>
              <th scope="col">{t.price}</th>
              <th scope="col">{t.quantity}</th>
              <th scope="col" className="numeric">
                {t.lineTotal}
              </th>
              <td />
            </tr>
          </thead>
          <tbody>
            {group.lines.map(({ product, price, quantity, amount }) => (
              <tr key={price.id}>
                <th scope="row">{product.name}</th>
                <td>{money(price.unitAmount)}</td>
                <td>
                  <QuantityStepper price={price.id} name={product.name} quantity={quantity} />
                </td>
                <td className="numeric">{money(amount)}</td>
                <td className="numeric">
                  <button
                    type="button"
                    className="button button--ghost"
                    aria-label={`${t.remove} ${product.name}`}
                    onClick={() => {
                      removeFromCart([price.id]);
                      // The button goes with its line: the keyboard's focus goes to the page's
                      // heading rather than to the page itself.
                      document.querySelector<HTMLElement>('main h1')?.focus();
                    }}
                  >
                    {t.remove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {t.subtotal}
              </th>
              <td className="numeric">{money(group.total)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      <Link href={`/checkout?currency=${group.currency}`} className="button button--primary">
        {formatMessage(t.checkoutAmount, { amount: money(group.total) })}
      </Link>
    </section>
  );
}
