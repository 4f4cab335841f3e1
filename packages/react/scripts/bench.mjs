// `pnpm bench`: builds the kit and prints its size budgets (size-limit: esbuild, minified, gzip -9,
// react, react-dom and @stripe/stripe-js left out), each with its ratio to @stripe/react-stripe-js
// measured the same way in the same run. Exits 1 when a budget is passed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureSizes } from './size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [`${root}scripts/build.mjs`, '--with-protocol'], {
  stdio: 'ignore',
});

const results = measureSizes();
const baseline = results.find((result) => result.name.startsWith('baseline'));
if (!baseline) throw new Error('.size-limit.mjs lost its baseline entry');
const rows = results.map((result) => ({
  entry: result.name,
  'gzip (B)': result.size,
  budget: result.sizeLimit ?? '',
  'vs react-stripe-js': `${(result.size / baseline.size).toFixed(2)}×`,
  '':
    result.passed === false
      ? 'OVER BUDGET'
      : result.sizeLimit
        ? 'ok'
        : result === baseline
          ? 'baseline'
          : 'included above',
}));
console.table(rows);
const over = results.filter((result) => result.passed === false);
if (over.length) {
  console.error(`Over budget: ${over.map((result) => result.name).join(', ')}`);
  process.exit(1);
}
