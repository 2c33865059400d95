/** Stable error codes carried by every SegmetryError. */
export type ErrorCode =
  | 'INVALID_ARROW'
  | 'SCHEMA_MISMATCH'
  | 'UNSUPPORTED_TYPE'
  | 'INVALID_ARGUMENT'
  | 'RULE_SYNTAX'
  | 'UNKNOWN_COLUMN'
  | 'TYPE_MISMATCH'
  | 'OUT_OF_MEMORY'
  | 'FREED'
  /** The engine that held this dataset trapped and was replaced (js/runtime.js); load the data again. */
  | 'ENGINE_RESTARTED'
  | 'INTERNAL'
  | 'INVALID_CSV'
  | 'INVALID_PARQUET'
  | 'CANCELLED'
  | 'WORKER_RESTARTED'
  | 'TERMINATED'
  | 'WORKER_FAILED'
  | 'NOT_READY'
  | (string & {});

/** The one error class of the package. */
export class SegmetryError extends Error {
  constructor(code: ErrorCode, message: string, details?: { start?: number; end?: number; subject?: string });
  readonly name: 'SegmetryError';
  /** Stable machine-readable category. */
  readonly code: ErrorCode;
  /** Byte offset where the faulty part of a rule starts (rule errors). */
  readonly start?: number;
  /** Byte offset where it ends (exclusive). */
  readonly end?: number;
  /** The argument, option or column at fault. */
  readonly subject?: string;
}

/**
 * Where the wasm comes from: bytes, a URL (or URL string), a fetch Response (or a promise of one), or a compiled
 * WebAssembly.Module. The default is the package's own `wasm/segmetry_bg.wasm`, next to the JavaScript.
 */
export type WasmSource =
  ArrayBuffer | ArrayBufferView | URL | string | Response | PromiseLike<Response> | WebAssembly.Module;

/** Options of `init`. */
export interface InitOptions {
  /** Load the core from here instead of the package's file (strict CSPs, exotic hosts). Used by the first call only. */
  wasm?: WasmSource;
}

/**
 * Instantiate the wasm core (once; later calls return the same promise). The async functions (`loadDataset`,
 * `loadFile`, `createClient`, …) call it themselves; await it before the synchronous API (`loadDatasetSync`,
 * `stats.*`, `analyzeSummary`, …), which throws a SegmetryError with code NOT_READY until it has resolved.
 */
export function init(options?: InitOptions): Promise<void>;

/** `Symbol.dispose` where the TypeScript lib declares it (lib `esnext.disposable` / `es2025`), else nothing. */
export type DisposeKey = SymbolConstructor extends { readonly dispose: infer K extends symbol } ? K : never;
/** `Symbol.asyncDispose` likewise. */
export type AsyncDisposeKey = SymbolConstructor extends { readonly asyncDispose: infer K extends symbol } ? K : never;

/** Arrow IPC bytes: stream or file format. */
export type ArrowBytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/** An apache-arrow or @uwdata/flechette `Table`, as far as segmetry recognises one. */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly unknown[] };
}

/**
 * Pass a Table instead of its bytes together with that library's `tableToIPC` (segmetry bundles neither
 * library, so it cannot serialize a Table itself): `loadDataset(table, { tableToIPC })`.
 */
export interface TableOptions<T extends ArrowTableLike = ArrowTableLike> {
  tableToIPC: (table: T) => ArrowBytes;
}

/**
 * What a column's values are, decided by the engine from the Arrow type: the one answer to "which columns fit
 * this picker" (`list` is reserved for list columns, which the engine does not read yet).
 */
export type ColumnKind = 'number' | 'text' | 'bool' | 'date' | 'timestamp' | 'list';

/** One column of a dataset. */
export interface ColumnInfo {
  name: string;
  /** Arrow type name: `int32`, `utf8`, `dictionary<int32, utf8>`, `timestamp[ms, UTC]`, `decimal128(12, 2)`, … */
  type: string;
  kind: ColumnKind;
  nullable: boolean;
  nullCount: number;
}

/** A column's values at a glance (`Dataset.profile`). Values are written as rule literals read them. */
export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** Non-null values. */
  count: number;
  /** Distinct non-null values; a lower bound when `distinctExact` is false (more than 100,000). */
  distinct: number;
  distinctExact: boolean;
  /** Up to 40 most frequent values, most frequent first: text as is, `true`/`false`, numbers, `YYYY-MM-DD`, … */
  top: { value: string; count: number }[];
  /** Range of number, date and timestamp columns; null for other kinds or without values. */
  min: string | null;
  max: string | null;
}

/** What a rule token is (`tokenize`). */
export type RuleTokenKind =
  | 'column'
  | 'quoted-column'
  | 'keyword'
  | 'string'
  | 'number'
  | 'date'
  | 'timestamp'
  | 'relative-date'
  | 'operator'
  | 'punctuation'
  | 'error';

/** A token of a rule; `start`/`end` are string (UTF-16) positions: `rule.slice(start, end)` is its text. */
export interface RuleToken {
  kind: RuleTokenKind;
  start: number;
  end: number;
}

