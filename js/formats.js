// CSV and Parquet → Arrow IPC, in two more wasm modules (dist/formats/), one per reader, each fetched and
// instantiated only the first time a file of its format is converted: pages that only load Arrow never download
// a reader, and pages that only load CSV never download the Parquet codecs (docs/sizes.md).
import { SegmetryError, toSegmetryError } from './errors.js';
import { loadDataset } from './dataset.js';
import { byteView, bytesKind, describe, detachedError } from './input.js';
import { lazyModule } from './wasm-source.js';
import { createGlue as createCsvGlue } from './formats/segmetry_formats_csv.js';
import { createGlue as createParquetGlue } from './formats/segmetry_formats_parquet.js';

const FORMATS = ['auto', 'csv', 'parquet', 'arrow'];
/** Options that steer CSV typing; Parquet and Arrow files carry their own types. */
const CSV_TYPING = ['types', 'locale', 'timeZone'];
/** The reader module of each format that needs one (Arrow passes through). */
const readers = {
  csv: lazyModule(
    new URL('./formats/segmetry_formats_csv_bg.wasm', import.meta.url),
    createCsvGlue,
    'the CSV reader wasm',
  ),
  parquet: lazyModule(
    new URL('./formats/segmetry_formats_parquet_bg.wasm', import.meta.url),
    createParquetGlue,
    'the Parquet reader wasm',
  ),
};

/** Bytes of a Uint8Array/ArrayBuffer/view, or of a Blob/File (read here). */
async function readAll(input, what) {
  const kind = bytesKind(input);
  if (kind === 'detached') throw detachedError(what);
  if (kind === 'bytes') return byteView(input);
  if (kind === 'blob') return new Uint8Array(await input.arrayBuffer());
  throw new SegmetryError(
    'INVALID_ARGUMENT',
    `${what} must be a File, Blob, Uint8Array or ArrayBuffer holding CSV, Parquet or Arrow bytes, got ${describe(input)}`,
    { subject: what },
  );
}

const startsWith = (bytes, ascii) =>
  bytes.length >= ascii.length && [...ascii].every((ch, i) => bytes[i] === ch.charCodeAt(0));

/**
 * The format of `bytes`: magic bytes first (PAR1, ARROW1, the IPC stream continuation marker), then the file
 * name's extension, then "looks like text" → csv. Returns 'csv' | 'parquet' | 'arrow' | null.
 */
export function sniffFormat(input, fileName) {
  const kind = bytesKind(input);
  if (kind !== 'bytes') {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `sniffFormat needs the first bytes of a file as a Uint8Array or ArrayBuffer, got ${
        kind === 'detached' ? 'a detached buffer' : describe(input)
      }`,
      { subject: 'bytes' },
    );
  }
  const bytes = byteView(input);
  if (startsWith(bytes, 'PAR1')) return 'parquet';
  if (startsWith(bytes, 'ARROW1')) return 'arrow';
  if (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff) {
    return 'arrow';
  }
  const ext = typeof fileName === 'string' ? (fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '') : '';
  if (['parquet', 'pq', 'parq'].includes(ext)) return 'parquet';
  if (['arrow', 'arrows', 'ipc', 'feather'].includes(ext)) return 'arrow';
  if (['csv', 'tsv', 'tab', 'txt', 'psv'].includes(ext)) return 'csv';
  // UTF-16 text (Excel's "Unicode text") starts with its byte-order mark.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'csv';
  const head = bytes.subarray(0, 4096);
  if (head.length > 0 && !head.includes(0)) {
    try {
      // A multi-byte character cut at the end of the sample is fine.
      new TextDecoder('utf-8', { fatal: true }).decode(head.length === 4096 ? head.subarray(0, 4090) : head);
      return 'csv';
    } catch {
      // Windows-1252 text (Excel on a Western Windows): mostly printable ASCII, the rest single letters.
      const plain = head.filter((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d).length;
      return plain >= head.length * 0.9 ? 'csv' : null;
    }
  }
  return null;
}

