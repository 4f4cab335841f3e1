import { useStrings } from '../i18n/strings';

/** What a page shows while the catalog loads, or after it could not be. */
export function CatalogStatus({ status, retry }: { status: 'loading' | 'failed'; retry(): void }) {
  const t = useStrings();
  if (status === 'loading') {
    return (
      <p role="status" className="muted">
        {t.loading}
      </p>
    );
  }
  return (
    <div role="alert" className="notice notice--error">
      <p>{t.catalogFailed}</p>
      <button type="button" className="button" onClick={retry}>
        {t.tryAgain}
      </button>
    </div>
  );
}
