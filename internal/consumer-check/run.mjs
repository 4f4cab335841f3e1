#!/usr/bin/env node
// The packages as a customer gets them: builds and packs @tillkit/protocol, sandbox, server and
// react, inspects the tarballs, installs all four with npm into a fresh folder outside the
// repository (third-party packages from npm's registry), and checks that they work there: an
// express app mounting the router in sandbox mode (typed with moduleResolution node16), the
// `tillkit-server` and `tillkit-sandbox` bins, a React 19 page type-checked (bundler resolution,
// strict, skipLibCheck off) and bundled with esbuild, and, where Chromium is installed, a card
// payment in the browser. Prints `ok`/`FAIL` a check and a closing `N passed, N failed`.
//
//   node internal/consumer-check/run.mjs [--no-build] [--no-browser] [--keep]
//
// --no-build packs the dist/ folders as they are; --keep leaves the temporary folder (it is kept
// anyway when a check fails). Needs Node 20.19+, pnpm, npm, tar; Chromium (/usr/bin/chromium or
// CHROMIUM_PATH) for the browser check.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const args = new Set(process.argv.slice(2));
const PACKAGES = ['protocol', 'sandbox', 'server', 'react'];
// Third-party packages the customer installs beside the kit, pinned to what the workspace tests
// with (TypeScript 5, as most apps have it; the workspace itself is on 7).
const CUSTOMER_DEPENDENCIES = [
  'express@5.3.0',
  'stripe@23.1.0',
  'react@19.3.1',
  'react-dom@19.3.1',
  '@stripe/stripe-js@10.2.1',
  'typescript@5.9.3',
  '@types/node@20.19.43',
  '@types/express@5.0.6',
  '@types/react@19.3.0',
  '@types/react-dom@19.3.0',
  'esbuild@0.28.2',
];
// Bare imports in dist/ that need not be declared, and why.
const UNDECLARED_IMPORTS_ALLOWED = {
  // browser-assets.js bundles the sandbox's Stripe.js with esbuild only when dist/assets/ is
  // missing, i.e. from the sources in the workspace; the package ships the prebuilt bundles.
  sandbox: ['esbuild'],
};
// Every install of the package would download these (esbuild with a platform binary and an
// install script), though only the workspace's builds need them.
const BUILD_TOOLS = [
  'esbuild',
  'typescript',
  'vite',
  'rollup',
  'tsup',
  'drizzle-kit',
  '@biomejs/biome',
];
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = !args.has('--no-browser') && existsSync(chromiumPath);

const work = mkdtempSync(join(tmpdir(), 'tillkit-consumer-'));
const packs = join(work, 'packs');
const app = join(work, 'app');
mkdirSync(packs);
mkdirSync(app);
let passed = 0;
let failed = 0;
const started = Date.now();

function check(what, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok || !detail ? '' : `\n${indent(detail)}`}`);
  if (ok) passed++;
  else failed++;
  return ok;
}

function indent(text) {
  return String(text)
    .trim()
    .split('\n')
    .slice(-40)
    .map((line) => `       ${line}`)
    .join('\n');
}

/** Runs a command to its end; `{ status, output }` (stdout and stderr together). */
function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
    ...options,
    env: { ...process.env, ...options.env },
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`,
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The process groups `start` made that have not exited: killed when this script exits. */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
});

/**
 * Starts a long-running command in a process group of its own, so `npx` and its child stop
 * together; one still running when the script ends (a check threw before `stop()`) is killed then.
 */
function start(command, commandArgs, env) {
  const child = spawn(command, commandArgs, {
    cwd: app,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child.pid);
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code) => {
      running.delete(child.pid);
      resolve(code);
    }),
  );
  return {
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      process.kill(-child.pid, 'SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(() => resolve('timeout'), 10_000)),
      ]);
      if (code === 'timeout') process.kill(-child.pid, 'SIGKILL');
      return code;
    },
  };
}

