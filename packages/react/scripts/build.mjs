// Builds dist/: tsc emits one ESM module and one .d.ts per source file (the per-file output is
// what makes each component tree-shakable, and tsc keeps each client module's 'use client'
// directive at its top, where Next.js looks for it); then styles.css is copied beside them.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The workspace's `tsc` (TypeScript 7 is installed at the root). */
function findTsc(from) {
  const candidate = join(from, 'node_modules', '.bin', 'tsc');
  if (existsSync(candidate)) return candidate;
  const parent = dirname(from);
  if (parent === from) throw new Error('tsc not found: run pnpm install');
  return findTsc(parent);
}

const tsc = findTsc(root);
// `--with-protocol`: build @tillkit/protocol's dist too, which the built kit imports (size checks,
// plain-Node imports); tests and apps in the workspace read both from source.
if (process.argv.includes('--with-protocol')) {
  execFileSync(tsc, ['-p', `${root}../protocol/tsconfig.build.json`], { stdio: 'inherit' });
}
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(tsc, ['-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
copyFileSync(`${root}src/styles.css`, `${root}dist/styles.css`);
console.log('built packages/react/dist');
