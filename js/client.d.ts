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
  /**
   * From the worker's JS: read (bytes of a File/Blob read in the worker), convert (CSV bytes or Parquet rows,
   * per record batch), decode and analyze (0/1 at the start, 1/1 at the end).
   * From inside long wasm calls, with shared memory only (`client.sharedMemory`), polled every 50 ms: segments
   * (rows whose rules are evaluated, per record batch), metrics (rows of the analysis pass), decode (IPC bytes),
   * prepare (rows of aggregate / join / customerFeatures), clusters (k-means iterations of the current k), fit.
   */
  phase: 'read' | 'convert' | 'decode' | 'analyze' | 'segments' | 'metrics' | 'prepare' | 'clusters' | 'fit';
  loaded: number;
  total: number;
}

/** The last argument of every async call: progress and cancellation. */
export interface CallControl {
  /**
   * Aborting rejects the call at once with SegmetryError code CANCELLED. With shared memory
   * (`client.sharedMemory`) the worker stops the call at its next checkpoint (a chunk of a File, a record batch,
   * 64 Ki rows of the analysis pass, a k-means iteration) and keeps every dataset as it was. Without it, reading
   * a File is still cancelled between chunks, but a running wasm call is stopped by restarting the worker: the
   * datasets it held are lost (`onRestart` lists them) and reject with WORKER_RESTARTED.
   */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export type LoadOptions = CallControl &
  Omit<ToArrowOptions, 'onProgress'> & {
    /** Bytes only: transfer (default true; the caller's ArrayBuffer is detached) or copy them first (false). */
    transfer?: boolean;
    /**
     * Parquet/Arrow File or Blob: bytes read per step in the worker (default 4 MiB); cancellation is checked
     * between steps. A CSV File/Blob is streamed through the reader in 8 MB pieces instead.
     */
    chunkSize?: number;
    /**
     * The language of import errors and warnings ('en' default, 'fi'): the CSV / Parquet readers' and, for `load`,
     * the engine's errors when decoding the Arrow data.
     */
    lang?: string;
  };

export interface DatasetInfo {
  numRows: number;
  columns: ColumnInfo[];
  memorySize: number;
}

/** A dataset owned by the client's worker. Every method is the async twin of Dataset's. */
export class RemoteDataset {
  /** Resolves to the number of rows (answered without waiting for the worker, as info()). */
  numRows(): Promise<number>;
  /** Resolves to the columns (answered without waiting for the worker, as info()). */
  columns(): Promise<ColumnInfo[]>;
  /** Whether the worker that held this dataset was replaced (a crash, or a cancel without shared memory). */
  readonly lost: boolean;
  /** Columns left out at load (Parquet skipUnsupported). */
  readonly skipped: { name: string; type: string }[];
  /** Conversion warnings from load (renamed headers, columns read as text, skipped columns). */
  readonly warnings: string[];
  /** The import report of a CSV or Parquet load (null for Arrow input); see ToArrowOptions.types. */
  readonly importReport: import('./formats.js').ImportReport | null;
  /**
   * Rows, columns and memory as the worker reported them with the last load or append: answered on the calling
   * thread, never behind a long call (while an append is in flight it waits for the append).
   */
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

/** What `onRestart` receives when the datasets' worker is replaced. */
export interface RestartEvent {
  /** The client's `generation` after the restart. */
  generation: number;
  /** Why: a crash, a trap, or a cancel that could only be honoured by a restart. */
  reason: string;
  /** The RemoteDatasets (not yet freed) that lived in the old worker: gone, they reject WORKER_RESTARTED. */
  lost: RemoteDataset[];
}

export interface ClientOptions {
  /**
   * Without shared memory: how long a soft cancel (reading, queued) may take before the worker is restarted.
   * Default 250 ms.
   */
  cancelGraceMs?: number;
  /**
   * Use a SharedArrayBuffer for cooperative cancellation and progress inside wasm calls (default true where
   * available: Node, and browsers on cross-origin isolated pages). `false` forces the restart fallback.
   */
  sharedMemory?: boolean;
  /** Called when the datasets' worker was replaced, with the datasets that were lost. */
  onRestart?: (event: RestartEvent) => void;
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
   * Whether cancelling a running wasm call keeps the worker and its datasets (a SharedArrayBuffer is shared with
   * the worker). False where shared memory is unavailable (a browser page that is not cross-origin isolated) or
   * with `sharedMemory: false`: such a cancel restarts the worker.
   */
  readonly sharedMemory: boolean;
  /**
   * Load a File/Blob (read in the worker) or bytes (Arrow IPC, CSV or Parquet). Bytes are transferred, not
   * copied: the caller's ArrayBuffer is detached afterwards.
   */
  load(input: FileInput, options?: LoadOptions): Promise<RemoteDataset>;
  /** Load an apache-arrow / flechette Table, serialized on this thread with the `tableToIPC` you pass. */
  load<T extends ArrowTableLike>(table: T, options: LoadOptions & TableOptions<T>): Promise<RemoteDataset>;
  /** The tokens of a rule (see tokenize), from the second worker's engine (never behind a long call). */
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
