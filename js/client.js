// createClient(): the same analytics as the synchronous API, run in a Web Worker (browsers) or a worker_threads
// Worker (Node), so the UI thread never parses files or runs wasm.
//
// Cancellation: an AbortSignal rejects the call at once with SegmetryError CANCELLED. What happens in the worker:
//  * With shared memory (Node; browsers on cross-origin isolated pages) the client writes the request into the
//    interrupt buffer (js/interrupt.js). Long wasm loops check it every few thousand rows or iterations and stop
//    with CANCELLED; reading a File stops at the next chunk. The worker and every dataset stay as they were.
//  * Without it, reading a File and the gaps between phases are still checkpoints, but a running wasm call can
//    only be stopped by terminating the worker: the client starts a fresh one, every dataset the old one held
//    is lost (onRestart lists them; calls on them reject WORKER_RESTARTED). If the worker does not acknowledge a
//    soft cancel within `cancelGraceMs`, it is treated as busy in wasm and restarted the same way.
// Cheap calls do not wait behind long ones: stats and tokenize run in a second worker (the "lane"), and a
// RemoteDataset answers numRows/columns/info from what the worker last reported about it.
import { SegmetryError } from './errors.js';
import { bytesKind, describe, detachedError, fromTable, isArrowTable, plain, tableError } from './input.js';
import { createInterrupt, readProgress, requestCancel } from './interrupt.js';

const STATS = [
  'proportionInterval',
  'twoProportionZTest',
  'proportionDifferenceInterval',
  'chiSquareIndependence',
  'fisherExact',
  'tTest',
  'srm',
  'adjustPValues',
  'bayesBinomial',
  'compare',
  'sampleSize',
  'power',
  'minimumDetectableEffect',
  'heterogeneity',
];
const SYNC_PHASES = new Set(['convert', 'decode', 'analyze', 'run']);
const POLL_MS = 50; // how often the client reads wasm progress from the interrupt buffer

// `globalThis.process`, never the bare identifier: Parcel treats a bare `process` as a request for its polyfill.
const nodeProcess = globalThis.process;
const isNode =
  nodeProcess?.versions?.node != null && typeof window === 'undefined' && new URL(import.meta.url).protocol === 'file:';

function rebuildError(e) {
  const err = new SegmetryError(e?.code ?? 'INTERNAL', e?.message ?? String(e), e ?? {});
  if (typeof e?.line === 'number') err.line = e.line;
  if (typeof e?.column === 'number') err.column = e.column;
  return err;
}

const cancelledError = () => new SegmetryError('CANCELLED', 'the operation was cancelled (its AbortSignal fired)');

/** A worker with one interface in browsers and Node. */
async function spawn() {
  if (isNode) {
    // process.getBuiltinModule instead of an import: bundlers never see a `node:` module. The URL is built from a
    // variable so that bundlers do not mistake this branch for a browser worker and emit worker.js raw.
    const { Worker } = nodeProcess.getBuiltinModule('node:worker_threads');
    const here = import.meta.url;
    const worker = new Worker(new URL('./worker.js', here));
    return {
      post: (msg, transfer) => worker.postMessage(msg, transfer),
      listen: (onMessage, onFailure) => {
        worker.on('message', onMessage);
        worker.on('error', (err) => onFailure(err?.message ?? String(err)));
        worker.on('exit', (code) => onFailure(`the worker exited (code ${code})`));
      },
      terminate: () => worker.terminate(),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
    };
  }
  // This exact expression lets bundlers (Vite, webpack) find and emit the worker; works under
  // `worker-src 'self'` because the URL is same-origin.
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer),
    listen: (onMessage, onFailure) => {
      worker.onmessage = (event) => onMessage(event.data);
      worker.onerror = (event) => {
        event.preventDefault?.();
        onFailure(
          event.message ||
            "the worker script did not load: it is missing (serve the package's worker.js next to your bundle, see " +
              '"Install" in the README) or blocked by the worker-src Content-Security-Policy',
        );
      };
      worker.onmessageerror = () => onFailure('a message from the worker could not be decoded');
    },
    terminate: () => worker.terminate(),
    ref: () => {},
    unref: () => {},
  };
}

