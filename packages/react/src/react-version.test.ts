import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, it } from 'vitest';

// Each project runs the suite on one React: this proves the React 18 project's aliases hold.
it(`runs on React ${process.env.TILLKIT_REACT_MAJOR}`, () => {
  expect(version.split('.')[0]).toBe(process.env.TILLKIT_REACT_MAJOR);
  expect(domVersion).toBe(version);
});
