import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * The same jsdom and SSR tests as vitest.config.ts, on React 18. React 18, its react-dom and
 * Testing Library are installed together in internal/react18 (so that pnpm links them to each
 * other, not to React 19), and every import of them is aliased there.
 */
const react18 = (name: string) =>
  fileURLToPath(new URL(`../../internal/react18/node_modules/${name}`, import.meta.url));

export default defineProject({
  ssr: { resolve: { conditions: ['tillkit-source'] } },
  resolve: {
    conditions: ['tillkit-source'],
    alias: [
      { find: /^react$/, replacement: react18('react') },
      { find: /^react\/(.*)$/, replacement: `${react18('react')}/$1` },
      { find: /^react-dom$/, replacement: react18('react-dom') },
      { find: /^react-dom\/(.*)$/, replacement: `${react18('react-dom')}/$1` },
      { find: /^@testing-library\/react$/, replacement: react18('@testing-library/react') },
    ],
  },
  test: {
    name: 'react-18',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    exclude: ['**/*.browser.test.tsx', '**/packaging.test.ts', '**/node_modules/**'],
    setupFiles: ['./test/setup-dom.ts'],
    env: { TILLKIT_REACT_MAJOR: '18' },
    testTimeout: 20_000,
  },
});