/**
 * The `wasm` option of createClient() in a form postMessage can carry: bytes and a WebAssembly.Module clone as
 * they are; a URL becomes an absolute string (URL objects do not clone, and the worker's own location would
 * resolve a relative one differently). Responses cannot cross: pass their bytes instead.
 */
function workerWasm(wasm) {
  if (wasm === undefined || wasm === null) return undefined;
  if (wasm instanceof WebAssembly.Module || wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) return wasm;
  if (typeof wasm === 'string' || wasm instanceof URL) {
    const base = globalThis.location?.href;
    return base === undefined ? String(wasm) : new URL(wasm, base).href;
  }
  throw new SegmetryError(
    'INVALID_ARGUMENT',
    `createClient({ wasm }) takes bytes, a URL or a WebAssembly.Module, got ${describe(wasm)}`,
    { subject: 'wasm' },
  );
}

function checkControl(input) {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object') {
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `the last argument must be { signal, onProgress }, got ${describe(input)}`,
      { subject: 'control' },
    );
  }
  const control = plain(input, 'options'); // getters and Proxies are read once, here
  if (control.onProgress !== undefined && typeof control.onProgress !== 'function') {
    throw new SegmetryError('INVALID_ARGUMENT', 'onProgress must be a function', { subject: 'onProgress' });
  }
  if (control.signal !== undefined && control.signal !== null && typeof control.signal.aborted !== 'boolean') {
    throw new SegmetryError('INVALID_ARGUMENT', 'signal must be an AbortSignal', { subject: 'signal' });
  }
  return control;
}

/** What load/append accept, and what to transfer: a Blob/File goes as is (the worker reads it). */
function source(input, move = true) {
  const kind = bytesKind(input);
  if (kind === 'detached') throw detachedError('input');
  if (kind === 'other') {
    if (isArrowTable(input)) throw tableError('input');
    throw new SegmetryError(
      'INVALID_ARGUMENT',
      `the data must be a File, Blob, Uint8Array or ArrayBuffer (Arrow IPC, CSV or Parquet), got ${describe(input)}`,
      { subject: 'input' },
    );
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) return { source: input, transfer: [] };
  if (move === false && (input instanceof ArrayBuffer || ArrayBuffer.isView(input))) {
    // { transfer: false }: keep the caller's buffer usable; the copy is made here, on the calling thread.
    const view =
      input instanceof ArrayBuffer
        ? new Uint8Array(input)
        : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const copy = view.slice();
    return { source: copy, transfer: [copy.buffer] };
  }
  if (input instanceof ArrayBuffer) return { source: new Uint8Array(input), transfer: [input] };
  if (ArrayBuffer.isView(input)) {
    const view = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    const transfer = input.buffer instanceof ArrayBuffer ? [input.buffer] : [];
    return { source: view, transfer };
  }
  if (typeof SharedArrayBuffer !== 'undefined' && input instanceof SharedArrayBuffer) {
    return { source: new Uint8Array(input), transfer: [] };
  }
  throw new SegmetryError(
    'INVALID_ARGUMENT',
    `the data must be a File, Blob, Uint8Array or ArrayBuffer (Arrow IPC, CSV or Parquet), got ${describe(input)}`,
    { subject: 'input' },
  );
}

export class Client {
  #worker = null; // Promise<worker adapter>
  #generation = 0;
  #pending = new Map();
  #nextId = 1;
  #terminated = false;
  #cancelGraceMs;
  #wasm; // the caller's wasm override, as sent to every worker this client spawns (see workerWasm)
  #interrupt; // Int32Array over a SharedArrayBuffer shared with the worker (js/interrupt.js), or null
  #phases = []; // names of the wasm progress codes, from the worker's 'ready'
  #poll = null; // interval reading wasm progress while a call with onProgress is pending
  #lastSeq = 0;
  #onRestart;
  #live = new Set(); // WeakRefs of this generation's RemoteDatasets, to say which a restart lost
  #reasons = new Map(); // generation → why the worker of that generation was replaced

  #lane = null; // a second Client whose worker runs stats and tokenize (spawned on first use)

  /**
   * Async mirrors of the `stats` namespace. They run in a worker of their own, so a cheap stats call never
   * waits behind a slow load or analysis on the datasets' worker (and a slow stats call never blocks those).
   */
  stats;

