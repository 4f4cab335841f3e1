/**
 * The real standalone server, `tillkit-server` (packages/server/src/bin.ts), in a process of its
 * own and configured only by environment variables, as a deployment runs it: sandbox mode (no
 * Stripe keys) with its embedded sandbox, a fresh data folder (PGlite, the sandbox's state, the
 * sign-in secret), free ports, and the origins of the suite's pages allowed (the host page and the
 * demo storefront). The workspace's TypeScript runs from source through `register-ts.mjs`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Server {
  /** `http://127.0.0.1:port/api`: the kit's `apiBase`. */
  apiUrl: string;
  /** The embedded sandbox's origin, as the banner prints it. */
  sandboxUrl: string;
  /** Where the server's output goes (kept after the run, for failures). */
  logFile: string;
  close(): Promise<void>;
}

export async function startServer({
  allowedOrigins,
}: {
  allowedOrigins: readonly string[];
}): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tillkit-e2e-'));
  const child = spawn(
    process.execPath,
    [
      '--conditions=tillkit-source',
      '--import',
      './internal/register-ts.mjs',
      'packages/server/src/bin.ts',
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // Port 0: free ports for the API and the embedded sandbox, never 4242 or 12111.
        PORT: '0',
        HOST: '127.0.0.1',
        TILLKIT_SANDBOX_PORT: '0',
        TILLKIT_DATA_DIR: dataDir,
        TILLKIT_ALLOWED_ORIGINS: allowedOrigins.join(','),
        // The hosted Checkout page offers the seeded WELCOME10 (billing.spec.ts applies it).
        TILLKIT_ALLOW_PROMOTION_CODES: 'true',
        // As `pnpm dev` runs the demo: the plans are tiers, one subscription per customer.
        TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logFile = join(tmpdir(), 'tillkit-e2e-server.log');
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let output = '';
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // The banner on stderr names both addresses once the server is ready.
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no banner within 60 s')), 60_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.length > 100_000) output = output.slice(-100_000);
        if (/Stripe sandbox\s+http\S+/.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}`));
      });
    });
    const apiUrl = /apiBase\)\s+(http\S+)/.exec(banner)?.[1];
    const sandboxUrl = /Stripe sandbox\s+(http\S+)/.exec(banner)?.[1];
    if (!apiUrl || !sandboxUrl) throw new Error('the banner names no API or sandbox');
    return { apiUrl, sandboxUrl, logFile, close: stop };
  } catch (error) {
    await stop();
    throw new Error(`tillkit-server did not start (${(error as Error).message}):\n${output}`);
  }
}