/** One completion suggestion. */
export interface CompletionItem {
  /** What to show. */
  label: string;
  /** What replaces `rule.slice(start, end)`: quoted as the parser needs, with a trailing space where the rule goes on. */
  insert: string;
  kind: 'column' | 'keyword' | 'operator' | 'function' | 'value';
  /** The column's type, a value's row count, or `min` / `max`. */
  detail: string;
}

/** Suggestions for the range `start..end` (string positions) of the rule. */
export interface Completion {
  start: number;
  end: number;
  items: CompletionItem[];
}

/** The tokens of a rule, from the engine's lexer; text it rejects is a token of kind `error`. Never throws on a bad rule. */
export function tokenize(rule: string): RuleToken[];

/** Options of `Dataset.link`. */
export interface LinkOptions {
  /** The key column of both tables, or `[this table's, the linked table's]`. */
  on: string | [string, string];
  /** How keys are compared, as for `join`: 'email' (trim, lower-case), 'text' (trim, case-fold), 'none' (exact; default). */
  normalizeKey?: NormalizeKey;
  /** Language of error messages ('en' default, 'fi'; any BCP 47 tag), as for `segment`. */
  lang?: string;
}

export interface SegmentOptions {
  /** 'YYYY-MM-DD' that relative dates (`-90d`, `today`) count from; default today (UTC). */
  referenceDate?: string;
  /**
   * Language of error messages ('en' default, 'fi'; any BCP 47 tag such as 'fi-FI'): rule errors and the errors of
   * `segmentMembers`, `segmentOverlap`, … The engine keeps the catalogue; `code`, `start`, `end` and the caret
   * excerpt do not change, and messages not catalogued yet stay English.
   */
  lang?: string;
}

export type SqlDialect = 'duckdb' | 'spark' | 'postgres';

/** A rule evaluated against a dataset. */
export class Segment {
  /** Canonical rule text. */
  readonly rule: string;
  /** Members now; re-evaluated after the dataset grows. */
  readonly size: number;
  /** The rule as a SQL WHERE clause with identical semantics. */
  toSql(options?: { dialect?: SqlDialect }): string;
  toJSON(): { rule: string; size: number };
}

/** Segment members with picked columns: `values[c][i]` is column `c` of member `i`, as text or null. */
export interface MemberTable {
  columns: string[];
  values: Array<Array<string | null>>;
  /** Members left out because their first column is null. */
  dropped: number;
}

/** RFC 4180 CSV (header row, CRLF line ends) of a `MemberTable`. */
export function toCsv(table: Pick<MemberTable, 'columns' | 'values'>): string;

/** Ids of a segment's members: typed by the id column's type, or row indices. */
export type SegmentMembers =
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | string[];

/** Customer data loaded from Arrow IPC into wasm memory. */
export class Dataset {
  /** Rows across all record batches. */
  readonly numRows: number;
  /** The columns with their types and null counts. */
  readonly columns: ColumnInfo[];
  /** Bytes held by the dataset's Arrow buffers in wasm memory. */
  readonly memorySize: number;
  /** Append record batches with the same schema. On error the dataset is unchanged. */
  append(bytes: ArrowBytes): this;
  append<T extends ArrowTableLike>(table: T, options: TableOptions<T>): this;
  /**
   * Link another dataset as `name` for rules such as `COUNT(orders WHERE "Created at" >= -90d) >= 2` (see
   * docs/segments.md, "Linked tables"). Appends to either dataset are seen by later calls.
   */
  link(name: string, dataset: Dataset, options: LinkOptions): this;
  /** Define a segment by a rule such as `country IN ('FI', 'SE') AND orders_count >= 3`. */
  segment(rule: string, options?: SegmentOptions): Segment;
  /** Completion at `cursor` (a string index, 0 … rule.length): columns, fitting operators, the column's values. */
  complete(rule: string, cursor: number): Completion;
  /** A column's profile: distinct count, most frequent values, range (cached until an append). */
  profile(column: string): ColumnProfile;
  /** Member ids (with `column`) or row indices of the rows matching `rule`. */
  segmentMembers(rule: string, options?: SegmentOptions & { column?: string }): SegmentMembers;
  /**
   * The members with the columns picked (values as text, null kept); members whose first column is null are
   * left out and counted in `dropped`. Write it as CSV with `toCsv`.
   */
  segmentMembers(rule: string, options: SegmentOptions & { columns: string[] }): MemberTable;
  /**
   * Pairwise intersection counts; `counts[i][i]` is the size of segment i. A built-in entry
   * (`{ builtin: 'lifecycle' }`) gives one row per group, in the order `lifecycle()` / `rfm()` / `clusters()` list them.
   */
  segmentOverlap(
    rules: Array<string | { builtin: 'rfm' | 'lifecycle' | 'clusters' | 'spendTier'; options?: object }>,
    options?: SegmentOptions,
  ): number[][];
  /** RFM quintile scores and named groups (docs/builtin-segments.md). */
  rfm(options?: RfmOptions): RfmResult;
  /** Lifecycle stages as segments. */
  lifecycle(options?: LifecycleOptions): BuiltinSegment[];
  /**
   * k-means++ clusters on standardized numeric columns. A Promise: clusters, CLV and the prepare verbs run in the
   * extras wasm module, fetched on the first call (docs/sizes.md).
   */
  clusters(options?: ClusterOptions): Promise<ClusterResult>;
  /**
   * Predicted purchases and lifetime value: BG/NBD + Gamma-Gamma fits and per-customer predictions (docs/clv.md).
   * A Promise (extras module, fetched on the first call).
   */
  clv(options?: ClvOptions): Promise<ClvResult>;
  /**
   * Split an orders table by date into calibration inputs and holdout purchases, one row per customer. A Promise
   * (extras module).
   */
  calibrationAndHoldout(options: CalibrationHoldoutOptions): Promise<Dataset>;
  /** Conversion and revenue per segment × variant with A/B verdicts (docs/analysis.md). */
  analyze(options?: AnalysisOptions): AnalysisReport;
  /**
   * One row per key (docs/prepare.md): `values` maps output names to `count()`, `sum(Total)`, `any(rule)`, …
   * A Promise: the prepare verbs run in the extras wasm module, fetched on the first call.
   */
  aggregate(options: AggregateOptions): Promise<Dataset>;
  /** Add `right`'s columns by a unique key; the result carries `joinReport`. A Promise (extras module). */
  join(right: Dataset, options: JoinOptions): Promise<Dataset>;
  /** Per-customer order features under the names the built-in RFM and lifecycle segments read. A Promise. */
  customerFeatures(options: CustomerFeaturesOptions): Promise<Dataset>;
  /** How a prepared dataset was made (plain JSON, never the data); `null` for loaded data. */
  recipe: PrepareRecipe | null;
  /**
   * The recipe as one SQL query for DuckDB, Spark SQL or PostgreSQL whose result is this dataset (docs/prepare.md).
   * Rejects with INVALID_ARGUMENT for a dataset loaded from data. A Promise (extras module).
   */
  toSql(options: RecipeSqlOptions): Promise<string>;
  /** What the join that made this dataset matched; only on datasets returned by `join`. */
  joinReport?: JoinReport;
  /**
   * Release wasm memory; further use throws a SegmetryError with code FREED. Also `using ds = …` (TypeScript 5.2+).
   * A dataset never freed is released once garbage-collected (FinalizationRegistry), at the collector's leisure.
   */
  free(): void;
}
/** `using ds = await loadDataset(bytes)` frees the dataset at the end of the block. */
export interface Dataset extends Record<DisposeKey, () => void> {}

