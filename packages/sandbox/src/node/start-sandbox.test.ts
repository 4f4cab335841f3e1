/** The Node side: state files that survive a restart, and the `tillkit-sandbox` command. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REAL_CARD_NUMBERS } from '../test-support/live-cards.js';
import { startTestSandbox } from '../test-support/test-sandbox.js';
import { sandboxStripe } from './start-sandbox.js';

const directory = mkdtempSync(join(tmpdir(), 'tillkit-sandbox-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('state file', () => {
  it('keeps customers, payment methods, events and webhook endpoints across a restart', async () => {
    const stateFile = join(directory, 'state.json');
    const first = await startTestSandbox({
      stateFile,
      webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: 'whsec_keep' }],
    });
    const customer = await first.stripe.customers.create({
      email: 'kept@example.com',
      payment_method: 'pm_card_visa',
    });
    await first.close();

    const second = await startTestSandbox({
      stateFile,
      webhooks: [{ url: 'http://127.0.0.1:9/hook', secret: 'whsec_keep' }],
    });
    try {
      expect((await second.stripe.customers.retrieve(customer.id)) as unknown).toMatchObject({
        email: 'kept@example.com',
      });
      const cards = await second.stripe.paymentMethods.list({
        customer: customer.id,
        type: 'card',
      });
      expect(cards.data[0]?.card?.last4).toBe('4242');
      const events = await second.stripe.events.list({ type: 'customer.created' });
      expect(events.data).toHaveLength(1);
      const endpoints = await second.stripe.webhookEndpoints.list();
      expect(endpoints.data).toHaveLength(1);
      expect(second.webhookEndpoints[0]?.secret).toBe('whsec_keep');
    } finally {
      await second.close();
    }
  });

  it('writes no card number other than a test card into the state file', async () => {
    const stateFile = join(directory, 'numbers.json');
    const sandbox = await startTestSandbox({ stateFile });
    // A Luhn-valid number that is not one of Stripe's test cards.
    await sandbox.stripe.paymentMethods.create({
      type: 'card',
      card: { number: REAL_CARD_NUMBERS.visa, exp_month: 12, exp_year: 2040, cvc: '123' },
    });
    await sandbox.close();
    const text = readFileSync(stateFile, 'utf8');
    expect(text).not.toContain(REAL_CARD_NUMBERS.visa);
    expect(text).toContain(`****${REAL_CARD_NUMBERS.visa.slice(-4)}`);
  });

  it('refuses a corrupt state file with a message that says what to do', async () => {
    const stateFile = join(directory, 'corrupt.json');
    writeFileSync(stateFile, '{not json');
    await expect(startTestSandbox({ stateFile })).rejects.toThrow(/delete it to start afresh/);
  });
});

describe('tillkit-sandbox command', () => {
  const packageDir = fileURLToPath(new URL('../..', import.meta.url));

  it('builds, starts on the port it is given, prints its URL, serves stripe-node, and stops on SIGTERM', async () => {
    // The bin is the built dist/cli.js (package.json "bin"); build it as a user would.
    const tsc = join(
      dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
      'bin/tsc',
    );
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: packageDir,
    });
    const stateFile = join(directory, 'cli.json');
    const child = spawn(
      process.execPath,
      ['dist/cli.js', '--port', '0', '--state-file', stateFile],
      {
        cwd: packageDir,
        env: { ...process.env, TILLKIT_SANDBOX_WEBHOOKS: 'http://127.0.0.1:9/h=whsec_cli' },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 10_000);
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(output).toContain('offline, never talks to Stripe');
    expect(output).toContain('http://127.0.0.1:9/h (secret whsec_cli)');
    const customer = await sandboxStripe(url).customers.create({ email: 'cli@example.com' });
    expect(customer.id).toMatch(/^cus_/);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Closing flushed the state file.
    expect(readFileSync(stateFile, 'utf8')).toContain(customer.id);
  });

  it('exits with 2 and the usage on a bad option', async () => {
    const result = spawnSync(process.execPath, ['dist/cli.js', '--port', 'abc'], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('invalid port "abc"');
    expect(result.stderr).toContain('Usage: tillkit-sandbox');
  });
});
