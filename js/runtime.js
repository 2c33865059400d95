// Instantiates the wasm core once, at import time (top-level await), in Node and in browsers alike, and gives
// the rest of the JS layer one way to call into it: `call`, which turns thrown values into SegmetryError.
import init, { initSync } from './wasm/segmetry.js';
import * as wasmModule from './wasm/segmetry.js';
import { toSegmetryError } from './errors.js';

const wasmUrl = new URL('./wasm/segmetry_bg.wasm', import.meta.url);
const isNode =
  typeof process !== 'undefined' &&
  process.versions != null &&
  process.versions.node != null &&
  wasmUrl.protocol === 'file:';

let exports;
if (isNode) {
  const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
  exports = initSync({ module: await readFile(wasmUrl) });
} else {
  exports = await init({ module_or_path: wasmUrl });
}

/** The instance's linear memory (its `buffer` changes identity whenever the memory grows). */
export const memory = exports.memory;

export { wasmModule as wasm };

/**
 * Copy `bytes` into wasm memory through a fallibly reserved InputBuffer: a too-large input becomes a
 * SegmetryError OUT_OF_MEMORY instead of aborting the instance.
 */
export function copyIn(bytes) {
  const input = call(() => new wasmModule.InputBuffer(bytes.length));
  new Uint8Array(memory.buffer, input.ptr(), bytes.length).set(bytes);
  return input;
}

/** Call a wasm export, converting anything it throws into a SegmetryError. */
export function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (err) {
    throw toSegmetryError(err);
  }
}
