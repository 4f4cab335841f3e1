/**
 * Every story: a fresh in-page backend (the sandbox core and the demo Tillkit server behind MSW's
 * worker), the provider decorator, the theme and language toolbar, and accessibility checks that
 * fail the story (and its test) on any violation.
 */
import '@tillkit/react/styles.css';
import './preview.css';
import type { Preview } from '@storybook/react-vite';
import { setupWorker } from 'msw/browser';
import { mswLoader } from 'msw-storybook-addon/csf3';
import { resetDemoServer } from './mocks/demo-server.js';
import { baseHandlers } from './mocks/handlers.js';
import { withTillkit } from './tillkit-decorator.js';

const preview: Preview = {
  loaders: [
    // The worker starts once per page with the base handlers (the sandbox and the server's
    // routes), which survive the addon's reset between stories; a story's `parameters.msw`
    // handlers go in front of them (slow, empty, failing answers).
    mswLoader(async () => {
      const worker = setupWorker(...baseHandlers);
      await worker.start({
        quiet: true,
        onUnhandledRequest: 'bypass',
        // Beside iframe.html in a built Storybook (which may be served under a sub-path); at the
        // server's root in `storybook dev` and in the Vitest runs.
        serviceWorker: {
          url: window.location.pathname.endsWith('/iframe.html')
            ? './mockServiceWorker.js'
            : '/mockServiceWorker.js',
        },
      });
      return worker;
    }),
    async () => {
      resetDemoServer();
      return {};
    },
  ],
  beforeEach() {
    // A story left in the 3D Secure challenge keeps the sandbox's dialog open; close it after.
    return () => {
      for (const dialog of document.querySelectorAll('[data-tillkit-sandbox="3ds"]')) {
        dialog.remove();
      }
    };
  },
  decorators: [withTillkit],
  globalTypes: {
    theme: {
      description: 'Light or dark theme (page CSS variables and Stripe appearance)',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
    locale: {
      description: 'Language of the kit and of the card fields',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [
          { value: 'en', right: 'en-US', title: 'English' },
          { value: 'de', right: 'de-DE', title: 'Deutsch' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light', locale: 'en' },
  parameters: {
    layout: 'fullscreen',
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
    a11y: {
      // Any axe violation fails the story, in the UI's test panel and in `vitest --project storybook`.
      test: 'error',
    },
  },
};

export default preview;
