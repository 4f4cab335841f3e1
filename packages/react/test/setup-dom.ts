import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  // What a form kept for the tab (a pending payment) is the test's own: tests share the window.
  globalThis.sessionStorage?.clear();
});