/**
 * Options of `ds.clv`. Either name the model's columns (`frequency`, `recency`, `T`, `monetary`, in `unit`s) or
 * leave `frequency` out to derive them from customerFeatures-style columns at `referenceDate`.
 */
export interface ClvOptions {
  /** Column of repeat purchases (orders − 1). */
  frequency?: string;
  /** Column of the time from the first to the last purchase. */
  recency?: string;
  /** Column of the time from the first purchase to the reference date. */
  T?: string;
  /** Column of the mean repeat-order value; without it only the purchase model is fitted. */
  monetary?: string;
  /** Derived mode column names (defaults: orders_count, first_order_date, last_order_date, total_spent). */
  ordersCount?: string;
  firstOrderDate?: string;
  lastOrderDate?: string;
  totalSpent?: string;
  /** Derived mode: days from the last order to referenceDate (e.g. last_order_days), instead of lastOrderDate. */
  lastOrderDays?: string;
  /** Derived mode: YYYY-MM-DD the ages are measured at (default: the latest last-order date). */
  referenceDate?: string;
  /** Unit of the named time columns (default 'days'). */
  unit?: 'days' | 'weeks';
  /** Horizon of expected_purchases and clv, in days (default 365). */
  horizonDays?: number;
  /** Discount rate per 30-day month (default 0.01). */
  discountRate?: number;
  /** Compare predictions with actual purchases in a later period. */
  holdout?: { frequency: string; days: number };
  /** How the result's `tiers` cut customers (the spendTier defaults: 0.2, 0.3, 0.3). */
  tiers?: { highShare?: number; mediumShare?: number; lostBelow?: number };
  /** The language of errors ('en' default, 'fi'; any BCP 47 tag), from the engine's catalogue. */
  lang?: string;
}

/** Options of `Dataset.calibrationAndHoldout` (an orders table split by date; docs/clv.md). */
export interface CalibrationHoldoutOptions {
  /** Customer key column (normalized as `normalizeKey`, default 'email'). */
  customer: string;
  /** Order date or timestamp column (whole UTC days). */
  date: string;
  /** Order amount column (for monetary_value_cal). */
  amount?: string;
  /** Last day of the calibration period, YYYY-MM-DD (inclusive). */
  calibrationEnd: string;
  /** Last day of the holdout period, YYYY-MM-DD (default: the latest order day). */
  observationEnd?: string;
  normalizeKey?: NormalizeKey;
  /** Only rows where this rule is TRUE count. */
  where?: string;
  /** The language of errors ('en' default, 'fi'; any BCP 47 tag), from the engine's catalogue. */
  lang?: string;
}

/**
 * A built-in group's name in each language of the engine's message catalogue. The `name` stays the key (options,
 * exports, SQL); an interface shows the label of its language.
 */
export interface GroupLabels {
  en: string;
  fi: string;
}

