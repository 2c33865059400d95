// The worker side of createClient(): owns the wasm instances (core and, on first CSV/Parquet, formats) and the
// datasets loaded into them. Runs as a module Web Worker in browsers and as a worker_threads Worker in Node.
//
// Protocol (all messages are plain objects):
//   client → worker  { type: 'init', wasm, interrupt } first: where the wasm comes from (undefined: the package's
//                                                     file) and the shared interrupt buffer (js/interrupt.js; null
//                                                     without shared memory)
//                    { type: 'call', id, op, payload }      op: load | append | info | dataset | free | stats | tokenize | toArrow
//                    { type: 'cancel', id }                  honoured at the next JS checkpoint (between read chunks
//                                                            and between phases); inside a wasm call only the
//                                                            interrupt buffer reaches the worker
//   worker → client  { type: 'ready', phases } | { type: 'init-error', error }   phases: names of the wasm
//                                                            progress codes in the interrupt buffer
//                    { type: 'progress', id, phase, loaded, total }
//                    { type: 'result', id, value } | { type: 'error', id, error, fatal? } | { type: 'cancelled', id }
//                    fatal: the wasm instance trapped during this call; the client replaces the whole worker
//                    (its datasets lived in the trapped instance), bumping its `generation`.

// Static imports only, and no top-level await: bundlers that build workers as classic scripts (Vite's default
// 'iife') accept neither code splitting nor top-level await in a worker. Importing loads no wasm; init() does.
// Not index.js: that would pull client.js, whose `new Worker(…)` would make bundlers nest this worker in itself.
import * as runtime from './runtime.js';
import { loadDatasetSync, tokenize } from './dataset.js';
import * as stats from './stats.js';
import * as formats from './formats.js';
import { setExtrasInterrupt } from './extras.js';
import { isCancelled, runningAs, runningCancelled, setRunning } from './interrupt.js';

const CHUNK = 4 << 20; // File/Blob reads: 4 MiB between cancellation checks and progress reports

let post;
const inbox = [];
// The client's first message is { type: 'init', wasm }; later ones queue until the wasm is loaded.
let handle = (msg) => {
  if (msg?.type === 'init') start(msg.wasm, msg.interrupt);
  else inbox.push(msg);
};

const isBrowserWorker =
  typeof self !== 'undefined' && typeof self.postMessage === 'function' && typeof WorkerGlobalScope !== 'undefined';
if (isBrowserWorker) {
  // Registered before any await, so no message is lost while the modules load.
  self.onmessage = (event) => handle(event.data);
  post = (msg, transfer) => self.postMessage(msg, transfer ?? []);
} else {
  const { parentPort } = globalThis.process.getBuiltinModule('node:worker_threads');
  parentPort.on('message', (msg) => handle(msg));
  post = (msg, transfer) => parentPort.postMessage(msg, transfer ?? []);
}

/** A SegmetryError (or any error) as a structured-clone-safe object. */
function serializeError(err) {
  if (err && typeof err === 'object') {
    const out = {
      name: err.name === 'SegmetryError' ? 'SegmetryError' : (err.name ?? 'Error'),
      code: typeof err.code === 'string' ? err.code : 'INTERNAL',
      message: typeof err.code === 'string' ? String(err.message) : `${err.name ?? 'Error'}: ${err.message}`,
    };
    for (const key of ['start', 'end', 'subject', 'line', 'column']) {
      if (err[key] !== undefined) out[key] = err[key];
    }
    return out;
  }
  return { name: 'SegmetryError', code: 'INTERNAL', message: String(err) };
}

/** ArrayBuffers of the typed arrays in a result (not wasm memory), for a zero-copy postMessage. */
function transferables(value, out = new Set(), depth = 0) {
  if (value === null || typeof value !== 'object' || depth > 6) return out;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferables(v, out, depth + 1);
  return out;
}

function reply(msg, value) {
  const transfer = [...transferables(value)];
  try {
    post({ ...msg, value }, transfer);
  } catch {
    post({ ...msg, value }); // e.g. a view into wasm memory: copy instead
  }
}

let core = null; // { loadDatasetSync, stats }
let shared = null; // the interrupt buffer (Int32Array over a SharedArrayBuffer), or null
const datasets = new Map();
let nextDataset = 1;
const cancelled = new Set();
const running = new Set();

class Cancelled extends Error {}

const wasCancelled = (id) => cancelled.has(id) || (shared !== null && isCancelled(shared, id));

function checkpoint(id) {
  if (wasCancelled(id)) throw new Cancelled();
}

function progress(id, phase, loaded, total) {
  post({ type: 'progress', id, phase, loaded, total });
}

