// The shared interrupt buffer of the worker client: an Int32Array over a SharedArrayBuffer that the client and
// its worker both hold. The client writes cancel requests into it while the worker is busy inside a wasm call
// (which no message can reach); the wasm checkpoints of long operations read them with Atomics.load, stop with
// CANCELLED and leave every dataset as it was. The checkpoints write their progress back; the client polls it.
//
// Slot layout, mirrored in src/wasm/interrupt.rs (change both together):
//   0        RUNNING   id of the call the worker is running (0: none)            written by the worker
//   1        REQUESTS  count of cancel requests so far                            written by the client
//   2 … 9    CANCELLED the last 8 cancelled call ids, round robin                 written by the client
//   10 … 14  PHASE, DONE, TOTAL, CALL, SEQ: the last checkpoint's progress        written by wasm

const RUNNING = 0;
const REQUESTS = 1;
const CANCELLED = 2;
const RING = 8;
const PHASE = 10;
const DONE = 11;
const TOTAL = 12;
const CALL = 13;
const SEQ = 14;
const SLOTS = 16;

/**
 * A fresh interrupt buffer, or null where shared memory is unavailable: browsers hand a SharedArrayBuffer to a
 * worker only on cross-origin isolated pages (COOP + COEP headers); Node's worker_threads always can.
 */
export function createInterrupt() {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return null;
  if (globalThis.crossOriginIsolated === false) return null;
  return new Int32Array(new SharedArrayBuffer(SLOTS * 4));
}

/** Client: ask the worker to stop call `id` at its next checkpoint. */
export function requestCancel(buffer, id) {
  const n = Atomics.add(buffer, REQUESTS, 1);
  Atomics.store(buffer, CANCELLED + (n % RING), id);
}

/** Worker (JS checkpoints): whether call `id` was cancelled through the buffer. */
export function isCancelled(buffer, id) {
  for (let i = 0; i < RING; i++) if (Atomics.load(buffer, CANCELLED + i) === id) return true;
  return false;
}

/** Worker: run `fn` synchronously as call `id` (what the wasm checkpoints compare the cancel requests with). */
export function runningAs(buffer, id, fn) {
  if (buffer === null) return fn();
  const previous = Atomics.exchange(buffer, RUNNING, id);
  try {
    return fn();
  } finally {
    Atomics.store(buffer, RUNNING, previous);
  }
}

/** Worker: mark call `id` (0: none) as running across awaits (serialized calls only). */
export function setRunning(buffer, id) {
  if (buffer !== null) Atomics.store(buffer, RUNNING, id);
}

/** Client: the last checkpoint's progress, `{ seq, call, code, done, total }` (`code` 1-based, 0: none). */
export function readProgress(buffer) {
  return {
    seq: Atomics.load(buffer, SEQ),
    call: Atomics.load(buffer, CALL),
    code: Atomics.load(buffer, PHASE),
    done: Atomics.load(buffer, DONE),
    total: Atomics.load(buffer, TOTAL),
  };
}

/** Worker: whether the call running now (RUNNING) was cancelled — the conversion's per-batch check. */
export function runningCancelled(buffer) {
  const id = Atomics.load(buffer, RUNNING);
  return id !== 0 && isCancelled(buffer, id);
}
