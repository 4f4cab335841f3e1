/**
 * The demo storefront's Vite config. The kit is read from its TypeScript source (the
 * `tillkit-source` export condition, as .storybook/main.ts does), so neither `pnpm dev` nor
 * `pnpm --filter @tillkit/demo build` needs the packages built first. An app that installs
 * `@tillkit/react` from npm needs none of this: the default conditions pick the built files.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Vite's browser defaults, with the workspace packages' source first.
    conditions: ['tillkit-source', 'module', 'browser', 'development|production'],
  },
  // The server's sandbox mode allows http://localhost:5173 and http://127.0.0.1:5173 by default;
  // another port would be refused by its CORS, so never drift to the next free one.
  server: { port: 5173, strictPort: true },
  build: {
    rolldownOptions: {
      onwarn(warning, warn) {
        // The kit's 'use client' directives are for server-component bundlers (Next.js); a
        // single-page app has none, so dropping them is expected.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
