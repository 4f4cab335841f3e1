import { useStrings } from '../i18n/strings';
import { setTheme, usePreferences } from '../state/preferences';

/** Light or dark: the page, the kit's parts and Stripe's card fields switch together. */
export function ThemeToggle() {
  const t = useStrings();
  const { theme } = usePreferences();
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      className="button button--ghost"
      aria-pressed={dark}
      onClick={() => setTheme(dark ? 'light' : 'dark')}
    >
      <span aria-hidden="true">{dark ? '☾' : '☀'}</span> {t.darkMode}
    </button>
  );
}
