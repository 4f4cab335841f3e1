/**
 * The storefront: one `<TillkitProvider>` around every page, given the server's `apiBase`, the
 * signed-in customer's token, the theme's appearance for the card fields, and the language.
 */
import { TillkitProvider, toCssVariables, toStripeAppearance } from '@tillkit/react';
import { de } from '@tillkit/react/locales/de';
import { useLayoutEffect, useMemo } from 'react';
import { Layout } from './components/layout';
import { apiBase } from './config';
import { locales, usePreferences } from './state/preferences';
import { getAuthToken, useSession } from './state/session';
import { themes } from './theme';

export function App() {
  const { language, theme } = usePreferences();
  const session = useSession();

  // The theme on <html>: `data-theme` switches styles.css's own colours (surfaces, borders), the
  // variables carry the storefront's brand. Before paint, so a dark page never flashes light.
  useLayoutEffect(() => {
    const html = document.documentElement;
    html.lang = language;
    html.dataset.theme = theme;
    for (const [name, value] of Object.entries(toCssVariables(themes[theme]))) {
      html.style.setProperty(name, value);
    }
  }, [language, theme]);

  // A new object when the theme changes: the kit passes it to the mounted card fields at once.
  // (`appearance={appearanceFromStyles}` would read the same tokens back from the page, following
  // the toggle too; from the tokens themselves, nothing is read from the DOM.)
  const appearance = useMemo(() => toStripeAppearance(themes[theme]), [theme]);

  return (
    // Keyed by the customer: the kit reads lists once per provider, so another customer (or a
    // guest) starts afresh.
    <TillkitProvider
      key={session?.userId ?? 'guest'}
      apiBase={apiBase}
      getAuthToken={getAuthToken}
      appearance={appearance}
      locale={locales[language]}
      messages={language === 'de' ? de : undefined}
    >
      <Layout />
    </TillkitProvider>
  );
}
