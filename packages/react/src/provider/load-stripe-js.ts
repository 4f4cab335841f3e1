/**
 * Loads Stripe.js for the provider: Stripe's own through `@stripe/stripe-js/pure` (importing it
 * fetches nothing; the script is added only when `loadStripe()` is called), or, when the server
 * is in sandbox mode, the sandbox's `/js/stripe.js` first, which `loadStripe()` then picks up as
 * `window.Stripe`. The sandbox is never part of the kit's bundle: it comes from the sandbox.
 */
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure/index.mjs';
import type { ConfigResponse } from '@tillkit/protocol';

/**
 * Scripts still loading, by `src`: two providers (or StrictMode's second effect) share one. Once
 * it has run, `window.Stripe` is there and the next caller needs no script.
 */
const scripts = new Map<string, Promise<void>>();

/** Adds `<script src>` once and resolves once it has run; a failed load may be tried again. */
function addScript(src: string): Promise<void> {
  let loading = scripts.get(src);
  if (!loading) {
    loading = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => {
        scripts.delete(src);
        resolve();
      };
      script.onerror = () => {
        script.remove();
        scripts.delete(src);
        reject(new Error(`Could not load ${src}: is the Stripe sandbox running?`));
      };
      document.head.append(script);
    });
    scripts.set(src, loading);
  }
  return loading;
}

/**
 * The Stripe object for the provider's settings: the one given as `stripe` (or its promise), or
 * else Stripe.js loaded for the key; without a key, the server's `GET /config` says which (and
 * whether to use the sandbox). Browser only: call it from an effect.
 */
export async function loadStripeJs(
  settings: {
    stripe?: Stripe | PromiseLike<Stripe | null> | null | undefined;
    publishableKey?: string | undefined;
    locale?: string | undefined;
  },
  /** `GET /config`, as the provider reads it once for every feature. */
  getConfig: () => Promise<ConfigResponse>,
): Promise<Stripe> {
  if (settings.stripe !== undefined) {
    const given = await settings.stripe;
    if (!given) throw new Error('No Stripe object.');
    return given;
  }
  const { locale } = settings;
  let key = settings.publishableKey;
  if (!key) {
    const config = await getConfig();
    key = config.publishableKey;
    // A second provider on the page finds window.Stripe already there, or waits for its script.
    if (config.mode === 'sandbox' && config.sandbox && !(window as { Stripe?: unknown }).Stripe) {
      await addScript(`${config.sandbox.apiBase.replace(/\/+$/, '')}/js/stripe.js`);
    }
  }
  const stripe = await loadStripe(key, locale ? { locale: locale as StripeLocale } : {});
  if (!stripe) throw new Error('Stripe.js did not load.');
  return stripe;
}

type StripeLocale = NonNullable<Parameters<typeof loadStripe>[1]>['locale'];
