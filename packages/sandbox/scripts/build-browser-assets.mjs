// Writes the browser half of the sandbox (the sandbox's Stripe.js and the element frame's script)
// to dist/assets/, after `tsc` built dist/: the published package serves these prebuilt bundles.
import { fileURLToPath } from 'node:url';
import { writeBrowserAssets } from '../dist/node/browser-assets.js';

const written = await writeBrowserAssets(
  fileURLToPath(new URL('../dist/assets/', import.meta.url)),
);
for (const path of written) console.log(`wrote ${path}`);
