// Property test of the whole public JS surface (issue 14): random and hostile values for every argument of every
// export and method — wrong types, getters that throw, Proxies (also revoked), 10,000-deep nesting, huge strings,
// NaN/±∞/−0, BigInt, detached buffers, deep and random rules — must give a result or a SegmetryError with a
// documented code, and afterwards the module and the dataset still answer a known query correctly.
//
// Fast tier (npm test): a fixed seed and a few hundred calls. Campaign: `npm run fuzz:api` (FUZZ_API_SECONDS,
// default 300; FUZZ_API_SEED for another seed); it prints how many calls ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as arrow from 'apache-arrow';
import * as segmetry from 'segmetry';
import * as runtime from '../../dist/runtime.js';
import { demoBytes } from '../../www/demo-data.js';

await segmetry.init(); // the synchronous API below needs the core instantiated

const { SegmetryError, stats } = segmetry;
const SECONDS = Number(process.env.FUZZ_API_SECONDS ?? 0);
const SEED = Number(process.env.FUZZ_API_SEED ?? 20261130);
const RUNS = SECONDS > 0 ? Number.MAX_SAFE_INTEGER : Number(process.env.FUZZ_API_RUNS ?? 400);

/** The documented error codes: the ErrorCode union of the TypeScript declarations. */
const CODES = new Set(
  [...readFileSync(new URL('../../js/index.d.ts', import.meta.url), 'utf8').matchAll(/^\s*\| '([A-Z_]+)'/gm)].map(
    (m) => m[1],
  ),
);
assert.ok(CODES.has('INVALID_ARGUMENT') && CODES.has('ENGINE_RESTARTED'), [...CODES].join());

const bytes = demoBytes(arrow, 1_500, 11);
const KNOWN_RULE = "orders_count >= 2 AND country IN ('FI', 'SE')";
const expected = (() => {
  const t = arrow.tableFromIPC(bytes);
  const [orders, country] = [t.getChild('orders_count'), t.getChild('country')];
  let n = 0;
  for (let i = 0; i < t.numRows; i++) {
    if (orders.get(i) >= 2 && ['FI', 'SE'].includes(country.get(i))) n += 1;
  }
  return n;
})();

// ---- hostile values -------------------------------------------------------------------------------------------

const deepArray = (() => {
  let v = [];
  for (let i = 0; i < 10_000; i++) v = [v];
  return v;
})();
const deepObject = (() => {
  let v = {};
  for (let i = 0; i < 10_000; i++) v = { segments: v };
  return v;
})();
const hugeString = 'x'.repeat(1 << 20);
/** A view and its buffer, both detached. */
const detached = () => {
  const view = new Uint8Array(16);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
};
const throwing = (key) =>
  Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new Error(`getter ${key}`);
    },
  });
const trapProxy = (trap) =>
  new Proxy(
    { referenceDate: '2026-11-01' },
    {
      [trap]() {
        throw new TypeError(`trap ${trap}`);
      },
    },
  );
const revoked = () => {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
};

/** Values that run (throwing) code when read: getters, Proxy traps, revoked Proxies, detached buffers. */
const TRAPPY = [
  () => hugeString, // boxed too: a counterexample must not print a megabyte
  () => deepArray,
  () => deepObject,
  () => throwing('referenceDate'),
  () => throwing('0'),
  () => trapProxy('ownKeys'),
  () => trapProxy('get'),
  () => trapProxy('getPrototypeOf'),
  () => trapProxy('has'),
  () => trapProxy('getOwnPropertyDescriptor'),
  revoked,
  detached,
  () => detached().buffer,
  () => ({
    get segments() {
      throw 42; // not even an Error
    },
  }),
];

class Box {
  constructor(i) {
    this.i = i;
  }
  toString() {
    return `TRAPPY[${this.i}]`;
  }
}

