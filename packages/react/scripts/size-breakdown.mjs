// `node scripts/size-breakdown.mjs`: where the kit's bytes go, read from src/ with no build (so it
// is safe to run beside tests). Bundles as .size-limit.mjs does (esbuild, minified, gzip -9, the
// peers left out) and prints the whole kit, what each feature adds to it (the kit without that
// feature, subtracted), and each module's minified bytes. An aid for `pnpm bench`, whose numbers
// (from the built dist/) are the ones that count.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const FEATURES = [
  'authenticate-payment',
  'entitlements',
  'manage-billing',
  'payment-form',
  'payment-history',
  'payment-status',
  'pricing-table',
  'products',
  'save-card-form',
  'saved-cards',
  'subscribe-form',
  'subscription-manager',
];

async function bundle(features, metafile = false) {
  const contents = [
    "export * from './src/provider/index.ts'",
    "export * from './src/appearance.ts'",
    "export * from './src/format-money.ts'",
    "export * from './src/messages/messages.ts'",
    ...features.map((feature) => `export * from './src/${feature}/index.ts'`),
  ].join('\n');
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    conditions: ['tillkit-source'],
    write: false,
    metafile,
    logLevel: 'error',
    external: ['react', 'react-dom', 'react/*', 'react-dom/*', '@stripe/*'],
  });
  const code = result.outputFiles[0].contents;
  return { gzip: gzipSync(code, { level: 9 }).length, min: code.length, meta: result.metafile };
}

const all = await bundle(FEATURES, true);
console.log(`whole kit: ${all.gzip} B gzip (${all.min} B minified)`);
console.log(`provider and shared base alone: ${(await bundle([])).gzip} B gzip`);
console.log('\nwhat each feature adds (gzip):');
for (const feature of FEATURES) {
  const without = await bundle(FEATURES.filter((other) => other !== feature));
  console.log(`  ${feature.padEnd(22)} ${String(all.gzip - without.gzip).padStart(6)}`);
}
console.log('\nminified bytes per module:');
const inputs = Object.values(all.meta.outputs)[0].inputs;
for (const [path, { bytesInOutput }] of Object.entries(inputs).sort(
  (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
)) {
  if (bytesInOutput) console.log(`  ${String(bytesInOutput).padStart(6)}  ${path}`);
}
