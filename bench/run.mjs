#!/usr/bin/env node
// npm run bench [-- --rows 1000000,5000000] [--reps 5] [--engines segmetry,duckdb,...] [--encodings dict,utf8]
//               [--dist DIR] [--startup-samples 3] [--out bench/results/latest.json] [--no-setup]
//               [--engine-budget 30] (seconds of timed repetitions per engine and configuration; at least one)
//               [--csv orders,customers|none] [--csv-customers 15000] [--csv-only] (the CSV → Arrow rows)
//               [--csv-large 100000|none] (customers of the large orders export, ~200 MB; none: leave it out)
//
// Runs every engine in Debian's headless Chromium (playwright-core; never a downloaded browser) on pages served
// on 127.0.0.1, on the same Arrow IPC bytes generated in the page, and prints ingest / query / end-to-end times
// (min and median), start-up, peak wasm memory and bundle sizes, with ratios against segmetry. See
// docs/benchmark.md.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(root);

const ALL_ENGINES = ['segmetry', 'segmetry-client', 'duckdb', 'arquero', 'js-loop', 'limit'];

function parseArgs(argv) {
  const opts = {
    rows: [1_000_000, 5_000_000],
    reps: 5,
    engines: ALL_ENGINES,
    encodings: ['dict', 'utf8'],
    dist: 'dist',
    startupSamples: 3,
    out: 'bench/results/latest.json',
    setup: true,
    seed: 20261122,
    batchRows: 1 << 20,
    engineBudgetMs: 30000,
    csv: ['orders', 'customers'],
    csvCustomers: 15000,
    csvLarge: 100000,
    csvOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--rows':
        opts.rows = value()
          .split(',')
          .map((x) => Math.round(Number(x.replace(/_/g, ''))));
        break;
      case '--reps':
        opts.reps = Number(value());
        break;
      case '--engines':
        opts.engines = value()
          .split(',')
          .map((s) => (s === 'arquero:flags' ? 'arquero' : s));
        break;
      case '--encodings':
        opts.encodings = value().split(',');
        break;
      case '--dist':
        opts.dist = value();
        break;
      case '--startup-samples':
        opts.startupSamples = Number(value());
        break;
      case '--out':
        opts.out = value();
        break;
      case '--seed':
        opts.seed = Number(value());
        break;
      case '--batch-rows':
        opts.batchRows = Number(value());
        break;
      case '--no-setup':
        opts.setup = false;
        break;
      case '--csv': {
        const v = value();
        opts.csv = v === 'none' ? [] : v.split(',');
        break;
      }
      case '--csv-customers':
        opts.csvCustomers = Number(value());
        break;
      case '--csv-large': {
        const v = value();
        opts.csvLarge = v === 'none' ? 0 : Number(v);
        break;
      }
      case '--csv-only':
        opts.csvOnly = true;
        break;
      case '--engine-budget':
        opts.engineBudgetMs = Number(value()) * 1000;
        break;
      case '-h':
      case '--help':
        console.log(
          readFileSync(fileURLToPath(import.meta.url), 'utf8')
            .split('\n')
            .slice(1, 4)
            .join('\n'),
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]} (see --help)`);
    }
  }
  for (const r of opts.rows)
    if (!(r > 0 && r % 8 === 0)) throw new Error(`--rows: ${r} must be a positive multiple of 8`);
  if (!(opts.reps >= 1)) throw new Error('--reps must be >= 1');
  for (const e of opts.engines) {
    if (e.startsWith('segmetry@') && existsSync(join('bench/.variants', e.slice(9), 'index.js'))) continue;
    if (!ALL_ENGINES.includes(e) && e !== 'arquero:rollup')
      throw new Error(`unknown engine ${e}; engines: ${ALL_ENGINES.join(', ')}, arquero:rollup, segmetry@VARIANT`);
  }
  for (const e of opts.encodings)
    if (!['dict', 'utf8'].includes(e)) throw new Error(`unknown encoding ${e}; dict or utf8`);
  for (const f of opts.csv)
    if (!['orders', 'customers'].includes(f)) throw new Error(`unknown CSV file ${f}; orders, customers or none`);
  if (opts.csvOnly && !opts.csv.length) throw new Error('--csv-only needs CSV files (--csv orders,customers)');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const say = (msg) => console.log(`\x1b[1m[bench]\x1b[0m ${msg}`);

// 1. Toolchain, npm packages (from the lockfile) and Debian chromium: scripts/setup.sh installs what is missing.
if (opts.setup) execFileSync('bash', ['scripts/setup.sh', '--browser'], { stdio: 'inherit' });
// 2. The package: build when missing, then serve a snapshot so a concurrent rebuild cannot change it mid-run.
if (!existsSync(join(opts.dist, 'index.js')) || !existsSync(join(opts.dist, 'wasm/segmetry_bg.wasm'))) {
  if (opts.dist !== 'dist') throw new Error(`${opts.dist} holds no built package`);
  say('dist/ is missing: npm run build');
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
}
const snapshot = join(root, 'bench/results/.segmetry-dist');
rmSync(snapshot, { recursive: true, force: true });
mkdirSync(snapshot, { recursive: true });
cpSync(opts.dist, snapshot, { recursive: true });

// 2b. The CSV files: Shopify-like exports from a fixed seed (scripts/gen_shop_exports.py), generated once per size.
// Issue 11 asks for a 30 MB orders export and a 200 MB one: the large one is the orders file of `csvLarge` customers.
const csvSizes = [opts.csvCustomers, ...(opts.csv.includes('orders') && opts.csvLarge ? [opts.csvLarge] : [])];
for (const customers of csvSizes) {
  const csvDir = join(root, `bench/results/csv-${customers}`);
  if (opts.csv.length && !existsSync(join(csvDir, 'orders_export.csv'))) {
    say(`generating the CSV files (${customers} customers) into ${csvDir}`);
    execFileSync('python3', ['scripts/gen_shop_exports.py', csvDir, '--customers', String(customers)], {
      stdio: 'inherit',
    });
  }
}

// 3. Sizes of what each engine ships (raw and gzip -9).
function sizeOf(files) {
  let raw = 0,
    gz = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip: gz, files: files.map((f) => f.replace(`${root}/`, '')) };
}
const jsIn = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f));
const nm = (p) => join(root, 'node_modules', p);
const sizes = {
  'segmetry core .wasm': sizeOf([join(snapshot, 'wasm/segmetry_bg.wasm')]),
  'segmetry CSV-only page .wasm': sizeOf([
    join(snapshot, 'wasm/segmetry_bg.wasm'),
    join(snapshot, 'formats/segmetry_formats_csv_bg.wasm'),
  ]),
  segmetry: sizeOf([join(snapshot, 'wasm/segmetry_bg.wasm'), join(snapshot, 'wasm/segmetry.js'), ...jsIn(snapshot)]),
  duckdb: sizeOf([
    nm('@duckdb/duckdb-wasm/dist/duckdb-browser.mjs'),
    nm('@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js'),
    nm('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'),
    nm('@duckdb/duckdb-wasm/node_modules/apache-arrow/Arrow.esnext.min.js'),
  ]),
  arquero: sizeOf([nm('arquero/dist/arquero.min.js')]),
  'js-loop': sizeOf([nm('apache-arrow/Arrow.esnext.min.js')]),
};

// 4. The browser.
const { chromium } = await import('playwright-core');
const { chromiumArgs } = await import('../tests/browser/harness.mjs');
const { startBenchServer } = await import('./server.mjs');
const server = await startBenchServer(snapshot);
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: chromiumArgs,
});
const cleanup = async () => {
  await browser.close().catch(() => {});
  await new Promise((done) => server.close(done));
};

const load = { before: loadavg() };
let output;
try {
  // 4a. Start-up, each sample in a fresh browser context (fresh renderer, nothing compiled yet).
  const startup = [];
  for (let i = 0; i < opts.startupSamples; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[startup page]', err));
    await page.goto(`${origin}/bench/startup.html`);
    await page.waitForFunction(() => window.startupReady === true);
    startup.push(
      await page.evaluate((a) => window.measureStartup(a), { segmetryBase: '/segmetry', engines: opts.engines }),
    );
    await context.close();
  }
  // 4b. The engines, all in one page.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(0);
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`  [page error] ${m.text()}`);
    else if (m.text().startsWith('[page]')) console.log(`  ${m.text().slice(7)}`);
  });
  page.on('pageerror', (err) => console.error('  [page]', err));
  await page.goto(`${origin}/bench/index.html`);
  await page.waitForFunction(() => window.benchReady === true);
  say(
    `Chromium ${browser.version()}, ${cpus().length} cores, load average ${load.before.map((x) => x.toFixed(2)).join(' ')}`,
  );
  const cfg = {
    rows: opts.rows,
    reps: opts.reps,
    engines: opts.engines,
    encodings: opts.encodings,
    seed: opts.seed,
    batchRows: opts.batchRows,
    segmetryBase: '/segmetry',
    engineBudgetMs: opts.engineBudgetMs,
  };
  const result = opts.csvOnly ? { configs: [] } : await page.evaluate((c) => window.bench.run(c), cfg);
  if (opts.csv.length) {
    const csvFiles = opts.csv.map((name) => ({
      name,
      url: `/bench/results/csv-${opts.csvCustomers}/${name}_export.csv`,
    }));
    if (csvSizes.length > 1)
      csvFiles.push({ name: 'orders-large', url: `/bench/results/csv-${opts.csvLarge}/orders_export.csv` });
    result.csv = await page.evaluate((c) => window.bench.runCsv(c), { ...cfg, csvFiles });
  }
  load.after = loadavg();
  output = {
    date: new Date().toISOString(),
    chromium: browser.version(),
    cpus: cpus().length,
    load,
    options: opts,
    sizes,
    startup: summarizeStartup(startup),
    ...result,
  };
} finally {
  await cleanup();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function summarizeStartup(samples) {
  const out = {};
  for (const name of Object.keys(samples[0] ?? {})) {
    const xs = samples.map((s) => s[name].totalMs);
    out[name] = {
      median: median(xs),
      min: Math.min(...xs),
      samples: samples.map((s) => s[name]),
      note: samples[0][name].note,
    };
  }
  return out;
}

// 5. Report.
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(opts.out, `${JSON.stringify(output, null, 1)}\n`);
console.log(renderReport(output));
say(`results written to ${opts.out}`);

function renderReport(o) {
  const ms = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const kb = (x) => `${(x / 1024).toFixed(0)} KB`;
  const mib = (x) => `${(x / 1048576).toFixed(1)} MiB`;
  const lines = [];
  const table = (head, rows) => {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const fmt = (r) =>
      r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
    lines.push(fmt(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(fmt));
  };
  lines.push(
    '',
    `segmetry benchmark — ${o.date} — Chromium ${o.chromium}, ${o.cpus} cores, load average before ${o.load.before.map((x) => x.toFixed(2)).join('/')} after ${o.load.after.map((x) => x.toFixed(2)).join('/')}`,
  );
  lines.push(
    `times in ms: median of ${o.options.reps} repetitions after a checked warm-up (min in brackets); e2e = bytes handed over → report`,
  );
  const targets = [];
  for (const cfg of o.configs) {
    const r = cfg.results;
    const seg = r.segmetry?.valid ? r.segmetry.e2e.median : null;
    lines.push(
      '',
      `${cfg.rows.toLocaleString('en-US')} rows, ${cfg.encoding === 'dict' ? 'dictionary-encoded' : 'plain utf8'} strings, IPC stream ${mib(cfg.ipcBytes)}`,
    );
    const rows = Object.values(r).map((e) => {
      if (e.error || !e.e2e)
        return [e.engine, 'ERROR', '', '', '', '', '', (e.error ?? '').split('\n')[0].slice(0, 60)];
      const ratio = seg ? `${(e.e2e.median / seg).toFixed(1)}×` : '—';
      const notes = [];
      if (!e.valid) notes.push(`INVALID ${e.diffs[0] ?? ''}`);
      if (e.info?.shape)
        notes.push(
          `shape ${e.info.shape}${e.shapes ? ` (filter ${ms(e.shapes.filter.median)}, flags ${ms(e.shapes.flags.median)})` : ''}`,
        );
      if (e.memoryBytes) notes.push(`mem ${mib(e.memoryBytes)} = ${(e.memoryBytes / cfg.ipcBytes).toFixed(2)}× input`);
      if (e.statsCheck) notes.push(`Δp ≤ ${e.statsCheck.maxPValueDelta.toExponential(1)}`);
      if (e.readBytes) notes.push(`reads ${mib(e.readBytes)}`);
      if (e.reps < o.options.reps) notes.push(`${e.reps} rep${e.reps > 1 ? 's' : ''} (slow)`);
      return [
        e.engine,
        `${ms(e.ingest.median)} [${ms(e.ingest.min)}]`,
        `${ms(e.query.median)} [${ms(e.query.min)}]`,
        `${ms(e.e2e.median)} [${ms(e.e2e.min)}]`,
        ratio,
        e.valid ? 'ok' : 'NO',
        notes.join('; '),
      ];
    });
    table(['engine', 'ingest', 'query', 'e2e', '÷ segmetry', 'check', 'notes'], rows);
    if (seg) {
      const e = (n) => (r[n]?.valid && r[n].e2e ? r[n].e2e.median : null);
      const tag = `${cfg.rows >= 1e6 ? `${+(cfg.rows / 1e6).toFixed(1)}M` : `${+(cfg.rows / 1e3).toFixed(1)}K`} ${cfg.encoding}`;
      // Issue 16's targets: plain utf8 ≥ 10× DuckDB-WASM, dictionary strings ≥ 15×.
      const vsDuck = cfg.encoding === 'dict' ? 15 : 10;
      if (e('duckdb'))
        targets.push([
          `${tag}: ≥ ${vsDuck}× faster than DuckDB ingest+query`,
          `${(e('duckdb') / seg).toFixed(1)}×`,
          e('duckdb') / seg >= vsDuck,
        ]);
      if (e('js-loop'))
        targets.push([
          `${tag}: faster than the JS loop`,
          `${(e('js-loop') / seg).toFixed(2)}×`,
          e('js-loop') / seg > 1,
        ]);
      if (e('limit'))
        targets.push([
          `${tag}: within 3× of the physical limit`,
          `${(seg / e('limit')).toFixed(2)}× limit`,
          seg / e('limit') <= 3,
        ]);
      if (r.segmetry.memoryBytes) {
        const m = r.segmetry.memoryBytes / cfg.ipcBytes;
        targets.push([`${tag}: peak wasm memory ≤ 1.3× input`, `${m.toFixed(2)}×`, m <= 1.3]);
      }
    }
  }
  if (o.csv?.length) {
    lines.push('', 'CSV → Arrow (segmetry toArrowDetailed, typed inference) vs DuckDB-WASM read_csv into a table');
    const rows = [];
    for (const f of o.csv) {
      for (const [name, r] of Object.entries(f.results)) {
        if (r.error) {
          rows.push([`${f.name} ${name}`, mib(f.bytes), 'ERROR', '', '', r.error.split('\n')[0].slice(0, 60)]);
          continue;
        }
        const seg = f.results.segmetry;
        const ratio = seg?.ms ? `${(r.ms.median / seg.ms.median).toFixed(2)}×` : '—';
        rows.push([
          `${f.name} ${name}`,
          mib(f.bytes),
          `${ms(r.ms.median)} [${ms(r.ms.min)}]`,
          `${r.mbPerS.toFixed(1)} MB/s`,
          ratio,
          `${r.rows} rows${f.rowsAgree ? '' : ' (row counts differ)'}`,
        ]);
      }
      const { segmetry: seg, duckdb: duck } = f.results;
      // Bytes in memory, and the two ways a dropped File is read (whole, or streamed in pieces as the worker does).
      for (const [name, r] of Object.entries(f.results))
        if (name !== 'duckdb' && r?.mbPerS)
          targets.push([`CSV ${f.name} ${name}: ≥ 100 MB/s`, `${r.mbPerS.toFixed(1)} MB/s`, r.mbPerS >= 100]);
      if (seg?.mbPerS && duck?.mbPerS)
        targets.push([
          `CSV ${f.name}: ≥ 1.25× DuckDB read_csv`,
          `${(seg.mbPerS / duck.mbPerS).toFixed(2)}×`,
          seg.mbPerS / duck.mbPerS >= 1.25,
        ]);
    }
    table(['file engine', 'size', 'ms median [min]', 'speed', '÷ segmetry', 'notes'], rows);
  }
  lines.push('', 'start-up (median of fresh browser contexts)');
  table(
    ['engine', 'ms', 'what'],
    Object.entries(o.startup).map(([k, v]) => [
      k,
      ms(v.median),
      k === 'segmetry'
        ? `compile ${ms(median(v.samples.map((s) => s.compileMs)))} + instantiate ${ms(median(v.samples.map((s) => s.instantiateMs)))} (fetch excluded)`
        : v.note,
    ]),
  );
  lines.push('', 'shipped size');
  table(
    ['engine', 'raw', 'gzip -9', 'files'],
    Object.entries(o.sizes).map(([k, v]) => [k, kb(v.raw), kb(v.gzip), v.files.length]),
  );
  if (o.startup.segmetry)
    targets.push([
      'module start-up (compile + instantiate) < 20 ms',
      `${ms(o.startup.segmetry.median)} ms`,
      o.startup.segmetry.median < 20,
    ]);
  const core = o.sizes['segmetry core .wasm'].gzip;
  targets.push(['core .wasm ≤ 300 KB gzip', kb(core), core <= 300 * 1024]);
  const csvPage = o.sizes['segmetry CSV-only page .wasm']?.gzip;
  if (csvPage) targets.push(['CSV-only page (core + CSV reader) ≤ 600 KB gzip', kb(csvPage), csvPage <= 600 * 1024]);
  lines.push('', 'targets');
  table(
    ['target', 'measured', 'met'],
    targets.map(([t, m, ok]) => [t, m, ok ? 'yes' : 'NO']),
  );
  return lines.join('\n');
}
