import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineProject, type Plugin, type UserWorkspaceConfig } from 'vitest/config';
import { chromiumLaunchOptions } from '../internal/chromium.mjs';

/**
 * Every story as a browser test: Storybook's Vitest addon renders each story in Chromium
 * (Debian's) with the same preview as `pnpm storybook`, MSW's worker serving the in-page sandbox
 * and demo server, runs its play function, then the a11y addon's axe check, which fails the test
 * on any violation (`parameters.a11y.test = 'error'`). One project per toolbar setting
 * (`initialGlobals`): light in English, dark in German.
 */
export function storybookProject(
  name: string,
  initialGlobals: { theme: 'light' | 'dark'; locale: 'en' | 'de' },
): UserWorkspaceConfig {
  return defineProject({
    plugins: [
      storybookTest({ configDir: import.meta.dirname, initialGlobals }),
      separateCache(name),
    ],
    test: {
      name,
      // A story's slowest path: the Payment Element drawn, a card paid through 3D Secure.
      testTimeout: 30_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: chromiumLaunchOptions,
        }),
        instances: [{ browser: 'chromium' }],
        // Vitest's browser server takes a free port (strictPort stays off); never the apps' ports.
      },
    },
  });
}

/**
 * The addon puts every project of one Storybook in the same Vite cache; two projects optimizing
 * dependencies into it at once would trip over each other.
 */
function separateCache(name: string): Plugin {
  return {
    name: 'tillkit:storybook-project-cache',
    enforce: 'post',
    config: (config) => ({ cacheDir: `${config.cacheDir ?? 'node_modules/.vite'}-${name}` }),
  };
}
