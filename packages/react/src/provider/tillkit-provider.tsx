'use client';
/**
 * `<TillkitProvider>`: where the kit finds its server, Stripe.js, the look of the card fields and
 * its strings. Every hook of the kit reads it through `useTillkit()`.
 */
import type { Appearance, Stripe } from '@stripe/stripe-js';
import type { ConfigResponse, PricesResponse } from '@tillkit/protocol';
import { createTransport, getConfig, listPrices, type Transport } from '@tillkit/protocol/client';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { formatMoney } from '../format-money.js';
import { type CommonMessages, commonMessages, type TillkitMessages } from '../messages/messages.js';
import { loadStripeJs } from './load-stripe-js.js';

/** Bundlers set it in an app's build; read only when the provider is missing (never at import). */
declare const process: { env: { NODE_ENV?: string } };

/** Stripe's Appearance, or a function that reads it from the element the card fields go in. */
export type TillkitAppearance = Appearance | ((element: HTMLElement) => Appearance | undefined);

/** Stripe.js as the provider has it. */
export type StripeStatus =
  | { status: 'loading'; stripe: null; error: null }
  | { status: 'ready'; stripe: Stripe; error: null }
  | { status: 'error'; stripe: null; error: Error };

export interface TillkitProviderProps {
  /**
   * Where the Tillkit server's router is mounted: `http://localhost:4242/api`, or `/api` on the
   * same origin.
   */
  apiBase: string;
  /**
   * Stripe's publishable key (`pk_test_…`). Omit it to read it from `${apiBase}/config`, which also
   * says whether the server runs against the Stripe sandbox (then the sandbox's Stripe.js is used).
   * Read once, on mount.
   */
  publishableKey?: string;
  /**
   * A Stripe object, or a promise of one, instead of loading Stripe.js (tests and stories pass the
   * sandbox's here). Read once, on mount; takes precedence over `publishableKey`.
   */
  stripe?: Stripe | PromiseLike<Stripe | null> | null;
  /**
   * The signed-in caller's bearer token, or nothing for a guest. Called before every request, so it
   * may refresh the token.
   */
  getAuthToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Milliseconds a request to the Tillkit server may take before the kit shows a network error
   * with a way to try again (`0` or `Infinity`: no limit). A payment retried after a timeout reuses its
   * idempotency key, so it is never taken twice.
   * @default 30000
   */
  timeout?: number;
  /**
   * Stripe's Appearance API for the card fields; `toStripeAppearance(theme)` makes it from the same
   * tokens as `styles.css`. Or a function that reads it from the element the fields go in, read
   * again when the OS's colour scheme changes: `appearanceFromStyles` takes the theme `styles.css`
   * gives each form where it sits (a dark wrapper, the OS's dark mode).
   */
  appearance?: TillkitAppearance;
  /**
   * A BCP 47 tag for amounts and for Stripe's fields and messages (`de`, `fr-FR`).
   * @default the browser's language
   */
  locale?: string;
  /**
   * Strings to replace (any subset); English fills the rest. For German:
   * `messages={de}` with `import { de } from '@tillkit/react/locales/de'`.
   */
  messages?: Partial<TillkitMessages>;
  children?: ReactNode;
}

/** What `useTillkit()` returns. */
export interface TillkitContextValue {
  /** The URL given as `apiBase`. */
  apiBase: string;
  /**
   * How the kit reaches the server (with the caller's token): what the protocol's per-route calls
   * take first, `listPaymentMethods(transport)`. Each hook imports only the calls it makes.
   */
  transport: Transport;
  /** Stripe.js: loading, ready (with the object) or failed. */
  stripe: StripeStatus;
  appearance: TillkitAppearance | undefined;
  locale: string | undefined;
  /**
   * The host's strings over the shared English ones; each hook adds its own English beneath
   * (`useMessages()`), so only the features in use ship their text.
   */
  messages: CommonMessages & Partial<TillkitMessages>;
  /** The catalog from `GET /prices`, fetched once per provider (again after a failure). */
  getPrices(): Promise<PricesResponse>;
  /**
   * The server's settings from `GET /config` (its publishable key, sandbox mode, whether it takes
   * promotion codes, one subscription per customer), fetched once per provider (again after a
   * failure), and shared with loading Stripe.js when no `publishableKey` is given.
   */
  getConfig(): Promise<ConfigResponse>;
  /** `formatMoney()` in the provider's locale. */
  formatMoney(amount: number, currency: string): string;
  /**
   * Sends `change` once a card form of the kit went through (a payment, a saved card, a
   * subscription started or paid): the account lists under the provider (`useSavedCards()`,
   * `useSubscriptions()`, `usePaymentHistory()`) read again, so a `SavedCards` beside a `SaveCardForm` lists the new card.
   */
  changes: EventTarget;
}

