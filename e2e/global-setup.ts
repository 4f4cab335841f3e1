/**
 * Starts what the suite drives, once for every worker: the host page's site and the demo
 * storefront's (built below, once the server's address is known), then the real standalone
 * server allowing both origins. Their addresses reach the tests through the environment (read by
 * support/fixtures.ts); the returned function stops everything and removes the server's data
 * folder and the storefront's build.
 */
import { type Server, startServer } from './support/server.js';
import { type Site, startSite } from './support/site.js';
import { type Storefront, startStorefront } from './support/storefront.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const started: Array<{ close(): Promise<void> }> = [];
  const closeAll = async () => {
    for (const running of started.reverse()) await running.close();
  };
  try {
    const site: Site = await startSite();
    started.push(site);
    const storefront: Storefront = await startStorefront();
    started.push(storefront);
    const server: Server = await startServer({ allowedOrigins: [site.url, storefront.url] });
    started.push(server);
    await storefront.build(server.apiUrl);
    process.env.TILLKIT_E2E_SITE = site.url;
    process.env.TILLKIT_E2E_STOREFRONT = storefront.url;
    process.env.TILLKIT_E2E_API = server.apiUrl;
    process.env.TILLKIT_E2E_SANDBOX = server.sandboxUrl;
  } catch (error) {
    await closeAll();
    throw error;
  }
  return closeAll;
}