/** One spend tier's size and predicted value (`ClvResult.tiers`). */
export interface ClvTier {
  name: 'High' | 'Medium' | 'Low' | 'Likely lost' | 'Unscored';
  labels: GroupLabels;
  customers: number;
  meanPAlive: number | null;
  /** Σ expected purchases over the horizon. */
  expectedPurchases: number | null;
  /** Σ CLV over the horizon (null without spend data). */
  clv: number | null;
  meanClv: number | null;
}

/** Parameters (or their standard errors); Gamma-Gamma fields are null without spend data. */
export interface ClvParams {
  r: number | null;
  alpha: number | null;
  a: number | null;
  b: number | null;
  p: number | null;
  q: number | null;
  gamma: number | null;
}

export interface ClvResult {
  params: ClvParams;
  standardErrors: ClvParams;
  logLikelihood: { bgnbd: number; gammaGamma: number | null };
  unit: 'days' | 'weeks';
  horizonDays: number;
  referenceDate: string | null;
  /** A new Dataset: the input's columns plus p_alive, expected_purchases, expected_value, clv. free() it when done. */
  customers: Dataset;
  /** Customers and predicted value per spend tier, as the spendTier segmentation cuts them. */
  tiers: ClvTier[];
  checks: {
    fitted: number;
    skipped: number;
    converged: boolean;
    histogram: { labels: string[]; observed: number[]; expected: number[] };
    holdout: { labels: string[]; customers: number[]; actual: number[]; expected: number[]; duration: number } | null;
    spendIndependence: { correlation: number | null; customers: number; warning: string | null } | null;
    warnings: string[];
  };
}

/**
 * How keys are compared (joins, aggregates, linked tables): `email` = `NULLIF(lower(trim(k)), '')`, `text` =
 * `NULLIF(lower(upper(trim(k))), '')`, `none` = as stored. A blank key under `email`/`text` is no key.
 */
export type NormalizeKey = 'email' | 'text' | 'none';

/** Options of `Dataset.aggregate`. */
export interface AggregateOptions {
  /** The key column; it comes first in the result (as utf8, normalized). */
  by: string;
  normalizeKey?: NormalizeKey;
  /** Only rows where this rule is TRUE take part. */
  where?: string;
  /**
   * Output name → expression: `count()`, `count(col)`, `count_distinct(col)`, `sum(col)`, `mean(col)`, `min(col)`,
   * `max(col)`, `count_if(rule)`, `sum_if(col, rule)`, `any(rule)`, `all(rule)`, `first(col)`, `last(col)`.
   */
  values: Record<string, string>;
  /** Reference date for relative dates in rules (`YYYY-MM-DD`); default today (UTC). */
  referenceDate?: string;
  /**
   * The language of errors ('en' default, 'fi'; any BCP 47 tag): option, expression and column errors from the
   * engine's catalogue. Not kept in the result's `recipe`.
   */
  lang?: string;
}

/** Options of `Dataset.join`. */
export interface JoinOptions {
  /** One column name for both sides, or `[left column, right column]`. */
  on: string | [string, string];
  how?: 'left' | 'inner';
  normalizeKey?: NormalizeKey;
  /** Appended to right column names that clash with left ones (default: prefix `rightName_`). */
  suffix?: string;
  /** The right table's name, used as prefix of clashing columns (default `right`). */
  rightName?: string;
  /** Values for right columns in unmatched rows (default 0 for count-like columns, null elsewhere). */
  fill?: Record<string, number | string | boolean>;
  /**
   * The language of errors ('en' default, 'fi'; any BCP 47 tag): option, expression and column errors from the
   * engine's catalogue. Not kept in the result's `recipe`.
   */
  lang?: string;
}

/** What a join matched. */
export interface JoinReport {
  left: number;
  right: number;
  matched: number;
  unmatchedLeft: number;
  duplicateRightKeys: number;
}

/** Options of `Dataset.customerFeatures`. */
export interface CustomerFeaturesOptions {
  /** Customer key column (e.g. `Email`); the result's first column keeps this name. */
  customer: string;
  /** Order id column (e.g. `Name`); without it every row is one order. */
  order?: string;
  /** Order date or timestamp column. */
  date: string;
  /** Order amount column (an order-level total; an order's first non-null amount counts). */
  amount: string;
  /** Default `email`. */
  normalizeKey?: NormalizeKey;
  /** Only rows where this rule is TRUE count. */
  where?: string;
  /** The date day counts run to (`YYYY-MM-DD`); default the latest order date. */
  referenceDate?: string;
  /**
   * The language of errors ('en' default, 'fi'; any BCP 47 tag): option, expression and column errors from the
   * engine's catalogue. Not kept in the result's `recipe`.
   */
  lang?: string;
}

/** How a prepared dataset was made; a loaded dataset it started from is a `source` with its columns (no data). */
export type PrepareRecipe =
  | { op: 'source'; columns: { name: string; type: string }[] }
  | { op: 'aggregate'; input: PrepareRecipe; options: AggregateOptions }
  | { op: 'customerFeatures'; input: PrepareRecipe; options: CustomerFeaturesOptions }
  | { op: 'calibrationAndHoldout'; input: PrepareRecipe; options: CalibrationHoldoutOptions }
  | { op: 'join'; left: PrepareRecipe; right: PrepareRecipe; options: JoinOptions };

