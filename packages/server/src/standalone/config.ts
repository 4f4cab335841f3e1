/**
 * The standalone server's configuration, from environment variables (see the README's table).
 * Every problem is collected and reported at once, each with how to fix it.
 */
import { resolve } from 'node:path';
import { normalizeOrigins } from '../security/redirect-urls.js';

export type StripeSetup =
  /** No keys: an embedded sandbox on `port`, its state in the data folder. */
  | { kind: 'embedded-sandbox'; port: number }
  /** `STRIPE_API_BASE`: a sandbox running elsewhere (shared by several instances). */
  | { kind: 'external-sandbox'; apiBase: string; secretKey?: string; publishableKey?: string }
  /** Real Stripe, test or live mode by the key's prefix. */
  | { kind: 'stripe'; mode: 'test' | 'live'; secretKey: string; publishableKey: string };

export type AuthSetup =
  | { kind: 'hs256'; secret: string }
  | { kind: 'jwks'; url: string }
  /** Sandbox mode without auth variables: a generated secret and the demo sign-in route. */
  | { kind: 'sandbox-sign-in' }
  | { kind: 'none' };

export interface ServerConfig {
  port: number;
  /** @default every interface */
  host?: string | undefined;
  dataDir: string;
  databaseUrl?: string | undefined;
  stripe: StripeSetup;
  webhookSecret?: string | undefined;
  auth: AuthSetup;
  authIssuer?: string | undefined;
  authAudience?: string | undefined;
  allowedOrigins: string[];
  /** express's `trust proxy` (hops or `true`), so rate limits see real client addresses. */
  trustProxy?: number | boolean | undefined;
  /** Checkout pages and subscriptions take promotion codes (`TILLKIT_ALLOW_PROMOTION_CODES=true`). */
  allowPromotionCodes: boolean;
  /**
   * A customer holds one subscription at most, whatever its product
   * (`TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER=true`).
   */
  oneSubscriptionPerCustomer: boolean;
  logLevel: string;
}

