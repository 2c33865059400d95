// The public Dataset: a JS handle around the wasm Dataset that validates arguments, converts errors into
// SegmetryError and refuses use after free() with a clear FREED error (or ENGINE_RESTARTED once the engine
// that held it was replaced after a trap). Arguments are copied into plain values before any wasm call.
import { call, copyIn, generation, init, restartedError, wasm } from './runtime.js';
import { SegmetryError } from './errors.js';
import { PASS_THROUGH, asBytes, asOptions, describe, fromTable, plain } from './input.js';
import { sqlForDataset } from './scaleout.js';
import { DatasetArg, callExtras } from './extras.js';

/**
 * Load Arrow IPC bytes (stream or file format, auto-detected) into a Dataset; initializes the core if needed.
 * An apache-arrow / flechette Table is accepted with `{ tableToIPC }` (that library's function) as options;
 * `{ lang: 'fi' }` words the engine's errors in Finnish.
 */
export async function loadDataset(bytes, options) {
  await init();
  return loadDatasetSync(bytes, options);
}

/**
 * The tokens of a rule, `[{ kind, start, end }]` with string (UTF-16) positions, for editors: the engine's own
 * lexer, so it never disagrees with the parser. Never throws on a bad rule: unlexable text is a token of kind
 * `error`.
 */
export function tokenize(text) {
  return call(() => wasm.tokenize(rule(text)));
}

/** Synchronous variant of loadDataset, for workers and scripts; throws NOT_READY before `await init()`. */
export function loadDatasetSync(bytes, options) {
  const view = asBytes(fromTable(bytes, options?.tableToIPC), 'bytes');
  const lang = typeof options?.lang === 'string' ? options.lang : undefined;
  return fromInput(copyIn(view), lang);
}

/** A Dataset from the IPC bytes in a filled InputBuffer of the core (which the core takes over). */
const fromInput = (input, lang) => new Dataset(call(() => wasm.loadDatasetFromInput(input, lang)));

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

// The recipe of a prepare step's input: its own recipe, or for a loaded dataset its columns (never the data), so
// toSql can type-check the steps and name the columns without the rows.
const recipeOf = (ds) => ds.recipe ?? { op: 'source', columns: ds.columns.map(({ name, type }) => ({ name, type })) };

// A prepare step's options as its recipe keeps them: `lang` words the step's errors, it is not part of the recipe.
const recipeOptions = ({ lang: _lang, ...options }) => options;

// The recipe as the core reads it: aggregate `values` as [name, expression] pairs, in the caller's order.
const corePairs = (recipe) => {
  const out = { ...recipe };
  if (recipe.op === 'aggregate') out.options = { ...recipe.options, values: valuePairs(recipe.options.values) };
  for (const k of ['input', 'left', 'right']) if (recipe[k]) out[k] = corePairs(recipe[k]);
  return out;
};

// A Dataset made by a prepare step from the IPC bytes the extras module returned (an InputBuffer of the core,
// js/extras.js), remembering how (ds.recipe: plain JSON, never the data).
const derived = (input, recipe) => {
  const ds = fromInput(input);
  ds.recipe = recipe;
  return ds;
};

export class Dataset {
  #inner;
  #generation = generation;
  /** Datasets that linked this one, with the function that refreshes each link after an append. */
  #linkedBy = new Map();

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
    if (this.#generation !== generation) throw restartedError();
    return this.#inner;
  }