/**
 * The table behind one source of a recipe: its name (dotted names are quoted part by part), and optionally a
 * column numbering its rows in the order segmetry read them (unique, not null). `rowOrder` is required by
 * `first`/`last` and by `customerFeatures` with an `order` column, and gives the result segmetry's row order.
 */
export type RecipeSqlTable = string | { name: string; rowOrder?: string };

/** Options of `Dataset.toSql`. */
export interface RecipeSqlOptions {
  dialect: SqlDialect;
  /**
   * One table per loaded dataset the recipe starts from, in recipe order: an aggregate's (or customerFeatures')
   * input; a join's left side, then its right side (depth first).
   */
  tables: RecipeSqlTable[];
}

/** A segment produced by a built-in segmentation. */
export interface BuiltinSegment {
  name: string;
  /** The name in each language (`Cluster 2` → `Klusteri 2`). */
  labels: GroupLabels | null;
  /** Who is in the group and by which rule (English). */
  description: string;
  /** `description` in each language. */
  descriptions: GroupLabels;
  /** Equivalent SQL (DuckDB): a full query for RFM, a WHERE condition for lifecycle, null for clusters. */
  sql: string | null;
  size: number;
}

export interface RfmOptions {
  /** Days since the last order (smaller = better), or a date/timestamp column of the last order. */
  recency?: string;
  frequency?: string;
  monetary?: string;
  /** Tie-break column (NTILE ORDER BY value, id). */
  id?: string;
  referenceDate?: string;
  table?: string;
  /** The language of errors ('en' default, 'fi'; any BCP 47 tag), from the engine's catalogue. */
  lang?: string;
}
/** One score bucket of `RfmResult.quintiles`. */
export interface RfmScoreRange {
  /** 1–5. */
  score: number;
  /** Customers with that score. */
  count: number;
  min: number;
  max: number;
}
export interface RfmResult {
  segments: BuiltinSegment[];
  /** Per row: scores 1–5 (0 = no score) and the index of the row's segment. */
  scores: { recency: Uint8Array; frequency: Uint8Array; monetary: Uint8Array; segment: Uint8Array };
  scored: number;
  prospects: number;
  unscored: number;
  /** The values each score covers, per dimension (recency in days since the last order). */
  quintiles: Record<'recency' | 'frequency' | 'monetary', RfmScoreRange[]>;
  referenceDate: string | null;
  sql: string;
}

export interface LifecycleOptions {
  frequency?: string;
  recency?: string;
  tenure?: string | null;
  referenceDate?: string;
  thresholds?: Record<string, number>;
  /** The language of errors ('en' default, 'fi'; any BCP 47 tag), from the engine's catalogue. */
  lang?: string;
}

export interface ClusterOptions {
  columns: string[];
  k?: number;
  maxK?: number;
  seed?: number;
  maxIterations?: number;
  sampleSize?: number;
  /** The language of errors ('en' default, 'fi'; any BCP 47 tag), from the engine's catalogue. */
  lang?: string;
}
export interface ClusterResult {
  k: number;
  seed: number;
  columns: string[];
  clusters: { name: string; size: number; centroid: number[] }[];
  silhouette: { k: number; score: number }[];
  inertia: number;
  iterations: number;
  converged: boolean;
  clustered: number;
  unclustered: number;
  /** Rows in the silhouette sample. */
  sampleSize: number;
  /** Column means over the clustered rows (the standardization). */
  means: number[];
  /** Column population standard deviations (0 for a constant column, which was left out). */
  stdDevs: number[];
  warnings: string[];
  /** Per row: i for `Cluster i`, 0 when unclustered. */
  labels: Uint8Array;
  segments: BuiltinSegment[];
}

/** Options of `Dataset.analyze` (docs/analysis.md has every field). Unknown keys are errors, in types and at run time. */
export interface AnalysisOptions {
  /** Name → rule or built-in segmentation; "All customers" comes first unless `includeAll: false`. */
  segments?: Record<string, string | { builtin: 'rfm' | 'lifecycle' | 'clusters' | 'spendTier'; options?: object }>;
  /** Put an "All customers" segment first (default true). */
  includeAll?: boolean;
  /** Assignment column; default `'variant'`. */
  variant?: string;
  /** Control key; default the first variant in sorted order. */
  control?: string | number | boolean;
  /** Conversion column; default `'converted'`, `null` for none. */
  conversion?: string | null;
  /** Revenue column; default `'revenue'`, `null` for none. */
  revenue?: string | null;
  /** Pre-period column for CUPED on revenue; default none. */
  covariate?: string | null;
  /** Several named metrics per analysis (docs/analysis.md, "Several metrics"); keys keep their order. In
   * `sqlForAnalysis` a metric on a numeric column must give its `type` (docs/scaling-out.md). */
  metrics?: Record<string, string | MetricSpec>;
  confidence?: number;
  alternative?: 'two-sided' | 'greater' | 'less';
  difference?: 'relative' | 'absolute';
  correction?: 'none' | 'bonferroni' | 'holm' | 'bh';
  /** GrowthBook's confidence sequences: `true` or `{ tuning }`; `false`/`null` for a fixed horizon. */
  sequential?: boolean | { tuning?: number } | null;
  engine?: 'frequentist' | 'bayesian';
  /** Gaussian prior of the Bayesian engine. */
  prior?: { mean: number; variance: number } | null;
  intervalMethod?: 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'wald' | 'jeffreys';
  /** Expected traffic split for the SRM check: in variant order, or by variant key. Default equal. */
  expectedWeights?: number[] | Record<string, number> | null;
  srmThreshold?: number;
  minSampleSize?: number;
  minCellSize?: number;
  referenceDate?: string | null;
  /**
   * Language of error messages ('en' default, 'fi'; any BCP 47 tag): option, column, variant and metric errors come
   * from the engine's catalogue in this language. `code` and `subject` do not change; messages not catalogued yet
   * stay English.
   */
  lang?: string;
}