/** `read`, called once and its answer shared; called again after it failed. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let reading: Promise<T> | null = null;
  return () => {
    reading ??= read().catch((error: unknown) => {
      reading = null;
      throw error;
    });
    return reading;
  };
}

/** The provider's context; `useTillkit()` reads it. */
export const TillkitContext = createContext<TillkitContextValue | null>(null);
TillkitContext.displayName = 'TillkitContext';

const LOADING: StripeStatus = { status: 'loading', stripe: null, error: null };

/**
 * Gives the kit's hooks and components their server, Stripe.js and strings.
 * @example
 * <TillkitProvider apiBase="/api" getAuthToken={() => session.token}>
 *   <PaymentForm items={[{ price: 'price_123', quantity: 1 }]} />
 * </TillkitProvider>
 */
export function TillkitProvider(props: TillkitProviderProps): ReactNode {
  const { apiBase, timeout, appearance, locale, messages: overrides, children } = props;
  const tokenRef = useRef(props.getAuthToken);
  tokenRef.current = props.getAuthToken;
  // The first props: Stripe.js is loaded from them once, as react-stripe-js reads its `stripe`
  // prop (a new promise each render must not reload).
  const [initial] = useState(props);

  const transport = useMemo(
    () => createTransport({ apiBase, timeout, getAuthToken: () => tokenRef.current?.() }),
    [apiBase, timeout],
  );

  const readConfig = useMemo(() => once(() => getConfig(transport)), [transport]);

  const [stripe, setStripe] = useState<StripeStatus>(LOADING);
  useEffect(() => {
    let active = true;
    loadStripeJs(initial, readConfig).then(
      (loaded) => active && setStripe({ status: 'ready', stripe: loaded, error: null }),
      (error: unknown) =>
        active &&
        setStripe({
          status: 'error',
          stripe: null,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
    return () => {
      active = false;
    };
    // Stripe.js is loaded once per provider: a later locale reaches the fields through
    // elements.update(), not a new Stripe object.
  }, [initial, readConfig]);

  const getPrices = useMemo(() => once(() => listPrices(transport)), [transport]);

  const [changes] = useState(() => new EventTarget());
  const value = useMemo<TillkitContextValue>(
    () => ({
      apiBase,
      transport,
      stripe,
      appearance,
      locale,
      messages: overrides ? { ...commonMessages, ...overrides } : commonMessages,
      getPrices,
      getConfig: readConfig,
      formatMoney: (amount, currency) => formatMoney(amount, currency, locale),
      changes,
    }),
    [apiBase, transport, stripe, appearance, locale, overrides, getPrices, readConfig, changes],
  );

  return <TillkitContext.Provider value={value}>{children}</TillkitContext.Provider>;
}

/**
 * The provider's client, Stripe.js, strings and catalog.
 * @throws when called outside `<TillkitProvider>`
 */
export function useTillkit(): TillkitContextValue {
  return useTillkitContext('useTillkit()');
}

/** A feature's strings: its English, under the provider's (the host's overrides win). */
export function useMessages<T extends object>(
  context: TillkitContextValue,
  english: T,
): CommonMessages & T {
  const { messages } = context;
  return useMemo(() => ({ ...english, ...messages }) as CommonMessages & T, [english, messages]);
}

/** The context, or an error that names the caller and the missing provider. */
export function useTillkitContext(caller: string): TillkitContextValue {
  const context = useContext(TillkitContext);
  if (!context) {
    throw new Error(
      `${caller} must be used inside <TillkitProvider>${
        process.env.NODE_ENV === 'production'
          ? ''
          : `: wrap the part of your app that calls ${caller} in <TillkitProvider apiBase="…">.`
      }`,
    );
  }
  return context;
}