async function waitFor(url, init, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const response = await fetch(url, init);
      if (response.ok) return response;
    } catch {}
    if (Date.now() > until) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function walk(directory) {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Bare imports (static, re-exports and dynamic) of an ES module as tsc writes it. */
function bareImports(code) {
  const found = new Set();
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const [, specifier] of code.matchAll(pattern)) {
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      found.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return found;
}

// 1. Build and pack.
for (const name of PACKAGES) {
  const filter = `@tillkit/${name}`;
  if (!args.has('--no-build')) {
    const build = run('pnpm', ['--filter', filter, 'build'], { cwd: root });
    if (!check(`${filter}: builds`, build.status === 0, build.output)) continue;
  }
  const pack = run('pnpm', ['--filter', filter, 'pack', '--pack-destination', packs], {
    cwd: root,
  });
  check(`${filter}: packs`, pack.status === 0, pack.output);
}
const tarballs = Object.fromEntries(
  readdirSync(packs).map((file) => [
    file.replace(/^tillkit-(.+)-\d+\.\d+\.\d+.*\.tgz$/, '$1'),
    file,
  ]),
);

// 2. What is in the tarballs.
for (const name of PACKAGES) {
  if (!tarballs[name]) continue;
  const unpacked = join(work, 'unpacked', name);
  mkdirSync(unpacked, { recursive: true });
  run('tar', ['-xzf', join(packs, tarballs[name]), '-C', unpacked]);
  const dir = join(unpacked, 'package');
  const files = walk(dir).map((file) => relative(dir, file));
  const has = (file) => files.includes(file.replace(/^\.\//, ''));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const label = `@tillkit/${name}`;

  const leftovers = Object.entries({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
  }).filter(([, range]) => /^(workspace|link|file):/.test(range));
  check(`${label}: no workspace:/link:/file: ranges`, leftovers.length === 0, leftovers.join('\n'));

  const targets = [];
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      targets.push(`${subpath} -> ${file}`);
    }
  }
  const missingTargets = targets.filter((line) => !has(line.split(' -> ')[1]));
  check(
    `${label}: all ${targets.length} exports targets are in the tarball`,
    missingTargets.length === 0,
    missingTargets.join('\n'),
  );

  for (const [bin, file] of Object.entries(manifest.bin ?? {})) {
    const ok =
      has(file) && readFileSync(join(dir, file), 'utf8').startsWith('#!/usr/bin/env node\n');
    check(`${label}: bin ${bin} (${file}) is shipped and starts with #!/usr/bin/env node`, ok);
  }

  const required = {
    server: [
      'drizzle/meta/_journal.json',
      ...(has('drizzle/meta/_journal.json')
        ? JSON.parse(readFileSync(join(dir, 'drizzle/meta/_journal.json'), 'utf8')).entries.map(
            (entry) => `drizzle/${entry.tag}.sql`,
          )
        : []),
    ],
    sandbox: ['dist/assets/stripe.js', 'dist/assets/frame.js'],
    react: ['dist/styles.css'],
    protocol: [],
  }[name];
  const missing = required.filter((file) => !has(file));
  check(
    `${label}: ships ${required.length ? required.join(', ') : 'no extra files'}`,
    missing.length === 0,
    `missing: ${missing.join(', ')}`,
  );

  check(
    `${label}: ships its LICENSE (${manifest.license})`,
    has('LICENSE') &&
      readFileSync(join(dir, 'LICENSE'), 'utf8').startsWith(`${manifest.license} License`),
  );

  const testFiles = files.filter((file) => /\.test(-d)?\.tsx?$|(^|\/)test-support\//.test(file));
  check(`${label}: no tests or test support shipped`, testFiles.length === 0, testFiles.join('\n'));

  const stale = files.filter(
    (file) =>
      file.startsWith('dist/') &&
      file.endsWith('.js') &&
      !file.startsWith('dist/assets/') &&
      !['.ts', '.tsx'].some((ext) => has(`src/${file.slice(5, -3)}${ext}`)),
  );
  check(
    `${label}: every dist module has its source (no stale build output)`,
    stale.length === 0,
    stale.join('\n'),
  );

  const buildTools = Object.keys(manifest.dependencies ?? {}).filter((dependency) =>
    BUILD_TOOLS.includes(dependency),
  );
  check(
    `${label}: no build tool among its runtime dependencies`,
    buildTools.length === 0,
    buildTools.join(', '),
  );

  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...(UNDECLARED_IMPORTS_ALLOWED[name] ?? []),
  ]);
  const undeclared = [];
  for (const file of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
    if (file.startsWith('dist/assets/')) continue;
    for (const specifier of bareImports(readFileSync(join(dir, file), 'utf8'))) {
      if (!declared.has(specifier)) undeclared.push(`${file} imports ${specifier}`);
    }
  }
  check(
    `${label}: dist imports only its dependencies and peers`,
    undeclared.length === 0,
    undeclared.join('\n'),
  );
}

