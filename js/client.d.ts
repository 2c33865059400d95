import type {
  ArrowTableLike,
  TableOptions,
  AnalysisOptions,
  AnalysisReport,
  ClusterOptions,
  ClusterResult,
  ClvOptions,
  ClvResult,
  ColumnInfo,
  ColumnProfile,
  Completion,
  RuleToken,
  LifecycleOptions,
  BuiltinSegment,
  RfmOptions,
  RfmResult,
  MemberTable,
  SegmentMembers,
  SegmentOptions,
  DisposeKey,
  AsyncDisposeKey,
  AggregateOptions,
  JoinOptions,
  JoinReport,
  CustomerFeaturesOptions,
  CalibrationHoldoutOptions,
  PrepareRecipe,
  RecipeSqlOptions,
} from './index.js';
import type { FileInput, ToArrowOptions } from './formats.js';
import type * as SyncStats from './stats.js';

export interface Progress {
  /** read: bytes of a File/Blob read in the worker; convert: CSV bytes or Parquet rows; decode/analyze: 0/1 → 1/1. */
  phase: 'read' | 'convert' | 'decode' | 'analyze';
  loaded: number;
  total: number;
}

/** The last argument of every async call: progress and cancellation. */
export interface CallControl {
  /**
   * Aborting rejects the call with SegmetryError code CANCELLED. Reading a File is cancelled between chunks;
   * a running wasm call cannot be interrupted, so the worker is terminated and respawned, and datasets it held
   * reject with WORKER_RESTARTED from then on.
   */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export type LoadOptions = CallControl &
  Omit<ToArrowOptions, 'onProgress'> & {
    /** Bytes only: transfer (default true; the caller's ArrayBuffer is detached) or copy them first (false). */
    transfer?: boolean;
    /** File/Blob only: bytes read per step in the worker (default 4 MiB); cancellation is checked between steps. */
    chunkSize?: number;
  };

export interface DatasetInfo {
  numRows: number;
  columns: ColumnInfo[];
  memorySize: number;
}

/** A dataset owned by the client's worker. Every method is the async twin of Dataset's. */
export class RemoteDataset {
  /** Resolves to the number of rows. */
  numRows(): Promise<number>;
  /** Resolves to the columns. */
  columns(): Promise<ColumnInfo[]>;
  /** Columns left out at load (Parquet skipUnsupported). */
  readonly skipped: { name: string; type: string }[];
  /** Conversion warnings from load (renamed headers, columns read as text, skipped columns). */
  readonly warnings: string[];
  /** The import report of a CSV or Parquet load (null for Arrow input); see ToArrowOptions.types. */
  readonly importReport: import('./formats.js').ImportReport | null;
  info(control?: CallControl): Promise<DatasetInfo>;
  /** Append rows (Arrow IPC, CSV or Parquet with the same columns). */
  append(input: FileInput, options?: LoadOptions): Promise<DatasetInfo>;
  append<T extends ArrowTableLike>(table: T, options: LoadOptions & TableOptions<T>): Promise<DatasetInfo>;
  /** A plain snapshot of the segment (not a live Segment). */
  segment(
    rule: string,
    options?: SegmentOptions,
    control?: CallControl,
  ): Promise<{ size: number; rule: string; sql: string }>;
  /** Completion at `cursor` (see Dataset.complete). */
  complete(rule: string, cursor: number, control?: CallControl): Promise<Completion>;
  /** A column's profile (see Dataset.profile). */
  profile(column: string, control?: CallControl): Promise<ColumnProfile>;
  segmentMembers(
    rule: string,
    options?: SegmentOptions & { column?: string },
    control?: CallControl,
  ): Promise<SegmentMembers>;
  segmentMembers(
    rule: string,
    options: SegmentOptions & { columns: string[] },
    control?: CallControl,
  ): Promise<MemberTable>;
  segmentOverlap(
    rules: Array<string | { builtin: 'rfm' | 'lifecycle' | 'clusters' | 'spendTier'; options?: object }>,
    options?: SegmentOptions,
    control?: CallControl,
  ): Promise<number[][]>;
  rfm(options?: RfmOptions, control?: CallControl): Promise<RfmResult>;
  lifecycle(options?: LifecycleOptions, control?: CallControl): Promise<BuiltinSegment[]>;
  clusters(options?: ClusterOptions, control?: CallControl): Promise<ClusterResult>;
  /** Same as Dataset.clv; `customers` is a new RemoteDataset in the worker (free() it when done). */
  clv(
    options?: ClvOptions,
    control?: CallControl,
  ): Promise<Omit<ClvResult, 'customers'> & { customers: RemoteDataset }>;
  analyze(options?: AnalysisOptions, control?: CallControl): Promise<AnalysisReport>;
  /** Prepare steps run in the worker; the new dataset stays there. */
  aggregate(options: AggregateOptions, control?: CallControl): Promise<RemoteDataset>;
  join(right: RemoteDataset, options: JoinOptions, control?: CallControl): Promise<RemoteDataset>;
  customerFeatures(options: CustomerFeaturesOptions, control?: CallControl): Promise<RemoteDataset>;
  calibrationAndHoldout(options: CalibrationHoldoutOptions, control?: CallControl): Promise<RemoteDataset>;
  /** How a prepared dataset was made; set on datasets returned by the prepare steps. */
  recipe?: PrepareRecipe | null;
  /** Same as Dataset.toSql: the recipe as one SQL query. */
  toSql(options: RecipeSqlOptions, control?: CallControl): Promise<string>;
  /** Set on datasets returned by `join`. */
  joinReport?: JoinReport;
  free(): Promise<void>;
}
/** `await using ds = await client.load(…)` frees it in the worker (plain `using` frees without waiting). */
export interface RemoteDataset extends Record<DisposeKey, () => void>, Record<AsyncDisposeKey, () => Promise<void>> {}

type Asyncify<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

export type AsyncStats = Asyncify<typeof SyncStats>;

export interface ClientOptions {
  /** How long a soft cancel (reading, queued) may take before the worker is restarted. Default 250 ms. */
  cancelGraceMs?: number;
  /**
   * Where the worker loads the core wasm from, for hosts whose bundler does not emit it or whose CSP needs it
   * elsewhere: bytes, a URL (relative URLs resolve against the page) or a compiled `WebAssembly.Module`. Sent to
   * every worker the client starts, including restarts. Default: the package's `wasm/segmetry_bg.wasm`.
   */
  wasm?: ArrayBuffer | ArrayBufferView | URL | string | WebAssembly.Module;
}

export class Client {
  /**
   * Async mirrors of the `stats` namespace. They run in a second worker (spawned on first use), so they never
   * wait behind a slow call on the datasets' worker.
   */
  readonly stats: AsyncStats;
  /** Number of worker restarts so far. */
  readonly generation: number;
  /**
   * Load a File/Blob (read in the worker) or bytes (Arrow IPC, CSV or Parquet). Bytes are transferred, not
   * copied: the caller's ArrayBuffer is detached afterwards.
   */
  load(input: FileInput, options?: LoadOptions): Promise<RemoteDataset>;
  /** Load an apache-arrow / flechette Table, serialized on this thread with the `tableToIPC` you pass. */
  load<T extends ArrowTableLike>(table: T, options: LoadOptions & TableOptions<T>): Promise<RemoteDataset>;
  /** The tokens of a rule (see tokenize), from the worker's engine. */
  tokenize(rule: string, control?: CallControl): Promise<RuleToken[]>;
  /** Convert in the worker and return the Arrow IPC bytes. */
  toArrow(input: FileInput, options?: LoadOptions): Promise<Uint8Array>;
  /** Stop the worker; pending calls reject with TERMINATED. */
  terminate(): void;
}
/** `using client = await createClient()` terminates the worker at the end of the block. */
export interface Client extends Record<DisposeKey, () => void> {}

/** Spawn a Web Worker (browsers) or worker_threads Worker (Node) that owns a wasm instance. */
export function createClient(options?: ClientOptions): Promise<Client>;