/** Metric types: proportion (bool, 0/1, yes/no text), mean, ratio (Σ numerator / Σ denominator), nps (0–10). */
export type MetricType = 'proportion' | 'mean' | 'ratio' | 'nps';
/** Goals form the correction family; secondary metrics are tested alone; guardrails one-sided for harm. */
export type MetricRole = 'goal' | 'secondary' | 'guardrail';

/** One entry of `AnalysisOptions.metrics` (a plain string is `{ column }`). */
export type MetricSpec =
  | {
      column: string;
      /** Inferred when absent: bool, 0/1 numbers or yes/no text → proportion, other numbers → mean. */
      type?: 'proportion' | 'mean' | 'nps';
      role?: MetricRole;
      /** Default true; for guardrails the harm tested is a rise unless this is true. */
      higherIsBetter?: boolean;
      /** A pre-experiment column for CUPED (means and proportions; θ per compared pair, `vsControl.cupedTheta`). */
      covariate?: string;
    }
  | { type: 'ratio'; numerator: string; denominator: string; role?: MetricRole; higherIsBetter?: boolean };

/** One named metric in one segment × variant cell. */
export interface MetricReport {
  type: MetricType;
  role: MetricRole;
  /** Whether a rise is the good direction (false for guardrails unless `higherIsBetter: true`). */
  higherIsBetter: boolean;
  /** Units with a value (nulls are left out). */
  n: number;
  nulls: number;
  /** Proportions. */
  conversions?: number;
  /** Means. */
  sum?: number;
  /** Means and NPS. */
  mean?: number;
  /** Per-unit variance (n − 1 divisor; delta method for ratios); not for proportions. */
  variance?: number;
  /** NPS: answers 9–10 and 0–6. */
  promoters?: number;
  detractors?: number;
  /** Ratios. */
  numeratorSum?: number;
  denominatorSum?: number;
  /** Rate, mean, NPS (−1…1) or ratio. */
  estimate: number;
  interval: import('./stats.js').Interval;
  /** `null` for the control; `adjustedPValue` is set for goal metrics only; `cupedTheta` with a `covariate`. */
  vsControl: ComparisonReport | null;
}

/** `stats.compare` of a cell against control, plus the p-value adjusted over the report's family. */
export type ComparisonReport = import('./stats.js').CompareResult & {
  /** `pValue` adjusted by `correction`; null when pValue is null or NaN (Bayesian engine, undefined test). */
  adjustedPValue: number | null;
  /** CUPED θ of this control–treatment pair (revenue with a covariate only). */
  cupedTheta?: number;
};

/**
 * One segment × variant cell. Every number is `null` when the cell is suppressed (`minCellSize`); the
 * conversion and revenue numbers are `null` too when that metric was not read (`conversion: null`, …).
 */
export interface VariantReport {
  variant: string;
  /** The numbers were withheld because n < minCellSize. */
  suppressed: boolean;
  n: number | null;
  conversions: number | null;
  /** Units whose conversion is null (left out of the conversion test). */
  conversionNulls: number | null;
  conversionRate: number | null;
  conversionInterval: import('./stats.js').Interval | null;
  revenueSum: number | null;
  revenueMean: number | null;
  revenueVariance: number | null;
  revenueNulls: number | null;
  /** CUPED-adjusted mean and variance of revenue (with a covariate). */
  revenueMeanAdjusted: number | null;
  revenueVarianceAdjusted: number | null;
  /** Units with revenue whose covariate is null (counted as 0). */
  covariateNulls: number | null;
  /** `null` for the control itself. */
  conversionVsControl: ComparisonReport | null;
  revenueVsControl: ComparisonReport | null;
  /** The named metrics, in the options' order (empty when the cell is suppressed). */
  metrics: Record<string, MetricReport>;
}

/** One segment of the report. */
export interface SegmentReport {
  name: string;
  /** A built-in group's or `All customers`' name in each language; null for rule segments (the user's name). */
  labels: GroupLabels | null;
  kind: 'all' | 'rule' | 'builtin';
  /** Canonical rule text (rule segments). */
  rule: string | null;
  /** Equivalent SQL (DuckDB) where there is one. */
  sql: string | null;
  /** What a built-in group is (English). */
  description: string | null;
  /** What a built-in group is, in each language; null for other segments. */
  descriptions: GroupLabels | null;
  /** Member rows; `null` when a cell is suppressed (it could be recovered by subtraction). */
  size: number | null;
  /** Members without a variant; `null` when a cell is suppressed. */
  unassigned: number | null;
  /** Sample-ratio-mismatch test (`null` with fewer than 2 variants or a suppressed cell). */
  srm: { statistic: number; df: number; pValue: number; mismatch: boolean; warning?: string } | null;
  /** CUPED adjustment of revenue, when a covariate is given. */
  cuped: { theta: number; covariateMean: number; varianceReduction: number } | null;
  /** Per variant, control first. */
  variants: VariantReport[];
}

