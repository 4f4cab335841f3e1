/**
 * @tillkit/sandbox: a stateful, offline stand-in for the Stripe API.
 * @packageDocumentation
 */
export * from './core/index.js';
export {
  SANDBOX_PUBLISHABLE_KEY,
  SANDBOX_SECRET_KEY,
  type SandboxHandle,
  type StartSandboxOptions,
  sandboxStripe,
  startSandbox,
  type WebhookEndpointInput,
} from './node/start-sandbox.js';
