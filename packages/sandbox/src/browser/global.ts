/**
 * The script the sandbox serves at `/js/stripe.js`: defines `window.Stripe(publishableKey,
 * options)` as Stripe's script does, talking to the sandbox it was loaded from.
 */
import { createSandboxStripe, type SandboxStripeOptions, STRIPE_JS_VERSION } from './stripe.js';

const script = document.currentScript as HTMLScriptElement | null;
const apiBase = new URL(script?.src ?? window.location.href).origin;

function Stripe(publishableKey: string, options: Partial<SandboxStripeOptions> = {}) {
  return createSandboxStripe(publishableKey, { ...options, apiBase, frames: 'isolated' });
}
Stripe.version = STRIPE_JS_VERSION;
/** Marks this Stripe.js as the sandbox's (the kit and tests can tell). */
Stripe.sandbox = { apiBase };

(window as unknown as { Stripe: typeof Stripe }).Stripe = Stripe;
