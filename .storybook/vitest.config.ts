import { storybookProject } from './vitest.shared.js';

/** The stories as tests in the light theme, in English (`vitest run --project storybook`). */
export default storybookProject('storybook', { theme: 'light', locale: 'en' });
