// The public Dataset: a JS handle around the wasm Dataset that validates arguments, converts errors into
// SegmetryError and refuses use after free() with a clear FREED error.
import { call, copyIn, wasm } from './runtime.js';
import { SegmetryError } from './errors.js';
import { asBytes, asOptions, describe } from './input.js';
import { sqlForDataset } from './scaleout.js';

/** Load Arrow IPC bytes (stream or file format, auto-detected) into a Dataset. */
export async function loadDataset(bytes) {
  return loadDatasetSync(bytes);
}

/** Synchronous variant of loadDataset, for workers and scripts. */
export function loadDatasetSync(bytes) {
  const view = asBytes(bytes, 'bytes');
  return new Dataset(call(wasm.loadDatasetFromInput, copyIn(view)));
}

const rule = (text, what = 'rule') => {
  if (typeof text !== 'string') {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `${what} must be a string such as "orders_count >= 3", got ${describe(text)}`,
      { subject: what },
    );
  }
  return text;
};

// aggregate's `values` object as [name, expression] pairs, so the core sees the caller's column order.
const valuePairs = (values) => {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `values must be an object such as { orders_count: 'count_distinct(Name)' }, got ${describe(values)}`,
      { subject: 'values' },
    );
  }
  return Object.entries(values).map(([name, expression]) => [name, rule(expression, `values.${name}`)]);
};

// A Dataset made by a prepare step, remembering how (ds.recipe: plain JSON, never the data).
const derived = (inner, recipe) => {
  const ds = new Dataset(inner);
  ds.recipe = recipe;
  return ds;
};

export class Dataset {
  #inner;

  /** How a prepared dataset was made (aggregate / join / customerFeatures with their options); null if loaded. */
  recipe = null;

  /** @internal Use loadDataset(). */
  constructor(inner) {
    this.#inner = inner;
  }

