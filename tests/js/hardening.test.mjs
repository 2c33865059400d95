// Issue 14 ("never dies, never poisons"): a regression test per defect. Deep rules are refused before they can
// overflow the wasm stack; a trapped instance is replaced (UI thread and worker); hostile options never poison a
// dataset; memorySize counts shared buffers once; error excerpts are windows; detached buffers are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as arrow from 'apache-arrow';
import { createClient, init, loadDatasetSync, sniffFormat, sqlForAnalysis, SegmetryError, stats } from 'segmetry';
import { wasm, call, generation } from '../../dist/runtime.js';
import { demoBytes } from '../../www/demo-data.js';

await init(); // the synchronous API below needs the core instantiated

const MAX_NESTING = 64; // src/segments/parser.rs
const bytes = demoBytes(arrow, 3_000, 7);

/** The known query's answer, computed from the Arrow table in JS (independent of the engine). */
const expectedAtLeastTwo = (() => {
  const column = arrow.tableFromIPC(bytes).getChild('orders_count');
  let n = 0;
  for (const v of column) if (v !== null && v >= 2) n += 1;
  return n;
})();

function assertKnownQuery(ds) {
  assert.equal(ds.segment('orders_count >= 2').size, expectedAtLeastTwo);
}

function code(fn) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SegmetryError, `a SegmetryError, got ${err?.constructor?.name}: ${err?.message}`);
    return err.code;
  }
  return 'OK';
}

/** `code` for a function returning a Promise. */
async function asyncCode(fn) {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof SegmetryError, `a SegmetryError, got ${err?.constructor?.name}: ${err?.message}`);
    return err.code;
  }
  return 'OK';
}

const parens = (n) => `${'('.repeat(n)}orders_count >= 2${')'.repeat(n)}`;
const nots = (n) => `${'NOT '.repeat(n)}newsletter`;

test('defect 1: rules nested beyond the limit are RULE_SYNTAX everywhere, at the limit they work', () => {
  const ds = loadDatasetSync(bytes);
  assert.equal(ds.segment(parens(MAX_NESTING)).size, expectedAtLeastTwo);
  assert.equal(ds.segment(nots(MAX_NESTING)).size, ds.segment('newsletter').size);
  for (const rule of [parens(MAX_NESTING + 1), parens(600), nots(2_000), nots(100_000)]) {
    const calls = [
      () => ds.segment(rule),
      () => ds.segmentMembers(rule),
      () => ds.segmentOverlap(['orders_count > 1', rule]),
      () => ds.analyze({ segments: { deep: rule }, referenceDate: '2026-11-01' }),
      () => ds.sqlForAnalysis({ segments: { deep: rule } }, { table: 't', dialect: 'spark' }),
      () => sqlForAnalysis({ segments: { deep: rule }, schema: ds.columns }, { table: 't' }),
    ];
    for (const fn of calls) {
      try {
        fn();
        assert.fail('a too deep rule was accepted');
      } catch (err) {
        assert.ok(err instanceof SegmetryError, String(err));
        assert.equal(err.code, 'RULE_SYNTAX', err.message);
        assert.match(err.message, new RegExp(`nested deeper than ${MAX_NESTING}`));
      }
    }
  }
  assertKnownQuery(ds);
  assert.equal(stats.proportionInterval(1, 2).estimate, 0.5);
});

test('defect 1: options nested deeper than the limit are INVALID_ARGUMENT', () => {
  const ds = loadDatasetSync(bytes);
  let deep = [];
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.equal(
    code(() => ds.analyze({ segments: deep })),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    code(() => stats.adjustPValues(deep, 'holm')),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    code(() => stats.chiSquareIndependence(deep)),
    'INVALID_ARGUMENT',
  );
  assertKnownQuery(ds);
});

test('defect 1: a trapped instance is replaced on the UI thread; its datasets answer ENGINE_RESTARTED', () => {
  const before = generation;
  const old = loadDatasetSync(bytes);
  const segment = old.segment('orders_count >= 2');
  assert.throws(
    () => call(wasm.__trapForTests),
    (err) => err instanceof SegmetryError && err.code === 'INTERNAL' && /restarted its engine/.test(err.message),
  );
  assert.equal(generation, before + 1);
  assert.equal(
    code(() => old.numRows),
    'ENGINE_RESTARTED',
  );
  assert.equal(
    code(() => old.segment('orders_count >= 2')),
    'ENGINE_RESTARTED',
  );
  assert.equal(
    code(() => segment.size),
    'ENGINE_RESTARTED',
  );
  old.free(); // never touches the new instance
  const fresh = loadDatasetSync(bytes);
  assertKnownQuery(fresh);
  assert.equal(stats.proportionInterval(1, 2).estimate, 0.5);
  fresh.free();
});

