// The consumer matrix: the package as `npm pack` makes it, installed into fresh projects outside the repo, used
// by Node ESM, require(), TypeScript (strict; node16 and bundler resolution), served by the Vite dev server and
// built by Vite, webpack 5, esbuild, rollup and Parcel with only the set-up the README's "Install" section documents. Each browser build is opened in
// Chromium (served on 127.0.0.1) and must run loadFile → segment → analyze, the worker client and the report
// component with the right answers. publint --strict and attw --pack check the package metadata.
//
// Offline: the tarball is unpacked into each project's node_modules/segmetry (what `npm install <tarball>` does
// for a package without dependencies); the bundlers run from the repo's node_modules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../browser/harness.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const bin = (name) => join(repo, 'node_modules/.bin', name);
let work, tarball, server, origin, browser;

/** Run a command; a failure reports its output (bundlers explain themselves there). */
function run(cmd, args, cwd, env = {}) {
  try {
    return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stdout}\n${err.stderr}`.slice(0, 4000), { cause: err });
  }
}

/** A fresh project: package.json, the unpacked tarball as node_modules/segmetry, and `files` copied in. */
function project(name, pkg = {}, files = {}) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'node_modules/segmetry'), { recursive: true });
  run('tar', ['-xzf', tarball, '-C', join(dir, 'node_modules/segmetry'), '--strip-components=1'], dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module', ...pkg }, null, 2));
  for (const [to, from] of Object.entries(files)) cpSync(from, join(dir, to), { recursive: true });
  return dir;
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'segmetry-consumers-'));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], repo));
  tarball = join(work, packed[0].filename);
  // Every built app is served from work/<name>/dist/ at /<name>/.
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const [, name, ...rest] = path.split('/');
    const file = join(work, name, 'dist', ...(rest.length && rest.at(-1) ? rest : [...rest, 'index.html']));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
  if (work && !process.env.KEEP_CONSUMERS) rmSync(work, { recursive: true, force: true });
});

/** Open /<name>/ (or a full URL) and return what the app published, failing on page errors and 404s. */
async function openApp(name) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('response', (res) => res.status() >= 400 && problems.push(`${res.status()} ${res.url()}`));
  try {
    await page.goto(name.startsWith('http') ? name : `${origin}/${name}/`);
    await page.waitForFunction(() => window.__consumer !== undefined, null, { timeout: 60_000 });
    const seen = await page.evaluate(() => window.__consumer);
    assert.deepEqual(problems, []);
    return seen;
  } finally {
    await page.close();
  }
}

function checkApp(seen) {
  assert.equal(seen.error, undefined, seen.error);
  const { expected } = seen;
  assert.equal(seen.beforeInit, 'NOT_READY');
  assert.equal(seen.rows, expected.rows);
  assert.equal(seen.finland, expected.finland);
  assert.deepEqual(seen.conversions, expected.conversions);
  assert.deepEqual(seen.workerConversions, expected.conversions);
  assert.equal(seen.workerFinland, expected.finland);
  assert.equal(seen.tableRows, 4, '(All customers, Finland) × (control, treatment)');
  assert.equal(seen.reportState, 'ready');
  assert.equal(seen.reportRows, 4);
}

const app = { 'index.html': join(here, 'app/index.html'), 'src/main.js': join(here, 'app/main.js') };
/** index.html pointing at the bundle `main.js` in dist/. */
const servePage = (dir) => {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(
    join(dir, 'dist/index.html'),
    readFileSync(join(here, 'app/index.html'), 'utf8').replace('./main.js', './main.js'),
  );
};

test('Vite: no configuration', async () => {
  const dir = project('vite', {}, { 'index.html': app['index.html'], 'main.js': app['src/main.js'] });
  run(bin('vite'), ['build', '--base', './', '--logLevel', 'error'], dir);
  checkApp(await openApp('vite'));
});

test('Vite dev server: no configuration', async () => {
  const dir = project('vite-dev', {}, { 'index.html': app['index.html'], 'main.js': app['src/main.js'] });
  const { createServer: createVite } = await import('vite');
  // Port 0: the OS picks a free port; Vite reports the one it got.
  const vite = await createVite({
    root: dir,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: true, hmr: false },
  });
  try {
    await vite.listen();
    checkApp(await openApp(vite.resolvedUrls.local[0]));
  } finally {
    await vite.close();
  }
});

test('webpack 5: no configuration', async () => {
  const dir = project('webpack', {}, app);
  run(bin('webpack'), ['--mode', 'production', '--entry', './src/main.js', '--output-path', 'dist'], dir);
  servePage(dir);
  checkApp(await openApp('webpack'));
});

/** esbuild and rollup leave `new URL(…, import.meta.url)` alone: the README's one line copies the files. */
const copyAssets = (dir) => run('cp', ['-rn', 'node_modules/segmetry/dist/.', 'dist/'], dir);

test('esbuild: the bundle plus the documented copy line', async () => {
  const dir = project('esbuild', {}, app);
  run(bin('esbuild'), ['src/main.js', '--bundle', '--format=esm', '--outfile=dist/main.js', '--log-level=error'], dir);
  copyAssets(dir);
  servePage(dir);
  checkApp(await openApp('esbuild'));
});

test('rollup + node-resolve: the bundle plus the documented copy line', async () => {
  const dir = project('rollup', {}, app);
  symlinkSync(join(repo, 'node_modules/@rollup'), join(dir, 'node_modules/@rollup'), 'dir');
  writeFileSync(
    join(dir, 'rollup.config.mjs'),
    "import { nodeResolve } from '@rollup/plugin-node-resolve';\n" +
      "export default { input: 'src/main.js', output: { file: 'dist/main.js', format: 'es' }, plugins: [nodeResolve({ browser: true })] };\n",
  );
  run(bin('rollup'), ['-c', '--silent'], dir);
  copyAssets(dir);
  servePage(dir);
  checkApp(await openApp('rollup'));
});

test('Parcel: package exports switched on (its documented line)', async () => {
  const dir = project('parcel', { '@parcel/resolver-default': { packageExports: true } }, app);
  writeFileSync(join(dir, 'index.html'), readFileSync(app['index.html'], 'utf8').replace('./main.js', './src/main.js'));
  run(
    bin('parcel'),
    ['build', 'index.html', '--public-url', './', '--no-source-maps', '--no-autoinstall', '--log-level', 'error'],
    dir,
    {
      PARCEL_WORKERS: '1',
    },
  );
  checkApp(await openApp('parcel'));
});

const nodeExpected = { beforeInit: 'NOT_READY', interval: '0.0312', rows: 5, b: 3 };

test('Node ESM: import, init, loadFile → segment → analyze, worker client', () => {
  const dir = project('node-esm', {}, { 'esm.mjs': join(here, 'node/esm.mjs') });
  const out = JSON.parse(run(process.execPath, ['esm.mjs'], dir));
  assert.deepEqual(out, { ...nodeExpected, conversions: [1, 2], syncLoad: 'function', worker: 3 });
});

test('Node require(): CommonJS consumers of the ES module package', () => {
  const dir = project('node-cjs', { type: 'commonjs' }, { 'require.cjs': join(here, 'node/require.cjs') });
  const out = JSON.parse(run(process.execPath, ['require.cjs'], dir));
  assert.deepEqual(out, { ...nodeExpected, mount: 'function', client: 'function' });
});

test('TypeScript strict: moduleResolution node16 and bundler, and CommonJS through require(esm)', () => {
  const dir = project('typescript', {}, { 'usage.ts': join(here, 'ts/usage.ts') });
  for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
    cpSync(join(here, 'ts', config), join(dir, config));
    run(bin('tsc'), ['-p', config], dir);
  }
  const cjs = project('typescript-cjs', { type: 'commonjs' }, { 'require.cts': join(here, 'ts/require.cts') });
  cpSync(join(here, 'ts/tsconfig.require.json'), join(cjs, 'tsconfig.json'));
  run(bin('tsc'), ['-p', 'tsconfig.json'], cjs);
});

// attw's strict profile (node10 included) minus one rule: `cjs-resolves-to-esm` flags every ES-module-only
// package, but CommonJS consumers load this one through require(esm), run above (Node) and type-checked above.
test('publint --strict and attw --pack', () => {
  run(bin('publint'), ['--strict'], repo);
  run(bin('attw'), ['--pack', '.', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'ascii'], repo);
});
