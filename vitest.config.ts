import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