function checkOptions(options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new SegmetryError('INVALID_ARGUMENT', `options must be an options object, got ${describe(options)}`, {
      subject: 'options',
    });
  }
  if (options.format !== undefined && !FORMATS.includes(options.format)) {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `format must be one of ${FORMATS.map((f) => `'${f}'`).join(', ')}, got ${describe(options.format)}`,
      { subject: 'format' },
    );
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new SegmetryError('INVALID_ARGUMENT', 'onProgress must be a function', { subject: 'onProgress' });
  }
  // locale, timeZone and the other CSV options are checked once, by the formats module (formats/src/wasm.rs),
  // which owns their vocabularies (the locales, the time-zone database); on the worker path too, since the
  // worker converts through toArrowDetailed.
  return { ...options, types: plainTypes(options.types) };
}

/** `types` copied into a plain object of strings (so the wasm never meets a getter or a Proxy). */
function plainTypes(types) {
  if (types === undefined || types === null) return undefined;
  const bad = (detail) =>
    new SegmetryError(
      'INVALID_ARGUMENT',
      `types must map column names to Arrow type names, e.g. { 'Zip': 'utf8', 'Total': 'float64' }; ${detail}`,
      { subject: 'types' },
    );
  if (typeof types !== 'object' || Array.isArray(types)) throw bad(`got ${describe(types)}`);
  let entries;
  try {
    entries = Object.entries(types);
  } catch (err) {
    throw bad(`reading it failed (${err?.message ?? err})`);
  }
  const out = {};
  for (const [name, type] of entries) {
    if (typeof type !== 'string') throw bad(`types['${name}'] is ${describe(type)}`);
    out[name] = type;
  }
  return out;
}

/** Turn what the formats wasm threw into a SegmetryError (line/column become fields). */
function formatsError(err, format) {
  if (err instanceof WebAssembly.RuntimeError) {
    // panic = "abort": a trap leaves the instance unusable; the next call loads a fresh one.
    readers[format].drop();
    return new SegmetryError(
      format === 'parquet' ? 'INVALID_PARQUET' : 'INVALID_CSV',
      `the ${format === 'parquet' ? 'Parquet' : 'CSV'} reader failed on this file (${err.message}); the file is ` +
        'probably damaged, or too large for this browser tab',
    );
  }
  const e = toSegmetryError(err);
  if (e instanceof SegmetryError && err && typeof err === 'object') {
    if (typeof err.line === 'number') e.line = err.line;
    if (typeof err.column === 'number') e.column = err.column;
  }
  return e;
}

/**
 * A reader text from the engine's catalogue (src/messages/import.rs), in `lang`, for the errors found here before a
 * reader runs: the texts are worded in one place, so the reader module of `format` is loaded to word them.
 */
async function readerText(format, key, params, lang) {
  const mod = await readers[format].get();
  return mod.message(key, params, typeof lang === 'string' ? lang : undefined);
}

let interrupted = null; // the worker client's cancellation check (setConversionInterrupt), else null

/**
 * @internal Worker client only: `check()` is asked at every record batch of a conversion and stops it with
 * CANCELLED when it returns true. It must only read shared memory (js/interrupt.js), never run caller code.
 */
export function setConversionInterrupt(check) {
  interrupted = typeof check === 'function' ? check : null;
}

/**
 * Convert CSV or Parquet bytes (or a File/Blob) into an Arrow IPC stream; Arrow input passes through unchanged.
 * Resolves to `Uint8Array`. `toArrowDetailed` also returns the columns, skipped columns and warnings. `lang: 'fi'`
 * words the readers' errors and warnings in Finnish (the formats module renders them from the engine's catalogue).
 */
export async function toArrow(input, options) {
  return (await toArrowDetailed(input, options)).bytes;
}

/**
 * Like toArrow, resolving to `{ bytes, format, numRows?, columns?, skipped, warnings, importReport?, delimiter? }`.
 * `importReport` (CSV, Parquet): `{ columns: [{ name, type, inferred, overridden }], warnings: [{ code, column,
 * message, examples }] }`.
 */
