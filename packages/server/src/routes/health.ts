/** `GET /health`: the process is up (no dependency is checked). */
import { defineRoute } from '../http/define-route.js';

export const health = defineRoute({
  name: 'health',
  async handle() {
    return { body: { ok: true as const } };
  },
});
