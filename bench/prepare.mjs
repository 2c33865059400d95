#!/usr/bin/env node
// npm run bench:prepare [-- --orders 5000000] [--customers 1000000] [--reps 3] [--engines segmetry,duckdb,arquero]
//                       [--no-setup] [--out bench/results/prepare.json] [--dist DIR]
//
// The prepare steps of issue 11 in one Chromium page on the same Arrow bytes (bench/prepare-page.mjs): aggregate
// an orders table by its text customer key, then left-join the customers to the result. Prints medians and the
// ratio of each engine's time to segmetry's. See docs/benchmark.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(root);

const opts = { orders: 5_000_000, customers: 1_000_000, reps: 3, engines: ['segmetry', 'duckdb', 'arquero'] };
opts.setup = true;
opts.out = 'bench/results/prepare.json';
opts.seed = 20261130;
opts.dist = 'dist';
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].split('=');
  const value = () => inline ?? argv[++i];
  if (flag === '--orders') opts.orders = Number(value().replace(/_/g, ''));
  else if (flag === '--customers') opts.customers = Number(value().replace(/_/g, ''));
  else if (flag === '--reps') opts.reps = Number(value());
  else if (flag === '--engines') opts.engines = value().split(',');
  else if (flag === '--out') opts.out = value();
  else if (flag === '--no-setup') opts.setup = false;
  else if (flag === '--dist') opts.dist = value();
  else throw new Error(`unknown flag ${flag}`);
}
const say = (msg) => console.log(`\x1b[1m[bench:prepare]\x1b[0m ${msg}`);

if (opts.setup) execFileSync('bash', ['scripts/setup.sh', '--browser'], { stdio: 'inherit' });
if (opts.dist === 'dist' && !existsSync('dist/index.js'))
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });

// Imported only now: setup above installs the browser.
const { openPreparePage } = await import('./prepare-browser.mjs');
const { page, browser, close } = await openPreparePage(resolve(root, opts.dist));
try {
  const load = loadavg();
  say(`Chromium ${browser.version()}, ${cpus().length} cores, load average ${load.map((x) => x.toFixed(2)).join(' ')}`);
  say(
    `${opts.orders.toLocaleString('en')} orders, ${opts.customers.toLocaleString('en')} customers, ${opts.reps} reps`,
  );
  const out = await page.evaluate((cfg) => window.benchPrepare.run(cfg), { ...opts, segmetryBase: '/segmetry' });
  const base = out.results.segmetry;
  const rows = Object.entries(out.results).map(([name, r]) => {
    const ratio = (ms, ref) => (base && name !== 'segmetry' ? `${(ms / ref).toFixed(2)}×` : '');
    return `| ${name} | ${r.aggregateMs.toFixed(0)} ms | ${ratio(r.aggregateMs, base?.aggregateMs)} | ${r.joinMs.toFixed(0)} ms | ${ratio(r.joinMs, base?.joinMs)} |`;
  });
  console.log(
    [
      '',
      `| engine | aggregate (ingest + GROUP BY) | ÷ segmetry | left join 1 row per key | ÷ segmetry |`,
      '|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, JSON.stringify({ date: new Date().toISOString(), load, opts, ...out }, null, 2));
  say(`wrote ${opts.out}`);
} finally {
  await close();
}
