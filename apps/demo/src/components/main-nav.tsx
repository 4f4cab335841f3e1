import { formatMessage } from '@tillkit/react';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { useCart } from '../state/cart';

export function MainNav() {
  const t = useStrings();
  const count = useCart().reduce((sum, line) => sum + line.quantity, 0);
  const links = [
    ['/', t.navShop],
    ['/plans', t.navPlans],
    ['/pro', t.navPro],
    ['/account', t.navAccount],
    ['/cart', formatMessage(t.navCart, { count: String(count) })],
  ] as const;
  return (
    <nav aria-label={t.mainNav} className="main-nav">
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <Link href={href} current>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
