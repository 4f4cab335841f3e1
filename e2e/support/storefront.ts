/**
 * The demo storefront (apps/demo) for storefront.spec.ts, as it would be deployed: a static
 * site. Its server starts first, on a free port, so that its origin can be allowed by the Tillkit
 * server; then `build(apiUrl)` builds the storefront with Vite's JS API for that server
 * (`VITE_TILLKIT_API`) into a temporary folder, which the server serves with an SPA fallback:
 * every path that is not a file gets index.html, as the storefront's routes are real paths.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const demo = fileURLToPath(new URL('../../apps/demo/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface Storefront {
  /** `http://127.0.0.1:port`: the storefront's origin, which the Tillkit server must allow. */
  url: string;
  /** Builds the storefront for the Tillkit server at `apiUrl` (its `apiBase`). */
  build(apiUrl: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStorefront(): Promise<Storefront> {
  const outDir = mkdtempSync(join(tmpdir(), 'tillkit-e2e-storefront-'));
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = resolve(outDir, `.${path}`);
    const found =
      file.startsWith(`${outDir}${sep}`) &&
      (await stat(file).then(
        (info) => info.isFile(),
        () => false,
      ));
    // A path with an extension that is not there is a missing asset, not a page.
    if (!found && extname(path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    const served = found ? file : join(outDir, 'index.html');
    try {
      const body = await readFile(served);
      response
        .writeHead(200, {
          'Content-Type': TYPES[extname(served)] ?? 'application/octet-stream',
          'Cache-Control': 'no-store',
        })
        .end(body);
    } catch {
      response.writeHead(503, { 'Content-Type': 'text/plain' }).end('The storefront is not built');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async build(apiUrl) {
      const { build } = await import('vite');
      // Vite reads VITE_* variables from the environment, as `VITE_TILLKIT_API=… vite build` does.
      const before = process.env.VITE_TILLKIT_API;
      process.env.VITE_TILLKIT_API = apiUrl;
      try {
        await build({
          root: demo,
          configFile: join(demo, 'vite.config.ts'),
          logLevel: 'warn',
          build: { outDir, emptyOutDir: true },
        });
      } finally {
        if (before === undefined) delete process.env.VITE_TILLKIT_API;
        else process.env.VITE_TILLKIT_API = before;
      }
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          rmSync(outDir, { recursive: true, force: true });
          done();
        });
        server.closeAllConnections();
      }),
  };
}
