/**
 * @tillkit/server: the companion server of the Tillkit checkout kit, as an express router
 * (`createTillkitRouter`) or a standalone server (`startTillkitServer`, the `tillkit-server` bin).
 * @packageDocumentation
 */
export type { Identify, Identity } from './auth/identify.js';
export { createJwtIdentify, type JwtIdentifyOptions, signHs256Token } from './auth/jwt.js';
export {
  type CheckoutOptions,
  createTillkitRouter,
  type SubscriptionOptions,
  type TillkitRouter,
  type TillkitRouterOptions,
} from './create-tillkit-router.js';
export {
  ConfigurationError,
  DatabaseUnavailableError,
  ForbiddenError,
  fromDatabaseError,
  fromStripeError,
  InvalidRequestError,
  NotFoundError,
  TillkitError,
  UnauthenticatedError,
} from './errors.js';
export type { RateLimitOptions } from './http/rate-limit.js';
export type { SandboxSettings } from './http/services.js';
export { createLogger } from './observability/logger.js';
export { containsCardNumber } from './security/card-numbers.js';
export { assertAllowedRedirect } from './security/redirect-urls.js';
export { ConfigError, loadConfig, type ServerConfig } from './standalone/config.js';
export {
  type StartTillkitServerOptions,
  startTillkitServer,
  type TillkitServerHandle,
} from './standalone/start-tillkit-server.js';
export {
  isDatabaseUnavailable,
  type OpenDatabaseOptions,
  openDatabase,
  type TillkitDatabase,
} from './storage/database.js';
export type { CatalogOptions } from './stripe/catalog.js';
export type { HookContext, TillkitHooks } from './webhooks/hooks.js';
