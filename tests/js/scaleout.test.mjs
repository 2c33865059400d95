// Scaling out through the built package: sqlForAnalysis / ds.sqlForAnalysis, and analyzeSummary over the
// aggregates real engines computed — DuckDB, Apache Spark and PostgreSQL (scripts/gen_scaleout_fixtures.py) — compared with
// ds.analyze on the same rows: counts and strings exact, floats to 1e-12 relative.
// Engine outputs: SCALEOUT_DIR (fresh, from scripts/spark-identity.sh, which also sets SCALEOUT_REQUIRE=duckdb,spark)
// or the committed tests/fixtures/scaleout/. Run: node --test tests/js/scaleout.test.mjs (after npm run build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';

const pkg = process.env.SEGMETRY_DIST
  ? await import(`${process.env.SEGMETRY_DIST}/index.js`)
  : await import('segmetry');
const { loadDataset, sqlForAnalysis, analyzeSummary, SegmetryError } = pkg;
await pkg.init(); // analyzeSummary is synchronous

const fixtures = new URL('../fixtures/scaleout/', import.meta.url);
const engineDir = process.env.SCALEOUT_DIR ? `${process.env.SCALEOUT_DIR.replace(/\/$/, '')}/` : fixtures.pathname;
const required = (process.env.SCALEOUT_REQUIRE ?? '').split(',').filter(Boolean);
const configs = JSON.parse(readFileSync(new URL('configs.json', fixtures), 'utf8'));
const data = readFileSync(new URL('../fixtures/analysis/experiment.arrow', import.meta.url));
const ds = await loadDataset(data);
const schema = ds.columns.map((c) => ({ name: c.name, type: c.type }));

const COUNTS = new Set([
  'n',
  'conversions',
  'conversionNulls',
  'revenueNulls',
  'covariateNulls',
  'size',
  'unassigned',
  'rows',
  'overlappingRows',
  'df',
]);

/** Compare reports; returns the largest relative float difference. */
function compare(got, want, path = '', key = '', tol = 1e-12) {
  let worst = 0;
  if (typeof want === 'number' && typeof got === 'number') {
    if (Number.isNaN(want)) {
      assert.ok(Number.isNaN(got), `${path}: got ${got}, want NaN`);
    } else if (COUNTS.has(key)) {
      assert.equal(got, want, `${path}: count`);
    } else if (got !== want) {
      const rel = Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
      assert.ok(rel <= tol, `${path}: got ${got}, want ${want} (rel ${rel})`);
      worst = rel;
    }
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path}: not an array`);
    assert.equal(got.length, want.length, `${path}: length`);
    want.forEach((w, i) => {
      worst = Math.max(worst, compare(got[i], w, `${path}[${i}]`, key, tol));
    });
  } else if (want !== null && typeof want === 'object') {
    assert.deepEqual(Object.keys(got), Object.keys(want), `${path}: keys`);
    for (const k of Object.keys(want)) worst = Math.max(worst, compare(got[k], want[k], `${path}.${k}`, k, tol));
  } else {
    assert.equal(got, want, path);
  }
  return worst;
}

for (const engine of ['duckdb', 'spark', 'postgres']) {
  const files = Object.keys(configs).map((name) => [name, `${engineDir}${engine}_${name}.arrow`]);
  const present = files.filter(([, f]) => existsSync(f));
  const skip = present.length === 0 && !required.includes(engine) ? `no ${engine} aggregates in ${engineDir}` : false;
  test(`${engine}: analyzeSummary over the engine's aggregates = ds.analyze`, { skip }, () => {
    assert.equal(present.length, files.length, `missing ${engine} outputs in ${engineDir}`);
    let worst = 0;
    for (const [name, file] of present) {
      const options = configs[name];
      const want = ds.analyze(options);
      const bytes = readFileSync(file);
      const got = analyzeSummary(bytes, { ...options, schema });
      worst = Math.max(worst, compare(got, want, `${engine}/${name}`));
      // Same through a sample dataset instead of a schema.
      compare(analyzeSummary(bytes, { ...options, dataset: ds }), want, `${engine}/${name} (dataset)`);
      // Same as plain JS rows (int64 → BigInt, as apache-arrow reads them).
      const rows = arrow
        .tableFromIPC(bytes)
        .toArray()
        .map((r) => r.toJSON());
      assert.equal(typeof rows[0].n, 'bigint');
      compare(analyzeSummary(rows, { ...options, schema }), want, `${engine}/${name} (rows)`);
      // Numbers instead of BigInts.
      const plain = rows.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      );
      compare(analyzeSummary(plain, { ...options, schema }), want, `${engine}/${name} (number rows)`);
    }
    console.log(
      `scaleout identity ${engine}: ${present.length} configs, max relative float difference ${worst.toExponential(2)}`,
    );
  });
}