/** Codes of `AnalysisReport.warnings`. */
export type AnalysisWarningCode =
  | 'SRM'
  | 'SMALL_SEGMENT'
  | 'EMPTY_SEGMENT'
  | 'NULL_OUTCOMES'
  | 'NULL_COVARIATE'
  | 'SUPPRESSED_CELL'
  | 'NO_CONVERSIONS'
  | 'UNASSIGNED';

/** The report of `Dataset.analyze` (docs/analysis.md). */
export interface AnalysisReport {
  /** "All customers" first (unless `includeAll: false`), then in the options' order. */
  segments: SegmentReport[];
  /** Variant keys: control first, then the others sorted. */
  variants: string[];
  control: string;
  /** Rows in the data. */
  rows: number;
  /** Rows whose variant is null. */
  unassigned: number;
  /** Cochran's Q per treatment × metric across the user's segments (a screening signal; read `caveat`). */
  heterogeneity: {
    caveat: string;
    overlappingRows: number | null;
    tests: {
      variant: string;
      metric: string;
      segments: string[];
      q: number;
      df: number;
      pValue: number;
      iSquared: number;
    }[];
  };
  /** Things to look at before trusting the numbers; `segment` is null for report-wide warnings. */
  warnings: { code: AnalysisWarningCode; segment: string | null; variant?: string; message: string }[];
  /** What `adjustedPValue` was corrected over: goal metrics × segments × treatment variants. */
  correction: {
    method: 'none' | 'bonferroni' | 'holm' | 'bh';
    /** Number of defined p-values adjusted together. */
    family: number;
    members: string;
    /** `conversion` and `revenue` when read, then the named goal metrics. */
    goalMetrics: string[];
  };
  /** The options used, every default filled in (built-in segments as `{ builtin }`). */
  options: AnalysisOptionsEcho;
}

/** `AnalysisReport.options`: every option with its value as used. */
export interface AnalysisOptionsEcho {
  segments: Record<string, string | { builtin: 'rfm' | 'lifecycle' | 'clusters' | 'spendTier' }>;
  includeAll: boolean;
  variant: string;
  control: string | null;
  conversion: string | null;
  revenue: string | null;
  covariate: string | null;
  metrics: Record<
    string,
    {
      column?: string;
      numerator?: string;
      denominator?: string;
      type?: MetricType;
      role: MetricRole;
      higherIsBetter?: boolean;
    }
  >;
  confidence: number;
  alternative: 'two-sided' | 'greater' | 'less';
  difference: 'relative' | 'absolute';
  correction: 'none' | 'bonferroni' | 'holm' | 'bh';
  sequential: { tuning: number } | null;
  engine: 'frequentist' | 'bayesian';
  prior: { mean: number; variance: number } | null;
  intervalMethod: 'wilson' | 'agresti-coull' | 'clopper-pearson' | 'wald' | 'jeffreys';
  expectedWeights: number[] | Record<string, number> | null;
  srmThreshold: number;
  minSampleSize: number;
  minCellSize: number;
  referenceDate: string | null;
}

/** Load Arrow IPC bytes (stream or file format, auto-detected). */
/** `lang`: the language of the engine's load errors ('en' default, 'fi'; any BCP 47 tag). */
export function loadDataset(bytes: ArrowBytes, options?: { lang?: string }): Promise<Dataset>;
/** Load an apache-arrow / flechette Table, serialized with the `tableToIPC` you pass. */
export function loadDataset<T extends ArrowTableLike>(table: T, options: TableOptions<T>): Promise<Dataset>;
/** Synchronous loadDataset, for workers and scripts. */
export function loadDatasetSync(bytes: ArrowBytes, options?: { lang?: string }): Dataset;
export function loadDatasetSync<T extends ArrowTableLike>(table: T, options: TableOptions<T>): Dataset;

export * as stats from './stats.js';

export { toArrow, toArrowDetailed, loadFile, sniffFormat } from './formats.js';
export type {
  FileInput,
  FileFormat,
  ToArrowOptions,
  ConversionResult,
  ConvertProgress,
  ImportReport,
  ImportWarningCode,
} from './formats.js';
export { createClient, Client, RemoteDataset } from './client.js';
export type { Progress, CallControl, LoadOptions, DatasetInfo, AsyncStats, ClientOptions } from './client.js';

// ---- Scaling out (docs/scaling-out.md) ----

/** A column of the warehouse table: its name and segmetry type string (as `ds.columns` reports). */
export interface ScaleOutColumn {
  name: string;
  type: string;
}

