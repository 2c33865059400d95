// The prepare verbs (aggregate, join, customerFeatures), k-means clusters and the CLV models, in a third wasm
// module (dist/extras/) that is fetched and instantiated only the first time one of them is called, so pages that
// load Arrow and analyze it never download them (docs/sizes.md). Datasets cross as Arrow IPC streams, copied
// straight from one module's memory into the other's (src/wasm/buffers.rs): the core writes one (`toIpc`), the
// extras module reads it and returns its results the same way. No copy stops in the JS heap: at a million rows
// those copies and the garbage they leave cost as much as the verb itself.
import { SegmetryError, toSegmetryError } from './errors.js';
import { lazyModule } from './wasm-source.js';
import { copyIn, memory } from './runtime.js';
import { createGlue } from './extras/segmetry_extras.js';

const extras = lazyModule(
  new URL('./extras/segmetry_extras_bg.wasm', import.meta.url),
  createGlue,
  'the segmetry extras wasm (prepare, clusters, CLV)',
);

let interrupt = null; // the worker client's shared interrupt buffer (js/interrupt.js), else null
const armed = new WeakSet(); // instances that have it installed (a dropped instance's successor needs it again)

/** @internal Worker client only: the shared interrupt buffer the module's long loops check. */
export function setExtrasInterrupt(buffer) {
  interrupt = buffer;
}

/**
 * A dataset as an argument of callExtras: `encode()` returns the core's OutputBuffer of its IPC bytes
 * (`Dataset.toIpc`). It is called only once the extras module is loaded, right before the verb runs, so the
 * bytes are copied into that module's memory while the view of the core's memory is still valid.
 */
export class DatasetArg {
  constructor(encode) {
    this.encode = encode;
  }
}

/**
 * Run export `name` of the extras module with `args` (plain values and DatasetArgs). Loads the module on the
 * first call. A dataset the export returns, alone or as a property of its result, comes back as the core's
 * filled InputBuffer, ready for `loadDatasetFromInput`. Anything it throws becomes a SegmetryError; a trap (most
 * likely an allocation that failed: the inputs are copied into this module's own memory) drops the instance, so
 * the next call gets a fresh one, and the core's datasets stay usable.
 */
export async function callExtras(name, ...args) {
  const mod = await extras.get();
  if (interrupt !== null && !armed.has(mod)) {
    mod.setInterruptBuffer(interrupt);
    armed.add(mod);
  }
  const inputs = [];
  try {
    for (const arg of args) inputs.push(arg instanceof DatasetArg ? moveIn(mod, arg.encode) : arg);
    // The export owns its InputBuffers from here on, even when it throws.
    return moveResultsOut(mod, mod[name](...inputs.splice(0)));
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      extras.drop();
      throw new SegmetryError(
        'INTERNAL',
        `${name} failed inside the extras module (${err.message}); the data may be too large for this browser ` +
          'tab. Your datasets are unaffected. Please report this if it persists.',
      );
    }
    for (const input of inputs) if (input instanceof mod.InputBuffer) input.free();
    throw toSegmetryError(err);
  }
}

/** The core's OutputBuffer from `encode()`, copied into an InputBuffer of the extras module; frees the first. */
function moveIn(mod, encode) {
  const out = encode();
  try {
    const input = new mod.InputBuffer(out.len);
    new Uint8Array(mod.memory.buffer, input.ptr(), out.len).set(new Uint8Array(memory.buffer, out.ptr(), out.len));
    return input;
  } finally {
    out.free();
  }
}

/** `result` with each extras OutputBuffer in it (the result itself, or a property) copied into the core. */
function moveResultsOut(mod, result) {
  if (result instanceof mod.OutputBuffer) return moveOut(mod, [result])[0];
  if (result === null || typeof result !== 'object') return result;
  const keys = Object.keys(result).filter((k) => result[k] instanceof mod.OutputBuffer);
  const moved = moveOut(
    mod,
    keys.map((k) => result[k]),
  );
  keys.forEach((k, i) => {
    result[k] = moved[i];
  });
  return result;
}

/** Copy each OutputBuffer into a core InputBuffer; every OutputBuffer is freed, whatever happens. */
function moveOut(mod, outs) {
  const made = [];
  try {
    for (const out of outs) made.push(copyIn(new Uint8Array(mod.memory.buffer, out.ptr(), out.len)));
    return made;
  } catch (err) {
    for (const input of made) input.free();
    throw err;
  } finally {
    for (const out of outs) out.free();
  }
}