/** Bytes of what the client sent: a Blob/File is read here, in chunks (cancellable, with progress). */
async function readSource(id, source, chunkSize) {
  const step = Number.isInteger(chunkSize) && chunkSize > 0 ? chunkSize : CHUNK;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const total = source.size;
    const bytes = new Uint8Array(total);
    progress(id, 'read', 0, total);
    for (let at = 0; at < total; at += step) {
      checkpoint(id);
      const chunk = new Uint8Array(await source.slice(at, Math.min(total, at + step)).arrayBuffer());
      bytes.set(chunk, at);
      progress(id, 'read', at + chunk.length, total);
      // In-memory Blobs resolve without a trip through the event loop: yield one, so a queued cancel is seen.
      await new Promise((resolve) => {
        setTimeout(resolve, 0);
      });
    }
    checkpoint(id);
    return bytes;
  }
  if (source && source.buffer !== undefined) {
    return new Uint8Array(source.buffer, source.byteOffset ?? 0, source.byteLength ?? source.buffer.byteLength);
  }
  return source; // the client validated it
}

/**
 * A CSV File/Blob streamed through the CSV reader (pieces read, converted and dropped: memory bounded by a piece
 * and the output, whatever the file's size), or null for anything else. Progress is one 'convert' phase over the
 * file's bytes; a cancel is seen at every piece and, with shared memory, inside wasm.
 */
async function streamedCsv(id, source, options) {
  if (typeof Blob === 'undefined' || !(source instanceof Blob)) return null;
  const fileName = options.fileName ?? (typeof source.name === 'string' ? source.name : undefined);
  let format = options.format ?? 'auto';
  if (format === 'auto') {
    format = formats.sniffFormat(new Uint8Array(await source.slice(0, 4096).arrayBuffer()), fileName);
  }
  if (format !== 'csv') return null;
  return convert(id, source, { ...options, format, fileName }, source.size);
}

/** `input` (bytes, or a CSV Blob to stream) → Arrow, with 'convert' progress and the worker's cancel flag. */
async function convert(id, input, options, size) {
  checkpoint(id);
  progress(id, 'convert', 0, size);
  const result = await formats.toArrowDetailed(input, {
    ...options,
    onProgress: ({ loaded, total }) => progress(id, 'convert', loaded, total),
    signal: {
      get aborted() {
        return wasCancelled(id);
      },
    },
  });
  checkpoint(id);
  return result;
}

/** Read → convert (CSV/Parquet) → Arrow IPC bytes. */
async function arrowBytes(id, source, { chunkSize, ...options }) {
  const streamed = await streamedCsv(id, source, options);
  if (streamed !== null) return streamed;
  const bytes = await readSource(id, source, chunkSize);
  const fileName = options.fileName ?? (typeof source?.name === 'string' ? source.name : undefined);
  let format = options.format ?? 'auto';
  if (format === 'auto') format = formats.sniffFormat(bytes, fileName) ?? 'auto';
  if (format === 'arrow') return { bytes, skipped: [], warnings: [] };
  return convert(id, bytes, { ...options, format, fileName }, bytes.length);
}

function dataset(id) {
  const ds = datasets.get(id);
  if (ds === undefined) {
    const err = new Error('this dataset was freed with free(); load the data again to keep working');
    err.code = 'FREED';
    throw err;
  }
  return ds;
}

function info(ds) {
  return { numRows: ds.numRows, columns: ds.columns, memorySize: ds.memorySize };
}

const DATASET_METHODS = new Set([
  'segmentMembers',
  'segmentOverlap',
  'rfm',
  'lifecycle',
  'clusters',
  'analyze',
  'complete',
  'profile',
  'toSql',
]);
// Prepare methods return a new Dataset, which stays in the worker under a new handle.
const DERIVE_METHODS = new Set(['aggregate', 'join', 'customerFeatures', 'calibrationAndHoldout']);

