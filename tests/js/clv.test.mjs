// ds.clv() through the built package on the CDNOW sample: parameters against lifetimes 0.11.3
// (tests/fixtures/clv, written by scripts/gen_clv_fixtures.py), the customers Dataset and its added columns,
// SegmetryError cases.
// Run: node --test tests/js/clv.test.mjs  (needs the package build: npm run build)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { loadDataset, SegmetryError } from 'segmetry';

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
