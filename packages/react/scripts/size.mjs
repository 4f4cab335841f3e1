// Runs size-limit (.size-limit.mjs) on the built kit and answers its JSON: what `pnpm bench` prints
// and what the packaging test checks. Build first (scripts/build.mjs --with-protocol).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** @returns {Array<{ name: string, size: number, sizeLimit?: number, passed?: boolean }>} */
export function measureSizes() {
  let output;
  try {
    output = execFileSync(`${root}node_modules/.bin/size-limit`, ['--json'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // size-limit exits 1 when a budget is passed, still printing its JSON.
    output = error.stdout;
    if (!output) throw error;
  }
  return JSON.parse(output);
}
