// ds.clv() through the built package on the CDNOW sample: parameters against lifetimes 0.11.3
// (tests/fixtures/clv, written by scripts/gen_clv_fixtures.py), the customers Dataset and its added columns,
// SegmetryError cases, and the worker client's RemoteDataset.clv against the synchronous Dataset.clv.
// Run: node --test tests/js/clv.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadDataset, SegmetryError } from 'segmetry';
import { createClient, RemoteDataset } from 'segmetry/client';

const dir = new URL('../fixtures/clv/', import.meta.url);
const fixture = (name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const cdnow = fixture('cdnow.json');
const bg = fixture('bgnbd.json').fit.params;
const gg = fixture('gamma_gamma.json').fit.params;

async function cdnowDataset() {
  const table = tableFromArrays({
    frequency: Float64Array.from(cdnow.x),
    recency: Float64Array.from(cdnow.t_x),
    T: Float64Array.from(cdnow.T),
    monetary: Float64Array.from(cdnow.zbar),
  });
  return loadDataset(tableToIPC(table, 'stream'));
}

const options = { frequency: 'frequency', recency: 'recency', T: 'T', monetary: 'monetary', unit: 'weeks' };

test('clv fits CDNOW like lifetimes and adds the prediction columns', async () => {
  const ds = await cdnowDataset();
  const result = await ds.clv({ ...options, horizonDays: 364, discountRate: 0.01 });
  const want = { r: bg.r, alpha: bg.alpha, a: bg.a, b: bg.b, p: gg.p, q: gg.q, gamma: gg.v };
  for (const [key, value] of Object.entries(want)) {
    assert.ok(Math.abs(result.params[key] / value - 1) < 1e-4, `${key}: ${result.params[key]} vs ${value}`);
    assert.ok(result.standardErrors[key] > 0, `SE ${key}`);
  }
  assert.equal(Math.round(result.logLikelihood.bgnbd * 10) / 10, -9582.4);
  assert.equal(result.unit, 'weeks');
  assert.equal(result.checks.fitted, 2357);
  assert.deepEqual(result.checks.histogram.labels, ['0', '1', '2', '3', '4', '5', '6', '7+']);
  const names = result.customers.columns.map((c) => c.name);
  assert.deepEqual(names, [
    'frequency',
    'recency',
    'T',
    'monetary',
    'p_alive',
    'expected_purchases',
    'expected_value',
    'clv',
  ]);
  assert.equal(result.customers.numRows, 2357);
  assert.ok(result.customers.segment('p_alive < 0.3').size > 0);
  result.customers.free();
  ds.free();
});

test('clv errors are SegmetryErrors naming the option', async () => {
  const ds = await cdnowDataset();
  await assert.rejects(
    ds.clv({ frequency: 'frequency' }),
    (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT' && e.subject === 'recency',
  );
  await assert.rejects(
    ds.clv({ ...options, horizonDays: -1 }),
    (e) => e instanceof SegmetryError && e.subject === 'horizonDays',
  );
  await assert.rejects(ds.clv({ ...options, frequency: 'nope' }), (e) => e.code === 'UNKNOWN_COLUMN');
  ds.free();
});

test('the worker client forwards clv: same result, customers stay in the worker', async () => {
  const ds = await cdnowDataset();
  const sync = await ds.clv({ ...options, horizonDays: 364 });
  const client = await createClient();
  try {
    const table = tableFromArrays({
      frequency: Float64Array.from(cdnow.x),
      recency: Float64Array.from(cdnow.t_x),
      T: Float64Array.from(cdnow.T),
      monetary: Float64Array.from(cdnow.zbar),
    });
    const remote = await client.load(tableToIPC(table, 'stream'));
    const result = await remote.clv({ ...options, horizonDays: 364 });
    assert.deepEqual(result.params, sync.params);
    assert.deepEqual(result.checks, sync.checks);
    assert.ok(result.customers instanceof RemoteDataset);
    assert.equal(await result.customers.numRows(), 2357);
    const lost = await result.customers.segment('p_alive < 0.3');
    assert.equal(lost.size, sync.customers.segment('p_alive < 0.3').size);
    await assert.rejects(
      remote.clv({ ...options, horizonDays: -1 }),
      (e) => e instanceof SegmetryError && e.code === 'INVALID_ARGUMENT' && e.subject === 'horizonDays',
    );
    await result.customers.free();
    await remote.free();
  } finally {
    client.terminate();
    sync.customers.free();
    ds.free();
  }
});

test('calibrationAndHoldout splits an orders table by date, synchronously and in the worker', async () => {
  const f = fixture('holdout.json');
  const table = tableFromArrays({
    customer: f.transactions.customer,
    date: f.transactions.date.map((d) => new Date(`${d}T00:00:00Z`)),
    amount: Float64Array.from(f.transactions.amount),
  });
  const bytes = tableToIPC(table, 'stream');
  const options = {
    customer: 'customer',
    date: 'date',
    amount: 'amount',
    calibrationEnd: f.calibration_end,
    observationEnd: f.observation_end,
  };
  const orders = await loadDataset(bytes);
  const split = await orders.calibrationAndHoldout(options);
  assert.equal(split.numRows, f.summary.customer.length);
  assert.equal(split.recipe.op, 'calibrationAndHoldout');
  const sum = (xs) => xs.reduce((s, x) => s + x, 0);
  const holdoutBuyers = split.segment('frequency_holdout > 0').size;
  assert.equal(holdoutBuyers, f.summary.frequency_holdout.filter((x) => x > 0).length);
  assert.equal(split.segment('frequency_cal >= 7').size, f.comparison.customers[7]);
  assert.ok(sum(f.summary.frequency_holdout) > 0);
  await assert.rejects(
    orders.calibrationAndHoldout({ ...options, observationEnd: '2025-01-01' }),
    (e) => e instanceof SegmetryError && e.subject === 'observationEnd',
  );
  const client = await createClient();
  try {
    const remote = await client.load(bytes);
    const remoteSplit = await remote.calibrationAndHoldout(options);
    assert.equal(await remoteSplit.numRows(), split.numRows);
    assert.equal((await remoteSplit.segment('frequency_holdout > 0')).size, holdoutBuyers);
  } finally {
    client.terminate();
    split.free();
    orders.free();
  }
});