/** Where the aggregation query runs. */
export interface SqlForAnalysisOptions {
  dialect?: 'duckdb' | 'spark' | 'postgres';
  /** Source table or view; dotted names are quoted part by part. */
  table?: string;
  /** The table's columns, to type-check the rules (not needed with `dataset`). */
  schema?: ScaleOutColumn[];
  /** A loaded sample with the table's schema. */
  dataset?: Dataset;
  /** With `minCellSize`: cells below it are left out of the query's result (they never leave the warehouse). */
  suppressSmallCells?: boolean;
  /**
   * With `dataset`: the SQL table each of its links is read from, `{ orders: 'shop.orders' }` (default: the table
   * named like the link). Link rules become correlated subqueries on the link's normalized key.
   */
  tables?: Record<string, string>;
}

/** One row of the aggregate table (numbers or BigInts; sums may be null for empty groups). */
export interface SummaryRow {
  segment: string | null;
  variant: string | null;
  n: number | bigint;
  conversions?: number | bigint | null;
  conversion_nulls?: number | bigint | null;
  conversion_invalid?: number | bigint | null;
  revenue_sum?: number | null;
  revenue_sum_squares?: number | null;
  revenue_nulls?: number | bigint | null;
  covariate_sum?: number | null;
  covariate_sum_squares?: number | null;
  revenue_covariate_sum?: number | null;
  covariate_nulls?: number | bigint | null;
  overlapping_rows?: number | bigint | null;
}

/** One SQL query computing every segment × variant's sufficient statistics, where the data lives. */
export function sqlForAnalysis(
  options: AnalysisOptions & { table?: string; schema?: ScaleOutColumn[] },
  sqlOptions?: SqlForAnalysisOptions,
): string;

/** The report (same shape as `ds.analyze`) from the aggregates: Arrow IPC bytes, rows, or an array of several. */
export function analyzeSummary(
  summary: ArrowBytes | SummaryRow[] | (ArrowBytes | SummaryRow[])[],
  options: AnalysisOptions & { schema?: ScaleOutColumn[]; dataset?: Dataset },
): AnalysisReport;

export interface Dataset {
  /** The aggregation query for `options`, rules type-checked against this dataset's schema. */
  sqlForAnalysis(
    options: AnalysisOptions,
    sqlOptions: {
      dialect?: 'duckdb' | 'spark' | 'postgres';
      table: string;
      suppressSmallCells?: boolean;
      /** The SQL table each link is read from, `{ orders: 'shop.orders' }` (default: named like the link). */
      tables?: Record<string, string>;
    },
  ): string;
}

/** One row of `reportToRows`: a segment × variant, the columns of the report component's CSV export. */
export interface ReportRow {
  segment: string;
  rule: string;
  segment_size: number | null;
  variant: string;
  is_control: boolean;
  n: number;
  conversions: number;
  conversion_rate: number;
  conversion_lower: number | null;
  conversion_upper: number | null;
  conversion_lift: number | null;
  conversion_lift_lower: number | null;
  conversion_lift_upper: number | null;
  conversion_p_value: number | null;
  conversion_adjusted_p_value: number | null;
  conversion_chance_to_win: number | null;
  revenue_sum: number | null;
  revenue_mean: number | null;
  revenue_lift: number | null;
  revenue_lift_lower: number | null;
  revenue_lift_upper: number | null;
  revenue_p_value: number | null;
  revenue_adjusted_p_value: number | null;
  revenue_chance_to_win: number | null;
  srm_p_value: number | null;
  srm_mismatch: boolean | null;
}

/**
 * One row of `reportToRows(report, { metrics: true })`: a segment × variant × named metric (analyze's `metrics`),
 * the columns of the report component's metrics CSV. `lift*`, `p_value`, … are null for the control.
 */
export interface MetricRow {
  segment: string;
  variant: string;
  is_control: boolean;
  metric: string;
  type: MetricType;
  role: MetricRole;
  n: number | null;
  nulls: number | null;
  /** Proportion metrics. */
  conversions: number | null;
  /** Mean metrics. */
  sum: number | null;
  /** Ratio metrics. */
  numerator_sum: number | null;
  denominator_sum: number | null;
  /** NPS metrics. */
  promoters: number | null;
  detractors: number | null;
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  lift: number | null;
  lift_lower: number | null;
  lift_upper: number | null;
  p_value: number | null;
  adjusted_p_value: number | null;
  chance_to_win: number | null;
}

/** Options of `reportToRows` / `reportToArrow`. */
export interface ReportRowsOptions {
  /** One row per segment × variant × named metric (`MetricRow`) instead of per segment × variant (default false). */
  metrics?: boolean;
}

/**
 * An analysis report as flat rows (one per segment × variant), for charting or storing with other tools; with
 * `{ metrics: true }` one row per segment × variant × named metric.
 */
export function reportToRows(report: AnalysisReport, options?: { metrics?: false }): ReportRow[];
export function reportToRows(report: AnalysisReport, options: { metrics: true }): MetricRow[];
export function reportToRows(report: AnalysisReport, options?: ReportRowsOptions): ReportRow[] | MetricRow[];

/**
 * The rows of `reportToRows` (same options) as an Arrow IPC stream: utf8 for segment/rule/variant and
 * metric/type/role, bool for is_control and srm_mismatch, float64 for the numbers; absent values are nulls. Read it
 * with apache-arrow's `tableFromIPC`, DuckDB's `insertArrowFromIPCStream`, or `loadDataset`.
 */
export function reportToArrow(report: AnalysisReport, options?: ReportRowsOptions): Uint8Array;
