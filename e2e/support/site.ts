/**
 * The host page's site: `host/app.tsx` bundled with esbuild from the kit's sources (the
 * `tillkit-source` condition), served with a one-line HTML page by a static server on a free
 * port, another origin than the Tillkit server's.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

// esbuild as the kit's own scripts use it (a devDependency of @tillkit/react, not of the root,
// hence its few types used here written out).
const require = createRequire(new URL('../../packages/react/package.json', import.meta.url));
const { build } = require('esbuild') as {
  build(options: Record<string, unknown>): Promise<{ outputFiles?: Array<{ text: string }> }>;
};

const HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Tillkit e2e shop</title><link rel="icon" href="data:,"></head>
  <body><div id="root"></div><script src="/app.js"></script></body>
</html>`;

export interface Site {
  /** `http://127.0.0.1:port`: the page's origin, which the server must allow. */
  url: string;
  close(): Promise<void>;
}

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../host/app.tsx', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    conditions: ['tillkit-source'],
    define: { 'process.env.NODE_ENV': '"development"' },
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return result.outputFiles?.[0]?.text ?? '';
}

export async function startSite(): Promise<Site> {
  const script = await bundle();
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const [type, body] =
      path === '/' ? ['text/html', HTML] : path === '/app.js' ? ['text/javascript', script] : [];
    if (!body) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    response
      .writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
