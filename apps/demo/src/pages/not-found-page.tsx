import { formatMessage } from '@tillkit/react';
import { Page } from '../components/page';
import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';

export function NotFoundPage({ path }: { path: string }) {
  const t = useStrings();
  return (
    <Page title={t.notFoundTitle}>
      <p>
        {formatMessage(t.notFound, { path })} <Link href="/">{t.backToShop}</Link>
      </p>
    </Page>
  );
}
