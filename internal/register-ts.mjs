// `node --import ./internal/register-ts.mjs`: TypeScript sources run as they are (ts-hooks.mjs).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
