import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at a time, also on two cores (Vitest's default there is one): most files wait on
    // a database, the sandbox or Chromium far more than they compute.
    maxWorkers: 2,
    // One project per package; a package with more (the React kit's browser and React 18 runs)
    // adds vitest.<name>.config.ts files beside its vitest.config.ts.
    // Storybook's stories run as browser tests too: light in English (project `storybook`), dark
    // in German (`storybook-dark-de`).
    projects: [
      'packages/*/vitest.config.ts',
      'packages/*/vitest.*.config.ts',
      '.storybook/vitest.config.ts',
      '.storybook/vitest.dark-de.config.ts',
    ],
  },
});
