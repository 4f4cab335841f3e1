import { formatMoney } from '@tillkit/react';
import type { PricedGroup } from '../catalog/price-cart';
import { Link } from '../router/link';
import { locales, usePreferences } from '../state/preferences';

/** "Your cart also holds ¥1,500": the cart's other currencies, each a link to its checkout. */
export function OtherCurrencies({ groups, message }: { groups: PricedGroup[]; message: string }) {
  const locale = locales[usePreferences().language];
  if (!groups.length) return null;
  const [before, after] = message.split('{amounts}');
  return (
    <p className="notice">
      {before}
      {groups.map((group, index) => (
        <span key={group.currency}>
          {index ? ', ' : null}
          <Link href={`/checkout?currency=${group.currency}`}>
            {formatMoney(group.total, group.currency, locale)}
          </Link>
        </span>
      ))}
      {after}
    </p>
  );
}
