// Times ds.clv in wasm (the built package in dist/, under Node) on simulated customer bases drawn from BG/NBD +
// Gamma-Gamma with CDNOW-like parameters in days (the same set-up as tests/clv_perf.rs, which times the Rust core
// natively). One call fits both models, predicts P(alive), expected purchases and 12-month CLV for every customer,
// cuts the spend tiers and runs the checks.
//
//   npm run build && node scripts/clv-timing.mjs [customers=1000000] [--continuous]
//
// Prints wall and process CPU time: on a shared machine CPU time is the figure to compare.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadDataset } from '../dist/index.js';
import { prng } from '../www/demo-data.js';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const continuous = process.argv.includes('--continuous');
const random = prng(11);
const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-300)) * Math.cos(2 * Math.PI * random());

/** Gamma(shape, 1) by Marsaglia & Tsang (with the shape < 1 boost). */
function gamma(shape) {
  if (shape < 1) return gamma(shape + 1) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x;
    let v;
    do {
      x = gauss();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

const [r, alpha, a, b] = [0.243, 4.414 * 7, 0.793, 2.426];
const [p, q, g] = [6.25, 3.74, 15.44];
const frequency = new Float64Array(n);
const recency = new Float64Array(n);
const age = new Float64Array(n);
const monetary = new Float64Array(n);
const round = (v) => (continuous ? v : Math.floor(v));
for (let i = 0; i < n; i++) {
  const T = 182 + 365 * random();
  const lambda = gamma(r) / alpha;
  const g1 = gamma(a);
  const drop = g1 / (g1 + gamma(b));
  const nu = gamma(q) / g;
  let [now, x, last, spent] = [0, 0, 0, 0];
  for (;;) {
    now += -Math.log(1 - random()) / lambda;
    if (now > T) break;
    x += 1;
    last = now;
    spent += gamma(p) / nu;
    if (random() < drop) break;
  }
  frequency[i] = x;
  recency[i] = x > 0 ? round(last) : 0;
  age[i] = round(T);
  monetary[i] = x > 0 ? spent / x : 0;
}
const bytes = tableToIPC(tableFromArrays({ frequency, recency, T: age, monetary }), 'stream');
const ds = await loadDataset(bytes);
const options = { frequency: 'frequency', recency: 'recency', T: 'T', monetary: 'monetary', horizonDays: 360 };
for (const label of ['first call', 'second call']) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await ds.clv(options);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const { r: rr, alpha: aa, a: a_, b: b_ } = result.params;
  console.log(
    `${n} customers (${continuous ? 'continuous times' : 'whole days'}), ds.clv ${label}: ` +
      `${(wall / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU; ` +
      `r = ${rr.toFixed(4)}, α = ${aa.toFixed(2)}, a = ${a_.toFixed(4)}, b = ${b_.toFixed(4)}; ` +
      `tiers ${result.tiers.map((t) => `${t.name} ${t.customers}`).join(', ')}`,
  );
  result.customers.free();
}
ds.free();
