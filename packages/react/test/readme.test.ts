// @vitest-environment node
/**
 * The README's React examples compile: every `tsx` block of the root README's React section and of
 * the package README is type-checked (tsc, strict, as a host's code) against the kit's sources.
 * The names a snippet takes from the host's app (`session`, `router`, `App`) are declared below.
 */
import { execFile as execFileCallback } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const execFile = promisify(execFileCallback);
const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so that `@tillkit/react` resolves to itself as in the examples.
const dir = `${root}test/.readme-snippets/`;

/** What the snippets take from the host's app. */
const HOST = `import type { ReactNode } from 'react';
declare global {
  const session: { token: string; customerId: string };
  const router: { push(path: string): void };
  const renewal: { clientSecret: string };
  const items: { price: string; quantity: number }[];
  function App(): ReactNode;
  function UpgradeLink(): ReactNode;
  function Spinner(): ReactNode;
  function SupportChat(): ReactNode;
  const refresh: () => void;
  const savedCards: { refresh(): void };
}
`;

/** The `tsx` blocks of a markdown text, with the line each starts on. */
function blocks(markdown: string): Array<{ line: number; code: string }> {
  const found: Array<{ line: number; code: string }> = [];
  const fence = /^```tsx\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    found.push({
      line: markdown.slice(0, match.index).split('\n').length + 1,
      code: match[1] ?? '',
    });
  }
  return found;
}

afterAll(() => rm(dir, { recursive: true, force: true }));

it('type-checks every tsx example of the READMEs against the kit', async () => {
  const readme = await readFile(`${root}../../README.md`, 'utf8');
  const start = readme.indexOf('## The React kit');
  const sources = [
    {
      name: 'README.md',
      text: readme.slice(start, readme.indexOf('\n## ', start + 1)),
      before: readme.slice(0, start).split('\n').length - 1,
    },
    {
      name: 'packages/react/README.md',
      text: await readFile(`${root}README.md`, 'utf8'),
      before: 0,
    },
  ];
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}host.d.ts`, HOST);
  await writeFile(`${dir}css.d.ts`, "declare module '*.css';\n");
  // A block that goes on from the one before it has no imports: it gets the kit's exports.
  const kit = Object.keys(await import('../src/index.js')).join(', ');
  const files: Record<string, string> = {};
  for (const { name, text, before } of sources) {
    for (const { line, code } of blocks(text)) {
      const file = `${name.replace(/\W+/g, '-')}-${before + line}.tsx`;
      files[file] = `${name}:${before + line}`;
      // Each block is a module of its own (a block without imports would be a script).
      const imports = /^import /m.test(code) ? '' : `import { ${kit} } from '@tillkit/react';\n`;
      await writeFile(`${dir}${file}`, `${imports}${code}\nexport {};\n`);
    }
  }
  expect(Object.keys(files).length).toBeGreaterThan(12);
  await writeFile(
    `${dir}tsconfig.json`,
    JSON.stringify({
      extends: '../../tsconfig.json',
      compilerOptions: { types: [] },
      include: [],
      files: ['host.d.ts', 'css.d.ts', ...Object.keys(files)],
    }),
  );
  const tsc = `${root}../../node_modules/.bin/tsc`;
  const output = await execFile(tsc, ['--noEmit', '-p', `${dir}tsconfig.json`]).then(
    () => '',
    // tsc's report, or why it did not run at all.
    (error: { stdout?: string }) => error.stdout || `error TS: ${String(error)}`,
  );
  // Each error in a block named by the README line the block starts on (the kit's own sources are
  // checked by `pnpm typecheck`).
  const errors = output
    .split('\n')
    .filter((line) => line.includes('error TS') && !line.startsWith('packages/react/src/'))
    .map((line) => {
      const file = Object.keys(files).find((name) => line.includes(name));
      return file ? line.replace(/^.*?\.tsx/, files[file] ?? file) : line;
    });
  expect(errors).toEqual([]);
}, 120_000);
