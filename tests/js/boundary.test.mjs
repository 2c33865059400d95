// No panic reaches the wasm boundary: every public entry point, fed wrong types, undefined, NaN, negative and
// huge values, either returns or throws a SegmetryError — and the instance keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { init, loadDataset, loadDatasetSync, SegmetryError, stats } from 'segmetry';
import { demoBytes } from '../../www/demo-data.js';

await init(); // the synchronous API below needs the core instantiated

const hugeArray = new Array(200_000).fill(0.5);
const weird = [
  undefined,
  null,
  NaN,
  -1,
  -0,
  0,
  1.5,
  1e308,
  -Infinity,
  Infinity,
  2 ** 53 + 2,
  '',
  'x',
  '0',
  'NaN',
  true,
  {},
  [],
  [NaN],
  [-1],
  [[1, 2], [3]],
  hugeArray,
  { successes: -1, trials: 10 },
  { successes: 5, trials: 2 },
  { successes: NaN, trials: NaN },
  { mean: 1, variance: -1, n: 3 },
  { sum: 1, sumSquares: 0, n: 0 },
  { n: 1e300, mean: 1, variance: 1 },
  10n,
  () => 1,
  new Uint8Array(3),
  { method: 'nope' },
  { confidence: 2 },
  { alternative: 'sideways' },
  { column: 'nope' },
  { referenceDate: '2026-13-45' },
  { k: 0 },
  { k: 1e9 },
  { columns: ['orders_count'], k: 2, seed: -5 },
  { segments: { a: 'orders_count >' } },
  { variant: 'nope' },
];

/** `fn` returns, or fails with a SegmetryError (thrown, or a rejected Promise: clusters, clv, prepare verbs). */
async function expectContained(label, fn) {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof SegmetryError)) {
      assert.fail(`${label} threw ${err?.constructor?.name}: ${err?.message} instead of a SegmetryError`);
    }
    assert.equal(typeof err.code, 'string', label);
    assert.ok(err.message.length > 10, `${label}: message says what is wrong`);
  }
}

test('stats functions contain every invalid argument', async () => {
  for (const [name, fn] of Object.entries(stats)) {
    for (const a of weird) {
      await expectContained(`stats.${name}(${String(a).slice(0, 20)})`, () => fn(a));
      for (const b of weird.slice(0, 25)) {
        await expectContained(`stats.${name}(…, …)`, () => fn(a, b));
        await expectContained(`stats.${name}(…, …, opts)`, () => fn({ successes: 3, trials: 10 }, a, b));
      }
    }
  }
  assert.equal(stats.proportionInterval(1, 2).estimate, 0.5, 'still works');
});

test('dataset methods contain every invalid argument', async () => {
  const ds = await loadDataset(demoBytes(arrow, 2_000, 3));
  const methods = ['append', 'segment', 'segmentMembers', 'segmentOverlap', 'rfm', 'lifecycle', 'clusters', 'analyze'];
  for (const method of methods) {
    for (const a of weird) {
      await expectContained(`ds.${method}(${String(a).slice(0, 20)})`, () => ds[method](a));
      for (const b of weird.slice(0, 20)) await expectContained(`ds.${method}(…, …)`, () => ds[method](a, b));
      await expectContained(`ds.${method}(rule, …)`, () => ds[method]('orders_count >= 2', a));
    }
  }
  assert.equal(ds.segment('orders_count >= 0').size, 2_000, 'still works');
  for (const a of weird) await assert.rejects(loadDataset(a), SegmetryError);
  assert.equal(loadDatasetSync(demoBytes(arrow, 10, 1)).numRows, 10);
});
