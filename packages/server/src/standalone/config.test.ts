/** The environment table: defaults, modes, and every misconfiguration with how to fix it. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const REAL = {
  STRIPE_SECRET_KEY: 'sk_test_abc123',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_abc123',
  STRIPE_WEBHOOK_SECRET: 'whsec_abc',
  TILLKIT_ALLOWED_ORIGINS: 'https://shop.example',
};

describe('loadConfig', () => {
  it('with nothing set: the embedded sandbox, the embedded database, demo sign-in', () => {
    expect(loadConfig({})).toEqual({
      port: 4242,
      host: undefined,
      dataDir: resolve('.tillkit'),
      databaseUrl: undefined,
      stripe: { kind: 'embedded-sandbox', port: 12111 },
      webhookSecret: undefined,
      auth: { kind: 'sandbox-sign-in' },
      authIssuer: undefined,
      authAudience: undefined,
      allowedOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      trustProxy: undefined,
      allowPromotionCodes: false,
      oneSubscriptionPerCustomer: false,
      logLevel: 'info',
    });
  });

  it('reads every variable of the table', () => {
    const config = loadConfig({
      ...REAL,
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_PUBLISHABLE_KEY: 'pk_live_abc',
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/shop',
      TILLKIT_DATA_DIR: '/var/lib/tillkit',
      TILLKIT_AUTH_JWKS_URL: 'https://auth.example/.well-known/jwks.json',
      TILLKIT_AUTH_ISSUER: 'https://auth.example/',
      TILLKIT_AUTH_AUDIENCE: 'shop',
      TILLKIT_ALLOWED_ORIGINS: 'https://shop.example, https://www.shop.example',
      TILLKIT_TRUST_PROXY: '1',
      TILLKIT_ALLOW_PROMOTION_CODES: 'true',
      TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER: 'true',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/tillkit',
      databaseUrl: 'postgres://u:p@db:5432/shop',
      stripe: {
        kind: 'stripe',
        mode: 'live',
        secretKey: 'sk_live_abc',
        publishableKey: 'pk_live_abc',
      },
      webhookSecret: 'whsec_abc',
      auth: { kind: 'jwks', url: 'https://auth.example/.well-known/jwks.json' },
      authIssuer: 'https://auth.example/',
      authAudience: 'shop',
      allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
      trustProxy: 1,
      allowPromotionCodes: true,
      oneSubscriptionPerCustomer: true,
    });
  });

  it('STRIPE_API_BASE means a sandbox elsewhere (sandbox mode), with the sandbox origins by default', () => {
    const config = loadConfig({
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      TILLKIT_AUTH_SECRET: 'x'.repeat(32),
    });
    expect(config.stripe).toEqual({ kind: 'external-sandbox', apiBase: 'http://127.0.0.1:12111' });
    expect(config.auth).toEqual({ kind: 'hs256', secret: 'x'.repeat(32) });
    expect(config.allowedOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });

  it('real keys need a webhook secret, a publishable key of the same mode and the allowed origins', () => {
    const found = problems({
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_abc',
    });
    expect(found).toEqual([
      expect.stringMatching(
        /STRIPE_PUBLISHABLE_KEY is a test key but STRIPE_SECRET_KEY is a live key/,
      ),
      expect.stringMatching(
        /STRIPE_WEBHOOK_SECRET is required with real Stripe keys: create a webhook endpoint/,
      ),
      expect.stringMatching(/TILLKIT_ALLOWED_ORIGINS is required with real Stripe keys/),
    ]);
    expect(
      problems({
        STRIPE_SECRET_KEY: 'sk_test_abc',
        STRIPE_WEBHOOK_SECRET: 'whsec_x',
        TILLKIT_ALLOWED_ORIGINS: 'https://a.example',
      }),
    ).toEqual([expect.stringMatching(/STRIPE_PUBLISHABLE_KEY is required with STRIPE_SECRET_KEY/)]);
  });

  it('names every malformed value and says what to write instead', () => {
    const found = problems({
      ...REAL,
      PORT: 'eighty',
      STRIPE_SECRET_KEY: 'pk_test_oops',
      STRIPE_WEBHOOK_SECRET: 'sk_test_wrong_thing',
      DATABASE_URL: 'mysql://db/shop',
      TILLKIT_AUTH_SECRET: 'short',
      TILLKIT_ALLOWED_ORIGINS: 'https://shop.example/checkout',
      TILLKIT_TRUST_PROXY: 'maybe',
      TILLKIT_ALLOW_PROMOTION_CODES: 'yes',
      TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER: '1',
    });
    expect(found.join('\n')).toMatch(/PORT must be a port number from 0 to 65535 \(got "eighty"\)/);
    expect(found.join('\n')).toMatch(
      /STRIPE_SECRET_KEY must be a secret key \(sk_test_… or sk_live_…\)/,
    );
    expect(found.join('\n')).toMatch(/STRIPE_WEBHOOK_SECRET must be .* starts with whsec_/);
    expect(found.join('\n')).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
    expect(found.join('\n')).toMatch(
      /TILLKIT_AUTH_SECRET must be at least 32 characters.*openssl rand/,
    );
    expect(found.join('\n')).toMatch(
      /TILLKIT_ALLOWED_ORIGINS: "https:\/\/shop.example\/checkout" is not an origin/,
    );
    expect(found.join('\n')).toMatch(/TILLKIT_TRUST_PROXY/);
    expect(found.join('\n')).toMatch(
      /TILLKIT_ALLOW_PROMOTION_CODES must be `true` or `false` \(got "yes"\)/,
    );
    expect(found.join('\n')).toMatch(
      /TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER must be `true` or `false` \(got "1"\)/,
    );
    expect(
      problems({ TILLKIT_AUTH_SECRET: 'x'.repeat(40), TILLKIT_AUTH_JWKS_URL: 'https://a/jwks' }),
    ).toEqual([expect.stringMatching(/not both/)]);
    expect(
      problems({ STRIPE_API_BASE: 'http://127.0.0.1:12111/v1', STRIPE_SECRET_KEY: 'sk_live_abc' }),
    ).toEqual([
      expect.stringMatching(/STRIPE_API_BASE must be an origin with no path/),
      expect.stringMatching(/sandboxes refuse live keys/),
    ]);
    expect(problems({ TILLKIT_SANDBOX_PORT: '70000' })).toEqual([
      expect.stringMatching(/TILLKIT_SANDBOX_PORT/),
    ]);
    expect(problems({ STRIPE_PUBLISHABLE_KEY: 'pk_test_abc' })).toEqual([
      expect.stringMatching(/without STRIPE_SECRET_KEY/),
    ]);
  });

  it('the error lists every problem in its message', () => {
    expect(() => loadConfig({ PORT: '-1', DATABASE_URL: 'x' })).toThrow(
      /not configured correctly:\n {2}- /,
    );
    expect(() => loadConfig({ PORT: '-1', DATABASE_URL: 'x' })).toThrow(/\n {2}- PORT must be/);
    expect(() => loadConfig({ PORT: '-1', DATABASE_URL: 'x' })).toThrow(
      /\n {2}- DATABASE_URL must be/,
    );
  });
});
