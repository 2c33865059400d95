// Instantiates the wasm core once, at import time (top-level await), in Node and in browsers alike, and gives
// the rest of the JS layer one way to call into it: `call`, which turns thrown values into SegmetryError.
import init, { initSync } from './wasm/segmetry.js';
import { toSegmetryError } from './errors.js';

const wasmUrl = new URL('./wasm/segmetry_bg.wasm', import.meta.url);
const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null
  && wasmUrl.protocol === 'file:';

if (isNode) {
  const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
  initSync({ module: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export * as wasm from './wasm/segmetry.js';

/** Call a wasm export, converting anything it throws into a SegmetryError. */
export function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (err) {
    throw toSegmetryError(err);
  }
}