test('sqlForAnalysis: with a schema, through a dataset, per dialect', () => {
  const o = configs.base;
  const duck = sqlForAnalysis({ ...o, schema }, { dialect: 'duckdb', table: 'analytics.customers' });
  assert.match(duck, /FROM "analytics"\."customers"/);
  assert.match(duck, /COALESCE\(\("country" IN \('FI', 'SE'\) AND "orders_count" >= 3\), FALSE\) AS s1/);
  assert.equal(ds.sqlForAnalysis(o, { dialect: 'duckdb', table: 'analytics.customers' }), duck);
  assert.equal(sqlForAnalysis(o, { dialect: 'duckdb', table: 'analytics.customers', dataset: ds }), duck);
  // schema and table may sit in the options too
  assert.equal(sqlForAnalysis({ ...o, schema, table: 'analytics.customers' }), duck);
  const spark = sqlForAnalysis({ ...o, schema }, { dialect: 'spark', table: 'customers' });
  assert.match(spark, /FROM `customers`/);
  assert.ok(!spark.includes('"'));
  const pg = sqlForAnalysis({ ...o, schema }, { dialect: 'postgres', table: 'customers' });
  assert.match(pg, /DOUBLE PRECISION/);
  // minCellSize kept in the warehouse only on request
  const ints = { ...configs.ints, schema };
  assert.ok(!sqlForAnalysis(ints, { table: 't' }).includes('HAVING'));
  assert.match(
    sqlForAnalysis(ints, { table: 't', suppressSmallCells: true }),
    /HAVING COUNT\(\*\) >= 400 OR v IS NULL OR g\.k = 0$/,
  );
  assert.match(ds.sqlForAnalysis(configs.ints, { table: 't', suppressSmallCells: true }), /HAVING/);
});

test('sqlForAnalysis: clear errors', () => {
  const o = configs.base;
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof SegmetryError);
      return [e.code, e.message];
    }
    return null;
  };
  let [c, m] = code(() => sqlForAnalysis(o, { dialect: 'duckdb', table: 't' }));
  assert.equal(c, 'INVALID_ARGUMENT');
  assert.match(m, /schema/);
  [c, m] = code(() => sqlForAnalysis({ ...o, schema, segments: { r: { builtin: 'rfm' } } }, { table: 't' }));
  assert.equal(c, 'INVALID_ARGUMENT');
  assert.match(m, /RFM/);
  [c] = code(() => sqlForAnalysis({ ...o, schema, segments: { x: 'contry = 1' } }, { table: 't' }));
  assert.equal(c, 'UNKNOWN_COLUMN');
  [c, m] = code(() => sqlForAnalysis({ ...o, schema }, { dialect: 'oracle', table: 't' }));
  assert.equal(c, 'INVALID_ARGUMENT');
  assert.match(m, /dialect/);
  [, m] = code(() => sqlForAnalysis({ ...o, schema }, { dialect: 'duckdb' }));
  assert.match(m, /table/);
  [c, m] = code(() => analyzeSummary([{ segment: 'nope', variant: 'A', n: 3 }], { ...o, schema }));
  assert.equal(c, 'INVALID_ARGUMENT');
  assert.match(m, /nope/);
  [c] = code(() => analyzeSummary('text', o));
  assert.equal(c, 'INVALID_ARGUMENT');
});

test('minCellSize suppresses small cells in the summary path and its exports', async () => {
  const file = `${engineDir}duckdb_ints.arrow`;
  if (!existsSync(file)) return;
  const options = configs.ints;
  const got = analyzeSummary(readFileSync(file), { ...options, schema });
  const suppressed = got.segments.flatMap((s) => s.variants.filter((v) => v.suppressed).map((v) => [s.name, v]));
  assert.ok(suppressed.length > 0, 'the ints config has cells below minCellSize 400');
  for (const [, v] of suppressed) {
    assert.equal(v.n, null);
    assert.equal(v.revenueSum, null);
  }
  assert.ok(got.warnings.some((w) => w.code === 'SUPPRESSED_CELL'));
  // Exports (segmetry/report) carry the suppression: no n, no sums for those cells.
  const { reportRows } = await import('../../js/report/export.js');
  const rows = reportRows(got);
  for (const [segment, v] of suppressed) {
    const row = rows.find((r) => r[0] === segment && r[3] === v.variant);
    assert.equal(row[5], null);
    assert.equal(row[16], null);
  }
});