/** The generated value with every Box (down to a few levels) replaced by its trappy value. */
function open(v, depth = 0) {
  if (v instanceof Box) return TRAPPY[v.i]();
  if (depth > 4 || v === null || typeof v !== 'object' || v === deepArray || v === deepObject) return v;
  if (Array.isArray(v)) return v.map((x) => open(x, depth + 1));
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, open(x, depth + 1)]));
}

const hostile = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    2 ** 53 + 2,
    -1,
    1e308,
    10n,
    -(2n ** 70n),
    true,
    '',
    Symbol('s'),
    () => 1,
    [NaN, Infinity],
    new Date(0),
    new Map([['a', 1]]),
    new Float64Array([1, NaN]),
    new Uint8Array(0),
  ),
  // Values that trap when fast-check itself inspects them: generated as boxes, opened in the property.
  fc.nat({ max: TRAPPY.length - 1 }).map((i) => new Box(i)),
  fc.anything({ maxDepth: 3, withBigInt: true, withTypedArray: true, withNullPrototype: true }),
);

/** Rule text: random token soup, deep nesting (at and beyond the limit), real columns. */
const ruleText = fc.oneof(
  fc.constantFrom(KNOWN_RULE, 'newsletter', 'orders_count >', '"" = 1', "country = 'FI'"),
  fc.integer({ min: 0, max: 3_000 }).map((n) => `${'('.repeat(n)}orders_count > 1${')'.repeat(n)}`),
  fc.integer({ min: 0, max: 3_000 }).map((n) => `${'NOT '.repeat(n)}newsletter`),
  fc
    .array(
      fc.constantFrom(
        'orders_count',
        'country',
        'signup_date',
        'total_spent',
        '(',
        ')',
        'AND',
        'OR',
        'NOT',
        '=',
        '>=',
        'IN',
        'BETWEEN',
        'IS NULL',
        "'FI'",
        '3',
        '-90d',
        '2026-01-01',
        '99999999999999999999999999999999999999999',
        ',',
        '"',
      ),
      { maxLength: 30 },
    )
    .map((t) => t.join(' ')),
  fc.string({ maxLength: 40 }),
);

const options = fc.oneof(
  hostile,
  fc.record(
    {
      referenceDate: fc.oneof(fc.constant('2026-11-01'), hostile),
      column: fc.oneof(fc.constantFrom('customer_id', 'country', 'nope'), hostile),
      dialect: fc.oneof(fc.constantFrom('duckdb', 'spark', 'postgres', 'oracle'), hostile),
      segments: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), ruleText, { maxKeys: 3 }), hostile),
      k: fc.oneof(fc.integer({ min: -2, max: 12 }), hostile),
      table: fc.oneof(fc.constant('t'), hostile),
      confidence: fc.oneof(fc.double(), hostile),
    },
    { requiredKeys: [] },
  ),
);
const arg = fc.oneof(hostile, options, ruleText);

// ---- the surface ----------------------------------------------------------------------------------------------

/** Every export and method, each called with three generated arguments (extra ones are ignored by JS). */
function surface(ds, segment, other) {
  const ops = {
    loadDatasetSync: (a) => segmetry.loadDatasetSync(a),
    tokenize: (a) => segmetry.tokenize(a),
    sniffFormat: (a, b) => segmetry.sniffFormat(a, b),
    sqlForAnalysis: (a, b) => segmetry.sqlForAnalysis(a, b),
    analyzeSummary: (a, b) => segmetry.analyzeSummary(a, b),
    'ds.numRows': () => ds.numRows,
    'ds.columns': () => ds.columns,
    'ds.memorySize': () => ds.memorySize,
    'ds.append': (a) => ds.append(a),
    // A dataset linked to itself once took two borrows of one object and killed the engine.
    'ds.link[self]': (a, b) => ds.link(a, ds, b),
    'ds.link[self, on id]': (a) => ds.link(typeof a === 'string' ? a : 'me', ds, { on: 'customer_id' }),
    'ds.link[other]': (a, b) => ds.link(a, other, b),
    'ds.complete': (a, b) => ds.complete(a, b),
    'ds.profile': (a) => ds.profile(a),
    'ds.segment': (a, b) => ds.segment(a, b),
    'ds.segmentMembers': (a, b) => ds.segmentMembers(a, b),
    'ds.segmentOverlap': (a, b) => ds.segmentOverlap(a, b),
    'ds.segmentOverlap[rules]': (a, b, c) => ds.segmentOverlap([a, KNOWN_RULE, b], c),
    // clusters, clv and the prepare verbs return Promises (extras module): covered by the worker client below.
    'ds.rfm': (a) => ds.rfm(a),
    'ds.lifecycle': (a) => ds.lifecycle(a),
    'ds.analyze': (a) => ds.analyze(a),
    'ds.sqlForAnalysis': (a, b) => ds.sqlForAnalysis(a, b),
    'segment.size': () => segment.size,
    'segment.toSql': (a) => segment.toSql(a),
    'segment.toJSON': () => segment.toJSON(),
  };
  for (const [name, fn] of Object.entries(stats)) ops[`stats.${name}`] = (a, b, c) => fn(a, b, c);
  return ops;
}

