import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['tillkit-source'] },
  ssr: { resolve: { conditions: ['tillkit-source'] } },
  test: {
    name: 'server',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
