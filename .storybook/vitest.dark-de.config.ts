import { storybookProject } from './vitest.shared.js';

/** The same stories in the dark theme, in German (`vitest run --project storybook-dark-de`). */
export default storybookProject('storybook-dark-de', { theme: 'dark', locale: 'de' });
