/**
 * The browser half of the sandbox, served by the Node adapter: `/js/stripe.js` (the sandbox's
 * Stripe.js) and the element frame (`/elements/frame.html` and its script). The published package
 * ships them prebuilt in `dist/assets/`; from the sources they are bundled with esbuild on first
 * request and kept in memory (so esbuild is a devDependency: installs of the package never need it).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameHtml } from '../browser/frame/frame-html.js';

/** The bundles, by the name they are served and shipped under. */
const ENTRIES = {
  'stripe.js': '../browser/global',
  'frame.js': '../browser/frame/entry',
} as const;

export type BrowserAsset = keyof typeof ENTRIES;

const cache = new Map<BrowserAsset, Promise<string>>();

function entryPoint(name: BrowserAsset): string {
  const base = fileURLToPath(new URL(ENTRIES[name], import.meta.url));
  return existsSync(`${base}.ts`) ? `${base}.ts` : `${base}.js`;
}

/** Bundles one asset from the sources (an IIFE for browsers). */
export async function bundleBrowserAsset(name: BrowserAsset): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entryPoint(name)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['tillkit-source'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced nothing for ${name}`);
  return output.text;
}

/** The asset's code: the prebuilt file when the package ships one, else a fresh bundle. */
export function browserAsset(name: BrowserAsset): Promise<string> {
  let found = cache.get(name);
  if (!found) {
    const prebuilt = fileURLToPath(new URL(`../assets/${name}`, import.meta.url));
    found = existsSync(prebuilt) ? readFile(prebuilt, 'utf8') : bundleBrowserAsset(name);
    // A failed build is not cached, so a fixed source is picked up on the next request.
    found.catch(() => cache.delete(name));
    cache.set(name, found);
  }
  return found;
}

/** Writes every bundle to `directory` (the package's build step: `dist/assets/`). */
export async function writeBrowserAssets(directory: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const written: string[] = [];
  for (const name of Object.keys(ENTRIES) as BrowserAsset[]) {
    const path = join(directory, name);
    await writeFile(path, await bundleBrowserAsset(name));
    written.push(path);
  }
  return written;
}

const ASSET_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Answers `/js/*` and `/elements/*`; null for every other path (the core's). A build error is a
 * 500 whose body says what went wrong.
 */
export async function serveBrowserAsset(request: Request): Promise<Response | null> {
  const { pathname } = new URL(request.url);
  if (!pathname.startsWith('/js/') && !pathname.startsWith('/elements/')) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405, headers: ASSET_HEADERS });
  }
  const script = (name: BrowserAsset) =>
    browserAsset(name).then(
      (code) =>
        new Response(request.method === 'HEAD' ? null : code, {
          headers: { ...ASSET_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' },
        }),
      (error: unknown) =>
        new Response(`/* The sandbox could not build ${name}: ${String(error)} */`, {
          status: 500,
          headers: { ...ASSET_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' },
        }),
    );
  switch (pathname) {
    case '/js/stripe.js':
      return script('stripe.js');
    case '/elements/frame.js':
      return script('frame.js');
    case '/elements/frame.html':
      return new Response(request.method === 'HEAD' ? null : frameHtml('/elements/frame.js'), {
        headers: { ...ASSET_HEADERS, 'Content-Type': 'text/html; charset=utf-8' },
      });
    default:
      return new Response('Not found', { status: 404, headers: ASSET_HEADERS });
  }
}
