// How every browser test here starts Chromium: Debian's (Playwright's own download cannot work
// offline), headless, with nothing that reaches the network on its own. Used by the Playwright
// suites (e2e/, packages/sandbox/e2e) and the Vitest browser projects (the kit, Storybook).
/** @type {{ executablePath: string, args: string[] }} */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
