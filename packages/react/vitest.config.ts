import { defineProject } from 'vitest/config';

/**
 * The kit's hook, provider and SSR tests, with React 19, in jsdom (`*.ssr.test.tsx` and the
 * packaging check switch to node with a `@vitest-environment node` comment). The Payment Element
 * tests run in Chromium (vitest.browser.config.ts); React 18 runs the same tests as this project
 * (vitest.react18.config.ts).
 */
export default defineProject({
  // jsdom and node tests resolve through Vite's SSR environment: workspace packages from source.
  resolve: { conditions: ['tillkit-source'] },
  ssr: { resolve: { conditions: ['tillkit-source'] } },
  test: {
    name: 'react',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    exclude: ['**/*.browser.test.tsx', '**/node_modules/**'],
    setupFiles: ['./test/setup-dom.ts'],
    env: { TILLKIT_REACT_MAJOR: '19' },
    testTimeout: 20_000,
  },
});
