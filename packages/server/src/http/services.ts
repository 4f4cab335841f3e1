/** What every route handler and webhook handler gets: the router's configured parts. */
import type Stripe from 'stripe';
import type { Logger } from '../observability/logger.js';
import type { TillkitMetrics } from '../observability/metrics.js';
import type { TillkitDatabase, TillkitDb } from '../storage/database.js';
import type { Catalog } from '../stripe/catalog.js';
import type { CustomerDirectory } from '../stripe/customers.js';
import type { TillkitHooks } from '../webhooks/hooks.js';

export interface SandboxSettings {
  /** The sandbox's origin (`http://127.0.0.1:12111`), handed to the browser by `GET /config`. */
  apiBase: string;
  /**
   * The HS256 secret of the demo sign-in route (`POST /_sandbox/sign-in`); the route exists only
   * when this is set.
   */
  signInSecret?: string | undefined;
  /**
   * Give each customer the server creates its own test clock, so that `POST /_sandbox/advance`
   * moves that customer's time. The standalone server turns it on with its embedded sandbox.
   * @default false
   */
  testClocks?: boolean | undefined;
  /** Issuer and audience written into sign-in tokens. */
  issuer?: string | undefined;
  audience?: string | undefined;
}

export interface TillkitServices {
  stripe: Stripe;
  database: TillkitDatabase;
  db: TillkitDb;
  catalog: Catalog;
  customers: CustomerDirectory;
  logger: Logger;
  metrics: TillkitMetrics;
  mode: 'sandbox' | 'test' | 'live';
  publishableKey: string;
  sandbox: SandboxSettings | undefined;
  allowedOrigins: readonly string[];
  /** `createTillkitRouter`'s `checkout` option. */
  checkout: { allowPromotionCodes: boolean };
  /** `createTillkitRouter`'s `subscriptions` option. */
  subscriptions: { onePerCustomer: boolean };
  webhookSecret: string | undefined;
  hooks: TillkitHooks;
}
