import { useStrings } from '../i18n/strings';
import { Routes } from '../routes';
import { Header } from './header';

/** The page's landmarks: the header (with the sandbox banner), the page, the footer. */
export function Layout() {
  const t = useStrings();
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <Header />
      <main id="main" tabIndex={-1} className="page">
        <Routes />
      </main>
      <footer className="site-footer">
        <p>{t.footer}</p>
      </footer>
    </>
  );
}
