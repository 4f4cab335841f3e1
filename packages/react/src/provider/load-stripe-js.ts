/**
 * Loads Stripe.js for the provider: Stripe's own through `@stripe/stripe-js/pure` (importing it
 * fetches nothing; the script is added only when `loadStripe()` is called), or, when the server
 * is in sandbox mode, the sandbox's `/js/stripe.js` first, which `loadStripe()` then picks up as
 * `window.Stripe`. The sandbox is never part of the kit's bundle: it comes from the sandbox.
 */
import type { Stripe, StripeConstructorOptions } from '@stripe/stripe-js';
import { loadStripe } from '@stripe/stripe-js/pure/index.mjs';
import type { ConfigResponse } from '@tillkit/protocol';

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

export interface StripeSource {
  publishableKey?: string | undefined;
  getConfig(): Promise<ConfigResponse>;
  locale?: string | undefined;
}

/** The Stripe object for the provider's settings. Browser only: call it from an effect. */
export async function loadStripeJs(source: StripeSource): Promise<Stripe> {
  let key = source.publishableKey;
  if (!key) {
    const config = await source.getConfig();
    key = config.publishableKey;
    // A second provider on the page finds window.Stripe already there.
    if (config.mode === 'sandbox' && config.sandbox && !(window as { Stripe?: unknown }).Stripe) {
      await addScript(`${config.sandbox.apiBase.replace(/\/+$/, '')}/js/stripe.js`);
    }
  }
  const options: StripeConstructorOptions = {};
  if (source.locale) options.locale = source.locale as StripeConstructorOptions['locale'];
  const stripe = await loadStripe(key, options);
  if (!stripe) throw new Error('Stripe.js did not load.');
  return stripe;
}
