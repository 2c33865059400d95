#!/usr/bin/env node
// Two builds of the package in one Chromium page, the prepare benchmark's aggregate and join run alternately on
// each: on a noisy machine, differences of 5-10 % that separate runs of `npm run bench:prepare` cannot show.
//   mkdir -p /tmp/ab && cp -r dist /tmp/ab/a && (change, npm run build) && cp -r dist /tmp/ab/b
//   node bench/prepare-ab.mjs /tmp/ab [--reps 8] [--orders 5000000] [--customers 1000000]
// Prints per build the median of the runs after the first (which compiles the modules) and every run.
import { openPreparePage } from './prepare-browser.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const root = process.argv[2];
const cfg = { reps: arg('reps', 8), orders: arg('orders', 5_000_000), customers: arg('customers', 1_000_000) };

async function alternate({ reps, orders, customers }) {
  const { generate } = await import('/bench/prepare-page.mjs');
  const data = generate(orders, customers, 20261130);
  const opts = { by: 'email', normalizeKey: 'none', values: { orders: 'count()', spent: 'sum(total)' } };
  const pkgs = {};
  const times = {};
  for (const build of ['a', 'b']) {
    pkgs[build] = await import(`/segmetry/${build}/index.js`);
    await pkgs[build].init();
    times[build] = { aggregate: [], join: [] };
  }
  for (let r = 0; r < reps * 2; r++) {
    const build = r % 2 ? 'b' : 'a';
    const pkg = pkgs[build];
    let t = performance.now();
    const ordersDs = pkg.loadDatasetSync(data.orders);
    const agg = await ordersDs.aggregate(opts);
    times[build].aggregate.push(Math.round(performance.now() - t));
    const customersDs = pkg.loadDatasetSync(data.customers);
    t = performance.now();
    const joined = await customersDs.join(agg, { on: 'email', how: 'left', normalizeKey: 'none' });
    times[build].join.push(Math.round(performance.now() - t));
    for (const ds of [ordersDs, agg, customersDs, joined]) ds.free();
  }
  return times;
}

const { page, close } = await openPreparePage(root);
try {
  const times = await page.evaluate(alternate, cfg);
  const median = (xs) => [...xs.slice(1)].sort((x, y) => x - y)[(xs.length - 1) >> 1];
  for (const [build, t] of Object.entries(times)) {
    const show = (step) => `${step} ${median(t[step])} ms [${t[step].join(' ')}]`;
    console.log(`${build}: ${show('aggregate')}; ${show('join')}`);
  }
} finally {
  await close();
}