/** Run one generated call: a result, or a SegmetryError with a documented code and a message. */
/**
 * `fn()` returns, or throws a documented SegmetryError. What it returns is freed (unless it is one of `keep`): the
 * loop never yields to the event loop, so FinalizationRegistry never runs, and a campaign of a million calls
 * would otherwise fill the instance's 4 GiB with unreleased segments and datasets.
 */
function contained(label, fn, keep = []) {
  try {
    const out = fn();
    if (out && typeof out.free === 'function' && !keep.includes(out)) out.free();
    return null;
  } catch (err) {
    if (!(err instanceof SegmetryError)) {
      assert.fail(`${label} threw ${err?.constructor?.name}: ${String(err?.message).slice(0, 200)}`);
    }
    assert.ok(CODES.has(err.code), `${label}: undocumented code ${err.code}`);
    assert.ok(typeof err.message === 'string' && err.message.length > 10, `${label}: message`);
    assert.ok(err.message.length < 10_000, `${label}: a ${err.message.length}-character message`);
    return err;
  }
}

/** The last calls, for a trap found after them; `show` never runs a hostile value's code. */
const recent = [];
function show(x) {
  try {
    return describeArg(x);
  } catch {
    return '?';
  }
}
function describeArg(x) {
  if (x instanceof Box) return String(x);
  if (typeof x === 'string') return JSON.stringify(x.slice(0, 40));
  if (typeof x !== 'object' || x === null) return typeof x === 'bigint' ? `${x}n` : String(x);
  return Array.isArray(x) ? `[array ${x.length}]` : '{object}';
}

function stillCorrect(ds) {
  assert.equal(ds.segment(KNOWN_RULE).size, expected, 'the dataset answers the known query');
  const fresh = segmetry.loadDatasetSync(bytes);
  assert.equal(fresh.segment(KNOWN_RULE, {}).size, expected, 'the module too');
  fresh.free();
  assert.equal(stats.proportionInterval(1, 2).estimate, 0.5);
}

