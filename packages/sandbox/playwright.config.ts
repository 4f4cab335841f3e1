import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../../internal/chromium.mjs';

/**
 * The browser tests of the sandbox's Stripe.js: Debian's Chromium (Playwright's own browser
 * downloads cannot work offline), two workers, one sandbox and fixture site per worker.
 */
export default defineConfig({
  testDir: './e2e',
  // Traces and screenshots of failures, outside the work tree.
  outputDir: join(tmpdir(), 'tillkit-sandbox-e2e'),
  fullyParallel: true,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    headless: true,
    launchOptions: chromiumLaunchOptions,
  },
});