  /** @internal Use createClient(). */
  constructor(options = {}) {
    this.#cancelGraceMs = options.cancelGraceMs ?? 250;
    this.#wasm = workerWasm(options.wasm);
    if (options.sharedMemory !== undefined && typeof options.sharedMemory !== 'boolean') {
      throw new SegmetryError('INVALID_ARGUMENT', 'sharedMemory must be true or false', { subject: 'sharedMemory' });
    }
    if (options.onRestart !== undefined && typeof options.onRestart !== 'function') {
      throw new SegmetryError('INVALID_ARGUMENT', 'onRestart must be a function', { subject: 'onRestart' });
    }
    this.#interrupt = options.sharedMemory === false ? null : createInterrupt();
    this.#onRestart = options.onRestart;
    this.stats = Object.freeze(
      Object.fromEntries(STATS.map((name) => [name, (...args) => this.#laneCall('stats', { name, args })])),
    );
  }

  /**
   * Whether cancelling a running wasm call keeps the worker and its datasets (shared memory is available);
   * when false, such a cancel restarts the worker.
   */
  get sharedMemory() {
    return this.#interrupt !== null;
  }

  // The lane holds no datasets, so it needs no shared memory: a cancelled call there simply restarts it.
  #laneCall(op, payload, control) {
    if (this.#terminated) {
      return Promise.reject(new SegmetryError('TERMINATED', 'this client was terminated; create a new one'));
    }
    if (this.#lane === null)
      this.#lane = new Client({ cancelGraceMs: this.#cancelGraceMs, wasm: this.#wasm, sharedMemory: false });
    return this.#lane.#call(op, payload, control);
  }

  /** @internal */
  async _start() {
    await this.#ensureWorker();
    return this;
  }

  /** Times the worker was restarted (cancelled wasm calls, crashes). */
  get generation() {
    return this.#generation;
  }

  #ensureWorker() {
    if (this.#terminated) {
      return Promise.reject(new SegmetryError('TERMINATED', 'this client was terminated; create a new one'));
    }
    if (this.#worker === null) {
      const generation = this.#generation;
      this.#worker = (async () => {
        const worker = await spawn();
        // The worker loads no wasm until told where from; a restart sends the same override again, and the
        // same interrupt buffer, cleared of the old worker's requests and progress.
        this.#interrupt?.fill(0);
        this.#lastSeq = 0;
        worker.post({ type: 'init', wasm: this.#wasm, interrupt: this.#interrupt });
        let initFailed = false;
        await new Promise((resolve, reject) => {
          worker.listen(
            (msg) => {
              if (msg?.type === 'ready') {
                this.#phases = Array.isArray(msg.phases) ? msg.phases : [];
                resolve();
              } else if (msg?.type === 'init-error') {
                // A worker without wasm is useless and, still referenced, would keep Node from exiting.
                initFailed = true;
                worker.terminate();
                reject(rebuildError(msg.error));
              } else this.#onMessage(msg);
            },
            (why) => {
              if (initFailed) return; // the exit of the worker terminated just above
              reject(new SegmetryError('WORKER_FAILED', `the segmetry worker could not start: ${why}`));
              this.#onFailure(generation, why);
            },
          );
        });
        worker.unref();
        return worker;
      })();
      this.#worker.catch(() => {
        if (this.#generation === generation) this.#worker = null;
      });
    }
    return this.#worker;
  }

  #onMessage(msg) {
    const entry = this.#pending.get(msg?.id);
    if (entry === undefined) return; // fire-and-forget calls (free after a cancelled load)
    switch (msg.type) {
      case 'progress':
        entry.phase = msg.phase;
        if (SYNC_PHASES.has(msg.phase) && entry.softCancel && this.#interrupt === null) {
          // It moved into a wasm call after we asked it to stop: only a restart stops it now.
          this.#restart(`cancelled during ${msg.phase}`);
          return;
        }
        try {
          entry.onProgress?.({ phase: msg.phase, loaded: msg.loaded, total: msg.total });
        } catch {
          /* a throwing callback must not break the client */
        }
        return;
      case 'result':
        this.#settle(msg.id);
        if (entry.cancelled) {
          if (msg.value?.handle !== undefined) this.#fireAndForget('free', { handle: msg.value.handle });
        } else {
          entry.resolve(msg.value);
        }
        return;
      case 'error':
        this.#settle(msg.id);
        if (msg.fatal) {
          // The worker's wasm instance trapped: every dataset it held is gone, so replace the whole worker.
          if (!entry.cancelled) {
            entry.reject(
              new SegmetryError(
                'INTERNAL',
                `the segmetry engine hit an internal error (${msg.error?.message}); the worker was restarted and ` +
                  'the datasets it held are gone (they answer WORKER_RESTARTED): load the data again. Please ' +
                  'report this.',
              ),
            );
          }
          this.#restart('its wasm instance trapped');
          return;
        }
        if (!entry.cancelled) entry.reject(rebuildError(msg.error));
        return;
      case 'cancelled':
        this.#settle(msg.id);
        if (!entry.cancelled) entry.reject(cancelledError());
        return;
      default:
    }
  }