export async function toArrowDetailed(input, options) {
  const opts = checkOptions(options);
  const blob = bytesKind(input) === 'blob' ? input : null;
  // A File/Blob is sniffed from its first bytes (unless `format` says what it is: the worker has sniffed it);
  // a CSV one larger than a piece is then read in pieces (streamCsv), never whole.
  let bytes = blob ? null : await readAll(input, 'input');
  const fileName = opts.fileName ?? (typeof input?.name === 'string' ? input.name : undefined);
  let format = opts.format ?? 'auto';
  if (format === 'auto') {
    format = sniffFormat(bytes ?? new Uint8Array(await blob.slice(0, 4096).arrayBuffer()), fileName);
    if (format === null) {
      const message = await readerText('csv', 'unknown_format', [], opts.lang);
      throw new SegmetryError('INVALID_ARGUMENT', message, { subject: 'format' });
    }
  }
  const typing = CSV_TYPING.find((k) => opts[k] !== undefined);
  if (format !== 'csv' && typing !== undefined) {
    const kind = format === 'arrow' ? 'Arrow' : 'Parquet';
    const message = await readerText('csv', 'typing_not_csv', [typing, kind], opts.lang);
    throw new SegmetryError('INVALID_ARGUMENT', message, { subject: typing });
  }
  if (blob && format !== 'csv') bytes = await readAll(blob, 'input');
  if (format === 'arrow') return { bytes, format, skipped: [], warnings: [] };
  const mod = await readers[format].get();
  // The wasm side calls this at every record batch (streamCsv at every piece); `true` stops the conversion
  // (CANCELLED): the worker client's interrupt, or the caller's AbortSignal.
  const stop = interrupted;
  const signal = opts.signal;
  const onProgress =
    opts.onProgress || stop || signal
      ? (loaded, total, rows) => {
          try {
            opts.onProgress?.(
              rows === undefined ? { phase: 'convert', loaded, total } : { phase: 'convert', loaded, total, rows },
            );
          } catch {
            /* ignore */
          }
          return stop?.() === true || signal?.aborted === true;
        }
      : undefined;
  const wasmOptions = { ...opts };
  delete wasmOptions.onProgress;
  delete wasmOptions.signal;
  if (format === 'csv' && wasmOptions.delimiter === undefined && /\.(tsv|tab)$/i.test(fileName ?? '')) {
    wasmOptions.delimiter = '\t';
  }
  try {
    if (format === 'csv' && blob) {
      // A file of one piece gains nothing from streaming (one piece in memory either way) and converts faster
      // whole; UTF-16 text (`null`) is only read whole.
      const streamed = blob.size > PIECE_BYTES ? await streamCsv(mod, blob, wasmOptions, onProgress) : null;
      if (streamed) return { ...streamed, format };
      bytes = await readAll(blob, 'input');
    }
    const result =
      format === 'csv'
        ? mod.csvToArrow(bytes, wasmOptions, onProgress)
        : mod.parquetToArrow(bytes, wasmOptions, onProgress);
    return { ...result, format };
  } catch (err) {
    throw formatsError(err, format);
  }
}

/** Bytes of a File/Blob read at a time when converting CSV: the reader's memory is bounded by this, not the file. */
const PIECE_BYTES = 8 << 20;

/**
 * Convert a CSV File/Blob piece by piece with the formats module's CsvStream: wasm memory holds a piece and a
 * record batch, and the Arrow bytes are collected here as each batch is written. The stream may ask for the file
 * again from its start (a late value changed a column's type, or a late byte is not UTF-8); `onProgress` then
 * counts from 0 again. Resolves to csvToArrow's result, or null for a file only read whole (UTF-16).
 */