  /** This dataset as an argument of the extras module (js/extras.js), which has its own memory. */
  #ipc(columns) {
    return new DatasetArg(() => {
      const handle = this.#handle();
      return call(() => handle.toIpc(columns));
    });
  }

  /**
   * The columns `verb` reads with `opts`, as an argument of the extras module (every column when the engine cannot
   * tell; `toIpc` sends every column too when a name is not one of this dataset's, so the verb reports it as
   * usual). An orders export has dozens of columns and a verb reads a few: the copy and the other module's memory
   * hold only those.
   */
  async #ipcFor(verb, opts) {
    const used = await callExtras('columnsUsed', verb, opts);
    return this.#ipc(Array.isArray(used) ? used : undefined);
  }

  /** Rows across all record batches. */
  get numRows() {
    return call(() => this.#handle().numRows);
  }

  /** [{ name, type, kind, nullable, nullCount }]; `kind` is number | text | bool | date | timestamp. */
  get columns() {
    return call(() => this.#handle().columns);
  }

  /** Bytes held by the dataset's Arrow buffers in wasm memory. */
  get memorySize() {
    return call(() => this.#handle().memorySize);
  }

  /** Append record batches with the same schema (Arrow IPC bytes). On error the dataset is unchanged. */
  append(bytes, options) {
    const view = asBytes(fromTable(bytes, options?.tableToIPC), 'bytes');
    const handle = this.#handle();
    const input = copyIn(view);
    call(() => handle.appendInput(input));
    // Datasets that linked this one hold a snapshot of its batches: refresh it so their link rules see the
    // new rows (link rules are re-evaluated on every call). Freed or restarted parents drop out.
    for (const [parent, relinks] of this.#linkedBy) {
      try {
        for (const relink of relinks.values()) relink();
      } catch (e) {
        if (!(e instanceof SegmetryError && (e.code === 'FREED' || e.code === 'ENGINE_RESTARTED'))) throw e;
        this.#linkedBy.delete(parent);
      }
    }
    return this;
  }

  /**
   * Link another dataset as `name`, so rules can aggregate over it: `COUNT(orders WHERE "Created at" >= -90d) >= 2`,
   * `EXISTS(…)`, `SUM(orders."Total" …)`, `MIN`, `MAX`. `options.on` is the key column of both tables, or
   * `[this table's, the linked table's]`; `options.normalizeKey` is 'email' (trim, lower-case), 'text' (trim,
   * case-fold) or 'none' (default: exact), as for `join` (docs/prepare.md#key-normalization). Appends to either dataset are seen by later calls.
   */
  link(name, dataset, options) {
    if (!(dataset instanceof Dataset)) {
      throw new SegmetryError('INVALID_ARGUMENT', `dataset must be a Dataset, got ${describe(dataset)}`, {
        subject: 'dataset',
      });
    }
    const linkName = rule(name, 'name');
    const opts = asOptions(options, 'options');
    // Linking a dataset to itself takes one borrow (linkSelf): wasm-bindgen cannot borrow one object as both
    // `&mut self` and `&other`, and its failure would leave the engine unusable.
    const relink = () =>
      call(() =>
        dataset === this
          ? this.#handle().linkSelf(linkName, opts)
          : this.#handle().link(linkName, dataset.#handle(), opts),
      );
    relink();
    if (!dataset.#linkedBy.has(this)) dataset.#linkedBy.set(this, new Map());
    dataset.#linkedBy.get(this).set(linkName, relink);
    return this;
  }

  /** A segment defined by a rule, e.g. "country IN ('FI', 'SE') AND orders_count >= 3". */
  segment(text, options) {
    const opts = asOptions(options, 'options');
    const r = rule(text);
    const info = call(() => this.#handle().segment(r, opts));
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
    const [r, opts] = [rule(text), asOptions(options, 'options')];
    return call(() => this.#handle().segmentMembers(r, opts));
  }

  /**
   * Pairwise intersection counts of the members: counts[i][j]; counts[i][i] is segment i's size. Entries are
   * rules or built-in segmentations ({ builtin: 'lifecycle', options }), which give one row per group.
   */
  segmentOverlap(rules, options) {
    const list = plain(rules, 'rules');
    if (!Array.isArray(list)) {
      throw new SegmetryError('INVALID_ARGUMENT', `rules must be an array of rule strings, got ${describe(rules)}`, {
        subject: 'rules',
      });
    }
    list.forEach((r, i) => {
      if (typeof r !== 'object' || r === null || !('builtin' in r)) rule(r, `rules[${i}]`);
    });
    const opts = asOptions(options, 'options');
    return call(() => this.#handle().segmentOverlap(list, opts));
  }

  /** RFM scores (Uint8Arrays per row) and the 11 named RFM groups plus Prospects, as segments. */
  rfm(options) {
    const opts = asOptions(options, 'options');
    return call(() => this.#handle().rfm(opts));
  }

  /** Lifecycle stages (Prospect, New, Occasional, Loyal, Lapsed) as segments with equivalent SQL. */
  lifecycle(options) {
    const opts = asOptions(options, 'options');
    return call(() => this.#handle().lifecycle(opts));
  }

  /**
   * k-means++ clusters on standardized numeric columns; k by silhouette when not given. Returns a Promise: the
   * extras module (clusters, CLV, prepare verbs) is loaded on first use.
   */
  async clusters(options) {
    const opts = asOptions(options, 'options');
    return callExtras('clusters', this.#ipc(), opts);
  }

  /**
   * Predicted purchases and customer lifetime value (BG/NBD + Gamma-Gamma, docs/clv.md): fitted parameters,
   * standard errors, log-likelihoods, model checks, and `customers`, a new Dataset with the columns p_alive,
   * expected_purchases, expected_value and clv added (free() it when done). Returns a Promise: the extras
   * module is loaded on first use.
   */
  async clv(options) {
    const opts = asOptions(options, 'options');
    const result = await callExtras('clv', this.#ipc(), opts);
    result.customers = fromInput(result.customers);
    return result;
  }

  /**
   * Conversion and revenue per segment × variant with A/B verdicts (see README "Analysis").
   * Same options and result shape as the worker client's `analyze`.
   */
  analyze(options) {
    const opts = asOptions(options, 'options');
    return call(() => this.#handle().analyze(opts));
  }

  /** One SQL aggregation query for `analyze`'s options, rules type-checked against this dataset (docs/scaling-out.md). */
  sqlForAnalysis(options, sqlOptions) {
    return sqlForDataset(this, plain(options, 'options'), plain(sqlOptions, 'sqlOptions'));
  }

  /**
   * One row per key, values computed by aggregate expressions (docs/prepare.md):
   * `await orders.aggregate({ by: 'Email', normalizeKey: 'email', values: { orders_count: 'count_distinct(Name)' } })`.
   * Returns a Promise, like every prepare verb: they run in the extras module, loaded on first use.
   */
  async aggregate(options) {
    const opts = asOptions(options, 'options');
    const values = valuePairs(opts.values);
    const input = { ...opts, values };
    const ipc = await callExtras('aggregate', await this.#ipcFor('aggregate', input), input);
    return derived(ipc, { op: 'aggregate', input: recipeOf(this), options: recipeOptions(opts) });
  }

  /**
   * Add `right`'s columns to each row whose key matches (`how`: 'left' or 'inner'); the result's `joinReport`
   * says how many rows matched. A right key that appears twice is an error: aggregate the right table first.
   * Returns a Promise.
   */
  async join(right, options) {
    if (!(right instanceof Dataset)) {
      throw new SegmetryError('INVALID_ARGUMENT', `right must be a Dataset, got ${describe(right)}`, {
        subject: 'right',
      });
    }
    const opts = asOptions(options, 'options');
    const recipe = { op: 'join', left: recipeOf(this), right: recipeOf(right), options: recipeOptions(opts) };
    const key = opts.how === undefined || opts.how === 'left' ? await callExtras('columnsUsed', 'join', opts) : null;
    if (Array.isArray(key)) return this.#leftJoin(key, right, opts, recipe);
    const result = await callExtras('join', this.#ipc(), right.#ipc(), opts);
    const ds = derived(result.dataset, recipe);
    ds.joinReport = result.report;
    return ds;
  }

  /**
   * A left join keeps every left row as it is, so only the left `key` column goes to the extras module and only
   * the new columns come back, put beside this dataset's own: those never leave the core's memory (an export
   * with dozens of columns is not copied twice over).
   */
  async #leftJoin(key, right, opts, recipe) {
    const names = this.columns.map((c) => c.name);
    const result = await callExtras('joinRightColumns', this.#ipc(key), names, right.#ipc(), opts);
    const handle = this.#handle();
    const ds = new Dataset(call(() => handle.withColumnsFromInput(result.columns)));
    ds.recipe = recipe;
    ds.joinReport = result.report;
    return ds;
  }

  /**
   * Per-customer order features under the names the built-in RFM and lifecycle segments read:
   * orders_count, total_spent, average_order_value, first_order_date, last_order_date, last_order_days,
   * tenure_days. Returns a Promise.
   */
  async customerFeatures(options) {
    const opts = asOptions(options, 'options');
    const ipc = await callExtras('customerFeatures', await this.#ipcFor('customerFeatures', opts), opts);
    return derived(ipc, { op: 'customerFeatures', input: recipeOf(this), options: recipeOptions(opts) });
  }

  /**
   * Split an orders table by date for a CLV holdout test (docs/clv.md): one row per customer with
   * frequency_cal, recency_cal, T_cal, monetary_value_cal (with `amount`), frequency_holdout, duration_holdout.
   * Returns a Promise: it runs in the extras module, loaded on first use.
   */
  async calibrationAndHoldout(options) {
    const opts = asOptions(options, 'options');
    const ipc = await callExtras('calibrationAndHoldout', await this.#ipcFor('calibrationAndHoldout', opts), opts);
    return derived(ipc, { op: 'calibrationAndHoldout', input: recipeOf(this), options: recipeOptions(opts) });
  }

  /**
   * How this derived dataset was made, as one SQL query for a warehouse (docs/prepare.md "As SQL"):
   * `await perCustomer.toSql({ dialect: 'duckdb', tables: [{ name: 'orders', rowOrder: 'row_id' }] })`.
   * `tables` names the table of each loaded dataset the recipe starts from, in order (an aggregate's input; a
   * join's left side, then its right side). Returns a Promise (it runs in the extras module).
   */
  async toSql(options) {
    if (this.recipe === null) {
      throw new SegmetryError(
        'INVALID_ARGUMENT',
        'this dataset was loaded from data, so it has no recipe to write as SQL; toSql is for datasets made by ' +
          'aggregate, join or customerFeatures (for an analysis query over a table use sqlForAnalysis)',
        { subject: 'recipe' },
      );
    }
    return callExtras('recipeSql', corePairs(this.recipe), asOptions(options, 'options'));
  }

  /** @internal The wasm handle, for other modules of this package. */
  get _handle() {
    return this.#handle();
  }

  /**
   * Release the dataset's wasm memory. Further use throws FREED. A dataset that is never freed is released by the
   * glue's FinalizationRegistry once garbage-collected, but only at the collector's convenience: free it (or
   * `using ds = …`) when you are done.
   */
  free() {
    if (this.#inner !== null) {
      // A handle of a replaced engine points into memory that no longer exists: just drop it.
      if (this.#generation === generation) call(() => this.#inner.free());
      this.#inner = null;
    }
  }
}

// Options may carry a Dataset (sqlForAnalysis's `dataset`): plain() keeps it as the object it is.
Object.defineProperty(Dataset.prototype, PASS_THROUGH, { value: true });
// `using ds = await loadDataset(…)` frees the dataset at the end of the block (where the runtime has the symbol).
if (typeof Symbol.dispose === 'symbol') Dataset.prototype[Symbol.dispose] = Dataset.prototype.free;

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
