// Scaling out (docs/scaling-out.md): segment rules run where the data lives, as one SQL aggregation query, and
// only the per segment × variant aggregates come back to be analyzed here — the same statistics engine, the same
// report shape as ds.analyze().
import { call, wasm } from './runtime.js';
import { SegmetryError } from './errors.js';
import { asOptions, describe, plain } from './input.js';
import { Dataset } from './dataset.js';

/** Split the scale-out keys (schema, table, dialect, dataset) off the analysis options. */
function split(options, extra) {
  const opts = { ...asOptions(options, 'options') };
  const more = asOptions(extra, 'sqlOptions');
  const out = {
    schema: undefined,
    table: undefined,
    dialect: undefined,
    dataset: undefined,
    suppressSmallCells: undefined,
    tables: undefined,
  };
  for (const key of Object.keys(out)) {
    if (key in opts) {
      out[key] = opts[key];
      delete opts[key];
    }
    if (more[key] !== undefined) out[key] = more[key];
  }
  for (const key of ['table', 'dialect']) {
    if (out[key] !== undefined && typeof out[key] !== 'string') {
      throw new SegmetryError('INVALID_ARGUMENT', `${key} must be a string, got ${describe(out[key])}`, {
        subject: key,
      });
    }
  }
  if (out.schema !== undefined && out.schema !== null && !Array.isArray(out.schema)) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `schema must be an array of { name, type } (the shape of ds.columns), got ${describe(out.schema)}`,
      { subject: 'schema' },
    );
  }
  if (
    out.tables !== undefined &&
    (out.tables === null || typeof out.tables !== 'object' || Array.isArray(out.tables))
  ) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `tables must map link names to table names, e.g. { orders: 'analytics.orders' }, got ${describe(out.tables)}`,
      { subject: 'tables' },
    );
  }
  if (out.schema != null) out.schema = out.schema.map((c) => ({ name: c?.name, type: c?.type }));
  if (out.dataset !== undefined && !(out.dataset instanceof Dataset)) {
    throw new SegmetryError('INVALID_ARGUMENT', `dataset must be a Dataset, got ${describe(out.dataset)}`, {
      subject: 'dataset',
    });
  }
  return { analysis: opts, ...out };
}

/**
 * One SQL aggregation query computing, for every segment × variant, the sufficient statistics of the analysis.
 * `options` are ds.analyze's options plus `table` and `schema` ([{ name, type }]); `sqlOptions` is
 * `{ dialect: 'duckdb' | 'spark' | 'postgres', table?, schema?, dataset?, suppressSmallCells?, tables? }` (a loaded
 * sample dataset supplies the schema and its links; `tables` maps link names to the SQL tables their rows are in;
 * `suppressSmallCells` with `minCellSize` keeps cells below it in the warehouse).
 */
export function sqlForAnalysis(options, sqlOptions) {
  const o = split(options, sqlOptions);
  if (o.tables !== undefined && !o.dataset) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      'tables names the SQL tables of linked datasets: pass dataset too (a sample with its links, ds.link(…))',
      { subject: 'tables' },
    );
  }
  if (o.dataset) {
    return o.dataset.sqlForAnalysis(o.analysis, {
      dialect: o.dialect,
      table: o.table,
      suppressSmallCells: o.suppressSmallCells,
      tables: o.tables,
    });
  }
  return call(wasm.scaleoutSql, o.analysis, o.schema ?? null, o.dialect, o.table, o.suppressSmallCells === true);
}

const isBytes = (x) => x instanceof Uint8Array || x instanceof ArrayBuffer || ArrayBuffer.isView(x);
const toView = (x) =>
  x instanceof Uint8Array
    ? x
    : x instanceof ArrayBuffer
      ? new Uint8Array(x)
      : new Uint8Array(x.buffer, x.byteOffset, x.byteLength);

/**
 * The report (same shape as ds.analyze) from the aggregate table the sqlForAnalysis query returns: Arrow IPC bytes,
 * an array of plain row objects (numbers or BigInts), or an array mixing several of those (e.g. a nightly table
 * and today's: rows of the same segment × variant add up — the statistics are mergeable).
 * `options` are the options the query was written with (including `schema`).
 */
export function analyzeSummary(input, options) {
  const summary = plain(input, 'summary'); // getters and Proxies are read here, once (docs/hardening.md)
  const o = split(options, undefined);
  const parts = isBytes(summary) ? [summary] : summary;
  if (!Array.isArray(parts)) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `summary must be Arrow IPC bytes or an array of row objects, got ${describe(summary)}`,
      { subject: 'summary' },
    );
  }
  const ipc = [];
  const rows = [];
  for (const p of parts) {
    if (isBytes(p)) ipc.push(toView(p));
    else if (Array.isArray(p))
      for (const row of p) rows.push(row); // not push(...p): no argument-count limit
    else rows.push(p);
  }
  // With a sample dataset its schema and links (link rules) resolve the segments, as in ds.sqlForAnalysis.
  if (o.dataset) {
    const handle = o.dataset._handle;
    return call(() => handle.analyzeSummary(ipc, rows, o.analysis));
  }
  return call(wasm.scaleoutAnalyze, ipc, rows, o.analysis, o.schema ?? null);
}

/**
 * ds.sqlForAnalysis(options, { dialect, table, tables }): the query, rules type-checked against this dataset's
 * schema and links.
 */
export function sqlForDataset(dataset, options, sqlOptions) {
  const o = split(options, sqlOptions);
  const handle = dataset._handle;
  return call(() => handle.sqlForAnalysis(o.analysis, o.dialect, o.table, o.suppressSmallCells === true, o.tables));
}