test('defect 1: a trapped worker is replaced, generation bumps, its datasets answer WORKER_RESTARTED', async () => {
  const client = await createClient();
  try {
    const remote = await client.load(bytes.slice());
    assert.equal(client.generation, 0);
    await assert.rejects(client._trapForTests(), (err) => err.code === 'INTERNAL' && /restarted/.test(err.message));
    assert.equal(client.generation, 1);
    await assert.rejects(remote.segment('orders_count >= 2'), (err) => err.code === 'WORKER_RESTARTED');
    const again = await client.load(bytes.slice());
    assert.equal((await again.segment('orders_count >= 2')).size, expectedAtLeastTwo);
    assert.equal((await client.stats.proportionInterval(1, 2)).estimate, 0.5);
  } finally {
    client.terminate();
  }
});

/** Options that run caller code when read, or cannot be read at all. */
function hostileOptions() {
  let deep = [];
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  return [
    Object.defineProperty({}, 'referenceDate', {
      enumerable: true,
      get() {
        throw new Error('getter says no');
      },
    }),
    new Proxy(
      {},
      {
        ownKeys() {
          throw new RangeError('ownKeys says no');
        },
      },
    ),
    new Proxy({ segments: {} }, { get: () => Symbol('s') }),
    revocable.proxy,
    { segments: deep },
    {
      get segments() {
        throw 42; // not even an Error
      },
    },
  ];
}

test('defect 2: 3,600+ hostile option objects never poison a dataset', async () => {
  const ds = loadDatasetSync(bytes);
  const methods = [
    (o) => ds.segment('orders_count >= 2', o),
    (o) => ds.segmentMembers('orders_count >= 2', o),
    (o) => ds.segmentOverlap(['orders_count >= 2'], o),
    (o) => ds.rfm(o),
    (o) => ds.lifecycle(o),
    (o) => ds.analyze(o),
    (o) => ds.sqlForAnalysis(o, { table: 't' }),
    (o) => stats.sampleSize(o),
    (o) => stats.compare({ successes: 1, trials: 10 }, { successes: 2, trials: 10 }, o),
  ];
  const hostile = hostileOptions();
  let calls = 0;
  for (let round = 0; round < 62; round++) {
    for (const method of methods) {
      for (const o of hostile) {
        const c = code(() => method(o));
        assert.ok(['INVALID_ARGUMENT', 'OK'].includes(c) || c === 'UNKNOWN_COLUMN', `got ${c}`);
        calls += 1;
      }
    }
    // clusters runs in the extras module and returns a Promise.
    for (const o of hostile) {
      const c = await asyncCode(() => ds.clusters(o));
      assert.ok(['INVALID_ARGUMENT', 'OK'].includes(c) || c === 'UNKNOWN_COLUMN', `clusters: got ${c}`);
      calls += 1;
    }
  }
  assert.ok(calls >= 3_600, `${calls} calls`);
  assertKnownQuery(ds);
  ds.free();
  assert.equal(
    code(() => ds.numRows),
    'FREED',
  );
  assertKnownQuery(loadDatasetSync(bytes));
});

test('defect 2: a dataset linked to itself keeps the engine alive (one borrow, not two)', () => {
  // ds.link(name, ds) made wasm-bindgen borrow one Dataset as `&mut self` and as `&other`: "recursive use of an
  // object", which the runtime must treat as poisoned and restart — every dataset of the page was lost.
  const ds = loadDatasetSync(bytes);
  const bystander = loadDatasetSync(bytes);
  const before = generation;
  const ids = arrow.tableFromIPC(bytes).getChild('customer_id');
  const counts = new Map();
  for (const id of ids) if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  let withTwin = 0; // rows whose customer_id occurs at least twice (themselves and another row)
  for (const id of ids) if (id !== null && counts.get(id) >= 2) withTwin += 1;
  ds.link('me', ds, { on: 'customer_id' });
  assert.equal(generation, before, 'linking a dataset to itself restarted the engine');
  assert.equal(ds.segment('EXISTS(me)').size, [...ids].filter((id) => id !== null).length);
  assert.equal(ds.segment('COUNT(me) >= 2').size, withTwin);
  ds.append(bytes); // refreshes the self link (js/dataset.js relinks after an append)
  assert.equal(ds.segment('COUNT(me) >= 2').size, 2 * [...ids].filter((id) => id !== null).length);
  assert.equal(
    code(() => ds.link('me', ds, { on: 'nope' })),
    'UNKNOWN_COLUMN',
  );
  assert.equal(generation, before);
  assertKnownQuery(bystander);
  ds.free();
  bystander.free();
});

test('defect 2: an array where analyze expects an object of segments or metrics leaves no borrow behind', () => {
  // Found by the property campaign (seed 20261130): ds.analyze({ segments: [null, ''] }). serde-wasm-bindgen read a
  // JS iterable where a map belongs as [key, value] pairs and indexed each element, so a null element threw a
  // TypeError inside wasm while analyze held `&mut` of the dataset: the call looked like INVALID_ARGUMENT, and the
  // next `&mut` method failed with "recursive use of an object".
  const ds = loadDatasetSync(bytes);
  const before = generation;
  for (const options of [
    { segments: [null, ''] },
    { segments: [undefined] },
    { metrics: [null] },
    { referenceDate: '2026-11-01', segments: [null, '', 10n ** 70n, -1, 1e-145], k: 8, table: 't' },
  ]) {
    assert.equal(
      code(() => ds.analyze(options)),
      'INVALID_ARGUMENT',
    );
    assertKnownQuery(ds); // a `&mut` borrow of the dataset
    assert.equal(generation, before, 'the engine was restarted');
  }
  ds.free();
});

