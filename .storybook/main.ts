/**
 * Storybook for every component of @tillkit/react: `pnpm storybook` (dev) and `pnpm
 * build-storybook`. Stories live in ./stories and run as browser tests through the Vitest addon
 * (./vitest.config.ts, project `storybook`). The kit and the sandbox are read from source (the
 * `tillkit-source` export condition), as the packages' own tests do, so nothing needs a build.
 */
import type { StorybookConfig } from '@storybook/react-vite';
import react from '@vitejs/plugin-react';
import { mergeConfig, type UserConfig } from 'vite';

const config: StorybookConfig = {
  stories: ['./stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest', 'msw-storybook-addon'],
  framework: { name: '@storybook/react-vite', options: {} },
  // MSW's worker script (`msw init .storybook/public --save` keeps it in step with msw).
  staticDirs: ['./public'],
  // This machine's network is closed, and stories should not phone home anyway.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Storybook's default docgen (react-docgen) needs no TypeScript compiler API, which TS 7 lacks.
  typescript: { reactDocgen: 'react-docgen' },
  async viteFinal(viteConfig, { configType }) {
    const overrides: UserConfig = {
      // React Fast Refresh while editing stories and components (`storybook dev` only: the build
      // and the Vitest runs need no refresh runtime).
      plugins: configType === 'DEVELOPMENT' ? [react()] : [],
      build: {
        // A Storybook preview is one big chunk by nature (Storybook, React, the sandbox).
        chunkSizeWarningLimit: 4096,
        rolldownOptions: {
          onwarn(warning, warn) {
            // The kit's 'use client' directives are for the host's bundler (Next.js); a
            // Storybook bundle has no server components, so dropping them is expected.
            if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
            warn(warning);
          },
        },
      },
      resolve: {
        // Vite's browser defaults, with the workspace packages' source first.
        conditions: ['tillkit-source', 'module', 'browser', 'development|production'],
      },
      optimizeDeps: {
        // Found late otherwise (behind the sandbox's source), which reloads the page mid-test.
        include: [
          'msw',
          'msw/browser',
          '@tillkit/sandbox > qs',
          '@tillkit/sandbox > zod',
          '@stripe/stripe-js/pure/index.mjs',
        ],
      },
    };
    return mergeConfig(viteConfig, overrides);
  },
};

export default config;
