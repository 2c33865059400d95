// DuckDB-WASM 1.32, eh bundle, in its own worker (AsyncDuckDB), offline: local worker script and wasm URL.
// Ingest: insertArrowFromIPCStream into a table (DuckDB materializes it; the call transfers the buffer).
// Query: two SQL shapes, both one scan; the faster one counts as DuckDB's time:
//   'filter'  one GROUP BY variant with FILTER'ed aggregates per segment (16 aggregates)
//   'flags'   one GROUP BY ALL over the three segment flags and variant (≤ 24 groups), folded in JS
import * as duckdb from '/vendor/duckdb/duckdb-browser.mjs';
import { SEGMENTS, VARIANT_KEYS, FIELDS, CELLS, at, reportFromAggregates } from '../job.mjs';

const PRED = [
  "country IN ('FI', 'SE') AND orders_count >= 3",
  'total_spent BETWEEN 100 AND 500',
  'last_order_days > 90',
  null,
];

const FILTER_SQL = (() => {
  const parts = [];
  PRED.forEach((p, s) => {
    const w = (extra) => (p && extra ? ` FILTER (WHERE (${p}) AND ${extra})` : p ? ` FILTER (WHERE ${p})` : extra ? ` FILTER (WHERE ${extra})` : '');
    parts.push(`count(*)${w()} AS n${s}`, `count(*)${w('converted')} AS c${s}`,
      `sum(revenue)${w()} AS r${s}`, `sum(revenue * revenue)${w()} AS q${s}`);
  });
  return `SELECT variant, ${parts.join(', ')} FROM t GROUP BY variant`;
})();

const FLAGS_SQL = `SELECT ${PRED.slice(0, 3).map((p, s) => `(${p}) IS TRUE AS s${s}`).join(', ')}, variant,
  count(*) AS n, count(*) FILTER (WHERE converted) AS c, sum(revenue) AS r, sum(revenue * revenue) AS q
  FROM t GROUP BY ALL`;

const num = (x) => (x === null || x === undefined ? 0 : Number(x));

export async function create() {
  const worker = new Worker('/vendor/duckdb/duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  const t0 = performance.now();
  await db.instantiate('/vendor/duckdb/duckdb-eh.wasm');
  const instantiateMs = performance.now() - t0;
  const conn = await db.connect();
  return {
    name: 'duckdb',
    instantiateMs,
    shapes: ['filter', 'flags'],
    async ingest(bytes) {
      await conn.insertArrowFromIPCStream(bytes, { name: 't', create: true });
    },
    async query(shape) {
      const agg = new Float64Array(CELLS * FIELDS);
      if (shape === 'filter') {
        const rows = (await conn.query(FILTER_SQL)).toArray().map((r) => r.toJSON());
        for (const row of rows) {
          const v = VARIANT_KEYS.indexOf(row.variant);
          if (v < 0) continue;
          for (let s = 0; s < SEGMENTS.length; s++) {
            agg[at(s, v, 0)] = num(row[`n${s}`]); agg[at(s, v, 1)] = num(row[`c${s}`]);
            agg[at(s, v, 2)] = num(row[`r${s}`]); agg[at(s, v, 3)] = num(row[`q${s}`]);
          }
        }
      } else {
        const rows = (await conn.query(FLAGS_SQL)).toArray().map((r) => r.toJSON());
        for (const row of rows) {
          const v = VARIANT_KEYS.indexOf(row.variant);
          if (v < 0) continue;
          const flags = [row.s0, row.s1, row.s2, true];
          for (let s = 0; s < SEGMENTS.length; s++) {
            if (!flags[s]) continue;
            agg[at(s, v, 0)] += num(row.n); agg[at(s, v, 1)] += num(row.c);
            agg[at(s, v, 2)] += num(row.r); agg[at(s, v, 3)] += num(row.q);
          }
        }
      }
      return { aggregates: agg, report: reportFromAggregates(agg) };
    },
    async release() {
      await conn.query('DROP TABLE IF EXISTS t');
    },
    /** CSV bytes → a DuckDB table with read_csv's own type detection (the CSV rows); resolves to the row count. */
    async readCsv(bytes) {
      await db.registerFileBuffer('bench.csv', bytes);
      await conn.query("CREATE TABLE csv AS SELECT * FROM read_csv('bench.csv')");
      const rows = num((await conn.query('SELECT count(*) AS n FROM csv')).toArray()[0]?.toJSON().n);
      await conn.query('DROP TABLE csv');
      await db.dropFile('bench.csv');
      return rows;
    },
    async memoryBytes() {
      try {
        const rows = (await conn.query('SELECT sum(memory_usage_bytes) AS m FROM duckdb_memory()')).toArray();
        return num(rows[0]?.toJSON().m);
      } catch {
        return null;
      }
    },
    async close() {
      await conn.close();
      await db.terminate();
    },
  };
}
