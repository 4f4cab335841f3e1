// @vitest-environment node
/**
 * The entry points agree: each feature entry (`@tillkit/react/payment-form`, …) holds the same
 * values as the main one, and every part reached by a dot (`PaymentForm.Root`) is also exported
 * by its flat name (`PaymentFormRoot`), which is the only way a server component can use it
 * (React can't dot into a client module from the server).
 */
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { 'tillkit-source'?: string }>;
};
const main: Record<string, unknown> = await import('../src/index.js');

const features = Object.entries(pkg.exports).filter(
  ([entry, target]) =>
    entry !== '.' && entry !== './locales/de' && target['tillkit-source']?.endsWith('/index.ts'),
);

it('has feature entries, each holding the same values as the main entry', async () => {
  expect(features.map(([entry]) => entry)).toContain('./payment-form');
  expect(features.length).toBeGreaterThanOrEqual(11);
  for (const [entry, target] of features) {
    const feature: Record<string, unknown> = await import(
      `../${(target['tillkit-source'] as string).replace(/^\.\//, '').replace(/\.ts$/, '.js')}`
    );
    expect(Object.keys(feature).length, entry).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(feature)) {
      expect(main[name], `${entry} ${name}`).toBe(value);
    }
  }
});

it('exports every dotted part under its flat name too', () => {
  const missing: string[] = [];
  let dotted = 0;
  for (const [name, value] of Object.entries(main)) {
    // Components with parts; React contexts (`…Context.Provider`) are React's own.
    if (!/^[A-Z]/.test(name) || name.endsWith('Context') || value === null) continue;
    if (typeof value !== 'function' && typeof value !== 'object') continue;
    for (const [key, part] of Object.entries(value)) {
      if (!/^[A-Z]/.test(key)) continue;
      dotted++;
      if (main[`${name}${key}`] !== part) missing.push(`${name}.${key}`);
    }
  }
  expect(dotted).toBeGreaterThan(40);
  expect(missing).toEqual([]);
});
