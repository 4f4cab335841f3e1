/**
 * The client goes into the React kit's browser bundle: it must stay small and must never pull
 * classic zod (about 90 kB gzipped). Bundled with esbuild as an app would, minified and gzipped.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: packageDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['tillkit-source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  // Only the modules that put bytes into the output (tree-shaken ones are parsed, then dropped).
  const output = Object.values(result.metafile.outputs)[0];
  return {
    text: new TextDecoder().decode(code),
    gzip: gzipSync(code, { level: 9 }).length,
    inputs: Object.entries(output?.inputs ?? {})
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([path]) => path),
  };
}

describe('browser bundle size', () => {
  it('the client alone is tiny and carries no validation library', async () => {
    const { gzip, inputs } = await bundle(
      "import { createTillkitClient } from '@tillkit/protocol'; console.log(createTillkitClient);",
    );
    console.info(`client bundle: ${gzip} B gzip`);
    expect(inputs.filter((input) => input.includes('node_modules/zod'))).toEqual([]);
    expect(gzip).toBeLessThan(3_000);
  });

  it('a per-route call bundles with its own route only', async () => {
    const { gzip, text } = await bundle(
      "import { createTransport, createPaymentIntent } from '@tillkit/protocol'; console.log(createTransport, createPaymentIntent);",
    );
    console.info(`one call bundle: ${gzip} B gzip`);
    expect(text).toContain('/payment-intents');
    for (const other of ['/subscriptions', '/payment-methods', '/checkout-sessions', '/refunds']) {
      expect(text).not.toContain(other);
    }
    expect(gzip).toBeLessThan(1_300);
  });

  it('the client plus every schema stays on zod/mini, far below classic zod', async () => {
    const { gzip, inputs } = await bundle(
      "import * as protocol from '@tillkit/protocol'; console.log(protocol);",
    );
    console.info(`client + schemas bundle: ${gzip} B gzip`);
    expect(inputs.some((input) => input.includes('zod/v4/mini'))).toBe(true);
    expect(inputs.filter((input) => input.includes('zod/v4/classic'))).toEqual([]);
    expect(gzip).toBeLessThan(20_000);
  });
});