async function streamCsv(mod, blob, wasmOptions, onProgress) {
  const total = blob.size;
  const stream = new mod.CsvStream(wasmOptions, total);
  try {
    // Three passes at most: the first, a re-read with the final types, one more after a switch to Windows-1252.
    for (let pass = 0; pass < 3; pass++) {
      const out = new Output(total);
      let next = 'continue';
      // The next piece is read while this one converts: the read runs off this thread (a Blob's bytes are the
      // browser's), so converting never waits for it. At most two pieces are held at a time.
      const read = (at) => {
        if (at >= total) return null;
        const pending = blob.slice(at, at + PIECE_BYTES).arrayBuffer();
        pending.catch(() => {}); // a read left behind by a restart or a cancel must not reject unhandled
        return pending;
      };
      let reading = read(0);
      for (let at = 0; at < total && next === 'continue'; at += PIECE_BYTES) {
        const piece = new Uint8Array(await reading);
        reading = read(at + PIECE_BYTES);
        next = stream.push(piece);
        out.take(stream, at + piece.length);
        if (onProgress?.(Math.min(total, at + PIECE_BYTES), total, stream.rows())) {
          throw new SegmetryError('CANCELLED', await readerText('csv', 'cancelled', [], wasmOptions.lang));
        }
      }
      if (next === 'continue') next = stream.finish();
      if (next === 'whole') return null;
      if (typeof next === 'object') return { ...next, bytes: out.end(next.bytes) };
    }
    throw new SegmetryError('INVALID_CSV', 'the CSV reader asked for the file more than three times');
  } finally {
    try {
      stream.free();
    } catch {
      /* a trapped instance is replaced anyway */
    }
  }
}

/**
 * The Arrow bytes of a streamed conversion, copied out of wasm memory straight into one buffer as each piece is
 * read (no array per piece, no concatenation at the end). The buffer is sized once for the whole file from what
 * a record costs in the output so far (the records waiting in the batch being filled are not in the bytes yet:
 * sizing by bytes read would guess low and regrow, copying the output twice more), and a little more.
 */
class Output {
  constructor(total) {
    this.total = total;
    this.bytes = new Uint8Array(0);
    this.length = 0;
  }

  /** Room for `need` more bytes, in a buffer of `expected` bytes (a little more) when it has to grow. */
  reserve(need, expected) {
    if (this.length + need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.length + need, Math.ceil(expected * 1.05)));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Take the bytes `stream` has ready after `read` bytes of the file. */
  take(stream, read) {
    let n = stream.takeBytesInto(this.bytes.subarray(this.length));
    if (n < 0) {
      // The whole file's output: by bytes read, and by records output × records expected in the file.
      const [have, rows, written] = [this.length - n, stream.rows(), stream.writtenRows()];
      const byBytes = (have / Math.max(read, 1)) * this.total;
      const byRows = written > 0 ? (have / written) * (rows / Math.max(read, 1)) * this.total : 0;
      this.reserve(-n, Math.max(byBytes, byRows));
      n = stream.takeBytesInto(this.bytes.subarray(this.length));
    }
    this.length += n;
  }

  /** The whole output, ending with `last`; a copy only when the buffer is much larger than the output. */
  end(last) {
    if (this.length === 0) return last; // a file of one piece: its output came whole
    this.reserve(last.length, this.length + last.length);
    this.bytes.set(last, this.length);
    this.length += last.length;
    const { bytes, length } = this;
    return length * 1.1 < bytes.length ? bytes.slice(0, length) : bytes.subarray(0, length);
  }
}

/** The import report of a file that needed no conversion (Arrow): its columns as they are. */
function passThroughReport(ds) {
  return {
    columns: ds.columns.map((c) => ({ name: c.name, type: c.type, inferred: c.type, overridden: false })),
    warnings: [],
  };
}

/**
 * Convert if needed, then load into a Dataset (on this thread; see createClient for a worker). The dataset's
 * `importReport` says which type each column got and why values were kept as text.
 */
export async function loadFile(input, options) {
  const { bytes, importReport } = await toArrowDetailed(input, options);
  const ds = await loadDataset(bytes, { lang: options?.lang });
  Object.defineProperty(ds, 'importReport', {
    value: importReport ?? passThroughReport(ds),
    enumerable: true,
  });
  return ds;
}
