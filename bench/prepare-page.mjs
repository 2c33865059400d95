// The prepare benchmark page: an orders table (one row per order, a text customer key) and a customers table are
// generated in the page (fixed seed) as Arrow IPC, and each engine runs the two steps a marketer's export needs:
//   aggregate  orders → one row per customer: count(*) and sum(total), grouped by the text key
//   join       customers LEFT JOIN that aggregate on the key
// Each engine materializes its result (a segmetry Dataset, a DuckDB table, an Arquero table), and the result is
// checked against counts computed here from the generator's arrays before its time counts.
const Arrow = window.Arrow;
const now = () => performance.now();

/** xorshift32: the same tables for every engine and every run of the same seed. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/** A utf8 column `customer{id}@example.fi` for the ids given, built straight into Arrow buffers. */
function emailColumn(ids) {
  const enc = new TextEncoder();
  const parts = ids.length;
  const offsets = new Int32Array(parts + 1);
  let bytes = 0;
  for (let i = 0; i < parts; i++) {
    bytes += 21 + String(ids[i]).length;
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < parts; i++) enc.encodeInto(`customer${ids[i]}@example.fi`, data.subarray(offsets[i]));
  return Arrow.makeVector(Arrow.makeData({ type: new Arrow.Utf8(), length: parts, valueOffsets: offsets, data }));
}

/** Orders skewed towards low ids (some customers order often, the highest ids never), totals in cents. */
export function generate(orders, customers, seed) {
  const rand = rng(seed);
  const who = new Int32Array(orders);
  const total = new Float64Array(orders);
  const count = new Int32Array(customers);
  const spent = new Float64Array(customers);
  for (let i = 0; i < orders; i++) {
    const c = Math.min(customers - 1, Math.floor(customers * 1.1 * rand() ** 1.5));
    who[i] = c;
    total[i] = Math.round(rand() * 20000) / 100;
    count[c]++;
    spent[c] += total[i];
  }
  const ordersTable = new Arrow.Table({ email: emailColumn(who), total: Arrow.makeVector(total) });
  const ids = Int32Array.from({ length: customers }, (_, i) => i);
  const country = Arrow.vectorFromArray(
    Array.from({ length: customers }, (_, i) => (i % 3 === 0 ? 'SE' : 'FI')),
    new Arrow.Utf8(),
  );
  const customersTable = new Arrow.Table({ email: emailColumn(ids), country });
  let withOrders = 0,
    often = 0,
    big = 0;
  for (let c = 0; c < customers; c++) {
    if (count[c] > 0) withOrders++;
    if (count[c] >= 10) often++;
    if (spent[c] > 500.005) big++;
  }
  return {
    orders: Arrow.tableToIPC(ordersTable, 'stream'),
    customers: Arrow.tableToIPC(customersTable, 'stream'),
    truth: { groups: withOrders, often, big, unmatched: customers - withOrders, customers },
  };
}

function check(engine, step, got, want) {
  const bad = Object.keys(got).filter((k) => Number(got[k]) !== want[k]);
  if (bad.length) {
    const detail = bad.map((k) => `${k} ${got[k]} ≠ ${want[k]}`).join(', ');
    throw new Error(`${engine} ${step}: ${detail}`);
  }
}

async function segmetryEngine(base) {
  const pkg = await import(`${base}/index.js`);
  await pkg.init();
  let orders, agg, customers, joined;
  return {
    name: 'segmetry',
    async aggregate(bytes) {
      orders = pkg.loadDatasetSync(bytes);
      // `await`: a lazily loaded prepare module may make these calls asynchronous.
      agg = await orders.aggregate({
        by: 'email',
        normalizeKey: 'none',
        values: { orders: 'count()', spent: 'sum(total)' },
      });
      return () => ({
        groups: agg.numRows,
        often: agg.segment('orders >= 10').size,
        big: agg.segment('spent > 500.005').size,
      });
    },
    async join(bytes) {
      customers = pkg.loadDatasetSync(bytes);
      const t0 = now();
      joined = await customers.join(agg, { on: 'email', how: 'left', normalizeKey: 'none' });
      const ms = now() - t0;
      return { ms, check: () => ({ customers: joined.numRows, unmatched: joined.joinReport.unmatchedLeft }) };
    },
    async release() {
      for (const ds of [orders, agg, customers, joined]) ds?.free();
    },
  };
}

