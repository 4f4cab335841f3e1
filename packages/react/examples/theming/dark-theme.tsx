/**
 * One set of tokens for the page (styles.css reads the --tillkit-* variables) and for Stripe's
 * card fields (toStripeAppearance), here a dark theme, in German.
 */
import {
  PaymentForm,
  TillkitProvider,
  type TillkitProviderProps,
  toCssVariables,
  toStripeAppearance,
} from '@tillkit/react';
import { de } from '@tillkit/react/locales/de';
import '@tillkit/react/styles.css';

const theme = {
  colorScheme: 'dark',
  colorPrimary: '#7aa7ff',
  colorBackground: '#1c1e26',
  colorText: '#eceef4',
  colorDanger: '#ff8a80',
  borderRadius: '10px',
} as const;

export function DarkGermanCheckout({
  apiBase = '/api',
  price = 'price_tshirt',
  stripe,
}: {
  apiBase?: string;
  price?: string;
  /** Stories and tests pass the sandbox's Stripe object; an app leaves it out. */
  stripe?: TillkitProviderProps['stripe'];
}) {
  return (
    <div data-theme="dark" style={toCssVariables(theme)}>
      <TillkitProvider
        apiBase={apiBase}
        appearance={toStripeAppearance(theme)}
        locale="de-DE"
        messages={de}
        {...(stripe === undefined ? {} : { stripe })}
      >
        <PaymentForm items={[{ price, quantity: 1 }]} />
      </TillkitProvider>
    </div>
  );
}