test('every export and method: a result or a documented SegmetryError, and still correct afterwards', () => {
  const ds = segmetry.loadDatasetSync(bytes);
  const segment = ds.segment(KNOWN_RULE);
  const other = segmetry.loadDatasetSync(bytes);
  const ops = surface(ds, segment, other);
  let calls = 0;
  const started = Date.now();
  fc.assert(
    fc.property(fc.constantFrom(...Object.keys(ops)), arg, arg, arg, (name, a, b, c) => {
      const generation = runtime.generation;
      const err = contained(name, () => ops[name](open(a), open(b), open(c)), [ds, segment, other]);
      // A `&mut` borrow of the dataset after every call: a borrow left behind by this call (an exception that
      // unwound through a method holding `&self`) fails here, naming this call, not one many calls later.
      let probe = null;
      if (runtime.generation === generation) {
        try {
          assert.equal(segment.size, expected, `${name}: the segment's size`);
        } catch (e) {
          probe = e;
        }
      }
      // A trap is recovered from (a fresh instance), but it is a defect: name the call and the trap's message.
      if (runtime.generation !== generation)
        assert.fail(
          `${name} ${probe ? 'left the dataset borrowed' : 'trapped the engine'} after ${calls} calls: ` +
            `${(probe ?? err)?.message}\nthe calls before:\n${recent.join('\n')}`,
        );
      if (probe) throw probe;
      recent.push(`${name}(${[a, b, c].map(show).join(', ')})`);
      if (recent.length > 40) recent.shift();
      calls += 1;
      if (calls % 25 === 0) {
        stillCorrect(ds);
        // A trap in stillCorrect's own calls (the free() of a fresh dataset is silent) means an earlier call left
        // the heap damaged: list the calls before it.
        if (runtime.generation !== generation)
          assert.fail(`the engine trapped in stillCorrect after ${calls} calls; the last calls:\n${recent.join('\n')}`);
      }
      assert.equal(ds.numRows, 1_500, 'no hostile append changed the dataset');
    }),
    {
      seed: SEED,
      numRuns: RUNS,
      // Replays one failing run of a campaign directly (FUZZ_API_PATH="1566439:0"), as fast-check prints it.
      path: process.env.FUZZ_API_PATH || undefined,
      interruptAfterTimeLimit: SECONDS > 0 ? SECONDS * 1000 : undefined,
      // A campaign's failures depend on the calls before them, so shrinking replays them into a dead engine and
      // reports an unrelated call: stop at the first failure and report its own error.
      endOnFailure: SECONDS > 0,
      markInterruptAsFailure: false,
      includeErrorInReport: true,
    },
  );
  stillCorrect(ds);
  ds.free();
  other.free();
  assert.throws(
    () => ds.numRows,
    (err) => err.code === 'FREED',
  );
  console.log(`[fuzz:api] sync surface: ${calls} calls in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test('the worker client: a result or a documented SegmetryError, and still correct afterwards', async () => {
  const client = await segmetry.createClient();
  try {
    const remote = await client.load(bytes.slice());
    const ops = {
      load: (a, b) => client.load(a, b),
      toArrow: (a, b) => client.toArrow(a, b),
      info: (a) => remote.info(a),
      segment: (a, b, c) => remote.segment(a, b, c),
      segmentMembers: (a, b) => remote.segmentMembers(a, b),
      segmentOverlap: (a, b) => remote.segmentOverlap(a, b),
      rfm: (a) => remote.rfm(a),
      lifecycle: (a) => remote.lifecycle(a),
      clusters: (a) => remote.clusters(a),
      analyze: (a) => remote.analyze(a),
      append: (a, b) => remote.append(a, b),
    };
    for (const name of Object.keys(stats)) ops[`stats.${name}`] = (a, b, c) => client.stats[name](a, b, c);
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(ops)), arg, arg, arg, async (name, a, b, c) => {
        try {
          await ops[name](open(a), open(b), open(c));
        } catch (err) {
          if (!(err instanceof SegmetryError)) assert.fail(`${name} threw ${err?.constructor?.name}: ${err?.message}`);
          assert.ok(CODES.has(err.code), `${name}: undocumented code ${err.code}`);
        }
        calls += 1;
      }),
      {
        seed: SEED,
        numRuns: Math.min(RUNS, SECONDS > 0 ? RUNS : 150),
        interruptAfterTimeLimit: SECONDS > 0 ? SECONDS * 250 : undefined,
        markInterruptAsFailure: false,
        includeErrorInReport: true,
      },
    );
    assert.equal(client.generation, 0, 'no call restarted the worker');
    assert.equal((await remote.segment(KNOWN_RULE)).size, expected);
    assert.equal((await remote.info()).numRows, 1_500);
    console.log(`[fuzz:api] worker client: ${calls} calls`);
  } finally {
    client.terminate();
  }
});