// 3. Install the four tarballs together, as a customer's app would.
if (Object.keys(tarballs).length === PACKAGES.length) {
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'tillkit-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const install = run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...PACKAGES.map((name) => join(packs, tarballs[name])),
      ...CUSTOMER_DEPENDENCIES,
      ...(browser ? ['playwright-core@1.65.1'] : []),
    ],
    { cwd: app },
  );
  if (
    check(
      'npm installs the four tarballs and their dependencies',
      install.status === 0,
      install.output,
    )
  ) {
    const ls = run('npm', ['ls', '--all'], { cwd: app });
    check('npm ls: no missing or invalid dependencies, peers included', ls.status === 0, ls.output);
    await customerChecks();
  }
}

async function customerChecks() {
  cpSync(fixtures, app, { recursive: true });

  // Every subpath import in plain Node (@tillkit/sandbox/msw needs the optional msw: left out).
  const importAll = run(
    'node',
    [
      '--input-type=module',
      '-e',
      `import { readFileSync } from 'node:fs';
      const failures = [];
      for (const name of ${JSON.stringify(PACKAGES)}) {
        const manifest = JSON.parse(readFileSync('node_modules/@tillkit/' + name + '/package.json', 'utf8'));
        for (const subpath of Object.keys(manifest.exports)) {
          const specifier = '@tillkit/' + name + subpath.slice(1);
          if (/\\.(css|json)$/.test(subpath) || specifier === '@tillkit/sandbox/msw') continue;
          await import(specifier).catch((error) => failures.push(specifier + ': ' + error.message));
        }
      }
      if (failures.length) { console.error(failures.join('\\n')); process.exit(1); }`,
    ],
    { cwd: app },
  );
  check(
    'every exported subpath imports in plain Node 20',
    importAll.status === 0,
    importAll.output,
  );

  // (a) The express app (README "Mount the router in your app"), typed with node16 resolution.
  const tscServer = run('npx', ['tsc', '-p', 'server'], { cwd: app });
  if (
    check(
      'app (node16): tsc type-checks and compiles against the published .d.ts',
      tscServer.status === 0,
      tscServer.output,
    )
  ) {
    const result = run('node', ['server/dist/app.js'], {
      cwd: app,
      env: { APP_PORT: String(await freePort()), LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    const lines = result.output.split('\n').filter((line) => /^(ok {2}|FAIL) /.test(line));
    for (const line of lines) check(line.slice(5), line.startsWith('ok'));
    check(
      'app: ran every check and exited 0',
      result.status === 0 && lines.length >= 7,
      result.output,
    );
  }

  // (b) `npx tillkit-server` with no keys: sandbox mode on free ports, data in the temp folder.
  const dataDir = join(work, 'server-data');
  const help = run('npx', ['tillkit-server', '--help'], {
    cwd: app,
    env: { TILLKIT_DATA_DIR: dataDir, PORT: '0', TILLKIT_SANDBOX_PORT: '0' },
    timeout: 20_000, // a bin that ignored --help would serve until this
  });
  check(
    'npx tillkit-server --help prints the variables and starts nothing',
    help.status === 0 && help.output.includes('STRIPE_SECRET_KEY') && !existsSync(dataDir),
    help.output,
  );
  const [apiPort, sandboxPort] = [await freePort(), await freePort()];
  // The bin itself rather than `npx`, whose process does not pass SIGTERM on to it.
  const server = start('node_modules/.bin/tillkit-server', [], {
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    TILLKIT_SANDBOX_PORT: String(sandboxPort),
    TILLKIT_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  });
  const api = `http://127.0.0.1:${apiPort}`;
  if (
    check(
      'tillkit-server (no keys) starts in sandbox mode',
      Boolean(await waitFor(`${api}/api/health`)),
      server.output(),
    )
  ) {
    const config = await (await fetch(`${api}/api/config`)).json();
    check(
      'tillkit-server: GET /api/config names the embedded sandbox',
      config.mode === 'sandbox' && config.sandbox?.apiBase === `http://127.0.0.1:${sandboxPort}`,
      JSON.stringify(config),
    );
    const prices = await (await fetch(`${api}/api/prices`)).json();
    check(
      'tillkit-server: GET /api/prices has the seeded demo catalog',
      prices.products?.length > 0,
      JSON.stringify(prices),
    );
    const metrics = await fetch(`${api}/metrics`);
    check(
      'tillkit-server: GET /metrics is Prometheus text with the Tillkit counters',
      metrics.ok && (await metrics.text()).includes('tillkit_http_requests_total'),
    );
    for (const asset of ['/js/stripe.js', '/elements/frame.js']) {
      const response = await fetch(`http://127.0.0.1:${sandboxPort}${asset}`);
      check(
        `tillkit-server: the sandbox serves ${asset} from the package`,
        response.ok && (await response.text()).length > 1000,
      );
    }
  }
  check('tillkit-server stops on SIGTERM', (await server.stop()) === 0, server.output());

  // (c) `npx tillkit-sandbox` on a free port, with the demo catalog and a hosted Checkout page.
  const sandboxHelp = run('npx', ['tillkit-sandbox', '--help'], { cwd: app });
  check('npx tillkit-sandbox --help', sandboxHelp.status === 0, sandboxHelp.output);
  const standalonePort = await freePort();
  const sandbox = start(
    'node_modules/.bin/tillkit-sandbox',
    ['--port', String(standalonePort), '--seed'],
    {},
  );
  const stripeApi = `http://127.0.0.1:${standalonePort}`;
  const auth = { headers: { Authorization: 'Bearer sk_test_consumer' } };
  const listed = await waitFor(`${stripeApi}/v1/prices?limit=100`, auth);
  if (
    check('tillkit-sandbox starts and answers the Stripe API', Boolean(listed), sandbox.output())
  ) {
    const { data } = await listed.json();
    check(
      'tillkit-sandbox --seed: the demo catalog is there',
      data.some((price) => price.lookup_key === 'tshirt'),
      JSON.stringify(data),
    );
    const session = await (
      await fetch(`${stripeApi}/v1/checkout/sessions`, {
        method: 'POST',
        headers: { ...auth.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          mode: 'payment',
          'line_items[0][price]': data.find((price) => price.type === 'one_time')?.id ?? '',
          'line_items[0][quantity]': '1',
          success_url: 'https://shop.example/done',
        }),
      })
    ).json();
    const page = session.url ? await fetch(session.url) : undefined;
    check(
      "tillkit-sandbox: a Checkout Session's hosted page renders",
      page?.ok === true && (await page.text()).includes('<form'),
      JSON.stringify(session),
    );
  }
  check('tillkit-sandbox stops on SIGTERM', (await sandbox.stop()) === 0, sandbox.output());

  // (d) A React 19 page: strict type-check with bundler resolution, then esbuild bundles.
  const tscWeb = run('npx', ['tsc', '-p', 'web'], { cwd: app });
  check(
    'web (bundler, strict, skipLibCheck off): tsc type-checks the kit and sandbox imports',
    tscWeb.status === 0,
    tscWeb.output,
  );
  const bundle = (entry, outdir) =>
    run(
      'npx',
      [
        'esbuild',
        entry,
        '--bundle',
        '--format=esm',
        '--minify',
        `--outdir=${outdir}`,
        '--log-level=warning',
      ],
      { cwd: app, env: { NODE_ENV: 'production' } },
    );
  const kit = bundle('web/kit.tsx', 'web/out');
  const css = existsSync(join(app, 'web/out/kit.css'))
    ? readFileSync(join(app, 'web/out/kit.css'), 'utf8')
    : '';
  check(
    'web: esbuild bundles the kit with @tillkit/react/styles.css',
    kit.status === 0 && css.includes('[data-slot'),
    kit.output,
  );
  const sandboxStripe = bundle('web/sandbox-stripe.ts', 'web/out');
  check(
    'web: @tillkit/sandbox/browser bundles without the optional msw',
    sandboxStripe.status === 0,
    sandboxStripe.output,
  );

  // (e) A card payment in Chromium, through the sandbox Stripe.js the package ships.
  if (browser) {
    const shop = bundle('web/shop.tsx', 'browser/public');
    cpSync(join(app, 'browser/index.html'), join(app, 'browser/public/index.html'));
    if (check('browser: esbuild bundles the shop page', shop.status === 0, shop.output)) {
      const pay = run('node', ['browser/pay.mjs'], {
        cwd: app,
        env: { APP_PORT: String(await freePort()), CHROMIUM_PATH: chromiumPath, LOG_LEVEL: 'warn' },
        timeout: 90_000,
      });
      const line = pay.output.split('\n').find((l) => /^(ok {2}|FAIL) browser:/.test(l));
      check(
        line ? line.slice(5) : 'browser: a card payment in Chromium',
        pay.status === 0,
        pay.output,
      );
    }
  } else {
    console.log(
      `skip browser payment (${args.has('--no-browser') ? '--no-browser' : `no ${chromiumPath}`})`,
    );
  }
}

const seconds = Math.round((Date.now() - started) / 1000);
if (failed || args.has('--keep')) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`consumer check took ${seconds}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
