/**
 * Starts what the suite drives, once for every worker: the host page's site, then the real
 * standalone server allowing the site's origin. Their addresses reach the tests through the
 * environment (read by support/fixtures.ts); the returned function stops both and removes the
 * server's data folder.
 */
import { type Server, startServer } from './support/server.js';
import { type Site, startSite } from './support/site.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const site: Site = await startSite();
  let server: Server;
  try {
    server = await startServer({ allowedOrigin: site.url });
  } catch (error) {
    await site.close();
    throw error;
  }
  process.env.TILLKIT_E2E_SITE = site.url;
  process.env.TILLKIT_E2E_API = server.apiUrl;
  process.env.TILLKIT_E2E_SANDBOX = server.sandboxUrl;
  return async () => {
    await server.close();
    await site.close();
  };
}
