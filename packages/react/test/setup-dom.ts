import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// `findBy…` and `waitFor` wait up to 5 s for what they look for, not Testing Library's 1 s: the
// suite runs two files at a time on two cores, and a first render of the card fields beside a
// server test took longer than 1 s there (CI at 241893a). What each test waits for is unchanged.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  // What a form kept for the tab (a pending payment) is the test's own: tests share the window.
  globalThis.sessionStorage?.clear();
});
