/**
 * Secrets the server makes for itself in sandbox mode (the demo sign-in's HS256 secret and the
 * embedded sandbox's webhook secret), kept in the data folder so that tokens and the webhook
 * endpoint survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SandboxSecrets {
  authSecret: string;
  webhookSecret: string;
}

export function loadOrCreateSecrets(dataDir: string): SandboxSecrets {
  const path = join(dataDir, 'sandbox-secrets.json');
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxSecrets>;
    if (saved.authSecret && saved.webhookSecret?.startsWith('whsec_')) {
      return { authSecret: saved.authSecret, webhookSecret: saved.webhookSecret };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) {
      throw error;
    }
  }
  const secrets = {
    authSecret: randomBytes(32).toString('base64url'),
    webhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return secrets;
}
