import type { Dataset } from './index.js';

/** What toArrow/loadFile accept: bytes, or a File/Blob (read for you). */
export type FileInput = Uint8Array | ArrayBuffer | ArrayBufferView | Blob;

export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'auto';

export interface ConvertProgress {
  phase: 'convert';
  /** Bytes (CSV) or rows (Parquet) done so far. */
  loaded: number;
  total: number;
}

export interface ToArrowOptions {
  /** Default 'auto': magic bytes (PAR1, ARROW1, IPC stream marker), then the file name, then text → CSV. */
  format?: FileFormat;
  /** Used for sniffing when the input is bytes (a File's own name is used otherwise). `.tsv` implies tab. */
  fileName?: string;
  /** CSV: one character; default: sniffed among `,` `;` tab `|`. */
  delimiter?: string;
  /** CSV: the first line holds column names (default true); without, columns are column_1, column_2, … */
  header?: boolean;
  /** CSV: quote character, default `"`. */
  quote?: string;
  /** CSV: values read as null besides the empty field, e.g. ['NA', 'null']. */
  nullValues?: string[];
  /** Parquet: leave out columns of unsupported types (lists, structs, maps, binary, …) instead of failing. */
  skipUnsupported?: boolean;
  /** Rows per Arrow record batch (default 65536). */
  batchSize?: number;
  onProgress?: (progress: ConvertProgress) => void;
}

export interface ConversionResult {
  /** Arrow IPC stream bytes. */
  bytes: Uint8Array;
  format: 'csv' | 'parquet' | 'arrow';
  numRows?: number;
  columns?: { name: string; type: string }[];
  /** Columns left out (skipUnsupported). */
  skipped: { name: string; type: string }[];
  /** Renamed headers, columns read as text, skipped columns. */
  warnings: string[];
  /** CSV: the delimiter used (given or sniffed). */
  delimiter?: string;
}

/**
 * CSV or Parquet → Arrow IPC stream (Arrow passes through). The CSV/Parquet reader wasm loads on first use.
 * Errors: SegmetryError with code INVALID_CSV (with `line`/`column`), INVALID_PARQUET, UNSUPPORTED_TYPE (with
 * `subject` = the first unsupported column) or INVALID_ARGUMENT.
 */
export function toArrow(input: FileInput, options?: ToArrowOptions): Promise<Uint8Array>;
/** toArrow with the column list, skipped columns and warnings. */
export function toArrowDetailed(input: FileInput, options?: ToArrowOptions): Promise<ConversionResult>;
/** Convert if needed, then loadDataset (on the calling thread; createClient() runs it in a worker). */
export function loadFile(input: FileInput, options?: ToArrowOptions): Promise<Dataset>;
/** 'csv' | 'parquet' | 'arrow' from magic bytes and file name; null when it cannot tell. */
export function sniffFormat(bytes: Uint8Array, fileName?: string): 'csv' | 'parquet' | 'arrow' | null;

declare module './index.js' {
  interface SegmetryError {
    /** CSV errors (INVALID_CSV): 1-based physical line in the file. */
    readonly line?: number;
    /** CSV errors: 1-based field number (record errors) or character position (quote/encoding errors). */
    readonly column?: number;
  }
}
