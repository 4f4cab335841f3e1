// Size budgets of the built kit (dist/), minified and gzipped (level 9) by esbuild as an app would
// bundle it. react, react-dom and @stripe/stripe-js (the peers) are left out; everything else the
// kit pulls in (the protocol's client) counts. `pnpm bench` prints them with their ratio to
// @stripe/react-stripe-js measured the same way; the packaging test fails when a budget is passed.
const esm = (config) => ({ ...config, format: 'esm', platform: 'browser', target: 'es2022' });

export default [
  {
    name: '@tillkit/react (everything)',
    path: 'dist/index.js',
    import: '*',
    limit: '12 kB',
    gzip: true,
    modifyEsbuildConfig: esm,
  },
  {
    name: 'PaymentForm + TillkitProvider',
    path: 'dist/index.js',
    import: '{ PaymentForm, TillkitProvider }',
    limit: '6 kB',
    gzip: true,
    modifyEsbuildConfig: esm,
  },
  {
    // Information: the protocol's client, counted in both entries above (it is not tree-shaken:
    // the client object has a method per route).
    name: 'of which the @tillkit/protocol client',
    path: '../protocol/dist/client.js',
    import: '{ createTillkitClient }',
    gzip: true,
    modifyEsbuildConfig: esm,
  },
  {
    name: 'baseline: @stripe/react-stripe-js',
    path: 'bench/react-stripe-js.js',
    gzip: true,
    modifyEsbuildConfig: esm,
  },
];
