// @vitest-environment node
/**
 * The published package as a consumer gets it: built with scripts/build.mjs, then checked by
 * publint and @arethetypeswrong/cli, imported in plain Node
 * (no bundler) and rendered on the server from dist/. Size budgets are checked by `pnpm bench`,
 * which prints them against react-stripe-js measured in the same run.
 */
import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';

const execFile = promisify(execFileCallback);
const root = fileURLToPath(new URL('..', import.meta.url));

beforeAll(() => {
  execFileSync(process.execPath, [`${root}scripts/build.mjs`, '--with-protocol'], {
    stdio: 'pipe',
  });
}, 120_000);

describe('the built package', () => {
  it('passes publint with no message at all', async () => {
    const { messages, pkg } = await publint({ pkgDir: root, level: 'suggestion' });
    expect(messages.map((message) => formatMessage(message, pkg))).toEqual([]);
  });

  it('has types that resolve for ESM consumers and bundlers (attw)', async () => {
    // styles.css has no types by nature; CommonJS (node10, require) is not supported: ESM only.
    const { stdout } = await execFile(
      `${root}node_modules/.bin/attw`,
      [
        '--pack',
        '.',
        '--profile',
        'esm-only',
        '--exclude-entrypoints',
        './styles.css',
        '--format',
        'json',
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const result = JSON.parse(stdout) as {
      analysis: { problems: Array<{ kind: string; entrypoint?: string; resolutionKind?: string }> };
    };
    const problems = result.analysis.problems.filter(
      (problem) => problem.resolutionKind !== 'node10' && problem.resolutionKind !== 'node16-cjs',
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it("keeps 'use client' at the top of the client modules", async () => {
    for (const path of [
      'provider/tillkit-provider.js',
      'payment-form/payment-form.js',
      'payment-form/use-payment-form.js',
      'payment-status/payment-status.js',
      'authenticate-payment/authenticate-payment.js',
      'save-card-form/save-card-form.js',
      'saved-cards/saved-cards.js',
      'payment-history/payment-history.js',
      'subscribe-form/subscribe-form.js',
      'pricing-table/pricing-table.js',
      'subscription-manager/subscription-manager.js',
      'manage-billing/manage-billing-button.js',
      'entitlements/entitled.js',
      'products/use-products.js',
    ]) {
      expect(
        (await readFile(`${root}dist/${path}`, 'utf8')).startsWith("'use client';"),
        path,
      ).toBe(true);
    }
    expect(await readFile(`${root}dist/format-money.js`, 'utf8')).not.toContain('use client');
  });

  it("leaves the development-only advice out of an app's production bundle", async () => {
    // As an app's bundler builds for production (esbuild sets process.env.NODE_ENV itself when
    // minifying for the browser); the errors keep what went wrong, only the how-to goes.
    const bundle = async (minify: boolean) => {
      const result = await build({
        entryPoints: [`${root}dist/index.js`],
        bundle: true,
        minify,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'error',
        external: ['react', 'react-dom', 'react/*', 'react-dom/*', '@stripe/*'],
      });
      return result.outputFiles[0]?.text ?? '';
    };
    const [production, development] = await Promise.all([bundle(true), bundle(false)]);
    for (const code of [production, development]) {
      expect(code).toContain('parts must be inside <');
      expect(code).toContain('must be used inside <TillkitProvider>');
    }
    expect(development).toContain('wrap them in <');
    expect(development).toContain('wrap the part of your app');
    expect(production).not.toContain('wrap them in <');
    expect(production).not.toContain('wrap the part of your app');
  });

  it('imports and renders on the server in plain Node, from dist and with no bundler', async () => {
    const script = `
      const React = await import('react');
      const { renderToString } = await import('react-dom/server');
      const kit = await import('@tillkit/react');
      await import('@tillkit/react/locales/de');
      const html = renderToString(
        React.createElement(kit.TillkitProvider, { apiBase: '/api', publishableKey: 'pk_test_x' },
          React.createElement(kit.PaymentForm, { items: [{ price: 'price_1', quantity: 1 }] })));
      console.log(typeof window, html.includes('data-slot="payment-form"'));
    `;
    const { stdout } = await execFile(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
    });
    expect(stdout.trim()).toBe('undefined true');
  }, 30_000);
});
