// Size budgets of the built kit (dist/), minified and gzipped (level 9) by esbuild as an app would
// bundle it. react, react-dom and @stripe/stripe-js (the peers) are left out; everything else the
// kit pulls in (the protocol's client) counts. `pnpm bench` prints them with their ratio to
// @stripe/react-stripe-js measured the same way, and exits 1 when a budget is passed.
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
  // Information: what an app pays for one feature with the provider (each tree-shakes alone).
  ...[
    ['SaveCardForm', '{ SaveCardForm, TillkitProvider }'],
    ['SavedCards', '{ SavedCards, TillkitProvider }'],
    ['PaymentHistory', '{ PaymentHistory, TillkitProvider }'],
    ['PricingTable (with SubscribeForm)', '{ PricingTable, TillkitProvider }'],
    ['SubscriptionManager', '{ SubscriptionManager, TillkitProvider }'],
    ['ManageBillingButton', '{ ManageBillingButton, TillkitProvider }'],
    ['Entitled', '{ Entitled, TillkitProvider }'],
    ['useProducts', '{ useProducts, TillkitProvider }'],
  ].map(([name, imports]) => ({
    name: `${name} + TillkitProvider`,
    path: 'dist/index.js',
    import: imports,
    gzip: true,
    modifyEsbuildConfig: esm,
  })),
  {
    // Information: the protocol's transport and the five calls PaymentForm + TillkitProvider make,
    // counted above. The kit imports per-route calls, so each component ships only its own routes.
    name: "of which @tillkit/protocol (PaymentForm's calls)",
    path: '../protocol/dist/client.js',
    import:
      '{ createTransport, getConfig, listPrices, createCustomerSession, createPaymentIntent, updatePaymentIntent }',
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
