/**
 * `@tillkit/sandbox/browser`: the sandbox's Stripe.js for bundlers, and what it needs to run with
 * no server at all (the sandbox core served in the page through MSW). Browser-only; nothing here
 * reaches Node.
 * @example
 * // Against a running sandbox:
 * const stripe = await loadSandboxStripe('pk_test_123', { apiBase: 'http://127.0.0.1:12111' });
 * // In Storybook or component tests, with no server (MSW's worker serves the core;
 * // `sandboxHandlers` comes from `@tillkit/sandbox/msw`):
 * const core = createSandboxCore();
 * await setupWorker(...sandboxHandlers(core, { baseUrl: 'http://sandbox.test' })).start();
 * const stripe = await loadSandboxStripe('pk_test_123', { apiBase: 'http://sandbox.test', frames: 'inline' });
 */
import type { FrameMode } from './element.js';
import {
  createSandboxStripe,
  type SandboxStripeObject,
  type SandboxStripeOptions,
  STRIPE_JS_VERSION,
} from './stripe.js';

export { createSandboxCore } from '../core/index.js';
// Not `sandboxHandlers`: it imports msw, an optional peer, and a bundler fails on a missing import
// even when it is unused; MSW users import it from `@tillkit/sandbox/msw`.
export { SandboxElement } from './element.js';
export { SandboxElements } from './elements.js';
export { IntegrationError } from './errors.js';
export {
  createSandboxStripe,
  SandboxStripe,
  type SandboxStripeObject,
  type SandboxStripeOptions,
  STRIPE_JS_VERSION,
  UNSUPPORTED_METHODS,
} from './stripe.js';
export type { FrameMode };

export interface LoadSandboxStripeOptions extends Omit<SandboxStripeOptions, 'apiBase'> {
  /** Where the sandbox answers: a running sandbox's URL, or the `baseUrl` given to the MSW handlers. */
  apiBase: string;
  /**
   * `isolated` (default): the Payment Element's frames come from the sandbox's origin, as Stripe's
   * come from js.stripe.com. `inline`: `srcdoc` frames, needed in MSW mode (MSW's worker does not
   * serve frame navigations); the page could read them, so use it for tests only.
   */
  frames?: FrameMode;
}

/**
 * Resolves to the sandbox's Stripe object, as `loadStripe` resolves to Stripe's. Rejects for a
 * live key (`pk_live_…`) or another wrong key, as `Stripe()` throws for one.
 */
export async function loadSandboxStripe(
  publishableKey: string,
  options: LoadSandboxStripeOptions,
): Promise<SandboxStripeObject> {
  return createSandboxStripe(publishableKey, options);
}

/** The version `Stripe.version` reports (what @stripe/stripe-js 10 checks for). */
export const version = STRIPE_JS_VERSION;
