/**
 * The fixture site: a tiny static server on a free port that serves the fixture pages, their
 * scripts (bundled with esbuild on start) and MSW's worker script.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const require = createRequire(import.meta.url);

export interface Site {
  url: string;
  close(): Promise<void>;
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [`${fixtures}${entry}`],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['tillkit-source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

export async function startSite(): Promise<Site> {
  const [plain, react, worker] = await Promise.all([
    bundle('plain-app.ts'),
    bundle('react-app.ts'),
    readFile(require.resolve('msw/mockServiceWorker.js'), 'utf8'),
  ]);
  const files = new Map<string, { type: string; body: string }>([
    ['/plain.js', { type: 'text/javascript', body: plain }],
    ['/react.js', { type: 'text/javascript', body: react }],
    ['/mockServiceWorker.js', { type: 'text/javascript', body: worker }],
  ]);
  for (const page of ['plain.html', 'react.html', 'return.html']) {
    files.set(`/${page}`, {
      type: 'text/html',
      body: await readFile(`${fixtures}${page}`, 'utf8'),
    });
  }
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = files.get(path);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    response
      .writeHead(200, {
        'Content-Type': `${file.type}; charset=utf-8`,
        'Cache-Control': 'no-store',
      })
      .end(file.body);
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
