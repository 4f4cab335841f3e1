import { formatMoney } from '@tillkit/react';
import { useStrings } from '../i18n/strings';
import { locales, usePreferences } from '../state/preferences';

/** An order's lines and its total, read-only (the checkout's summary, the confirmation). */
export function OrderLines({
  lines,
  currency,
  total,
  totalLabel,
}: {
  lines: Array<{ name: string; quantity: number; amount: number }>;
  currency: string;
  total: number;
  totalLabel: string;
}) {
  const t = useStrings();
  const locale = locales[usePreferences().language];
  const money = (amount: number) => formatMoney(amount, currency, locale);
  return (
    <table className="lines">
      <thead>
        <tr>
          <th scope="col">{t.item}</th>
          <th scope="col" className="numeric">
            {t.quantity}
          </th>
          <th scope="col" className="numeric">
            {t.lineTotal}
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <tr key={line.name}>
            <th scope="row">{line.name}</th>
            <td className="numeric">{line.quantity}</td>
            <td className="numeric">{money(line.amount)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            {totalLabel}
          </th>
          <td className="numeric">{money(total)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
