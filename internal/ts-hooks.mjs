/**
 * Node module hooks that run the workspace's TypeScript sources as they are, so the e2e suite
 * and `pnpm dev` start the server's real `src/bin.ts` (Node 20 cannot strip types). Each `.ts` file is
 * transpiled alone with esbuild (no bundling: `import.meta.url` stays the file's own, which the
 * database migrations and the sandbox's Stripe.js build rely on). Used by `register-ts.mjs`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// esbuild as the sandbox depends on it (the root does not), the version the workspace builds with.
const require = createRequire(new URL('../packages/sandbox/package.json', import.meta.url));
const { transform } = require('esbuild');

/** The sources import `./file.js` for `./file.ts` (NodeNext): try the `.ts` file when needed. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = /^(\.|\/|file:)/.test(specifier);
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !relative || !specifier.endsWith('.js')) {
      throw error;
    }
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