  #settle(id) {
    const entry = this.#pending.get(id);
    if (entry === undefined) return;
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    entry.cleanup?.();
    if (this.#poll !== null && ![...this.#pending.values()].some((e) => e.onProgress)) {
      clearInterval(this.#poll);
      this.#poll = null;
    }
    if (this.#pending.size === 0 && this.#worker !== null)
      this.#worker.then(
        (w) => w.unref(),
        () => {},
      );
  }

  /** The worker died or was killed: everything in flight rejects, the next call spawns a fresh worker. */
  #onFailure(generation, why) {
    if (generation !== this.#generation) return; // an old worker we terminated ourselves
    this.#reasons.set(generation, why);
    const lost = [...this.#live].map((ref) => ref.deref()).filter((ds) => ds !== undefined);
    this.#live.clear();
    this.#generation += 1;
    this.#worker = null;
    if (this.#onRestart !== undefined && !this.#terminated) {
      try {
        this.#onRestart({ generation: this.#generation, reason: why, lost });
      } catch {
        /* a throwing callback must not break the client */
      }
    }
    for (const [id, entry] of [...this.#pending]) {
      this.#settle(id);
      if (!entry.cancelled) {
        entry.reject(
          new SegmetryError(
            'WORKER_RESTARTED',
            `the segmetry worker stopped (${why}); datasets it held are gone: load the data again`,
          ),
        );
      }
    }
  }

  #restart(why) {
    const old = this.#worker;
    this.#onFailure(this.#generation, why);
    old?.then(
      (w) => w.terminate(),
      () => {},
    );
  }

  async #fireAndForget(op, payload) {
    try {
      const worker = await this.#ensureWorker();
      worker.post({ type: 'call', id: this.#nextId++, op, payload });
    } catch {
      /* best effort */
    }
  }

  /** @internal Send one call; `generation` pins calls on a dataset to the worker that holds it. */
  async #call(op, payload, control = {}, transfer = [], generation = undefined) {
    const { signal, onProgress } = checkControl(control);
    if (generation !== undefined && generation !== this.#generation) this.#throwRestarted(generation);
    if (signal?.aborted) throw cancelledError();
    let worker;
    for (;;) {
      const before = this.#generation;
      worker = await this.#ensureWorker();
      if (this.#terminated) throw new SegmetryError('TERMINATED', 'the client was terminated');
      if (before === this.#generation) break;
      // The worker restarted while we waited for it.
      if (generation !== undefined) this.#throwRestarted(generation);
    }
    if (signal?.aborted) throw cancelledError();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const entry = { resolve, reject, onProgress, phase: 'queued', cancelled: false, softCancel: false };
      if (signal) {
        const onAbort = () => this.#abort(id, entry);
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#pending.set(id, entry);
      if (onProgress && this.#interrupt !== null && this.#poll === null) {
        this.#poll = setInterval(() => this.#pollProgress(), POLL_MS);
        this.#poll.unref?.(); // Node: polling alone must not keep the process alive
      }
      worker.ref();
      const fail = (err) => {
        this.#settle(id);
        reject(new SegmetryError('INVALID_ARGUMENT', `could not send the data to the worker: ${err.message}`));
      };
      try {
        worker.post({ type: 'call', id, op, payload }, transfer);
      } catch (err) {
        if (typeof Blob !== 'undefined' && payload?.source instanceof Blob) {
          // Node's file-backed Blobs (fs.openAsBlob) cannot be posted: read here, then transfer the bytes.
          const blob = payload.source;
          blob
            .arrayBuffer()
            .then((buffer) => {
              if (this.#pending.get(id) !== entry) return;
              try {
                entry.onProgress?.({ phase: 'read', loaded: blob.size, total: blob.size });
              } catch {
                /* ignore */
              }
              worker.post({ type: 'call', id, op, payload: { ...payload, source: new Uint8Array(buffer) } }, [buffer]);
            })
            .catch(fail);
        } else {
          fail(err);
        }
      }
    });
  }

  #throwRestarted(generation) {
    const why = this.#reasons.get(generation) ?? (this.#terminated ? 'the client was terminated' : 'it stopped');
    throw new SegmetryError(
      'WORKER_RESTARTED',
      `this dataset lived in a worker that was replaced (${why}); the datasets it held are gone: load the data ` +
        'again with client.load()',
    );
  }

  /** Progress the wasm checkpoints wrote into the interrupt buffer, for the call they belong to. */
  #pollProgress() {
    const p = readProgress(this.#interrupt);
    if (p.seq === this.#lastSeq || p.code === 0) return;
    this.#lastSeq = p.seq;
    const entry = this.#pending.get(p.call);
    if (entry === undefined || entry.cancelled) return;
    try {
      entry.onProgress?.({ phase: this.#phases[p.code - 1] ?? 'run', loaded: p.done, total: p.total });
    } catch {
      /* a throwing callback must not break the client */
    }
  }

  #abort(id, entry) {
    if (entry.cancelled) return;
    entry.cancelled = true;
    entry.reject(cancelledError());
    if (this.#interrupt !== null) {
      // Cooperative: wasm sees the request at its next checkpoint, JS code at its next chunk or phase. The
      // worker answers 'cancelled' (or its result, which is dropped) when the call has stopped.
      requestCancel(this.#interrupt, id);
      this.#worker?.then(
        (w) => w.post({ type: 'cancel', id }),
        () => {},
      );
      return;
    }
    if (SYNC_PHASES.has(entry.phase)) {
      this.#restart(`cancelled during ${entry.phase}`);
      return;
    }
    // At a checkpoint (reading) or not started yet: ask the worker; restart if it does not answer in time.
    entry.softCancel = true;
    this.#worker?.then(
      (w) => w.post({ type: 'cancel', id }),
      () => {},
    );
    entry.timer = setTimeout(() => {
      if (this.#pending.get(id) === entry) this.#restart('cancel not acknowledged (the worker was busy in wasm)');
    }, this.#cancelGraceMs);
  }

  /**
   * Load a File/Blob (read in the worker), or bytes (their buffer is transferred, not copied: the caller's
   * ArrayBuffer becomes detached), as Arrow IPC, CSV or Parquet.
   */
  async load(input, options = {}) {
    const { signal, onProgress, transfer: move, tableToIPC, ...rest } = checkControl(options);
    const { source: src, transfer } = source(fromTable(input, tableToIPC), move);
    const info = await this.#call('load', { source: src, options: rest }, { signal, onProgress }, transfer);
    // Had the worker restarted meanwhile, the call would have rejected: the dataset lives in this generation.
    return new RemoteDataset(this, info, this.#generation);
  }

  /** The tokens of a rule (see `tokenize` in the package), computed by the worker's engine. */
  tokenize(rule, control) {
    return this.#laneCall('tokenize', { rule }, control);
  }

  /** Convert CSV/Parquet (File, Blob or bytes) to Arrow IPC bytes in the worker. */
  async toArrow(input, options = {}) {
    const { signal, onProgress, transfer: move, tableToIPC, ...rest } = checkControl(options);
    const { source: src, transfer } = source(fromTable(input, tableToIPC), move);
    return this.#call('toArrow', { source: src, options: rest }, { signal, onProgress }, transfer);
  }

  /** @internal Tests only: make the worker's wasm instance trap. */
  _trapForTests() {
    return this.#call('trapForTests', {});
  }

  /** @internal */
  _datasetCall(generation, op, payload, control, transfer) {
    return this.#call(op, payload, control, transfer, generation);
  }

  /** @internal A RemoteDataset of the current worker, so a restart can say it was lost. */
  _track(ds) {
    const ref = typeof WeakRef === 'function' ? new WeakRef(ds) : { deref: () => ds };
    this.#live.add(ref);
    return ref;
  }

  /** @internal A freed RemoteDataset is no longer lost by a restart. */
  _untrack(ref) {
    this.#live.delete(ref);
  }

  /** @internal Throws WORKER_RESTARTED (with the reason) if `generation` is not the current worker's. */
  _checkGeneration(generation) {
    if (generation !== this.#generation) this.#throwRestarted(generation);
  }

  /** Stop the worker; pending calls reject with TERMINATED and the client cannot be used again. */
  terminate() {
    if (this.#terminated) return;
    const old = this.#worker;
    this.#terminated = true;
    this.#lane?.terminate();
    this.#worker = null;
    this.#generation += 1;
    for (const [id, entry] of [...this.#pending]) {
      this.#settle(id);
      if (!entry.cancelled) entry.reject(new SegmetryError('TERMINATED', 'the client was terminated'));
    }
    old?.then(
      (w) => w.terminate(),
      () => {},
    );
  }
}

/** A dataset that lives in the client's worker; every method is async. */
export class RemoteDataset {
  #client;
  #handle;
  #generation;
  #freed = false;
  #tracked; // the client's WeakRef to this dataset (see Client#onFailure)
  #info; // { numRows, columns, memorySize } as the worker last reported them
  #appending = 0; // appends in flight: until they settle, #info may be stale

  /** @internal */
  constructor(client, info, generation) {
    this.#client = client;
    this.#handle = info.handle;
    this.#generation = generation;
    this.#info = { numRows: info.numRows, columns: info.columns, memorySize: info.memorySize };
    this.#tracked = client._track(this);
    /** Columns left out of a Parquet file (`skipUnsupported`), and conversion warnings, from load(). */
    this.skipped = info.skipped ?? [];
    this.warnings = info.warnings ?? [];
    /** The import report of a CSV or Parquet load (null for Arrow input). */
    this.importReport = info.importReport ?? null;
  }

  #call(op, payload, control, transfer = []) {
    if (this.#freed) {
      return Promise.reject(
        new SegmetryError('FREED', 'this dataset was freed with free(); load the data again to keep working'),
      );
    }
    return this.#client._datasetCall(this.#generation, op, { handle: this.#handle, ...payload }, control, transfer);
  }

  #method(method, args, control) {
    return this.#call('dataset', { method, args }, control);
  }

  // A prepare step: the new dataset stays in the worker; resolves to its RemoteDataset.
  async #derive(method, args, control, right) {
    const info = await this.#call('derive', { method, args, right }, control);
    const ds = new RemoteDataset(this.#client, info, this.#generation);
    ds.recipe = info.recipe;
    if (info.joinReport) ds.joinReport = info.joinReport;
    return ds;
  }

  /** @internal The worker-side handle, for join. */
  get _handle() {
    return this.#handle;
  }

  /** Same options as `Dataset.aggregate`; resolves to a new RemoteDataset. */
  aggregate(options, control) {
    return this.#derive('aggregate', [options], control);
  }

  /** Same options as `Dataset.join`; `right` is a RemoteDataset of the same client. Resolves to a new one. */
  join(right, options, control) {
    if (!(right instanceof RemoteDataset)) {
      return Promise.reject(
        new SegmetryError('INVALID_ARGUMENT', 'right must be a RemoteDataset of this client', { subject: 'right' }),
      );
    }
    return this.#derive('join', [options], control, right._handle);
  }

  /** Same options as `Dataset.customerFeatures`; resolves to a new RemoteDataset. */
  customerFeatures(options, control) {
    return this.#derive('customerFeatures', [options], control);
  }

  /** Same options as `Dataset.calibrationAndHoldout`; resolves to a new RemoteDataset. */
  calibrationAndHoldout(options, control) {
    return this.#derive('calibrationAndHoldout', [options], control);
  }

  /**
   * `{ numRows, columns, memorySize }` now. Answered on this thread from what the worker reported with the last
   * load or append (only those change it), so it never waits behind a long call; while an append is in flight
   * it asks the worker, and so resolves after the append.
   */
  info(control) {
    if (this.#freed || this.#appending > 0 || this.#info === null) {
      return this.#call('info', {}, control).then((info) => {
        if (this.#appending === 0) this.#info = info;
        return structuredClone(info);
      });
    }
    try {
      const { signal } = checkControl(control);
      if (signal?.aborted) throw cancelledError();
      this.#client._checkGeneration(this.#generation);
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve(structuredClone(this.#info));
  }

  /** Whether the worker holding this dataset was replaced (a crash, or a cancel without shared memory). */
  get lost() {
    return !this.#freed && this.#client.generation !== this.#generation;
  }

  /** Resolves to the number of rows (a method, not a getter: a property that is a promise is easy to misuse). */
  numRows() {
    return this.info().then((i) => i.numRows);
  }

  /** Resolves to `[{ name, type, kind, nullable, nullCount }]`. */
  columns() {
    return this.info().then((i) => i.columns);
  }

  /** Append more rows (Arrow IPC, CSV or Parquet with the same columns); resolves to `info()`. */
  async append(input, options = {}) {
    const { signal, onProgress, transfer: move, tableToIPC, ...rest } = checkControl(options);
    const { source: src, transfer } = source(fromTable(input, tableToIPC), move);
    this.#appending += 1;
    try {
      const result = await this.#call('append', { source: src, options: rest }, { signal, onProgress }, transfer);
      this.#info = { numRows: result.numRows, columns: result.columns, memorySize: result.memorySize };
      return result;
    } catch (err) {
      // A cancel can land after the rows went in: let the next info() ask the worker.
      this.#info = null;
      throw err;
    } finally {
      this.#appending -= 1;
    }
  }

  /** `{ size, rule, sql }` of a rule's segment (a plain object, not a live Segment). */
  segment(rule, options, control) {
    return this.#call('segment', { rule, options }, control);
  }

  /** Completion at `cursor` (see `Dataset.complete`). */
  complete(rule, cursor, control) {
    return this.#method('complete', [rule, cursor], control);
  }

  /** A column's profile (see `Dataset.profile`). */
  profile(column, control) {
    return this.#method('profile', [column], control);
  }

  segmentMembers(rule, options, control) {
    return this.#method('segmentMembers', [rule, options], control);
  }

  segmentOverlap(rules, options, control) {
    return this.#method('segmentOverlap', [rules, options], control);
  }

  rfm(options, control) {
    return this.#method('rfm', [options], control);
  }

  lifecycle(options, control) {
    return this.#method('lifecycle', [options], control);
  }

  clusters(options, control) {
    return this.#method('clusters', [options], control);
  }

  /**
   * Same options and result as `Dataset.clv`; `customers` (the input columns plus the predictions) is a new
   * RemoteDataset that stays in the worker.
   */
  async clv(options, control) {
    const result = await this.#call('clv', { args: [options] }, control);
    result.customers = new RemoteDataset(this.#client, result.customers, this.#generation);
    return result;
  }

  /** Same options and result as `Dataset.toSql`: the recipe of a derived dataset as one SQL query. */
  toSql(options, control) {
    return this.#method('toSql', [options], control);
  }

  /** Same options and result as `Dataset.analyze`; progress phase 'analyze'. */
  analyze(options, control) {
    return this.#method('analyze', [options], control);
  }

  /** Release the dataset's memory in the worker. */
  async free() {
    if (this.#freed) return;
    this.#freed = true;
    this.#client._untrack(this.#tracked);
    try {
      await this.#client._datasetCall(this.#generation, 'free', { handle: this.#handle });
    } catch (err) {
      if (err?.code !== 'WORKER_RESTARTED' && err?.code !== 'TERMINATED') throw err;
    }
  }
}

/** Spawn a worker that owns a wasm instance; resolves once it is ready. */
export async function createClient(options) {
  return new Client(options ?? {})._start();
}

// `using client = await createClient()` terminates the worker at the end of the block; `using ds = await
// client.load(…)` frees the remote dataset (without waiting: `await using` waits for the worker's answer).
// Guarded: runtimes without explicit resource management simply lack the methods.
if (typeof Symbol.dispose === 'symbol') {
  Client.prototype[Symbol.dispose] = Client.prototype.terminate;
  RemoteDataset.prototype[Symbol.dispose] = function dispose() {
    this.free().catch(() => {});
  };
}
if (typeof Symbol.asyncDispose === 'symbol')
  RemoteDataset.prototype[Symbol.asyncDispose] = RemoteDataset.prototype.free;