async function duckdbEngine() {
  const duckdb = await import('/vendor/duckdb/duckdb-browser.mjs');
  const worker = new Worker('/vendor/duckdb/duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate('/vendor/duckdb/duckdb-eh.wasm');
  const conn = await db.connect();
  const one = async (sql) => Object.values((await conn.query(sql)).toArray()[0].toJSON())[0];
  return {
    name: 'duckdb',
    // insertArrowFromIPCStream transfers the buffer to DuckDB's worker (it is detached here afterwards).
    takesBytes: true,
    async aggregate(bytes) {
      await conn.insertArrowFromIPCStream(bytes, { name: 'orders', create: true });
      await conn.query(
        'CREATE TABLE agg AS SELECT email, count(*) AS orders, sum(total) AS spent FROM orders GROUP BY email',
      );
      return async () => ({
        groups: await one('SELECT count(*) FROM agg'),
        often: await one('SELECT count(*) FROM agg WHERE orders >= 10'),
        big: await one('SELECT count(*) FROM agg WHERE spent > 500.005'),
      });
    },
    async join(bytes) {
      await conn.insertArrowFromIPCStream(bytes, { name: 'customers', create: true });
      const t0 = now();
      await conn.query('CREATE TABLE joined AS SELECT * FROM customers LEFT JOIN agg USING (email)');
      const ms = now() - t0;
      return {
        ms,
        check: async () => ({
          customers: await one('SELECT count(*) FROM joined'),
          unmatched: await one('SELECT count(*) FROM joined WHERE orders IS NULL'),
        }),
      };
    },
    async release() {
      for (const t of ['orders', 'agg', 'customers', 'joined']) await conn.query(`DROP TABLE IF EXISTS ${t}`);
    },
    async close() {
      await conn.close();
      await db.terminate();
    },
  };
}

function arqueroEngine() {
  const aq = window.aq;
  let agg, joined;
  return {
    name: 'arquero',
    async aggregate(bytes) {
      const orders = aq.fromArrow(bytes);
      agg = orders.groupby('email').rollup({ orders: aq.op.count(), spent: aq.op.sum('total') });
      return () => ({
        groups: agg.numRows(),
        often: agg.filter((d) => d.orders >= 10).numRows(),
        big: agg.filter((d) => d.spent > 500.005).numRows(),
      });
    },
    async join(bytes) {
      const customers = aq.fromArrow(bytes);
      const t0 = now();
      joined = customers.join_left(agg, 'email');
      const ms = now() - t0;
      return {
        ms,
        check: () => ({ customers: joined.numRows(), unmatched: joined.filter((d) => d.orders == null).numRows() }),
      };
    },
    async release() {
      agg = joined = null;
    },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Run every engine `reps` times on the same tables; medians of aggregate (ingest included) and join times. */
async function run(cfg) {
  const t0 = now();
  const data = generate(cfg.orders, cfg.customers, cfg.seed);
  const generatedMs = now() - t0;
  const results = {};
  for (const name of cfg.engines) {
    const engine =
      name === 'segmetry'
        ? await segmetryEngine(cfg.segmetryBase)
        : name === 'duckdb'
          ? await duckdbEngine()
          : arqueroEngine();
    const times = { aggregate: [], join: [] };
    // An engine that takes its input buffer over gets a copy of the table, made before its clock starts: the
    // copy is this page's, not the engine's work, and in Chromium a 194 MB `slice()` takes 280-570 ms (the
    // collector runs on the allocation), which counted for segmetry and DuckDB alike until session 27.
    const input = (bytes) => (engine.takesBytes ? bytes.slice() : bytes);
    for (let r = 0; r < cfg.reps; r++) {
      const orders = input(data.orders);
      const a0 = now();
      const aggCheck = await engine.aggregate(orders);
      times.aggregate.push(now() - a0);
      check(name, 'aggregate', await aggCheck(), data.truth);
      const joined = await engine.join(input(data.customers));
      times.join.push(joined.ms);
      check(name, 'join', await joined.check(), data.truth);
      await engine.release();
    }
    await engine.close?.();
    results[name] = { aggregateMs: median(times.aggregate), joinMs: median(times.join), runs: times };
  }
  return { generatedMs, ordersBytes: data.orders.length, customersBytes: data.customers.length, results };
}

window.benchPrepare = { run };