test('mergeable: rows of disjoint chunks concatenated = the whole', async () => {
  // Two chunks of the fixture (its record batches), aggregated separately by the same rows path.
  const table = arrow.tableFromIPC(data);
  const half = Math.floor(table.numRows / 2);
  const a = await loadDataset(arrow.tableToIPC(table.slice(0, half)));
  const b = await loadDataset(arrow.tableToIPC(table.slice(half)));
  const options = { ...configs.cents };
  const want = ds.analyze(options);
  // Build each chunk's aggregate rows with the report numbers ds.analyze gives for it (n, sums of a cell).
  const rowsOf = (d) => {
    const r = d.analyze({ ...options, includeAll: true, control: null, sequential: null });
    return r.segments.flatMap((s) =>
      s.variants
        .map((v) => ({
          segment: s.kind === 'all' ? null : s.name,
          variant: v.variant,
          n: v.n,
          conversions: v.conversions,
          conversion_nulls: v.conversionNulls,
          revenue_sum: v.revenueSum,
          revenue_nulls: v.revenueNulls,
          // sums of squares are not in the report: rebuild them from the variance
          revenue_sum_squares:
            v.revenueVariance * (v.n - v.revenueNulls - 1) + v.revenueSum ** 2 / (v.n - v.revenueNulls),
        }))
        .concat(s.unassigned ? [{ segment: s.kind === 'all' ? null : s.name, variant: null, n: s.unassigned }] : []),
    );
  };
  const merged = analyzeSummary([rowsOf(a), rowsOf(b)], { ...options, covariate: null, schema });
  const whole = ds.analyze({ ...options, covariate: null });
  for (const [i, s] of whole.segments.entries()) {
    assert.equal(merged.segments[i].size, s.size, s.name);
    for (const [j, v] of s.variants.entries()) {
      assert.equal(merged.segments[i].variants[j].n, v.n);
      assert.equal(merged.segments[i].variants[j].conversions, v.conversions);
      assert.ok(Math.abs(merged.segments[i].variants[j].revenueSum - v.revenueSum) <= 1e-9 * Math.abs(v.revenueSum));
    }
  }
  assert.equal(merged.rows, want.rows);
  a.free();
  b.free();
});

test('link rules: ds.sqlForAnalysis writes the queries the engines ran, analyzeSummary reads them back', async () => {
  // The first link config of tests/scaleout_sql.rs (`email_0`): the random link rules linked by e-mail, but those
  // on the nanosecond column, 25 segments; its queries and engine aggregates are committed under links/.
  const segs = new URL('../fixtures/segments/', import.meta.url);
  const links = new URL('links/', fixtures);
  const customers = await loadDataset(readFileSync(new URL('customers.arrow', segs)));
  const orders = await loadDataset(readFileSync(new URL('link_orders.arrow', segs)));
  customers.link('orders', orders, { on: ['email', 'Email'], normalizeKey: 'email' });
  const rules = JSON.parse(readFileSync(new URL('link_rules.json', segs), 'utf8'))
    .filter((r) => r.mode === 'email' && !r.rule.includes('event_ns'))
    .slice(0, 25);
  const options = {
    segments: Object.fromEntries(rules.map((r, i) => [`r${String(i).padStart(2, '0')}`, r.rule])),
    variant: 'country',
    control: 'DE',
    conversion: 'is_subscribed',
    revenue: 'total_spent',
    referenceDate: '2026-11-01',
  };
  // The SQL of every dialect is checked natively (tests/scaleout_sql.rs); here the package's DuckDB query.
  for (const dialect of ['duckdb']) {
    const want = readFileSync(new URL(`email_0.${dialect}.sql`, links), 'utf8').trimEnd();
    assert.equal(customers.sqlForAnalysis(options, { dialect, table: 'customers' }), want, dialect);
    assert.equal(sqlForAnalysis(options, { dialect, table: 'customers', dataset: customers }), want, dialect);
  }
  for (const engine of ['duckdb', 'postgres', 'spark']) {
    const bytes = readFileSync(new URL(`${engine}_email_0.arrow`, links));
    // 1e-11 as natively: revenue lifts near 0 amplify the sums' ~1e-15 rounding differences; counts are exact.
    const got = analyzeSummary(bytes, { ...options, dataset: customers });
    compare(got, customers.analyze(options), `links/${engine}`, '', 1e-11);
  }
  // `tables` names the linked tables; a misspelt link or tables without a dataset are refused.
  const sql = customers.sqlForAnalysis(options, {
    dialect: 'postgres',
    table: 'crm.subscribers',
    tables: { orders: 'shop.orders' },
  });
  // One pre-aggregated table per link, joined on the normalized keys.
  assert.match(sql, /FROM "shop"\."orders" o\n {2}GROUP BY NULLIF\(lower\(trim\(o\."Email"\)\), ''\)/);
  assert.match(
    sql,
    /LEFT JOIN "segmetry_link_1" AS "l1" ON "l1"\."segmetry_key" = NULLIF\(lower\(trim\("c"\."email"\)\), ''\)/,
  );
  assert.match(sql, /FROM "crm"\."subscribers" AS "c"/);
  const err = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof SegmetryError);
      return e;
    }
    assert.fail('no error');
  };
  let e = err(() => customers.sqlForAnalysis(options, { table: 'c', tables: { order: 'shop.orders' } }));
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.match(e.message, /`orders`/);
  e = err(() => sqlForAnalysis(options, { table: 'c', tables: { orders: 'x' }, schema }));
  assert.equal(e.code, 'INVALID_ARGUMENT');
  // Without the links the rule names an unknown table: the schema-only form says so.
  e = err(() => sqlForAnalysis(options, { table: 'c', schema: customers.columns }));
  assert.equal(e.code, 'UNKNOWN_COLUMN');
  customers.free();
  orders.free();
});
