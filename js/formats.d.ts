import type { Dataset } from './index.js';

/** What toArrow/loadFile accept: bytes, or a File/Blob (read for you). */
export type FileInput = Uint8Array | ArrayBuffer | ArrayBufferView | Blob;

export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'auto';

export interface ConvertProgress {
  phase: 'convert';
  /**
   * Bytes (CSV) or rows (Parquet) done so far. A CSV File/Blob is read in 8 MB pieces and reports after each; when
   * its whole content decides other column types than its first records did, it is read a second time and
   * `loaded` starts again from 0.
   */
  loaded: number;
  total: number;
  /** CSV File/Blob: records read so far (in the current pass). */
  rows?: number;
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
  /**
   * CSV: per-column types by column name (after renaming), as Arrow type names: 'utf8', 'int64', 'float64',
   * 'bool', 'date32', 'timestamp' (unit from the data), 'timestamp[ms]', 'timestamp[ms, Europe/Helsinki]',
   * 'decimal128(12, 2)'. A value the type cannot read is an INVALID_CSV error with its line, column and value.
   */
  types?: Record<string, string>;
  /**
   * CSV: number and date conventions. 'auto' (default) decides per column and keeps text (with a warning) what
   * reads differently under two conventions (`1,020`, `1/2/2025`); 'fi'/'sv': decimal comma, space thousands,
   * day-first dates; 'de': decimal comma, point thousands; 'en': decimal point, comma thousands, month-first.
   */
  locale?: 'auto' | 'fi' | 'sv' | 'de' | 'en';
  /**
   * CSV: IANA zone in which timestamps without an offset are read ('Europe/Helsinki'; default UTC, and the
   * column then carries no zone). European, US/Canadian and fixed-offset zones are built in; see the docs.
   */
  timeZone?: string;
  /**
   * CSV: how the bytes are decoded. 'auto' (default): a byte-order mark decides (UTF-8, UTF-16LE/BE); without one,
   * UTF-16 is recognised by its zero bytes, valid UTF-8 is UTF-8, and anything else is read as Windows-1252 (what
   * Excel saves on Finnish and other Western Windows) with a DECODED_AS_WINDOWS_1252 warning. 'latin1' and
   * 'iso-8859-1' mean Windows-1252, as in browsers.
   */
  encoding?: 'auto' | 'utf-8' | 'windows-1252' | 'latin1' | 'iso-8859-1' | 'utf-16le' | 'utf-16be';
  /** Parquet: leave out columns of unsupported types (lists, structs, maps, binary, …) instead of failing. */
  skipUnsupported?: boolean;
  /** Rows per Arrow record batch (default 65536). */
  batchSize?: number;
  /**
   * The language of the readers' errors and of the import report's warnings ('en' default, 'fi'; any BCP 47 tag,
   * other languages get English). `code`, `line`, `column` and `subject` do not change. `loadFile` also passes it
   * to the engine (its load errors).
   */
  lang?: string;
  onProgress?: (progress: ConvertProgress) => void;
  /**
   * Stops the conversion with SegmetryError CANCELLED: checked at every record batch, and between the pieces of a
   * CSV File/Blob.
   */
  signal?: AbortSignal;
}

/** Stable codes of import warnings. */
export type ImportWarningCode =
  | 'LEADING_ZERO'
  | 'LEADING_PLUS'
  | 'TOO_MANY_DIGITS'
  | 'APOSTROPHE_REMOVED'
  | 'AMBIGUOUS_NUMBER'
  | 'AMBIGUOUS_DATE'
  | 'LOCALE_MISMATCH'
  | 'MIXED_CURRENCY'
  | 'CURRENCY_REMOVED'
  | 'RENAMED_COLUMN'
  | 'DECODED_AS_WINDOWS_1252'
  | 'INDEX_COLUMN_DROPPED'
  | 'SKIPPED_COLUMN';

/** What an import decided: each column's type (and what inference chose), and why values were kept as text. */
export interface ImportReport {
  columns: { name: string; type: string; inferred: string; overridden: boolean }[];
  warnings: { code: ImportWarningCode; column: string | null; message: string; examples: string[] }[];
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
  /** CSV and Parquet: the types chosen and the warnings with codes (absent for Arrow input). */
  importReport?: ImportReport;
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
/**
 * Convert if needed, then loadDataset (on the calling thread; createClient() runs it in a worker). The dataset's
 * `importReport` describes the import (for Arrow input: its columns as they are, no warnings).
 */
export function loadFile(input: FileInput, options?: ToArrowOptions): Promise<Dataset>;
/** 'csv' | 'parquet' | 'arrow' from magic bytes and file name; null when it cannot tell. */
export function sniffFormat(bytes: Uint8Array, fileName?: string): 'csv' | 'parquet' | 'arrow' | null;

declare module './index.js' {
  interface Dataset {
    /** Set by loadFile: the types chosen per column and the import warnings. */
    readonly importReport?: ImportReport;
  }
  interface SegmetryError {
    /** CSV errors (INVALID_CSV): 1-based physical line in the file. */
    readonly line?: number;
    /** CSV errors: 1-based field number (record errors) or character position (quote/encoding errors). */
    readonly column?: number;
  }
}
