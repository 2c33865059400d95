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

/**
 * The tokens of a rule, `[{ kind, start, end }]` with string (UTF-16) positions, for editors: the engine's own
 * lexer, so it never disagrees with the parser. Never throws on a bad rule: unlexable text is a token of kind
 * `error`.
 */
export function tokenize(text) {
  return call(() => wasm.tokenize(rule(text)));
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

export class Dataset {
  #inner;

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

  /** [{ name, type, kind, nullable, nullCount }]; `kind` is number | text | bool | date | timestamp. */
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

  /**
   * Completion at `cursor` (a string index, UTF-16 like every JS position): `{ start, end, items }`, the items
   * (`{ label, insert, kind, detail }`) replacing `rule.slice(start, end)`. Columns, operators that fit the
   * column's type and the column's real values, quoted as the parser reads them.
   */
  complete(text, cursor) {
    const ruleText = rule(text);
    if (!Number.isInteger(cursor) || cursor < 0 || cursor > ruleText.length) {
      throw new SegmetryError(
        'INVALID_ARGUMENT',
        `cursor must be a whole number from 0 to rule.length (${ruleText.length}), got ${describe(cursor)}`,
        { subject: 'cursor' },
      );
    }
    return call(() => this.#handle().complete(ruleText, cursor));
  }

  /** A column's profile: `{ name, kind, count, distinct, distinctExact, top, min, max }` (cached until an append). */
  profile(column) {
    if (typeof column !== 'string') {
      throw new SegmetryError('INVALID_ARGUMENT', `column must be a column name, got ${describe(column)}`, {
        subject: 'column',
      });
    }
    return call(() => this.#handle().profile(column));
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