test('defect 4: memorySize counts the shared input buffer once', () => {
  const ds = loadDatasetSync(bytes);
  assert.ok(ds.memorySize > 0);
  // Decoded zero-copy over one input: the real footprint is about the IPC size, not a multiple of it.
  assert.ok(ds.memorySize <= bytes.length * 1.5, `${ds.memorySize} bytes for ${bytes.length} bytes of IPC`);
  for (let i = 0; i < 4; i++) ds.append(bytes);
  assert.ok(ds.memorySize <= bytes.length * 5 * 1.5, `${ds.memorySize} after 4 appends`);
  ds.free();
});

test('defect 5: a 10 MB rule gives a short error; detached buffers and sniffFormat(undefined) are SegmetryErrors', () => {
  const ds = loadDatasetSync(bytes);
  const huge = `${'orders_count >= 1 AND '.repeat(500_000)} AND`;
  try {
    ds.segment(huge);
    assert.fail('accepted');
  } catch (err) {
    assert.equal(err.code, 'RULE_SYNTAX');
    assert.ok(err.message.length < 1_000, `${err.message.length} characters`);
  }
  const buffer = bytes.slice().buffer;
  const view = new Uint8Array(buffer);
  structuredClone(buffer, { transfer: [buffer] }); // detaches `buffer`
  assert.equal(
    code(() => loadDatasetSync(buffer)),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    code(() => loadDatasetSync(view)),
    'INVALID_ARGUMENT',
  );
  assert.equal(
    code(() => ds.append(buffer)),
    'INVALID_ARGUMENT',
  );
  for (const bad of [undefined, null, 42, 'PAR1', {}])
    assert.equal(
      code(() => sniffFormat(bad)),
      'INVALID_ARGUMENT',
    );
  assert.equal(
    code(() => sniffFormat(view)),
    'INVALID_ARGUMENT',
  );
  assertKnownQuery(ds);
});

test('defect 6: a stats call on the client never waits behind slow dataset calls', async () => {
  const client = await createClient();
  try {
    await client.stats.proportionInterval(1, 2); // spawn the stats worker
    const remote = await client.load(demoBytes(arrow, 60_000, 3));
    let slowDone = 0;
    const slow = Array.from({ length: 2 }, () =>
      remote
        .clusters({ columns: ['orders_count', 'total_spent', 'last_order_days'], k: 6 })
        .then(() => (slowDone += 1)),
    );
    const started = Date.now();
    assert.equal((await client.stats.proportionInterval(1, 2)).estimate, 0.5);
    const statsMs = Date.now() - started;
    assert.equal(slowDone, 0, `the stats call (${statsMs} ms) waited for a clustering`);
    await Promise.all(slow);
  } finally {
    client.terminate();
  }
});

test('defect 2: a page whose Date throws leaves no borrow behind (the default reference date)', () => {
  // Without referenceDate the facade reads today's date from JS while it holds the dataset; a Date replaced by a
  // throwing one (or with a throwing `now` getter, or returning a non-number) unwound through that borrow. Now the
  // read is caught in the JS glue and the call is INVALID_ARGUMENT, naming referenceDate.
  const ds = loadDatasetSync(bytes);
  const before = generation;
  const RealDate = globalThis.Date;
  const hostile = [
    function Date() {
      throw new Error('no dates here');
    },
    Object.defineProperty(function Date() {}, 'now', {
      get() {
        throw new Error('no now');
      },
    }),
    Object.assign(function Date() {}, {
      now: () => ({
        valueOf: () => {
          throw new Error('valueOf');
        },
      }),
    }),
  ];
  try {
    for (const replacement of hostile) {
      globalThis.Date = replacement;
      for (const fn of [
        () => ds.segment('orders_count >= 2'),
        () => ds.analyze({ segments: { Repeat: 'orders_count >= 2' } }),
      ]) {
        let error;
        try {
          fn();
        } catch (err) {
          error = err;
        }
        globalThis.Date = RealDate; // assertions and the known query with the real Date
        assert.ok(
          error instanceof SegmetryError,
          `a SegmetryError, got ${error?.constructor?.name}: ${error?.message}`,
        );
        assert.equal(error.code, 'INVALID_ARGUMENT');
        assert.match(error.message, /referenceDate/);
        assertKnownQuery(ds); // a `&mut` borrow of the dataset
        globalThis.Date = replacement;
      }
      // an explicit referenceDate never asks Date
      assert.equal(ds.segment('orders_count >= 2', { referenceDate: '2026-11-30' }).size, expectedAtLeastTwo);
    }
  } finally {
    globalThis.Date = RealDate;
  }
  assert.equal(generation, before, 'the engine was restarted');
  ds.free();
});