async function run(id, op, payload) {
  switch (op) {
    case 'load': {
      // `lang` words both the readers' import errors and warnings and the engine's load errors.
      const options = payload.options ?? {};
      const converted = await arrowBytes(id, payload.source, options);
      progress(id, 'decode', 0, converted.bytes.length);
      const ds = core.loadDatasetSync(converted.bytes, { lang: options.lang });
      progress(id, 'decode', converted.bytes.length, converted.bytes.length);
      if (wasCancelled(id)) {
        ds.free();
        throw new Cancelled();
      }
      const handle = nextDataset++;
      datasets.set(handle, ds);
      return {
        handle,
        ...info(ds),
        skipped: converted.skipped ?? [],
        warnings: converted.warnings ?? [],
        importReport: converted.importReport ?? null,
      };
    }
    case 'append': {
      const ds = dataset(payload.handle);
      const converted = await arrowBytes(id, payload.source, payload.options ?? {});
      progress(id, 'decode', 0, converted.bytes.length);
      ds.append(converted.bytes);
      progress(id, 'decode', converted.bytes.length, converted.bytes.length);
      return { ...info(ds), skipped: converted.skipped ?? [], warnings: converted.warnings ?? [] };
    }
    case 'toArrow': {
      const converted = await arrowBytes(id, payload.source, payload.options ?? {});
      return converted.bytes;
    }
    case 'info':
      return info(dataset(payload.handle));
    case 'segment': {
      const seg = dataset(payload.handle).segment(payload.rule, payload.options);
      return { size: seg.size, rule: seg.rule, sql: seg.toSql() };
    }
    case 'dataset': {
      if (!DATASET_METHODS.has(payload.method)) throw new Error(`unknown dataset method ${payload.method}`);
      const ds = dataset(payload.handle);
      const phase = payload.method === 'analyze' ? 'analyze' : null;
      if (phase) progress(id, phase, 0, 1);
      // clusters returns a Promise (the extras module loads on first use); awaiting a plain value is a no-op.
      const value = await ds[payload.method](...payload.args);
      if (phase) progress(id, phase, 1, 1);
      return value;
    }
    case 'derive': {
      if (!DERIVE_METHODS.has(payload.method)) throw new Error(`unknown dataset method ${payload.method}`);
      const ds = dataset(payload.handle);
      const args = payload.method === 'join' ? [dataset(payload.right), ...payload.args] : payload.args;
      const out = await ds[payload.method](...args);
      const handle = nextDataset++;
      datasets.set(handle, out);
      return { handle, ...info(out), recipe: out.recipe, joinReport: out.joinReport ?? null };
    }
    case 'clv': {
      // The customers dataset (input columns + predictions) stays in the worker under a new handle.
      const { customers, ...result } = await dataset(payload.handle).clv(...payload.args);
      const handle = nextDataset++;
      datasets.set(handle, customers);
      return { ...result, customers: { handle, ...info(customers) } };
    }
    case 'free': {
      const ds = datasets.get(payload.handle);
      if (ds !== undefined) {
        ds.free();
        datasets.delete(payload.handle);
      }
      return undefined;
    }
    case 'trapForTests':
      // Tests only: trap the instance, as a stack overflow or a panic would.
      return runtime.call(core.trap);
    case 'tokenize':
      return core.tokenize(payload.rule);
    case 'stats': {
      const fn = core.stats[payload.name];
      if (typeof fn !== 'function') throw new Error(`stats.${payload.name} is not a function`);
      return fn(...payload.args);
    }
    default:
      throw new Error(`unknown operation ${op}`);
  }
}

// Calls that await between wasm calls (reading a File, loading the formats or extras module). They run one at
// a time, each marked as the running call for its whole span, so a wasm checkpoint always knows whose cancel
// request applies. Every other call is one synchronous stretch: it runs as soon as the worker is free, marked
// as running only for that stretch (runningAs), even in the middle of an awaiting call.
const AWAITING = new Set(['load', 'append', 'toArrow', 'derive', 'clv']);
let lane = Promise.resolve();

function serially(id, fn) {
  const turn = lane.then(async () => {
    checkpoint(id); // cancelled while it waited for its turn
    setRunning(shared, id);
    try {
      return await fn();
    } finally {
      setRunning(shared, 0);
    }
  });
  lane = turn.catch(() => {});
  return turn;
}

/** Datasets a call created, freed when the call turned out to be cancelled after all. */
function freeCreated(value) {
  for (const handle of [value?.handle, value?.customers?.handle]) {
    if (handle !== undefined && datasets.has(handle)) {
      datasets.get(handle).free();
      datasets.delete(handle);
    }
  }
}

async function onMessage(msg) {
  if (msg?.type === 'cancel') {
    if (running.has(msg.id)) {
      cancelled.add(msg.id);
    }
    // Not running (finished, or never started): nothing to stop; the client already settled it.
    return;
  }
  if (msg?.type !== 'call') return;
  const { id, op, payload } = msg;
  running.add(id);
  const generation = runtime.generation;
  try {
    const awaiting = AWAITING.has(op) || (op === 'dataset' && payload?.method === 'clusters');
    const value = await (awaiting
      ? serially(id, () => run(id, op, payload))
      : runningAs(shared, id, () => run(id, op, payload)));
    if (wasCancelled(id)) {
      freeCreated(value);
      post({ type: 'cancelled', id });
    } else {
      reply({ type: 'result', id }, value);
    }
  } catch (err) {
    // CANCELLED from wasm: a checkpoint saw this call's request; the datasets are as they were.
    if (err instanceof Cancelled || err?.code === 'CANCELLED') post({ type: 'cancelled', id });
    else post({ type: 'error', id, error: serializeError(err), fatal: runtime.generation !== generation });
  } finally {
    running.delete(id);
    cancelled.delete(id);
  }
}

/**
 * Load the wasm (from the client's override, if any), install the interrupt buffer in every module with long
 * loops, then serve the messages queued meanwhile.
 */
function start(wasm, interrupt) {
  runtime.init({ wasm }).then(
    () => {
      core = { loadDatasetSync, tokenize, stats, trap: () => runtime.wasm.__trapForTests() };
      if (interrupt instanceof Int32Array) {
        shared = interrupt;
        runtime.wasm.setInterruptBuffer(shared);
        setExtrasInterrupt(shared);
        formats.setConversionInterrupt(() => runningCancelled(shared));
      }
      handle = (msg) => {
        onMessage(msg);
      };
      post({ type: 'ready', phases: Array.from(runtime.wasm.interruptPhases()) });
      for (const msg of inbox.splice(0)) handle(msg);
    },
    (err) => post({ type: 'init-error', error: serializeError(err) }),
  );
}