  #handle() {
    if (this.#inner === null) {
      throw new SegmetryError('FREED', 'this dataset was freed with free(); load the data again to keep working');
    }
    return this.#inner;
  }

  /** Rows across all record batches. */
  get numRows() {
    return this.#handle().numRows;
  }

  /** [{ name, type, nullable, nullCount }] */
  get columns() {
    return call(() => this.#handle().columns);
  }

  /** Bytes held by the dataset's Arrow buffers in wasm memory. */
  get memorySize() {
    return this.#handle().memorySize;
  }

  /** Append record batches with the same schema (Arrow IPC bytes). On error the dataset is unchanged. */
  append(bytes) {
    const view = asBytes(bytes, 'bytes');
    const handle = this.#handle();
    call(() => handle.appendInput(copyIn(view)));
    return this;
  }

  /** A segment defined by a rule, e.g. "country IN ('FI', 'SE') AND orders_count >= 3". */
  segment(text, options) {
    const opts = asOptions(options, 'options');
    const info = call(() => this.#handle().segment(rule(text), opts));
    return new Segment(this, info.rule, opts, info);
  }

  /** Member ids (typed array) of the rows matching a rule; row indices when no `column` is given. */
  segmentMembers(text, options) {
    return call(() => this.#handle().segmentMembers(rule(text), asOptions(options, 'options')));
  }

  /** Pairwise intersection counts of the rules' members: counts[i][j]; counts[i][i] is segment i's size. */
  segmentOverlap(rules, options) {
    if (!Array.isArray(rules)) {
      throw new SegmetryError('INVALID_ARGUMENT', `rules must be an array of rule strings, got ${describe(rules)}`, {
        subject: 'rules',
      });
    }
    rules.forEach((r, i) => rule(r, `rules[${i}]`));
    return call(() => this.#handle().segmentOverlap(rules, asOptions(options, 'options')));
  }

  /** RFM scores (Uint8Arrays per row) and the 11 named RFM groups plus Prospects, as segments. */
  rfm(options) {
    return call(() => this.#handle().rfm(asOptions(options, 'options')));
  }

  /** Lifecycle stages (Prospect, New, Occasional, Loyal, Lapsed) as segments with equivalent SQL. */
  lifecycle(options) {
    return call(() => this.#handle().lifecycle(asOptions(options, 'options')));
  }

  /** k-means++ clusters on standardized numeric columns; k by silhouette when not given. */
  clusters(options) {
    return call(() => this.#handle().clusters(asOptions(options, 'options')));
  }

  /**
   * Conversion and revenue per segment × variant with A/B verdicts (see README "Analysis").
   * Same options and result shape as the worker client's `analyze`.
   */
  analyze(options) {
    return call(() => this.#handle().analyze(asOptions(options, 'options')));
  }

  /** One SQL aggregation query for `analyze`'s options, rules type-checked against this dataset (docs/scaling-out.md). */
  sqlForAnalysis(options, sqlOptions) {
    return sqlForDataset(this, options, sqlOptions);
  }

  /**
   * One row per key, values computed by aggregate expressions (docs/prepare.md):
   * `orders.aggregate({ by: 'Email', normalizeKey: 'email', values: { orders_count: 'count_distinct(Name)' } })`.
   */
  aggregate(options) {
    const opts = asOptions(options, 'options');
    const values = valuePairs(opts.values);
    const handle = this.#handle();
    const inner = call(() => handle.aggregate({ ...opts, values }));
    return derived(inner, { op: 'aggregate', input: this.recipe ?? null, options: { ...opts } });
  }

  /**
   * Add `right`'s columns to each row whose key matches (`how`: 'left' or 'inner'); the result's `joinReport`
   * says how many rows matched. A right key that appears twice is an error: aggregate the right table first.
   */
  join(right, options) {
    if (!(right instanceof Dataset)) {
      throw new SegmetryError('INVALID_ARGUMENT', `right must be a Dataset, got ${describe(right)}`, {
        subject: 'right',
      });
    }
    const opts = asOptions(options, 'options');
    const handle = this.#handle();
    const rightHandle = right._handle;
    const result = call(() => handle.join(rightHandle, opts));
    try {
      const ds = derived(result.takeDataset(), {
        op: 'join',
        left: this.recipe ?? null,
        right: right.recipe ?? null,
        options: { ...opts },
      });
      ds.joinReport = result.report;
      return ds;
    } finally {
      result.free();
    }
  }

  /**
   * Per-customer order features under the names the built-in RFM and lifecycle segments read:
   * orders_count, total_spent, average_order_value, first_order_date, last_order_date, last_order_days,
   * tenure_days.
   */
  customerFeatures(options) {
    const opts = asOptions(options, 'options');
    const handle = this.#handle();
    const inner = call(() => handle.customerFeatures(opts));
    return derived(inner, { op: 'customerFeatures', input: this.recipe ?? null, options: { ...opts } });
  }

  /** @internal The wasm handle, for other modules of this package. */
  get _handle() {
    return this.#handle();
  }

  /** Release the dataset's wasm memory. Further use throws FREED. */
  free() {
    if (this.#inner !== null) {
      this.#inner.free();
      this.#inner = null;
    }
  }
}

/** A rule evaluated against a dataset. `size` re-evaluates after the dataset grows. */
export class Segment {
  #dataset;
  #options;

  constructor(dataset, canonical, options, info) {
    this.#dataset = dataset;
    this.#options = options;
    /** Canonical rule text. */
    this.rule = canonical;
    this.#cachedSql = info.sql;
  }

  #cachedSql;

  /** Members now (after appends, the new rows are included). */
  get size() {
    return call(() => this.#dataset._handle.segmentSize(this.rule, this.#options));
  }

  /** The rule as a SQL WHERE clause; dialect 'duckdb' (default), 'spark' or 'postgres'. */
  toSql(options) {
    const opts = asOptions(options, 'options');
    if (opts.dialect === undefined || opts.dialect === 'duckdb') return this.#cachedSql;
    return call(() => this.#dataset._handle.segmentSql(this.rule, { ...this.#options, ...opts }));
  }

  toJSON() {
    return { rule: this.rule, size: this.size };
  }
}
