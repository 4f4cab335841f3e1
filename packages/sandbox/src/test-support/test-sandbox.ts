/**
 * `startTestSandbox()`: the sandbox for tests, silent, with every JSON answer it gives (and every
 * webhook body a test hands to `checkWebhookBody`) validated against the schema generated from
 * stripe-node's types. `close()` throws if any object did not conform.
 */
import {
  type SandboxHandle,
  type StartSandboxOptions,
  startSandbox,
} from '../node/start-sandbox.js';
import { assertConforms } from './conformance.js';

export interface TestSandbox extends SandboxHandle {
  /** Every conformance failure so far, with the request that produced it. */
  conformanceErrors: string[];
  /** Validates a raw webhook body the same way. */
  checkWebhookBody(body: string): void;
}

export async function startTestSandbox(options: StartSandboxOptions = {}): Promise<TestSandbox> {
  const conformanceErrors: string[] = [];
  const check = (label: string, body: string) => {
    try {
      assertConforms(JSON.parse(body));
    } catch (error) {
      conformanceErrors.push(`${label}: ${(error as Error).message}`);
    }
  };
  const handle = await startSandbox({
    log: () => {},
    ...options,
    onResponse: (info) => {
      options.onResponse?.(info);
      // Answers to a publishable key or a client secret alone (no key) are Stripe's restricted
      // views, not whole objects.
      if (info.keyType !== 'secret') return;
      check(`${info.method} ${info.path} (${info.status})`, info.body);
    },
  });
  const closeSandbox = handle.close;
  return Object.assign(handle, {
    conformanceErrors,
    checkWebhookBody: (body: string) => check('webhook', body),
    async close() {
      await closeSandbox();
      if (conformanceErrors.length) {
        throw new Error(
          `Objects that do not conform to stripe-node's types:\n${conformanceErrors.join('\n')}`,
        );
      }
    },
  });
}
