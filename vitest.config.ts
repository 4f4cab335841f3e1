import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One project per package; a package with more (the React kit's browser and React 18 runs)
    // adds vitest.<name>.config.ts files beside its vitest.config.ts.
    projects: ['packages/*/vitest.config.ts', 'packages/*/vitest.*.config.ts'],
  },
});
