import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../test-support/test-sandbox.js';

let sandbox: TestSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

describe('browser assets', () => {
  it('serves the sandbox Stripe.js as a script that defines window.Stripe', async () => {
    const response = await fetch(`${sandbox.url}/js/stripe.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const code = await response.text();
    expect(code).toContain('window.Stripe');
    expect(code).toContain('endive');
    // Nothing of the server-side core (zod, qs) ends up in the browser script.
    expect(code).not.toMatch(/ZodError|zod/);
  });

  it('serves the element frame page and its script', async () => {
    const page = await fetch(`${sandbox.url}/elements/frame.html`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script src="/elements/frame.js"></script>');
    expect(html).toContain('<html lang="en">');
    const script = await fetch(`${sandbox.url}/elements/frame.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('tillkit-sandbox:init');
  });

  it('answers 404 for other asset paths and leaves the API to the core', async () => {
    expect((await fetch(`${sandbox.url}/js/nope.js`)).status).toBe(404);
    const health = await fetch(`${sandbox.url}/v1/_sandbox/health`);
    expect(health.status).toBe(200);
  });
});
