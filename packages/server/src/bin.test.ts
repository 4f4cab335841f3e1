/**
 * The `tillkit-server` bin's arguments: it is configured by environment variables, so `--help`
 * prints them and anything else is refused, both before a port is bound or a file written (a
 * first `npx tillkit-server --help` must not start a server and fill `./.tillkit`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'tillkit-bin-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function runBin(args: string[]) {
  const dataDir = join(folder, `data-${args.join('_') || 'none'}`);
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=tillkit-source',
      '--import',
      './internal/register-ts.mjs',
      'packages/server/src/bin.ts',
      ...args,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      // A server that started anyway would run until this kills it.
      timeout: 15_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        HOST: '127.0.0.1',
        TILLKIT_SANDBOX_PORT: '0',
        TILLKIT_DATA_DIR: dataDir,
      },
    },
  );
  return { ...result, wroteData: existsSync(dataDir) };
}

describe('tillkit-server arguments', () => {
  it('--help prints the environment variables and exits without starting', () => {
    const { status, stdout, wroteData } = runBin(['--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: tillkit-server');
    // Every variable the configuration reads, so the two never drift apart.
    const config = readFileSync(join(root, 'packages/server/src/standalone/config.ts'), 'utf8');
    const read = [...config.matchAll(/get\('([A-Z_]+)'\)/g)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(10);
    for (const name of read) expect(stdout).toContain(name);
    expect(wroteData).toBe(false);
  });

  it('refuses an unknown argument, naming it, without starting', () => {
    const { status, stderr, wroteData } = runBin(['--port', '4000']);
    expect(status).toBe(2);
    expect(stderr).toContain("Unknown option '--port'");
    expect(stderr).toContain('configured by environment variables');
    expect(wroteData).toBe(false);
  });
});
