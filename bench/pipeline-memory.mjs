#!/usr/bin/env node
// A shop's three CSV exports to an A/B report by lifecycle group — the whole path of issue 11, with the built
// package in Node (V8, as in Chromium) — and what it costs in wasm memory: every wasm module the path loads (core,
// CSV reader, extras) is recorded as it is instantiated, and as wasm memory never shrinks, each module's memory at
// the end is its peak. The target: their sum ≤ 3× the CSV bytes. Also each step's process CPU time.
//   npm run bench:pipeline [-- --customers 100000] [--dist dist] [--dir DIR]
// The exports come from scripts/gen_shop_exports.py (fixed seed), generated once per size under bench/results/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const customers = Number(opt('--customers', '100000'));
const dist = resolve(opt('--dist', 'dist'));
const dir = resolve(opt('--dir', `bench/results/csv-${customers}`));
if (!existsSync(join(dir, 'orders_export.csv'))) {
  console.log(`generating the exports of ${customers} customers into ${dir}`);
  execFileSync('python3', ['scripts/gen_shop_exports.py', dir, '--customers', String(customers)], { stdio: 'inherit' });
}

// Record each instance's memory. wasm-bindgen's glue instantiates with `new WebAssembly.Instance` (sync init)
// or `WebAssembly.instantiate`; both are wrapped before the package is imported.
const modules = [];
const record = (instance, module) => {
  const names = WebAssembly.Module.exports(module).map((e) => e.name.toLowerCase());
  const has = (s) => names.some((n) => n.includes(s));
  const kind = has('csvstream')
    ? 'CSV reader'
    : has('parquet')
      ? 'Parquet reader'
      : has('aggregate')
        ? 'extras'
        : 'core';
  // Node's own HTTP parser (undici's llhttp) is wasm too: not ours.
  if (instance.exports.memory && !has('llhttp')) modules.push({ kind, memory: instance.exports.memory });
};
const { Instance, instantiate } = WebAssembly;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  record(instance, module);
  return instance;
};
WebAssembly.Instance.prototype = Instance.prototype;
WebAssembly.instantiate = async (source, imports) => {
  const result = await instantiate(source, imports);
  if (result.instance) record(result.instance, result.module);
  else record(result, source);
  return result;
};

const pkg = await import(pathToFileURL(join(dist, 'index.js')).href);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const steps = [];
const step = async (name, fn) => {
  const [c, t] = [cpu(), performance.now()];
  const out = await fn();
  const memory = Object.fromEntries(modules.map((m) => [m.kind, 0]));
  for (const m of modules) memory[m.kind] += m.memory.buffer.byteLength;
  steps.push([name, cpu() - c, performance.now() - t, memory]);
  return out;
};
const file = (name) => new File([readFileSync(join(dir, name))], name, { type: 'text/csv' });
const files = ['orders_export.csv', 'customers_export.csv', 'campaign_export.csv'].map(file);
const csvBytes = files.reduce((n, f) => n + f.size, 0);

const [orders, customerTable, campaign] = await step('load the three CSV files (streamed)', () =>
  Promise.all(files.map((f) => pkg.loadFile(f))),
);
const features = await step('customerFeatures(orders)', () =>
  orders.customerFeatures({ customer: 'Email', order: 'Name', date: 'Created at', amount: 'Total' }),
);
const table = await step('customers ⟕ features', () =>
  customerTable.join(features, { on: 'Email', how: 'left', normalizeKey: 'email' }),
);
const test = await step('campaign ⟕ customers', () =>
  campaign.join(table, { on: ['Email Address', 'Email'], normalizeKey: 'email' }),
);
const report = await step('analyze: subject-line test by lifecycle group', () =>
  test.analyze({
    variant: 'Variant',
    control: 'A',
    referenceDate: '2025-12-01',
    segments: { lifecycle: { builtin: 'lifecycle' } },
    conversion: 'Clicked',
    revenue: 'Revenue',
    metrics: { opened: { column: 'Opened', role: 'secondary' } },
  }),
);

const mb = (n) => (n / 1e6).toFixed(1);
console.log(`CSV: ${files.map((f) => `${f.name} ${mb(f.size)} MB`).join(', ')}; ${mb(csvBytes)} MB in all`);
console.log(
  `rows: orders ${orders.numRows}, customers ${customerTable.numRows}, features ${features.numRows}, ` +
    `campaign ${campaign.numRows} (matched ${test.joinReport.matched}); report: ${report.segments.length} segments`,
);
for (const [name, c, w, memory] of steps) {
  const held = Object.entries(memory).map(([k, v]) => `${k} ${mb(v)}`);
  console.log(
    `  ${name.padEnd(46)} CPU ${c.toFixed(0).padStart(6)} ms  wall ${w.toFixed(0).padStart(6)} ms  MB: ${held.join(', ')}`,
  );
}
let total = 0;
for (const { kind, memory } of modules) {
  total += memory.buffer.byteLength;
  console.log(`  peak wasm memory, ${kind.padEnd(14)} ${mb(memory.buffer.byteLength).padStart(8)} MB`);
}
const ratio = total / csvBytes;
console.log(
  `peak wasm memory in all: ${mb(total)} MB = ${ratio.toFixed(2)}× the CSV bytes (target ≤ 3×: ${ratio <= 3 ? 'met' : 'NOT met'})`,
);
for (const ds of [orders, customerTable, campaign, features, table, test]) ds.free();
