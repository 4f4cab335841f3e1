/**
 * Loads Stripe.js for the provider: Stripe's own through `@stripe/stripe-js/pure` (importing it
 * fetches nothing; the script is added only when `loadStripe()` is called), or, when the server
 * is in sandbox mode, the sandbox's `/js/stripe.js` first, which `loadStripe()` then picks up as
 * `window.Stripe`. The sandbox is never part of the kit's bundle: it comes from the sandbox.
 */
import type { Stripe } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure/index.mjs';
import { getConfig, type Transport } from '@tillkit/protocol/client';

/** Adds `<script src>` and resolves once it has run. */
function addScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () =>
      reject(new Error(`Could not load ${src}: is the Stripe sandbox running?`));
    document.head.append(script);
  });
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
  transport: Transport,
): Promise<Stripe> {
  if (settings.stripe !== undefined) {
    const given = await settings.stripe;
    if (!given) throw new Error('No Stripe object.');
    return given;
  }
  const { locale } = settings;
  let key = settings.publishableKey;
  if (!key) {
    const config = await getConfig(transport);
    key = config.publishableKey;
    // A second provider on the page finds window.Stripe already there.
    if (config.mode === 'sandbox' && config.sandbox && !(window as { Stripe?: unknown }).Stripe) {
      await addScript(`${config.sandbox.apiBase.replace(/\/+$/, '')}/js/stripe.js`);
    }
  }
  const stripe = await loadStripe(key, locale ? { locale: locale as StripeLocale } : {});
  if (!stripe) throw new Error('Stripe.js did not load.');
  return stripe;
}

type StripeLocale = NonNullable<Parameters<typeof loadStripe>[1]>['locale'];
