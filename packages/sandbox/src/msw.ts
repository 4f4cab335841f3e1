/**
 * MSW handlers that serve the sandbox core inside the process or page that runs them: in a Node
 * test with `setupServer`, or in a browser (Storybook, component tests) with `setupWorker`, with
 * no server at all.
 * @example
 * const core = createSandboxCore();
 * const server = setupServer(...sandboxHandlers(core, { baseUrl: 'http://sandbox.test' }));
 * server.listen();
 */
import { http, type RequestHandler } from 'msw';
import type { SandboxCore } from './core/sandbox.js';

export interface SandboxHandlersOptions {
  /** The origin the sandbox answers at, e.g. `http://sandbox.test` or `http://127.0.0.1:12111`. */
  baseUrl: string;
}

/** Handlers for every sandbox route (`/v1/*`) at `baseUrl`. */
export function sandboxHandlers(
  core: SandboxCore,
  options: SandboxHandlersOptions,
): RequestHandler[] {
  const base = options.baseUrl.replace(/\/$/, '');
  // A dropped connection (chaos) is `Response.error()`, which MSW turns into a network error.
  return [http.all(`${base}/v1/*`, ({ request }) => core.fetch(request))];
}
