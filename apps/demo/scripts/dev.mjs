#!/usr/bin/env node
/**
 * `pnpm dev` (and `pnpm start`): the demo storefront and the Tillkit server it talks to, side by
 * side, both from source.
 *
 * - server: `tillkit-server` (packages/server/src/bin.ts) in sandbox mode, run as the e2e suite
 *   runs it (e2e/support/server.ts), with its data (PGlite, the sandbox's state, the sign-in
 *   secret) in apps/demo/.tillkit, git-ignored: http://localhost:4242/api, the sandbox on :12111.
 * - web: Vite's dev server for apps/demo on http://localhost:5173.
 *
 * Each line of output is prefixed with its process's name. Ctrl-C stops both, and so does either
 * one exiting (then with its exit code). Environment: PORT and TILLKIT_SANDBOX_PORT (the server's
 * ports), DEMO_PORT (the storefront's; the server then allows that origin), VITE_TILLKIT_API (the
 * API the storefront calls), LOG_LEVEL (the server's; `warn` unless set), TILLKIT_DATA_DIR,
 * TILLKIT_ALLOW_PROMOTION_CODES and TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER (`true` unless set).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('..', import.meta.url));
const root = join(demo, '..', '..');
const env = process.env;
const apiPort = env.PORT || '4242';
const webPort = env.DEMO_PORT || '5173';
const colour = process.stdout.isTTY && !env.NO_COLOR;

/** The environment without unset entries (spawn would pass them as the string "undefined"). */
const defined = (values) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));

const vite = join(
  dirname(createRequire(import.meta.url).resolve('vite/package.json')),
  'bin',
  'vite.js',
);

const processes = [
  {
    name: 'server',
    tint: 36,
    args: [
      '--conditions=tillkit-source',
      '--import',
      './internal/register-ts.mjs',
      'packages/server/src/bin.ts',
    ],
    cwd: root,
    env: defined({
      ...env,
      PORT: apiPort,
      TILLKIT_DATA_DIR: env.TILLKIT_DATA_DIR || join(demo, '.tillkit'),
      LOG_LEVEL: env.LOG_LEVEL || 'warn',
      // The hosted Checkout page offers promotion codes (the sandbox seeds WELCOME10).
      TILLKIT_ALLOW_PROMOTION_CODES: env.TILLKIT_ALLOW_PROMOTION_CODES || 'true',
      // Starter and Pro are tiers: another plan is a plan change, never a second subscription.
      TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER: env.TILLKIT_ONE_SUBSCRIPTION_PER_CUSTOMER || 'true',
      // Sandbox mode allows :5173 by default; another storefront port must be allowed too.
      TILLKIT_ALLOWED_ORIGINS:
        env.TILLKIT_ALLOWED_ORIGINS ||
        (webPort === '5173'
          ? undefined
          : `http://localhost:${webPort},http://127.0.0.1:${webPort}`),
    }),
    ready: /Stripe sandbox\s+http/,
  },
  {
    name: 'web',
    tint: 35,
    args: [vite, '--port', webPort, '--strictPort'],
    cwd: demo,
    env: defined({
      ...env,
      VITE_TILLKIT_API: env.VITE_TILLKIT_API || `http://localhost:${apiPort}/api`,
      FORCE_COLOR: colour ? '1' : undefined,
    }),
    ready: /Local:/,
  },
];

const label = (name, tint) => {
  const text = `[${name}]`.padEnd(9);
  return colour ? `\u001b[${tint}m${text}\u001b[0m` : text;
};
const say = (line) => console.log(`${label('dev', 33)}${line}`);

let stopping = false;
let exitCode = 0;
const waiting = new Set(processes.map((entry) => entry.name));

const children = processes.map(({ name, tint, args, cwd, env: childEnv, ready }) => {
  const child = spawn(process.execPath, args, {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      console.log(`${label(name, tint)}${line}`);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colour codes
      if (waiting.has(name) && ready.test(line.replace(/\u001b\[[0-9;]*m/g, ''))) {
        waiting.delete(name);
        // After the rest of the banner, which arrives in the same chunk.
        if (!waiting.size) {
          setTimeout(
            () => say(`storefront on http://localhost:${webPort} (Ctrl-C stops both)`),
            100,
          );
        }
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the rest`);
      exitCode = code || 1;
    }
    stop();
    if (children.every((other) => other.exitCode !== null || other.signalCode !== null)) {
      process.exit(exitCode);
    }
  });
  return child;
});

function stop() {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  // The server closes its database and the sandbox first; give it a moment, then insist.
  setTimeout(() => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 8000).unref();
}

// Ctrl-C reaches the children too (same process group); this makes sure of it and waits for them.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
