import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'playwright/test';
import { chromiumLaunchOptions } from '../internal/chromium.mjs';

/**
 * The whole product in Chromium: the real standalone server (sandbox mode) and a host page using
 * `@tillkit/react`, started once by global-setup.ts. Debian's Chromium with the sandbox suite's
 * settings (packages/sandbox/playwright.config.ts).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  // Traces and screenshots of failures, outside the work tree.
  outputDir: join(tmpdir(), 'tillkit-e2e'),
  fullyParallel: true,
  workers: 2,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    headless: true,
    // Dates and amounts as the specs write them (billing.spec.ts: "Renews on December 27, 2026").
    locale: 'en-US',
    timezoneId: 'UTC',
    launchOptions: chromiumLaunchOptions,
  },
});
