import { useStrings } from '../i18n/strings';
import { Link } from '../router/link';
import { AccountMenu } from './account-menu';
import { LanguageSelect } from './language-select';
import { MainNav } from './main-nav';
import { SandboxBanner } from './sandbox-banner';
import { ThemeToggle } from './theme-toggle';

export function Header() {
  const t = useStrings();
  return (
    <header className="site-header">
      <SandboxBanner />
      <div className="site-header__bar">
        <Link href="/" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          {t.storeName}
        </Link>
        <MainNav />
        <div className="site-header__tools">
          <LanguageSelect />
          <ThemeToggle />
          <AccountMenu />
        </div>
      </div>
    </header>
  );
}
