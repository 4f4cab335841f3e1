import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { playwright } from '@vitest/browser-playwright';
import { defineProject, type Plugin } from 'vitest/config';
import { chromiumLaunchOptions } from '../../internal/chromium.mjs';

/**
 * Tests that involve Stripe's Payment Element (`*.browser.test.tsx`) run in Chromium (Debian's,
 * as in the e2e suite) through Vitest's browser mode. MSW's worker serves the sandbox core and a
 * fake Tillkit server in the page, so the real sandbox Stripe.js and Payment Element run with no
 * server and no port of their own.
 */
const require = createRequire(import.meta.url);

/** Serves MSW's worker script at /mockServiceWorker.js from the installed msw (no copy to keep). */
function mswWorker(): Plugin {
  return {
    name: 'tillkit:msw-worker',
    configureServer(server) {
      const script = readFileSync(require.resolve('msw/mockServiceWorker.js'), 'utf8');
      server.middlewares.use('/mockServiceWorker.js', (_request, response) => {
        response.setHeader('Content-Type', 'text/javascript');
        response.setHeader('Cache-Control', 'no-store');
        response.end(script);
      });
    },
  };
}

export default defineProject({
  plugins: [mswWorker()],
  resolve: { conditions: ['tillkit-source', 'module', 'browser', 'development|production'] },
  optimizeDeps: {
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-dev-runtime',
      '@testing-library/react',
      '@testing-library/jest-dom/vitest',
      'msw',
      'msw/browser',
      'axe-core',
    ],
  },
  test: {
    name: 'react-browser',
    include: ['src/**/*.browser.test.tsx'],
    setupFiles: ['./test/setup-dom.ts'],
    testTimeout: 30_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: chromiumLaunchOptions,
      }),
      instances: [{ browser: 'chromium' }],
      // Vitest's browser server takes 63315 or, when that is busy (another run), the next free
      // port (strictPort stays off); never the apps' 4242, 5173 or 12111.
    },
  },
});