/** A configuration that cannot work; `problems` says what to change. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(
      `The Tillkit server is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

export const SANDBOX_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

function port(value: string | undefined, name: string, fallback: number, problems: string[]) {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 65535) {
    problems.push(`${name} must be a port number from 0 to 65535 (got "${value}").`);
    return fallback;
  }
  return number;
}

/**
 * Reads the configuration from `env`.
 * @throws ConfigError listing every problem
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const problems: string[] = [];
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const secretKey = get('STRIPE_SECRET_KEY');
  const publishableKey = get('STRIPE_PUBLISHABLE_KEY');
  const apiBase = get('STRIPE_API_BASE');
  const webhookSecret = get('STRIPE_WEBHOOK_SECRET');

  if (secretKey && !/^(sk|rk)_(test|live)_\w+$/.test(secretKey)) {
    problems.push(
      'STRIPE_SECRET_KEY must be a secret key (sk_test_… or sk_live_…) from https://dashboard.stripe.com/apikeys.',
    );
  }
  if (publishableKey && !/^pk_(test|live)_\w+$/.test(publishableKey)) {
    problems.push('STRIPE_PUBLISHABLE_KEY must be a publishable key (pk_test_… or pk_live_…).');
  }
  if (webhookSecret && !webhookSecret.startsWith('whsec_')) {
    problems.push(
      "STRIPE_WEBHOOK_SECRET must be the webhook endpoint's signing secret, which starts with whsec_.",
    );
  }

  let stripe: StripeSetup;
  if (apiBase) {
    let origin: string | undefined;
    try {
      const url = new URL(apiBase);
      origin = url.origin;
      if (url.pathname !== '/' || url.search) throw new Error('path');
    } catch {
      problems.push(
        `STRIPE_API_BASE must be an origin with no path, like http://127.0.0.1:12111 (got "${apiBase}").`,
      );
    }
    if (secretKey?.includes('_live_')) {
      problems.push(
        'STRIPE_API_BASE points to a sandbox, and sandboxes refuse live keys: use a test key (sk_test_…) or unset STRIPE_API_BASE.',
      );
    }
    stripe = {
      kind: 'external-sandbox',
      apiBase: origin ?? apiBase,
      ...(secretKey ? { secretKey } : {}),
      ...(publishableKey ? { publishableKey } : {}),
    };
  } else if (secretKey) {
    const mode = secretKey.includes('_live_') ? 'live' : 'test';
    if (!publishableKey) {
      problems.push(
        'STRIPE_PUBLISHABLE_KEY is required with STRIPE_SECRET_KEY: the browser needs it (pk_test_… or pk_live_…, same mode as the secret key).',
      );
    } else if (!publishableKey.startsWith(`pk_${mode}_`)) {
      problems.push(
        `STRIPE_PUBLISHABLE_KEY is a ${mode === 'live' ? 'test' : 'live'} key but STRIPE_SECRET_KEY is a ${mode} key: use the pair from the same mode.`,
      );
    }
    if (!webhookSecret) {
      problems.push(
        'STRIPE_WEBHOOK_SECRET is required with real Stripe keys: create a webhook endpoint for https://<your server>/api/webhooks in the Stripe Dashboard (or run `stripe listen --forward-to localhost:4242/api/webhooks`) and set its whsec_… signing secret.',
      );
    }
    stripe = { kind: 'stripe', mode, secretKey, publishableKey: publishableKey ?? '' };
  } else {
    if (publishableKey) {
      problems.push(
        'STRIPE_PUBLISHABLE_KEY is set without STRIPE_SECRET_KEY: set both for Stripe, or neither for the embedded sandbox.',
      );
    }
    stripe = {
      kind: 'embedded-sandbox',
      port: port(get('TILLKIT_SANDBOX_PORT'), 'TILLKIT_SANDBOX_PORT', 12111, problems),
    };
  }
  const sandboxMode = stripe.kind !== 'stripe';

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(
      'DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database); unset it for the embedded database.',
    );
  }

  const authSecret = get('TILLKIT_AUTH_SECRET');
  const jwksUrl = get('TILLKIT_AUTH_JWKS_URL');
  let auth: AuthSetup;
  if (authSecret && jwksUrl) {
    problems.push('Set one of TILLKIT_AUTH_SECRET (HS256) or TILLKIT_AUTH_JWKS_URL, not both.');
    auth = { kind: 'none' };
  } else if (authSecret) {
    if (authSecret.length < 32) {
      problems.push(
        'TILLKIT_AUTH_SECRET must be at least 32 characters (HS256 needs 256 bits): make one with `openssl rand -base64 32`.',
      );
    }
    auth = { kind: 'hs256', secret: authSecret };
  } else if (jwksUrl) {
    if (!URL.canParse(jwksUrl) || !/^https?:/.test(jwksUrl)) {
      problems.push(
        `TILLKIT_AUTH_JWKS_URL must be an http(s) URL of a JWKS, like https://auth.example/.well-known/jwks.json (got "${jwksUrl}").`,
      );
    }
    auth = { kind: 'jwks', url: jwksUrl };
  } else {
    auth = sandboxMode ? { kind: 'sandbox-sign-in' } : { kind: 'none' };
  }

  let allowedOrigins: string[] = [];
  const originsText = get('TILLKIT_ALLOWED_ORIGINS');
  if (originsText) {
    try {
      allowedOrigins = normalizeOrigins(originsText.split(',').filter((value) => value.trim()));
    } catch (error) {
      problems.push(`TILLKIT_ALLOWED_ORIGINS: ${(error as Error).message}`);
    }
  } else if (sandboxMode) {
    allowedOrigins = [...SANDBOX_ORIGINS];
  } else {
    problems.push(
      "TILLKIT_ALLOWED_ORIGINS is required with real Stripe keys: your frontend's origins, comma-separated (https://shop.example,https://www.shop.example).",
    );
  }

  let trustProxy: number | boolean | undefined;
  const trustText = get('TILLKIT_TRUST_PROXY');
  if (trustText) {
    if (trustText === 'true') trustProxy = true;
    else if (/^\d+$/.test(trustText)) trustProxy = Number(trustText);
    else
      problems.push(
        'TILLKIT_TRUST_PROXY must be `true` or the number of proxies in front of the server.',
      );
  }

  /** A `true`/`false` variable (unset: false). */
  const flag = (name: string): boolean => {
    const text = get(name);
    if (text && text !== 'true' && text !== 'false') {
      problems.push(`${name} must be \`true\` or \`false\` (got "${text}").`);
    }
    return text === 'true';
  };

  const config: ServerConfig = {
    port: port(get('PORT'), 'PORT', 4242, problems),
    host: get('HOST'),
    dataDir: resolve(get('TILLKIT_DATA_DIR') ?? '.tillkit'),
    databaseUrl,
    stripe,
    webhookSecret,
    auth,
    authIssuer: get('TILLKIT_AUTH_ISSUER'),
    authAudience: get('TILLKIT_AUTH_AUDIENCE'),
    allowedOrigins,
    trustProxy,
    allowPromotionCodes: flag('TILLKIT_ALLOW_PROMOTION_CODES'),
    oneSubscriptionPerCustomer: flag('TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER'),
    logLevel: get('LOG_LEVEL') ?? 'info',
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
